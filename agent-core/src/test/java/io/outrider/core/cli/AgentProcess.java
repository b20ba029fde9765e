package io.outrider.core.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code outrider ...} in a child JVM with this test run's class path, its output captured in files. */
final class AgentProcess
{
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private AgentProcess(Process process, Path stdout, Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static AgentProcess start(Path workDir, Map<String, String> environment, String... arguments)
            throws IOException
    {
        // SIGHUP as a daemon manager leaves it, whatever the build was started under (nohup ignores it, and the agent
        // inherits that)
        return startWithSignal(workDir, environment, "--default-signal=HUP", arguments);
    }

    /** @param signalDisposition an option of GNU env(1) that sets a signal's disposition, e.g. {@code --ignore-signal=HUP} */
    static AgentProcess startWithSignal(Path workDir, Map<String, String> environment, String signalDisposition, String... arguments)
            throws IOException
    {
        // the installed configuration and env file are looked for in the work directory, never in this machine's /etc
        List<String> command = new ArrayList<>(List.of("env", signalDisposition, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-Doutrider.system.config=" + systemConfig(workDir), "-Doutrider.system.env_file=" + systemEnvFile(workDir),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        // nor from the environment the build runs in
        builder.environment().remove("OUTRIDER_CONFIG");
        builder.environment().remove("JOURNAL_STREAM");
        builder.environment().put("OUTRIDER_DATA_DIR", workDir.resolve("data").toString());
        builder.environment().put("OUTRIDER_HOME", workDir.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        // whatever a test does, no agent outlives the test JVM
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        process.getOutputStream().close();
        return new AgentProcess(process, out, err);
    }

    /** Where the agent started in {@code workDir} looks for the installed configuration ({@code /etc/outrider/outrider.yaml} of a real one). */
    static Path systemConfig(Path workDir)
    {
        return workDir.resolve("etc").resolve("outrider.yaml");
    }

    /** Where the agent started in {@code workDir} looks for the installed env file ({@code /etc/outrider/agent.env} of a real one). */
    static Path systemEnvFile(Path workDir)
    {
        return workDir.resolve("etc").resolve("agent.env");
    }

    /** Runs to completion (bounded) and returns the exit code. */
    static Result run(Path workDir, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException
    {
        AgentProcess agent = start(workDir, environment, arguments);
        int code = agent.waitFor(Duration.ofSeconds(60));
        return new Result(code, agent.stdout(), agent.stderr());
    }

    record Result(int exitCode, String stdout, String stderr)
    {
    }

    int waitFor(Duration timeout)
            throws InterruptedException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("outrider did not exit within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill()
            throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("outrider did not die within 30 s of SIGKILL");
        }
    }

    /** SIGTERM. */
    void terminate()
    {
        process.destroy();
    }

    long pid()
    {
        return process.pid();
    }

    String stdout()
    {
        return read(stdout);
    }

    String stderr()
    {
        return read(stderr);
    }

    /** Waits until standard output has {@code lines} lines. */
    List<String> awaitStdoutLines(int lines, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> current = stdout().lines().toList();
            if (current.size() >= lines) {
                return current;
            }
            if (!process.isAlive()) {
                throw new AssertionError("outrider exited with " + process.exitValue() + " after " + current.size() + " lines; stderr:\n" + stderr());
            }
            if (System.nanoTime() > deadline) {
                // a failing test must not leave an agent running
                process.destroyForcibly();
                throw new AssertionError("timed out waiting for " + lines + " lines, have " + current.size() + "; stderr:\n" + stderr());
            }
            Thread.sleep(50);
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
