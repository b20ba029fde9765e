package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outrider buffer ...} and {@code outrider dead-letters ...} against a real buffer, in child JVMs. */
class TestBufferCommands
{
    private static void fill(Path data)
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(data, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC())) {
            buffer.registerOutputs("ssh", Set.of("http", "syslog"));
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                events.add(Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message("line " + i).field("n", i).build());
            }
            buffer.append("ssh", "auth_log", events, List.of(Checkpoint.of("f", "10")));
            List<BufferedEvent> read;
            try (SqliteBuffer.Reader reader = buffer.newReader()) {
                read = reader.read("ssh", 0, 4, Long.MAX_VALUE);
            }
            buffer.acknowledge("ssh", "http", read.get(3).seq(), List.of(new SqliteBuffer.DeadLetterRequest(read.get(2), "HTTP 400: field user_ip is not an IP address")));
        }
    }

    @Test
    void statsInspectAndVerifyReadTheBufferWithoutChangingIt(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("data");
        fill(data);

        AgentProcess.Result stats = AgentProcess.run(dir, Map.of(), "buffer", "stats", "--data-dir", data.toString());
        assertThat(stats.exitCode()).as(stats.stderr()).isZero();
        Path file = data.resolve(SqliteBuffer.FILE_NAME);
        assertThat(stats.stdout()).startsWith("buffer " + file + ", " + Files.size(file) + " bytes on disk (events count below as encoded, before compression)\n");
        assertThat(stats.stdout()).contains("  pipeline ssh: 10 event(s), ", ", seq 1..10, oldest buffered ", ", 1 dead letter(s)",
                "    output http: delivered up to seq 4, 6 to go", "    output syslog: delivered up to seq 0, 10 to go");

        AgentProcess.Result inspect = AgentProcess.run(dir, Map.of(), "buffer", "inspect", "--limit", "2", "--data-dir", data.toString());
        assertThat(inspect.stdout().lines().toList()).hasSize(2);
        assertThat(inspect.stdout()).contains("#1 ", "\"message\":\"line 0\"", "#2 ", "\"message\":\"line 1\"");

        AgentProcess.Result verify = AgentProcess.run(dir, Map.of(), "buffer", "verify", "--data-dir", data.toString());
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.stdout()).isEqualTo(data.resolve(SqliteBuffer.FILE_NAME) + ": ok\n");
    }

    @Test
    void theBufferCommandsReadOnlyTheAgentSectionOfTheConfiguration(@TempDir Path dir)
            throws Exception
    {
        // as an operator runs them from a shell: the output's key is only in the service's environment, and a plugin
        // the pipeline needs is gone; the buffer is still there to look at
        Path data = dir.resolve("data");
        fill(data);
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent:
                  data_dir: %s
                pipelines:
                  ssh:
                    inputs:
                      auth_log: { type: file, paths: [/var/log/auth.log] }
                    outputs:
                      http: { type: http, endpoint: "https://collector.example", api_key: "${OUTRIDER_TEST_KEY_NOT_SET}" }
                      archive: { type: no_such_output }
                """.formatted(data));

        AgentProcess.Result stats = AgentProcess.run(dir, Map.of(), "buffer", "stats", "-c", config.toString());
        assertThat(stats.exitCode()).as(stats.stderr()).isZero();
        assertThat(stats.stdout()).contains("  pipeline ssh: 10 event(s), ");

        AgentProcess.Result list = AgentProcess.run(dir, Map.of(), "dead-letters", "list", "-c", config.toString());
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains(" ssh.http — HTTP 400: field user_ip is not an IP address", "1 dead letter(s)");

        // the agent: section itself is still checked
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "agent:\n  data_dir: ${OUTRIDER_TEST_DIR_NOT_SET}\npipelines: {}\n");
        AgentProcess.Result refused = AgentProcess.run(dir, Map.of(), "buffer", "stats", "-c", broken.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("agent.data_dir: environment variable OUTRIDER_TEST_DIR_NOT_SET is not set");
    }

    @Test
    void verifyReportsADamagedBufferAndLeavesItInPlace(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("data");
        fill(data);
        Path file = data.resolve(SqliteBuffer.FILE_NAME);
        // scribble over every page but the first: SQLite still opens the file, its integrity check fails
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] garbage = new byte[(int) raw.length() - 4096];
            new java.util.Random(7).nextBytes(garbage);
            raw.seek(4096);
            raw.write(garbage);
        }

        AgentProcess.Result verify = AgentProcess.run(dir, Map.of(), "buffer", "verify", "--data-dir", data.toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stdout()).startsWith(file + ": DAMAGED");
        assertThat(file).exists();
        try (var files = Files.list(data)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".bad"));
        }
    }

    @Test
    void deadLettersCanBeListedReplayedAndPurged(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("data");
        fill(data);

        AgentProcess.Result list = AgentProcess.run(dir, Map.of(), "dead-letters", "list", "--data-dir", data.toString());
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains("#1 ", " ssh.http — HTTP 400: field user_ip is not an IP address", "\"message\":\"line 2\"", "1 dead letter(s)");

        AgentProcess.Result replay = AgentProcess.run(dir, Map.of(), "dead-letters", "replay", "--data-dir", data.toString());
        assertThat(replay.stdout()).isEqualTo("1 dead letter(s) put back into the buffer; the output that refused each one delivers it again, no other output does"
                + " (an agent running now starts within 30 s, another at its start)\n");
        try (SqliteBuffer buffer = SqliteBuffer.open(data, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC());
                SqliteBuffer.Reader http = buffer.newReader("ssh", "http");
                SqliteBuffer.Reader syslog = buffer.newReader("ssh", "syslog")) {
            List<BufferedEvent> after = http.read("ssh", 10, 10, Long.MAX_VALUE);
            assertThat(after).singleElement().satisfies(event -> assertThat(event.event().message()).isEqualTo("line 2"));
            assertThat(syslog.read("ssh", 10, 10, Long.MAX_VALUE)).as("syslog delivered line 2 already").isEmpty();
            assertThat(buffer.deadLetterCount("ssh", "http")).isZero();
        }

        AgentProcess.Result purge = AgentProcess.run(dir, Map.of(), "dead-letters", "purge", "--data-dir", data.toString());
        assertThat(purge.stdout()).isEqualTo("0 dead letter(s) deleted\n");
    }

    @Test
    void replayKeepsTheDeadLettersOfAnOutputNoLongerConfiguredUnlessAskedForEveryOutput(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("data");
        fill(data);
        try (SqliteBuffer buffer = SqliteBuffer.open(data, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC())) {
            buffer.registerOutputs("ssh", Set.of("syslog"));
        }

        AgentProcess.Result kept = AgentProcess.run(dir, Map.of(), "dead-letters", "replay", "--data-dir", data.toString());
        assertThat(kept.exitCode()).as(kept.stderr()).isZero();
        assertThat(kept.stdout()).isEqualTo("0 dead letter(s) put back into the buffer; the output that refused each one delivers it again, no other output does\n"
                + "1 dead letter(s) of ssh.http kept: that output is no longer configured; replay them with --all-outputs to send them to every output of the pipeline, or purge them\n");

        AgentProcess.Result everyOutput = AgentProcess.run(dir, Map.of(), "dead-letters", "replay", "--all-outputs", "--data-dir", data.toString());
        assertThat(everyOutput.stdout()).isEqualTo("1 dead letter(s) put back into the buffer; every output of their pipeline delivers them again"
                + " (an agent running now starts within 30 s, another at its start)\n");
        try (SqliteBuffer buffer = SqliteBuffer.open(data, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC());
                SqliteBuffer.Reader syslog = buffer.newReader("ssh", "syslog")) {
            assertThat(syslog.read("ssh", 10, 10, Long.MAX_VALUE)).singleElement().satisfies(event -> assertThat(event.event().message()).isEqualTo("line 2"));
        }
    }
}
