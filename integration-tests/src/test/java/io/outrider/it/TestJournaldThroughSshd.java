package io.outrider.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** sshd entries of a real journal file through the journald input and the sshd parser: same events as from a file. */
class TestJournaldThroughSshd
{
    private static final List<Path> JOURNAL_REMOTE = List.of(Path.of("/lib/systemd/systemd-journal-remote"), Path.of("/usr/lib/systemd/systemd-journal-remote"));

    @Test
    void journalEntriesAreClassifiedLikeFileLines(@TempDir Path dir)
            throws Exception
    {
        Path journal = journal(dir, List.of(
                "Failed password for root from 203.0.113.42 port 40118 ssh2",
                "Accepted publickey for alice from 198.51.100.23 port 51514 ssh2: ED25519 SHA256:Jm7dV1Q4cX0yV6uU1eYp6n3q8m2r5t7w9z0a1b2c3d4",
                "Server listening on 0.0.0.0 port 22."));
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s }
                pipelines:
                  ssh:
                    inputs:
                      journal: { type: journald, files: ["%s"], read_from: beginning }
                    parsers:
                      sshd: { type: sshd }
                    unmatched: drop
                    outputs:
                      out: { type: console, delivery: { max_wait: 50ms } }
                """.formatted(dir.resolve("data"), journal));

        Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", config.toString());
        List<String> lines = agent.awaitStdout(output -> output.size() >= 2, Duration.ofSeconds(60), "two authentication events");
        agent.signal("TERM");
        assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();

        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"event.action\":\"auth.login_failed\"", "\"source.ip\":\"203.0.113.42\"",
                "\"user.name\":\"root\"", "\"@timestamp\":\"2023-11-14T22:13:21Z\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"event.action\":\"auth.login_success\"", "\"user.name\":\"alice\""));
    }

    /** A journal file made by systemd-journal-remote from Journal Export Format. */
    private static Path journal(Path dir, List<String> messages)
            throws IOException, InterruptedException
    {
        Path binary = JOURNAL_REMOTE.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null) {
            String problem = "systemd-journal-remote is not installed: apt-get install systemd-journal-remote";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(problem);
            }
            Assumptions.abort(problem);
        }
        StringBuilder export = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            export.append("__REALTIME_TIMESTAMP=").append(1_700_000_000_000_000L + (i + 1) * 1_000_000L).append('\n')
                    .append("__MONOTONIC_TIMESTAMP=").append(1_000_000L * (i + 1)).append('\n')
                    .append("_BOOT_ID=0123456789abcdef0123456789abcdef\n")
                    .append("_HOSTNAME=web-01\n")
                    .append("SYSLOG_IDENTIFIER=sshd\n")
                    .append("_PID=").append(2412 + i).append('\n')
                    .append("_SYSTEMD_UNIT=ssh.service\n")
                    .append("PRIORITY=6\n")
                    .append("MESSAGE=").append(messages.get(i)).append("\n\n");
        }
        Path exportFile = Files.writeString(dir.resolve("entries.export"), export.toString(), StandardCharsets.UTF_8);
        Path journal = dir.resolve("journal").resolve("it.journal");
        Files.createDirectories(journal.getParent());
        Process process = new ProcessBuilder(binary.toString(), "--output=" + journal, exportFile.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("journal-remote.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("journal-remote.log"))).isZero();
        return journal;
    }
}
