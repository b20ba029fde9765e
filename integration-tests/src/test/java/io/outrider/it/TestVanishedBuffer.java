package io.outrider.it;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite: the agent is killed with events still buffered (the collector is down), and its buffer is then
 * damaged or gone. The loss is reported, and the input resumes from its own saved position, so the lines still in
 * the log are read again instead of being skipped by {@code read_from: end}.
 */
@Timeout(240)
class TestVanishedBuffer
{
    private static final int LINES = 1_100;

    enum Damage
    {
        /** The database file is truncated to nothing. */
        ZERO_BYTE_DATABASE,
        /** The write-ahead log, which held the last transactions, is deleted after the kill. */
        DELETED_WAL,
        /** The whole buffer is gone, its files deleted. */
        DELETED_BUFFER,
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void reportsTheLossAndReadsTheLinesAgain(Damage damage, @TempDir Path dir)
            throws Exception
    {
        Path log = Files.writeString(dir.resolve("app.log"), "");
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket reserve = new ServerSocket(0)) {
            port = reserve.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s, shutdown_timeout: 3s }
                pipelines:
                  numbers:
                    inputs:
                      log: { type: file, paths: ["%s"], read_from: end }
                    outputs:
                      collector:
                        type: http
                        format: ndjson
                        endpoint: "http://127.0.0.1:%d/ingest"
                        delivery: { max_events: 100, max_wait: 20ms, retry_initial: 100ms, retry_max: 1s }
                """.formatted(data, log, port));

        // the collector is down: every line stays in the buffer
        Outrider first = Outrider.start(dir.resolve("run-1"), Map.of(), "run", "-c", config.toString());
        awaitStarted(first);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Files.writeString(log, lines, StandardOpenOption.APPEND);
        awaitBuffered(dir, data);
        first.kill();
        first.waitFor(Duration.ofSeconds(30));

        damage(damage, data);

        try (NumberedCollector collector = new NumberedCollector(port)) {
            Outrider second = Outrider.start(dir.resolve("run-2"), Map.of(), "run", "-c", config.toString());
            try {
                collector.awaitAll(LINES, Duration.ofSeconds(60));
            }
            catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nstderr:\n" + second.stderr(), e);
            }
            finally {
                second.signal("TERM");
                second.waitFor(Duration.ofSeconds(30));
            }
            System.out.printf("vanished buffer [%s]: written %d, lost %d, duplicated %d%n", damage, LINES, collector.missing(LINES).size(), collector.duplicates());
            assertThat(collector.missing(LINES)).as("lost lines").isEmpty();
            assertThat(second.stderr()).contains("ERROR");
            assertThat(second.stderr()).containsIgnoringCase("buffer");
        }
    }

    private static void damage(Damage damage, Path data)
            throws IOException
    {
        Path database = data.resolve("buffer.db");
        switch (damage) {
            case ZERO_BYTE_DATABASE -> {
                Files.write(database, new byte[0]);
                Files.deleteIfExists(data.resolve("buffer.db-wal"));
                Files.deleteIfExists(data.resolve("buffer.db-shm"));
            }
            case DELETED_WAL -> {
                assertThat(data.resolve("buffer.db-wal")).as("a WAL after SIGKILL").exists();
                Files.delete(data.resolve("buffer.db-wal"));
                Files.deleteIfExists(data.resolve("buffer.db-shm"));
            }
            case DELETED_BUFFER -> {
                Files.delete(database);
                Files.deleteIfExists(data.resolve("buffer.db-wal"));
                Files.deleteIfExists(data.resolve("buffer.db-shm"));
            }
        }
    }

    private static void awaitStarted(Outrider agent)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!agent.stderr().contains("started") && !agent.stdout().contains("started")) {
            assertThat(agent.isAlive()).as("agent alive; stderr:%n%s", agent.stderr()).isTrue();
            assertThat(System.nanoTime()).as("agent started within 60 s; stderr:%n%s", agent.stderr()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitBuffered(Path dir, Path data)
            throws Exception
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Outrider.Result stats = Outrider.run(dir.resolve("stats"), Map.of(), "buffer", "stats", "--data-dir", data.toString());
            if (stats.stdout().contains(LINES + " to go")) {
                return;
            }
            assertThat(System.nanoTime()).as("%d lines buffered within 60 s; buffer stats:%n%s%s", LINES, stats.stdout(), stats.stderr()).isLessThan(deadline);
            Thread.sleep(300);
        }
    }
}
