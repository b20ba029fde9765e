package io.outrider.desktop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Where View Logs finds the agent's log. The agent always logs to standard error (the journal under systemd, docker
 * logs in a container, the terminal otherwise) and to a file only when {@code agent.log.file} is set. So: that file
 * when it is set; else the journal through {@code journalctl}, when this machine has it; else an explanation of where
 * the log goes. Reading may block (a child process): not on the Swing event thread.
 */
public sealed interface AgentLog
        permits AgentLog.LogFile, AgentLog.Journal, AgentLog.StandardError
{
    /** The service's unit is {@code outrider.service} (install.sh). */
    String JOURNAL_COMMAND = "journalctl -u outrider";

    /** What the Copy command button copies: the command that shows the log in a terminal, if there is one. */
    Optional<String> command();

    /** Why the window shows what it shows, when the source alone does not say it. */
    Optional<String> note();

    /** Shown under the text: the file or the command the text comes from. */
    String source();

    /** The text to show, or what went wrong reading it. */
    String read()
            throws InterruptedException;

    /** The log of the agent that {@code location} describes, as this machine ({@code environment}'s {@code PATH}) can show it. */
    static AgentLog of(AgentLocation location, Map<String, String> environment)
    {
        if (location.logFile().isPresent()) {
            return new LogFile(location.logFile().get());
        }
        return Journal.find(environment).map(AgentLog.class::cast).orElseGet(StandardError::new);
    }

    /** The end of the agent's current log file ({@code agent.log.file}'s generation {@code .0}). */
    record LogFile(Path file)
            implements AgentLog
    {
        /** Enough for the recent past without loading a rotated-at-10MiB file whole. */
        static final int TAIL_BYTES = 256 * 1024;

        public LogFile
        {
            requireNonNull(file, "file is null");
        }

        @Override
        public Optional<String> command()
        {
            return Optional.empty();
        }

        @Override
        public Optional<String> note()
        {
            return Optional.empty();
        }

        @Override
        public String source()
        {
            return file.toString();
        }

        @Override
        public String read()
        {
            try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
                long length = reader.length();
                long start = Math.max(0, length - TAIL_BYTES);
                byte[] bytes = new byte[(int) (length - start)];
                reader.seek(start);
                reader.readFully(bytes);
                String tail = new String(bytes, StandardCharsets.UTF_8);
                // start at a whole line when the file was cut
                return start == 0 ? tail : tail.substring(tail.indexOf('\n') + 1);
            }
            catch (java.io.FileNotFoundException | NoSuchFileException e) {
                return Files.exists(file)
                        ? "Cannot read " + file + ": this user may not read the agent's log (" + e.getMessage() + ")."
                        : "No log at " + file + " yet: the agent writes it (agent.log.file) once it runs with this configuration.";
            }
            catch (IOException e) {
                return "Cannot read " + file + ": " + e.getMessage();
            }
        }
    }

    /**
     * The last lines of the service's journal, as {@code journalctl} shows them to this user: a user outside the groups
     * that may read the system journal gets journalctl's own "No entries" and its hint about those groups.
     */
    record Journal(Path journalctl)
            implements AgentLog
    {
        static final int LINES = 500;
        /** journalctl answers in well under a second; a journal it cannot finish must not leave a window waiting forever. */
        static final long TIMEOUT_SECONDS = 15;
        /** 500 lines are far less; more is not a log worth showing whole. */
        static final int MAX_BYTES = 4 * 1024 * 1024;

        public Journal
        {
            requireNonNull(journalctl, "journalctl is null");
        }

        /** {@code journalctl} on {@code environment}'s {@code PATH}, if it is there and executable. */
        static Optional<Journal> find(Map<String, String> environment)
        {
            String path = environment.getOrDefault("PATH", "");
            for (String directory : path.split(java.io.File.pathSeparator)) {
                if (directory.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(directory, "journalctl");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(new Journal(candidate));
                }
            }
            return Optional.empty();
        }

        List<String> arguments()
        {
            return List.of(journalctl.toString(), "-u", "outrider", "-n", String.valueOf(LINES), "--no-pager");
        }

        @Override
        public Optional<String> command()
        {
            return Optional.of(JOURNAL_COMMAND);
        }

        @Override
        public Optional<String> note()
        {
            return Optional.of("agent.log.file is not set, so the agent logs to standard error: under systemd to the journal, shown here; "
                    + "in a container to docker logs; on a terminal to the terminal. Set agent.log.file to have a log file as well.");
        }

        @Override
        public String source()
        {
            return JOURNAL_COMMAND + " -n " + LINES + " --no-pager";
        }

        @Override
        public String read()
                throws InterruptedException
        {
            Process process;
            try {
                process = new ProcessBuilder(arguments())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
            }
            catch (IOException e) {
                return "Cannot run " + journalctl + ": " + e.getMessage();
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            // read on another thread: a journalctl that never finishes must not block this one past the timeout
            Thread reader = new Thread(() -> copy(process.getInputStream(), output), "outrider-journalctl-reader");
            reader.setDaemon(true);
            reader.start();
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            String text;
            synchronized (output) {
                text = output.toString(StandardCharsets.UTF_8);
            }
            if (!finished) {
                return text + "(journalctl did not finish within " + TIMEOUT_SECONDS + " seconds and was stopped)";
            }
            if (process.exitValue() != 0) {
                return text + "(journalctl exited with code " + process.exitValue() + ")";
            }
            return text;
        }

        private static void copy(InputStream in, ByteArrayOutputStream output)
        {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int count = in.read(buffer); count >= 0; count = in.read(buffer)) {
                    synchronized (output) {
                        if (output.size() < MAX_BYTES) {
                            output.write(buffer, 0, Math.min(count, MAX_BYTES - output.size()));
                        }
                    }
                }
            }
            catch (IOException e) {
                // the process was stopped: what was read is shown
            }
        }
    }

    /** No log file and no journalctl here: say where the log goes instead. */
    record StandardError()
            implements AgentLog
    {
        @Override
        public Optional<String> command()
        {
            return Optional.of(JOURNAL_COMMAND);
        }

        @Override
        public Optional<String> note()
        {
            return Optional.empty();
        }

        @Override
        public String source()
        {
            return "standard error";
        }

        @Override
        public String read()
        {
            return """
                    agent.log.file is not set, so the agent logs to standard error, not to a file:

                      under systemd, to the journal: %s
                      in a container, to docker logs: docker logs CONTAINER
                      on a terminal, to that terminal

                    journalctl is not on this computer's PATH, so this window cannot show the journal.
                    Set agent.log.file in the configuration to have a log file as well; this window then shows it.
                    """.formatted(JOURNAL_COMMAND);
        }
    }
}
