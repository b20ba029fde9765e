package io.outrider.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The assembled agent's {@code bin/outrider}, started as an operator would, output captured in files. */
final class Outrider
{
    static Path home()
    {
        Path home = Path.of(System.getProperty("outrider.dist.dir")).toAbsolutePath().normalize();
        if (!Files.isExecutable(home.resolve("bin").resolve("outrider"))) {
            throw new IllegalStateException("the assembled agent is missing at " + home + "; build the distribution module first");
        }
        return home;
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private Outrider(Process process, Path stdout, Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Outrider start(Path workDir, Map<String, String> environment, String... arguments)
            throws IOException
    {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin").resolve("outrider").toString());
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OUTRIDER_DATA_DIR", workDir.resolve("data").toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        // whatever a test does, no agent outlives the test JVM
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        process.getOutputStream().close();
        return new Outrider(process, out, err);
    }

    record Result(int exitCode, String stdout, String stderr)
    {
    }

    static Result run(Path workDir, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException
    {
        Outrider outrider = start(workDir, environment, arguments);
        int code = outrider.waitFor(Duration.ofSeconds(90));
        return new Result(code, outrider.stdout(), outrider.stderr());
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

    void signal(String name)
            throws IOException, InterruptedException
    {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    void kill()
    {
        process.destroyForcibly();
    }

    String stdout()
    {
        return read(stdout);
    }

    String stderr()
    {
        return read(stderr);
    }

    List<String> awaitStdout(Predicate<List<String>> condition, Duration timeout, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = stdout().lines().toList();
            if (condition.test(lines)) {
                return lines;
            }
            if (!process.isAlive()) {
                throw new AssertionError("outrider exited with " + process.exitValue() + " before " + what + "; stdout:\n" + String.join("\n", lines) + "\nstderr:\n" + stderr());
            }
            if (System.nanoTime() > deadline) {
                // a failing test must not leave an agent running
                process.destroyForcibly();
                throw new AssertionError("timed out waiting for " + what + "; stdout:\n" + String.join("\n", lines) + "\nstderr:\n" + stderr());
            }
            Thread.sleep(100);
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
