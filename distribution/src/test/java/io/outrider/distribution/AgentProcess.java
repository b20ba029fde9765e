package io.outrider.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A running {@code bin/outrider run}: its output goes to files so a test can read it while it runs. */
final class AgentProcess
        implements AutoCloseable
{
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private AgentProcess(Process process, Path stdout, Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static AgentProcess start(Path home, Path config, Map<String, String> environment, Path outputDirectory)
            throws IOException
    {
        Files.createDirectories(outputDirectory);
        Path stdout = outputDirectory.resolve("stdout.txt");
        Path stderr = outputDirectory.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/outrider").toString(), "run", "-c", config.toString())
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Commands.applyEnvironment(builder.environment(), environment);
        Process process = builder.start();
        // whatever a test does, no agent outlives the test JVM
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new AgentProcess(process, stdout, stderr);
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    long pid()
    {
        return process.pid();
    }

    String stdout()
            throws IOException
    {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String stderr()
            throws IOException
    {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Waits until the agent printed {@code lines} lines, ended, or {@code timeout} passed; the caller asserts which. */
    void awaitStdoutLines(int lines, Duration timeout)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stdout().lines().count() < lines && isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Everything the agent printed, for assertion messages. */
    String describe()
            throws IOException
    {
        return "--- agent stdout\n" + stdout() + "--- agent stderr\n" + stderr();
    }

    /** Sends SIGTERM (the launcher execs the JVM, so this is the agent) and returns the exit code. */
    int stop()
            throws InterruptedException, IOException
    {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the agent did not stop within " + STOP_TIMEOUT + " of SIGTERM\n" + describe());
        }
        return process.exitValue();
    }

    @Override
    public void close()
            throws InterruptedException
    {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
