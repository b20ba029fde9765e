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
 * A generated auth.log (sshd mixed with cron, sudo, su and systemd-logind, IPv4 and IPv6) must give exactly the
 * events the generator's ground truth implies. Runs the project's generator, {@code bench/gen-auth-log.py}, with
 * python3 (the pom passes its path).
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
        Path generator = generator();
        requirePython();
        Process process = new ProcessBuilder("python3", generator.toString(), "-n", String.valueOf(LINES), "--seed", "7", "-o", log.toString(), "--counts", counts.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("generator.out").toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gen-auth-log.py did not finish within " + TIMEOUT_SECONDS + " s");
        }
        assertThat(process.exitValue()).as("gen-auth-log.py exit code; output: %s", Files.readString(directory.resolve("generator.out"))).isZero();

        Map<String, Long> generated = GeneratedLogCounts.readGeneratorCounts(counts);
        assertThat(generated.get("total")).isEqualTo(LINES);
        assertThat(GeneratedLogCounts.measure(log)).isEqualTo(GeneratedLogCounts.expected(generated, GeneratedLogCounts.pamLinesBeforeSshdLines(log)));
    }

    @Test
    void sameSeedGivesTheSameLogAndAnotherSeedAnother()
            throws IOException, InterruptedException
    {
        requirePython();
        Path first = generate(directory.resolve("first"), 2_000, 11);
        Path second = generate(directory.resolve("second"), 2_000, 11);
        Path other = generate(directory.resolve("other"), 2_000, 12);
        assertThat(Files.readAllLines(first)).hasSize(2_000).isEqualTo(Files.readAllLines(second)).isNotEqualTo(Files.readAllLines(other));
    }

    private Path generate(Path log, int lines, int seed)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder("python3", generator().toString(), "-n", String.valueOf(lines), "--seed", String.valueOf(seed), "-o", log.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve(log.getFileName() + ".out").toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gen-auth-log.py did not finish within " + TIMEOUT_SECONDS + " s");
        }
        assertThat(process.exitValue()).as("gen-auth-log.py exit code; output: %s", Files.readString(directory.resolve(log.getFileName() + ".out"))).isZero();
        return log;
    }

    private static Path generator()
    {
        String property = System.getProperty("outrider.auth.log.generator");
        assertThat(property).as("system property outrider.auth.log.generator (parser-sshd's pom sets it; run through Maven)").isNotNull();
        Path generator = Path.of(property).toAbsolutePath().normalize();
        assertThat(generator).as("the project's auth.log generator").isRegularFile();
        return generator;
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
