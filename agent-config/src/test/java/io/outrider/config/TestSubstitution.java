package io.outrider.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestSubstitution
{
    @TempDir
    Path directory;

    @Test
    void resolvesVariablesDefaultsAndDollars()
    {
        Substitution substitution = new Substitution(Map.of("HOST", "collector", "EMPTY", ""), directory);

        assertThat(substitution.resolve("https://${HOST}:${PORT:-443}/$$x").value()).isEqualTo("https://collector:443/$x");
        assertThat(substitution.resolve("${EMPTY:-fallback}").value()).isEqualTo("fallback");
        assertThat(substitution.resolve("${MISSING}").error()).isEqualTo("environment variable MISSING is not set; set it or write ${MISSING:-default}");
        assertThat(substitution.resolve("${HOST").error()).isEqualTo("unterminated '${' in value; write '$$' for a literal '$'");
        assertThat(substitution.resolve("${1x}").error()).isEqualTo("'${1x}' is not a valid variable reference; use ${NAME}, ${NAME:-default} or ${file:PATH}");
    }

    @Test
    void readsAPrivateSecretFileWithoutItsLineBreak()
            throws Exception
    {
        Path key = Files.writeString(directory.resolve("key"), "s3cret\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        Substitution.Result result = new Substitution(Map.of(), directory).resolve("${file:key}");

        assertThat(result.value()).isEqualTo("s3cret");
        assertThat(result.fromFile()).isTrue();
        assertThat(result.warning()).isEmpty();
    }

    @Test
    void refusesOrWarnsAboutASecretFileOthersCanRead()
            throws Exception
    {
        Path key = Files.writeString(directory.resolve("key"), "s3cret");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Substitution substitution = new Substitution(Map.of(), directory);
        String problem = "secret file " + key + " is readable by group or others (mode 0644); run: chmod 600 " + key;

        assertThat(substitution.resolve("${file:key}").error()).isEqualTo(problem + " (or set agent.secret_file_permissions: warn)");
        substitution.setFilePermissionPolicy(Substitution.FilePermissionPolicy.WARN);
        assertThat(substitution.resolve("${file:key}").warning()).isEqualTo(Optional.of(problem));
        assertThat(substitution.resolve("${file:absent}").error()).isEqualTo("secret file " + directory.resolve("absent") + " does not exist");
    }
}
