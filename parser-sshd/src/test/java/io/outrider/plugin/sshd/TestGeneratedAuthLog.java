package io.outrider.plugin.sshd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A generated auth.log (sshd mixed with cron, sudo and systemd-logind, IPv4 and IPv6) must give exactly the
 * events the generator's ground truth implies. Runs the shared generator with python3.
 */
class TestGeneratedAuthLog
{
    private static final int LINES = 20_000;
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path directory;

    @Test
    void eventsMatchTheGeneratorsCounts()
            throws IOException, InterruptedException
    {
        Path log = directory.resolve("auth.log");
        Path counts = directory.resolve("counts.json");
        Path generator = SharedCorpus.require("bench/gen-sshd-log.py", "the shared auth.log generator");
        requirePython();
        Process process = new ProcessBuilder("python3", generator.toString(), "-n", String.valueOf(LINES), "--seed", "7", "-o", log.toString(), "--counts", counts.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("generator.out").toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gen-sshd-log.py did not finish within " + TIMEOUT_SECONDS + " s");
        }
        assertThat(process.exitValue()).as("gen-sshd-log.py exit code; output: %s", Files.readString(directory.resolve("generator.out"))).isZero();

        Map<String, Long> generated = GeneratedLogCounts.readGeneratorCounts(counts);
        assertThat(generated.get("total")).isEqualTo(LINES);
        assertThat(GeneratedLogCounts.measure(log)).isEqualTo(GeneratedLogCounts.expected(generated));
    }

    private static void requirePython()
            throws InterruptedException
    {
        boolean available;
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            available = probe.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (IOException e) {
            available = false;
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(available).as("python3 is required to generate the auth.log (Debian package python3)").isTrue();
        }
        assumeTrue(available, "install python3 (Debian package python3) to run the generated auth.log test");
    }
}
