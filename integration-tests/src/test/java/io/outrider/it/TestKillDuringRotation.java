package io.outrider.it;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite: a log renamed away every {@value #LINES_PER_FILE} lines while the agent is killed with SIGKILL and
 * started again, over and over. Nothing may be lost, and each kill may repeat at most one delivery batch.
 */
@Timeout(300)
class TestKillDuringRotation
{
    private static final int LINES = 12_000;
    private static final int LINES_PER_FILE = 1_500;
    private static final int LINES_PER_SECOND = 1_500;
    private static final int BATCH = 200;
    private static final int KILLS = 6;

    /**
     * {@code app.log} alone is the hard case: the rotated files are outside the glob, so a file renamed while the
     * agent was down must be found beside the watched name.
     */
    @ParameterizedTest
    @ValueSource(strings = {"app.log", "app.log*"})
    void losesNothingAndRepeatsAtMostOneBatchPerKill(String glob, @TempDir Path dir)
            throws Exception
    {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        try (NumberedCollector collector = new NumberedCollector()) {
            Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                    agent: { data_dir: %s, shutdown_timeout: 3s }
                    pipelines:
                      numbers:
                        inputs:
                          log: { type: file, paths: ["%s"], read_from: beginning, scan_interval: 500ms }
                        outputs:
                          collector:
                            type: http
                            format: ndjson
                            endpoint: "%s"
                            delivery: { max_events: %d, max_wait: 20ms, retry_initial: 100ms, retry_max: 1s }
                    """.formatted(dir.resolve("data"), logs.resolve(glob), collector.endpoint(), BATCH));

            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> writeAndRotate(logs, written), "numbered-writer");
            writer.setDaemon(true);
            Outrider agent = Outrider.start(dir.resolve("run-0"), Map.of(), "run", "-c", config.toString());
            int kills = 0;
            try {
                // the log is written once the input runs, and the kills hit a running pipeline: a file rotated out of
                // the glob before the agent ever ran (its JVM takes about a second to start) is not its to read
                awaitInputRunning(agent);
                writer.start();
                collector.awaitAll(1, Duration.ofSeconds(60));
                while (kills < KILLS) {
                    Thread.sleep(1_200 + 300L * (kills % 3));
                    agent.kill();
                    agent.waitFor(Duration.ofSeconds(30));
                    kills++;
                    agent = Outrider.start(dir.resolve("run-" + kills), Map.of(), "run", "-c", config.toString());
                }
                writer.join(Duration.ofSeconds(60).toMillis());
                assertThat(written.get()).as("lines written").isEqualTo(LINES);
                collector.awaitAll(LINES, Duration.ofSeconds(90));
            }
            catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nlast agent's stderr:\n" + agent.stderr(), e);
            }
            finally {
                agent.signal("TERM");
                agent.waitFor(Duration.ofSeconds(30));
            }
            System.out.printf("kill during rotation [%s]: written %d, lost %d, duplicated %d, kills %d%n",
                    glob, LINES, collector.missing(LINES).size(), collector.duplicates(), kills);
            assertThat(collector.missing(LINES)).as("lost lines").isEmpty();
            assertThat(collector.duplicates()).as("lines delivered twice, after %d kills", kills).isLessThanOrEqualTo(kills * BATCH);
        }
    }

    /** Waits for the file input's first word: it has scanned its globs and follows what they match from now on. */
    private static void awaitInputRunning(Outrider agent)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!agent.stderr().contains("outrider.numbers.log: path ")) {
            assertThat(agent.isAlive()).as("agent alive; stderr:%n%s", agent.stderr()).isTrue();
            assertThat(System.nanoTime()).as("the input started within 60 s; stderr:%n%s", agent.stderr()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Writes numbered lines at a steady pace; every LINES_PER_FILE lines, renames app.log to app.log.K. */
    private static void writeAndRotate(Path logs, AtomicInteger written)
    {
        Path current = logs.resolve("app.log");
        long started = System.nanoTime();
        int rotation = 0;
        try {
            OutputStream out = Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            for (int i = 0; i < LINES; i++) {
                if (i > 0 && i % LINES_PER_FILE == 0) {
                    out.close();
                    Files.move(current, logs.resolve("app.log." + ++rotation));
                    out = Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                out.write(("line " + i + " of the numbered log\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                written.incrementAndGet();
                long due = started + (long) (i + 1) * 1_000_000_000L / LINES_PER_SECOND;
                long early = due - System.nanoTime();
                if (early > 0) {
                    Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
                }
            }
            out.close();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
