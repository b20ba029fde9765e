package io.outrider.core.durability;

import com.sun.net.httpserver.HttpServer;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.plugin.PluginJars;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise users install an agent for: a child agent ships a numbered stream to a loopback HTTP receiver and is
 * killed with SIGKILL at random moments, again and again. Every number arrives; duplicates stay within the batches
 * that were in flight; the committed checkpoint is never ahead of what is durable (buffered or delivered).
 */
class TestCrashLoop
{
    private static final int EVENTS = 100_000;
    private static final int KILLS = 20;
    private static final int MAX_BATCH = 500;

    @Test
    void sigkillAtRandomMomentsLosesNothing(@TempDir Path dir)
            throws Exception
    {
        long seed = Long.getLong("outrider.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("seq").resolve("seq.jar"), sources(), "example.seq.SeqPlugin", SpiVersion.CURRENT);

        BitSet received = new BitSet(EVENTS);
        AtomicLong receivedTotal = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/ingest", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (received) {
                    for (String line : text.split("\n")) {
                        if (!line.isEmpty()) {
                            received.set(Integer.parseInt(line));
                            receivedTotal.incrementAndGet();
                        }
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        try {
            Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                    agent: { plugins_dir: %s, data_dir: %s, shutdown_timeout: 5s }
                    pipelines:
                      numbers:
                        inputs: { seq: { type: seq, count: %d } }
                        outputs:
                          collector:
                            type: post
                            url: http://127.0.0.1:%d/ingest
                            delivery: { max_events: %d, max_wait: 20ms, retry_initial: 50ms, retry_max: 500ms }
                    """.formatted(plugins, dir.resolve("data"), EVENTS, receiver.getAddress().getPort(), MAX_BATCH));

            for (int kill = 0; kill < KILLS; kill++) {
                Process agent = start(dir, config);
                // let it run from a moment (often before the first commit) to a second and a half
                Thread.sleep(random.nextInt(1_500));
                agent.destroyForcibly();
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertCheckpointNeverAheadOfDurableData(dir.resolve("data"), received, seed);
            }

            int startsBefore = starts(dir);
            Process agent = start(dir, config);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            // the last SIGTERM must reach a started agent: one still booting its JVM has no handler yet and exits 143
            while (starts(dir) == startsBefore) {
                assertThat(System.nanoTime()).as("seed %d: the last agent starts", seed).isLessThan(deadline);
                assertThat(agent.isAlive()).as("seed %d: agent alive", seed).isTrue();
                Thread.sleep(50);
            }
            while (true) {
                synchronized (received) {
                    if (received.cardinality() == EVENTS) {
                        break;
                    }
                }
                assertThat(System.nanoTime()).as("seed %d: all events within 3 minutes of the last restart", seed).isLessThan(deadline);
                assertThat(agent.isAlive()).as("seed %d: agent alive", seed).isTrue();
                Thread.sleep(100);
            }
            agent.destroy();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).isZero();
        }
        finally {
            receiver.stop(0);
        }

        synchronized (received) {
            assertThat(received.cardinality()).as("seed %d: every number arrived", seed).isEqualTo(EVENTS);
            long duplicates = receivedTotal.get() - EVENTS;
            // each kill can at worst repeat the batch that was in flight to the collector
            assertThat(duplicates).as("seed %d: duplicates", seed).isLessThanOrEqualTo((long) KILLS * MAX_BATCH);
        }
    }

    /** Everything below the input's committed checkpoint is either still buffered or already received. */
    private static void assertCheckpointNeverAheadOfDurableData(Path dataDir, BitSet received, long seed)
            throws Exception
    {
        if (!Files.exists(dataDir.resolve(SqliteBuffer.FILE_NAME))) {
            return;
        }
        BitSet durable;
        synchronized (received) {
            durable = (BitSet) received.clone();
        }
        int next;
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDir, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC());
                SqliteBuffer.Reader reader = buffer.newReader()) {
            next = Integer.parseInt(buffer.checkpoints("numbers", "seq").getOrDefault("next", "0"));
            long after = 0;
            while (true) {
                List<BufferedEvent> batch = reader.read("numbers", after, 10_000, Long.MAX_VALUE);
                if (batch.isEmpty()) {
                    break;
                }
                for (BufferedEvent event : batch) {
                    durable.set(((Number) event.event().field("n")).intValue());
                }
                after = batch.get(batch.size() - 1).seq();
            }
            assertThat(buffer.quarantinedFiles()).as("seed %d: SIGKILL never damages the buffer", seed).isZero();
        }
        int firstMissing = durable.nextClearBit(0);
        assertThat(firstMissing).as("seed %d: checkpoint %d, but number %d is neither buffered nor delivered", seed, next, firstMissing)
                .isGreaterThanOrEqualTo(next);
    }

    /** How many agents got as far as setting up their log (its first record, "configuration: ...", on standard error). */
    private static int starts(Path dir)
            throws IOException
    {
        Path log = dir.resolve("agent.log");
        if (!Files.exists(log)) {
            return 0;
        }
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        int count = 0;
        String marker = "RunCommand: configuration: ";
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
            count++;
        }
        return count;
    }

    private static Process start(Path dir, Path config)
            throws IOException
    {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.outrider.core.cli.Main", "run", "-c", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()));
        builder.environment().put("OUTRIDER_HOME", dir.toString());
        Process process = builder.start();
        // whatever a test does, no agent outlives the test JVM
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        process.getOutputStream().close();
        return process;
    }

    private static Map<String, String> sources()
    {
        return Map.of("example.seq.SeqPlugin", """
                package example.seq;

                import io.outrider.spi.*;
                import java.net.URI;
                import java.net.http.*;
                import java.time.Duration;
                import java.util.*;

                public final class SeqPlugin implements Plugin {
                    public record SeqConfig(Integer count) {}
                    public record PostConfig(String url) {}

                    public List<InputFactory<?>> inputFactories() {
                        return List.of(new InputFactory<SeqConfig>() {
                            public String type() { return "seq"; }
                            public Class<SeqConfig> configClass() { return SeqConfig.class; }
                            public Input create(SeqConfig config, ComponentContext context) {
                                return new Input() {
                                    private volatile boolean closed;
                                    public void run(Emitter emitter) throws Exception {
                                        int next = Integer.parseInt(context.checkpoints().getOrDefault("next", "0"));
                                        while (next < config.count() && !closed) {
                                            int end = Math.min(config.count(), next + 100);
                                            List<Event> batch = new ArrayList<>(end - next);
                                            for (int i = next; i < end; i++) {
                                                batch.add(Event.builder().timestamp(context.clock().instant()).message(Integer.toString(i)).field("n", i).build());
                                            }
                                            emitter.emit(batch, Checkpoint.of("next", Integer.toString(end)));
                                            next = end;
                                        }
                                        while (!closed) { Thread.sleep(20); }
                                    }
                                    public void close() { closed = true; }
                                };
                            }
                        });
                    }

                    public List<OutputFactory<?>> outputFactories() {
                        return List.of(new OutputFactory<PostConfig>() {
                            public String type() { return "post"; }
                            public Class<PostConfig> configClass() { return PostConfig.class; }
                            public Output create(PostConfig config, ComponentContext context) {
                                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                                return new Output() {
                                    public DeliveryResult deliver(List<Event> batch) throws InterruptedException {
                                        StringBuilder body = new StringBuilder();
                                        for (Event event : batch) { body.append(event.message()).append('\\n'); }
                                        try {
                                            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(config.url())).timeout(Duration.ofSeconds(5))
                                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.discarding());
                                            return response.statusCode() == 200 ? DeliveryResult.delivered() : DeliveryResult.retryLater("HTTP " + response.statusCode());
                                        }
                                        catch (java.io.IOException e) {
                                            return DeliveryResult.retryLater(e.toString());
                                        }
                                    }
                                    public void close() {}
                                };
                            }
                        });
                    }
                }
                """);
    }
}
