package io.outrider.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestEnvFile
{
    /** An import wrote {@code "\"lsoc_live_...\"  # trailing"} for a quoted key with a comment after it, and validated. */
    @Test
    void readsValuesAsAShellDoes()
    {
        assertThat(EnvFile.parse("""
                # LiteSOC
                export LITESOC_KEY="lsoc_live_abc123"  # from the dashboard
                PLAIN=value # a comment
                HASH=val#ue
                SINGLE='it''s'
                ESCAPED="a \\"quoted\\" \\\\ word"
                SPACED = padded\r
                EMPTY=
                QUOTED_EMPTY=""
                NOT_QUOTED="a"b
                """)).containsExactly(
                Map.entry("LITESOC_KEY", "lsoc_live_abc123"),
                Map.entry("PLAIN", "value"),
                Map.entry("HASH", "val#ue"),
                Map.entry("SINGLE", "'it''s'"),
                Map.entry("ESCAPED", "a \"quoted\" \\ word"),
                Map.entry("SPACED", "padded"),
                Map.entry("EMPTY", ""),
                Map.entry("QUOTED_EMPTY", ""),
                Map.entry("NOT_QUOTED", "\"a\"b"));
    }

    @Test
    void mergeKeepsOtherLinesAndWritesTheFilePrivate(@TempDir Path dir)
            throws Exception
    {
        Path file = Files.writeString(dir.resolve("agent.env"), "# keep me\nOTHER=1\nKEY=old\n");

        EnvFile.merge(file, Map.of("KEY", "new value", "ADDED", "x"));

        assertThat(Files.readString(file)).isEqualTo("# keep me\nOTHER=1\nKEY=\"new value\"\nADDED=x\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(EnvFile.read(file)).containsEntry("KEY", "new value");
    }
}
