package io.outrider.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's buffer on a real file system that fills up: a small tmpfs mounted for the test (root only). Inputs are
 * held back while the disk is full, nothing is lost, and delivery resumes without a restart once space returns.
 */
@Timeout(240)
class TestDiskFull
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIRST_LINES = 200;
    private static final int WHILE_FILLED = 5_000;
    private static final int WHILE_COLLECTOR_DOWN = 30_000;
    // a line long enough that the held-back lines need several MiB of buffer, more than any WAL left over: of random
    // letters, which the buffer's block compression cannot shrink
    private static final int PADDING_CHARS = 200;

    private final List<Integer> received = new ArrayList<>();
    private volatile int collectorStatus = 200;
    private Path mountPoint;

    @AfterEach
    void unmount()
            throws Exception
    {
        if (mountPoint != null) {
            // lazily: the agent may still be on its way out
            new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void holdsInputsBackWhileTheDiskIsFullAndDeliversEverythingWhenSpaceReturns(@TempDir Path dir)
            throws Exception
    {
        mountSmallDisk(dir.resolve("disk"));
        Path data = mountPoint.resolve("data");
        Path log = dir.resolve("numbers.log");
        appendLines(log, 0, FIRST_LINES);
        HttpServer collector = collector();
        int statusPort = freePort();
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent:
                  data_dir: %s
                  shutdown_timeout: 5s
                  status: { enabled: true, listen: "127.0.0.1:%d" }
                  buffer: { min_free_disk: 2MiB }
                pipelines:
                  numbers:
                    inputs:
                      log: { type: file, paths: ["%s"], read_from: beginning }
                    outputs:
                      collector:
                        type: http
                        format: ndjson
                        endpoint: "http://127.0.0.1:%d/ingest"
                        # one batch in flight: the only setting that promises order across batches, which this test asserts
                        delivery: { max_events: 500, max_wait: 50ms, retry_initial: 100ms, retry_max: 1s, in_flight: 1 }
                """.formatted(data, statusPort, log, collector.getAddress().getPort()));
        Outrider agent = Outrider.start(dir.resolve("agent"), Map.of("OUTRIDER_DATA_DIR", data.toString()), "run", "-c", config.toString());
        int total = FIRST_LINES + WHILE_FILLED + WHILE_COLLECTOR_DOWN;
        try {
            awaitReceived(FIRST_LINES);

            // 1. something else fills the disk to the last byte
            Path filler = fillDisk(mountPoint.resolve("filler"));
            appendLines(log, FIRST_LINES, WHILE_FILLED);
            assertHeldBack(agent, statusPort, FIRST_LINES + WHILE_FILLED);
            Files.delete(filler);
            awaitReceived(FIRST_LINES + WHILE_FILLED);
            awaitStatus(statusPort, status -> status.path("buffer_state").asText().equals("ok"));

            // 2. the buffer itself fills the disk while the collector refuses everything
            collectorStatus = 503;
            appendLines(log, FIRST_LINES + WHILE_FILLED, WHILE_COLLECTOR_DOWN);
            assertHeldBack(agent, statusPort, total);
            collectorStatus = 200;
            awaitReceived(total);
            awaitStatus(statusPort, status -> status.path("buffer_state").asText().equals("ok"));
        }
        catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nagent log (end):\n" + logTail(agent.stderr()), e);
        }
        finally {
            agent.signal("TERM");
            int exit = agent.waitFor(Duration.ofSeconds(60));
            collector.stop(0);
            assertThat(exit).as("exit code; stderr:%n%s", agent.stderr()).isZero();
        }
        synchronized (received) {
            assertThat(received.stream().distinct().toList()).as("every number, in order").containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            // no kill here: an acknowledgement that needs room on a full disk must get it, not send the batch again
            System.out.printf("disk full: written %d, lost 0, duplicated %d%n", total, received.size() - total);
            assertThat(received).as("deliveries, duplicates included").hasSize(total);
        }
    }

    /** The input is held back on a full disk: the agent stays up, says so, and does not read all of the log. */
    private void assertHeldBack(Outrider agent, int statusPort, int written)
            throws Exception
    {
        JsonNode status = awaitStatus(statusPort, report -> report.path("buffer_state").asText().equals("disk_full"));
        assertThat(status.path("pipelines").get(0).path("inputs").get(0).path("state").asText()).isEqualTo("blocked");
        Thread.sleep(2_000);
        assertThat(agent.isAlive()).as("agent alive on a full disk").isTrue();
        status = awaitStatus(statusPort, report -> true);
        assertThat(status.path("buffer_state").asText()).isEqualTo("disk_full");
        assertThat(status.path("pipelines").get(0).path("inputs").get(0).path("events_in").asLong()).isLessThan(written);
    }

    private void mountSmallDisk(Path target)
            throws Exception
    {
        Files.createDirectories(target);
        boolean root = "root".equals(System.getProperty("user.name"));
        int exit = root ? new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", target.toString()).inheritIO().start().waitFor() : -1;
        if (exit != 0) {
            String why = root ? "mount -t tmpfs failed with exit code " + exit : "mounting a small tmpfs needs root";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + "; CI runs as root and must run this test");
            }
            Assumptions.abort(why + "; run the tests as root to include the disk-full test");
        }
        mountPoint = target;
    }

    /** The end of the agent's log (its standard error). */
    private static String logTail(String stderr)
    {
        List<String> lines = stderr.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Writes zeros until the file system refuses more; returns the file that holds the space. */
    private static Path fillDisk(Path filler)
            throws IOException
    {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        }
        catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
        return filler;
    }

    private static void appendLines(Path log, int from, int count)
            throws IOException
    {
        StringBuilder lines = new StringBuilder();
        java.util.Random random = new java.util.Random(from);
        for (int i = from; i < from + count; i++) {
            lines.append("line ").append(i).append(' ');
            for (int c = 0; c < PADDING_CHARS; c++) {
                lines.append((char) ('a' + random.nextInt(26)));
            }
            lines.append('\n');
        }
        Files.writeString(log, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private HttpServer collector()
            throws IOException
    {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/ingest", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int status = collectorStatus;
                if (status != 200) {
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                synchronized (received) {
                    for (String line : body.split("\n")) {
                        if (!line.isBlank()) {
                            String message = JSON.readTree(line).path("message").asText();
                            received.add(Integer.parseInt(message.substring(5, message.indexOf(' ', 5))));
                        }
                    }
                    received.notifyAll();
                }
                exchange.sendResponseHeaders(200, -1);
            }
            finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    private int receivedCount()
    {
        synchronized (received) {
            return (int) received.stream().distinct().count();
        }
    }

    private void awaitReceived(int count)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        synchronized (received) {
            while (received.stream().distinct().count() < count) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("%d numbers within 2 minutes; have %d", count, received.stream().distinct().count()).isPositive();
                TimeUnit.NANOSECONDS.timedWait(received, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        }
    }

    private static JsonNode awaitStatus(int port, Predicate<JsonNode> condition)
            throws Exception
    {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = JSON.readTree(response.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            catch (IOException notYet) {
                // the endpoint starts with the agent
            }
            Thread.sleep(200);
        }
        throw new AssertionError("status condition not met within 60 s; last status: " + last);
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
