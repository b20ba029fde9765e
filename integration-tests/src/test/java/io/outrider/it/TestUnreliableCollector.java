package io.outrider.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The real file input and HTTP output against collectors that are down, or up and misbehaving: nothing is lost. */
class TestUnreliableCollector
{
    private static final int LINES = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Numbers received, in arrival order, duplicates included. */
    private final List<Integer> received = new ArrayList<>();

    @Test
    void collectorDownThenUpEverythingArrivesInOrder(@TempDir Path dir)
            throws Exception
    {
        Path log = numberedLog(dir);
        int port;
        try (ServerSocket reserve = new ServerSocket(0)) {
            port = reserve.getLocalPort();
        }
        Path config = config(dir, log, port, 1);
        Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", config.toString());
        try {
            // nobody listens: everything is read and buffered, nothing is lost
            Outrider.Result stats = awaitBacklog(dir, config);
            assertThat(stats.stdout()).contains("output collector: delivered up to seq 0, " + LINES + " to go");

            HttpServer collector = collector(port, new AtomicInteger(), exchange -> 200);
            try {
                awaitAll();
            }
            finally {
                collector.stop(0);
            }
        }
        finally {
            agent.signal("TERM");
            assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();
        }
        assertThat(firstOccurrences()).as("every number, in order").containsExactlyElementsOf(range());
    }

    @Test
    void aFlappingCollectorLosesNothingKeepsOrderAndTheAgentWaitsIdle(@TempDir Path dir)
            throws Exception
    {
        Path log = numberedLog(dir);
        AtomicInteger requests = new AtomicInteger();
        // request by request: drop, 500, 503 + Retry-After, 429 + Retry-After, a slow 200, 200, 200
        int[] script = {-1, 500, 503, 429, -2, 200, 200};
        HttpServer collector = collector(0, requests, exchange -> script[(exchange - 1) % script.length]);
        int port = collector.getAddress().getPort();
        Path config = config(dir, log, port, 1);
        Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", config.toString());
        try {
            awaitAll();
        }
        finally {
            collector.stop(0);
        }
        // the collector is gone now: while the agent retries, it must not spin
        Files.writeString(log, "after " + LINES + "\n", java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(2_000);
        double before = cpuSeconds(agent.pid());
        Thread.sleep(10_000);
        double spent = cpuSeconds(agent.pid()) - before;
        agent.signal("TERM");
        assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();

        assertThat(firstOccurrences()).as("every number, in order").containsExactlyElementsOf(range());
        synchronized (received) {
            // a dropped connection or an error status accepted nothing, so nothing may come twice
            System.out.printf("flapping collector: written %d, lost 0, duplicated %d, requests %d%n", LINES, received.size() - LINES, requests.get());
            assertThat(received).as("deliveries, duplicates included").hasSize(LINES);
        }
        assertThat(requests.get()).isGreaterThan(script.length);
        assertThat(spent).as("CPU seconds used in 10 s of retrying against a dead collector").isLessThan(3.0);
    }

    /**
     * The same flapping collector with the shipped {@code in_flight} (2 batches outstanding): a refused batch and the
     * one sent beside it may arrive in either order, but nothing is lost and, as nothing refused was accepted, nothing
     * comes twice.
     */
    @Test
    void aFlappingCollectorLosesNothingAndGetsNothingTwiceWithBatchesInFlight(@TempDir Path dir)
            throws Exception
    {
        Path log = numberedLog(dir);
        AtomicInteger requests = new AtomicInteger();
        int[] script = {-1, 500, 503, 429, -2, 200, 200};
        HttpServer collector = collector(0, requests, exchange -> script[(exchange - 1) % script.length]);
        Path config = config(dir, log, collector.getAddress().getPort(), 2);
        Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", config.toString());
        try {
            awaitAll();
        }
        finally {
            collector.stop(0);
            agent.signal("TERM");
            assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();
        }
        assertThat(firstOccurrences().stream().sorted().toList()).as("every number").containsExactlyElementsOf(range());
        synchronized (received) {
            System.out.printf("flapping collector, 2 in flight: written %d, lost 0, duplicated %d, requests %d%n", LINES, received.size() - LINES, requests.get());
            assertThat(received).as("deliveries, duplicates included").hasSize(LINES);
        }
        assertThat(requests.get()).isGreaterThan(script.length);
    }

    private Path numberedLog(Path dir)
            throws IOException
    {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            lines.append("line ").append(i).append('\n');
        }
        return Files.writeString(dir.resolve("numbers.log"), lines);
    }

    /**
     * @param inFlight {@code delivery.in_flight}: the tests of order keep one batch in flight, the only setting that
     *        promises it (with more, the collector may take a later batch before an earlier one it refused)
     */
    private static Path config(Path dir, Path log, int port, int inFlight)
            throws IOException
    {
        return Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s, shutdown_timeout: 3s }
                pipelines:
                  numbers:
                    inputs:
                      log: { type: file, paths: ["%s"], read_from: beginning }
                    outputs:
                      collector:
                        type: http
                        format: ndjson
                        endpoint: "http://127.0.0.1:%d/ingest"
                        request_timeout: 5s
                        delivery: { max_events: 100, max_wait: 20ms, retry_initial: 100ms, retry_max: 1s, in_flight: %d }
                """.formatted(dir.resolve("data"), log, port, inFlight));
    }

    interface Script
    {
        /** The status for the n-th request (1-based); -1 drops the connection, -2 answers 200 after 2 s. */
        int status(int request);
    }

    private HttpServer collector(int port, AtomicInteger requests, Script script)
            throws IOException
    {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/ingest", exchange -> {
            int status = script.status(requests.incrementAndGet());
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (status == -1) {
                    exchange.close(); // no answer at all: the client sees the connection end
                    return;
                }
                if (status == -2) {
                    Thread.sleep(2_000);
                    status = 200;
                }
                if (status == 200) {
                    synchronized (received) {
                        for (String line : body.split("\n")) {
                            if (!line.isBlank()) {
                                String message = JSON.readTree(line).path("message").asText();
                                if (message.startsWith("line ")) {
                                    received.add(Integer.parseInt(message.substring(5)));
                                }
                            }
                        }
                        received.notifyAll();
                    }
                }
                if (status == 503 || status == 429) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                }
                exchange.sendResponseHeaders(status, -1);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    private void awaitAll()
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        synchronized (received) {
            while (received.stream().distinct().count() < LINES) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("all %d numbers within 2 minutes; have %d distinct", LINES, received.stream().distinct().count()).isPositive();
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
        }
    }

    private List<Integer> firstOccurrences()
    {
        synchronized (received) {
            return received.stream().distinct().toList();
        }
    }

    private static List<Integer> range()
    {
        return java.util.stream.IntStream.range(0, LINES).boxed().toList();
    }

    private static Outrider.Result awaitBacklog(Path dir, Path config)
            throws Exception
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Outrider.Result stats = Outrider.run(dir.resolve("stats"), Map.of(), "buffer", "stats", "--data-dir", dir.resolve("data").toString());
            if (stats.stdout().contains(LINES + " to go") || System.nanoTime() > deadline) {
                return stats;
            }
            Thread.sleep(500);
        }
    }

    private static double cpuSeconds(long pid)
            throws IOException
    {
        // the launcher execs java, so the pid is the JVM's
        String[] stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).split("\\) ")[1].split(" ");
        long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        return ticks / 100.0;
    }
}
