package io.outrider.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/** Runs an external command (a script of the distribution, tar, mvn) to its end, bounded in time. */
final class Commands
{
    private Commands() {}

    /** What a finished command did. */
    record Result(List<String> command, int exitCode, String stdout, String stderr)
    {
        /** For assertion messages: the command and everything it printed. */
        String describe()
        {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /**
     * Runs {@code command} in {@code directory} with the current environment plus {@code environment} (a value of
     * {@code null} removes the variable) and waits at most {@code timeout}.
     *
     * @throws AssertionError when the command does not finish in time (it is killed)
     */
    static Result run(Path directory, Map<String, String> environment, Duration timeout, List<String> command)
            throws IOException, InterruptedException
    {
        requireNonNull(command, "command is null");
        Path output = Files.createTempFile("command", ".out");
        Path errors = Files.createTempFile("command", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            applyEnvironment(builder.environment(), environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "\n--- stdout\n" + Files.readString(output, StandardCharsets.UTF_8)
                        + "--- stderr\n" + Files.readString(errors, StandardCharsets.UTF_8));
            }
            return new Result(List.copyOf(command), process.exitValue(),
                    Files.readString(output, StandardCharsets.UTF_8), Files.readString(errors, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    static Result run(Path directory, Map<String, String> environment, Duration timeout, String... command)
            throws IOException, InterruptedException
    {
        return run(directory, environment, timeout, List.of(command));
    }

    static void applyEnvironment(Map<String, String> target, Map<String, String> environment)
    {
        environment.forEach((name, value) -> {
            if (value == null) {
                target.remove(name);
            }
            else {
                target.put(name, value);
            }
        });
    }
}
