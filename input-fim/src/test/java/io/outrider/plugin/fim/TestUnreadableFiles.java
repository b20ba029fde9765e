package io.outrider.plugin.fim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.outrider.plugin.fim.Trees.sha256;
import static io.outrider.plugin.fim.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Unreadable files are error events, never content changes. Root reads any file through CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH, so when the tests run as root each start of the input runs in a child JVM that
 * {@code setpriv} started without those two capabilities: permissions then apply to it as to any user.
 */
class TestUnreadableFiles
{
    @Test
    void anUnreadableFileIsAnErrorEventNeverAContentChange(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path secret = write(tree.resolve("secret"), "s3cret\n");
        write(tree.resolve("open"), "open\n");
        assertThat(start(tree, data)).isEmpty();

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assertThat(start(tree, data)).containsExactly(
                "error|" + secret + "|[mode]|null|cannot read " + secret + ": permission denied");

        // the same error is not reported again; a new unreadable file is an error too, not a creation
        Path locked = write(tree.resolve("locked"), "locked\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assertThat(start(tree, data)).containsExactly(
                "error|" + locked + "|[]|null|cannot read " + locked + ": permission denied");

        // readable again: the content is compared with the last hash known
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(start(tree, data)).containsExactly(
                "attributes_changed|" + secret + "|[mode]|" + sha256("s3cret\n") + "|null",
                "modified|" + locked + "|[content, mode]|" + sha256("locked\n") + "|null");
    }

    private static List<String> start(Path tree, Path data)
            throws Exception
    {
        if (!bypassesPermissions(tree)) {
            return UnreadableScenario.run(tree, data);
        }
        Path setpriv = Path.of("/usr/bin/setpriv");
        if (!Files.isExecutable(setpriv)) {
            String message = "running as root, this test needs setpriv (Debian package util-linux) to drop CAP_DAC_OVERRIDE";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(setpriv.toString(),
                "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search",
                java, "-cp", System.getProperty("java.class.path"), UnreadableScenario.class.getName(), tree.toString(), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new ArrayList<>();
        try (InputStream out = process.getInputStream()) {
            for (String line : new String(out.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the child input did not finish within 60 s");
        }
        assertThat(process.exitValue()).as("exit status of the child input").isZero();
        return lines;
    }

    /** Whether this process reads files whatever their permissions (root with CAP_DAC_OVERRIDE). */
    private static boolean bypassesPermissions(Path directory)
            throws IOException
    {
        Path probe = Files.createTempFile(directory.getParent(), "fim-probe", "");
        try {
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
            try {
                Files.newInputStream(probe).close();
                return true;
            }
            catch (IOException e) {
                return false;
            }
        }
        finally {
            Files.delete(probe);
        }
    }
}
