package io.outrider.desktop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestAgentLog
{
    static final String STANDARD_ERROR_EXPLANATION = """
            agent.log.file is not set, so the agent logs to standard error, not to a file:

              under systemd, to the journal: journalctl -u outrider
              in a container, to docker logs: docker logs CONTAINER
              on a terminal, to that terminal

            journalctl is not on this computer's PATH, so this window cannot show the journal.
            Set agent.log.file in the configuration to have a log file as well; this window then shows it.
            """;

    @TempDir
    Path directory;

    @Test
    void withAgentLogFileItIsThatFilesCurrentGeneration()
            throws Exception
    {
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, """
                agent:
                  data_dir: %s
                  log:
                    file: %s
                """.formatted(directory.resolve("data"), directory.resolve("logs").resolve("agent.log")));
        Path bin = journalctl("echo journal\n");

        AgentLog log = AgentLog.of(AgentLocation.of(configFile, Map.of()), Map.of("PATH", bin.toString()));

        // the agent's rotating handler writes generation 0 as the current file; the journal is not needed then
        assertThat(log).isEqualTo(new AgentLog.LogFile(directory.resolve("logs").resolve("agent.log.0")));
        assertThat(log.command()).isEmpty();
        assertThat(log.note()).isEmpty();
        assertThat(log.read()).isEqualTo("No log at " + directory.resolve("logs").resolve("agent.log.0")
                + " yet: the agent writes it (agent.log.file) once it runs with this configuration.");
    }

    @Test
    void theLogFileIsShownFromAWholeLineNearItsEnd()
            throws Exception
    {
        Path file = directory.resolve("agent.log.0");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < AgentLog.LogFile.TAIL_BYTES + 1000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(file, text);
        String tail = new AgentLog.LogFile(file).read();
        assertThat(tail).startsWith("line ").endsWith(text.substring(text.length() - 100));
        assertThat(tail.length()).isLessThanOrEqualTo(AgentLog.LogFile.TAIL_BYTES);
        assertThat(text.toString()).contains("\n" + tail);
    }

    @Test
    void withoutAgentLogFileItIsTheServicesJournalThroughJournalctl()
            throws Exception
    {
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, "agent:\n  data_dir: " + directory.resolve("data") + "\n");
        Path bin = journalctl("""
                echo "arguments: $*"
                echo "Dec 05 12:00:00 laptop outrider[812]: agent started"
                """);

        AgentLog log = AgentLog.of(AgentLocation.of(configFile, Map.of()), Map.of("PATH", directory.resolve("empty") + ":" + bin));

        assertThat(log).isEqualTo(new AgentLog.Journal(bin.resolve("journalctl")));
        assertThat(log.read()).isEqualTo("""
                arguments: -u outrider -n 500 --no-pager
                Dec 05 12:00:00 laptop outrider[812]: agent started
                """);
        assertThat(log.source()).isEqualTo("journalctl -u outrider -n 500 --no-pager");
        assertThat(log.command()).contains("journalctl -u outrider");
        assertThat(log.note()).contains("agent.log.file is not set, so the agent logs to standard error: under systemd to the journal, shown here; "
                + "in a container to docker logs; on a terminal to the terminal. Set agent.log.file to have a log file as well.");
    }

    @Test
    void aJournalctlThatFailsShowsWhatItSaidAndItsExitCode()
            throws Exception
    {
        Path bin = journalctl("""
                echo "Failed to open journal: Permission denied" >&2
                exit 1
                """);

        Optional<AgentLog.Journal> journal = AgentLog.Journal.find(Map.of("PATH", bin.toString()));

        assertThat(journal).isPresent();
        assertThat(journal.get().read()).isEqualTo("Failed to open journal: Permission denied\n(journalctl exited with code 1)");
    }

    @Test
    void withoutJournalctlItSaysWhereTheLogGoes()
            throws Exception
    {
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, "agent:\n  data_dir: " + directory.resolve("data") + "\n");
        Path notExecutable = Files.createDirectories(directory.resolve("not-executable"));
        Files.writeString(notExecutable.resolve("journalctl"), "#!/bin/sh\necho journal\n");

        AgentLog log = AgentLog.of(AgentLocation.of(configFile, Map.of()), Map.of("PATH", notExecutable + "::" + directory.resolve("missing")));

        assertThat(log).isEqualTo(new AgentLog.StandardError());
        assertThat(log.read()).isEqualTo(STANDARD_ERROR_EXPLANATION);
        assertThat(log.command()).contains("journalctl -u outrider");
        assertThat(AgentLog.of(AgentLocation.of(configFile, Map.of()), Map.of())).isEqualTo(new AgentLog.StandardError());
    }

    /** A directory holding an executable {@code journalctl} that runs {@code body}: this machine has no journal of an outrider unit. */
    private Path journalctl(String body)
            throws Exception
    {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path script = bin.resolve("journalctl");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }
}
