package io.outrider.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installed agent against a loopback collector that answers 400, 401, 503 or hangs, as an operator sees it: the
 * log's WARN and ERROR lines, {@code outrider status}, {@code /health}, {@code /ready} and {@code /metrics}; and
 * {@code outrider test output} against a LiteSOC collector that accepts or refuses the key.
 */
class TestMisbehavingCollectorIsVisible
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "lsk-9f2c71d04be8";
    private static final Map<String, String> ENVIRONMENT = Map.of("SIEM_KEY", KEY);
    private static final String LABELS = "{component=\"collector\",pipeline=\"numbers\",type=\"http\"}";

    /** What the collector answers: an HTTP status, or 0 to hang until the agent gives up. */
    private final AtomicInteger answer = new AtomicInteger(200);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @Test
    void everyMisbehaviourShowsInTheLogStatusHealthAndMetrics(@TempDir Path dir)
            throws Exception
    {
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer collector = collector(threads);
        int statusPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            statusPort = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + statusPort;
        Path log = Files.writeString(dir.resolve("numbers.log"), "line 0\n");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s, shutdown_timeout: 2s, status: { enabled: true, listen: "127.0.0.1:%d" } }
                pipelines:
                  numbers:
                    inputs:
                      log: { type: file, paths: ["%s"], read_from: beginning }
                    outputs:
                      collector:
                        type: http
                        format: ndjson
                        endpoint: "http://127.0.0.1:%d/ingest"
                        api_key: "${SIEM_KEY}"
                        request_timeout: 1s
                        delivery: { max_events: 100, max_wait: 20ms, retry_initial: 200ms, retry_max: 1s, unauthorized_retry: 1s }
                """.formatted(dir.resolve("data"), statusPort, log, collector.getAddress().getPort()));
        String target = "http://127.0.0.1:" + collector.getAddress().getPort();
        String busy = target + " answered HTTP 503: ingest paused for maintenance";
        String hanging = "cannot reach " + target + ": no answer within request_timeout (PT1S)";
        String unauthorized = target + " answered HTTP 401 (unauthorized): check that api_key holds the key the collector issued for this agent, that it was not revoked, "
                + "and that its ${VAR} or ${file:...} resolves to the current key";
        String refused = target + " answered HTTP 400: field timestamp is required";
        Outrider agent = Outrider.start(dir, ENVIRONMENT, "run", "-c", config.toString());
        try {
            JsonNode output = awaitOutput(base, node -> node.path("events_out").asLong() == 1, "the first line delivered");
            assertThat(output.path("state").asText()).isEqualTo("running");
            assertThat(output.path("last_error").asText()).isEmpty();
            assertThat(get(base + "/health")).isEqualTo(new Answer(200, "{\"status\":\"ok\"}\n"));
            assertThat(get(base + "/ready")).isEqualTo(new Answer(200, "{\"status\":\"ready\"}\n"));

            answer.set(503);
            append(log, "line 1\n");
            output = awaitOutput(base, node -> node.path("state").asText().equals("retrying"), "retrying on 503");
            assertThat(output.path("last_error").asText()).isEqualTo(busy);
            assertThat(output.path("last_error_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(get(base + "/ready")).isEqualTo(new Answer(503, "{\"status\":\"degraded\",\"outputs\":[{\"pipeline\":\"numbers\",\"output\":\"collector\","
                    + "\"type\":\"http\",\"problem\":\"retrying\",\"detail\":\"the collector cannot take events now; they stay buffered and are retried: " + busy + "\"}]}\n"));
            // the process works: liveness stays up whatever the collector does
            assertThat(get(base + "/health")).isEqualTo(new Answer(200, "{\"status\":\"ok\"}\n"));

            answer.set(0);
            awaitOutput(base, node -> node.path("last_error").asText().equals(hanging), "retrying on a collector that hangs");
            assertThat(get(base + "/ready").status()).isEqualTo(503);

            answer.set(401);
            output = awaitOutput(base, node -> node.path("state").asText().equals("unauthorized"), "paused as unauthorized");
            assertThat(output.path("last_error").asText()).isEqualTo(unauthorized);
            assertThat(get(base + "/ready")).isEqualTo(new Answer(503, "{\"status\":\"degraded\",\"outputs\":[{\"pipeline\":\"numbers\",\"output\":\"collector\","
                    + "\"type\":\"http\",\"problem\":\"paused_unauthorized\",\"detail\":\"the collector refused the credentials; delivery is paused and tried again now "
                    + "and then: " + unauthorized + "\"}]}\n"));

            answer.set(200);
            output = awaitOutput(base, node -> node.path("events_out").asLong() == 2 && node.path("state").asText().equals("running"), "delivering again");
            assertThat(output.path("last_error").asText()).isEmpty();
            assertThat(output.path("last_error_at").isNull()).isTrue();
            assertThat(get(base + "/ready")).isEqualTo(new Answer(200, "{\"status\":\"ready\"}\n"));

            answer.set(400);
            append(log, "line 2\nline 3\nline 4\n");
            // the dead letters are committed a moment before the output records why
            output = awaitOutput(base, node -> node.path("dead_letters").asLong() == 3 && !node.path("last_error").asText().isEmpty(), "three lines in the dead letters");
            assertThat(output.path("last_error").asText()).isEqualTo("3 events refused (sent to the dead letters): " + refused);
            Answer ready = get(base + "/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).startsWith("{\"status\":\"degraded\",\"outputs\":[{\"pipeline\":\"numbers\",\"output\":\"collector\",\"type\":\"http\","
                    + "\"problem\":\"dead_lettered\",\"detail\":\"events were refused within the last 5 minutes (they are in the dead letters): " + refused
                    + "\",\"last_dead_lettered\":\"");

            String metrics = get(base + "/metrics").body();
            assertThat(metrics).contains("\noutrider_dead_letters_total" + LABELS + " 3.0\n", "\noutrider_events_out_total" + LABELS + " 2.0\n",
                    "\noutrider_events_skipped_total" + LABELS + " 0.0\n", "\noutrider_delivery_duration_seconds_count" + LABELS + " ");
            assertThat(metrics).containsPattern("\noutrider_delivery_retries_total\\{component=\"collector\",pipeline=\"numbers\",type=\"http\"} [1-9]\\d*\\.0\n");
            assertThat(metrics).containsPattern("\noutrider_output_last_success_timestamp_seconds\\{component=\"collector\",pipeline=\"numbers\",type=\"http\"} 1\\.\\d+E9\n");

            Outrider.Result status = Outrider.run(dir.resolve("status"), ENVIRONMENT, "status", "-c", config.toString());
            assertThat(status.exitCode()).isZero();
            assertThat(status.stdout()).containsPattern("\n  output collector            http       running      out 2, skipped 0, backlog 0, lag 0\\.0 s, retries \\d+, dead letters 3 — "
                    + "3 events refused \\(sent to the dead letters\\): " + java.util.regex.Pattern.quote(refused) + " \\(at \\S+Z\\)\n");
        }
        finally {
            agent.signal("TERM");
            agent.waitFor(Duration.ofSeconds(30));
            collector.stop(0);
            threads.shutdownNow();
        }
        String stderr = agent.stderr();
        assertThat(stderr).doesNotContain(KEY);
        assertThat(stderr.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).map(line -> line.substring(line.indexOf(' ') + 1))
                        // how many 503s came before the collector hung depends on timing
                        .map(line -> line.replaceFirst("\\(attempt \\d+\\)", "(attempt N)")).toList())
                .containsExactly(
                        "WARN  DeliveryLoop: output numbers.collector cannot deliver (attempt N): " + busy + "; events stay buffered and are retried",
                        "WARN  DeliveryLoop: output numbers.collector cannot deliver (attempt N): " + hanging + "; events stay buffered and are retried",
                        "ERROR DeliveryLoop: output numbers.collector is not authorized by the collector: " + unauthorized
                                + "; delivery is paused and retried every 1 s while events keep buffering",
                        "WARN  DeliveryLoop: output numbers.collector sent 3 events of a batch of 3 to the dead letters: they were refused (" + refused
                                + "); 'outrider dead-letters list' shows them and 'outrider dead-letters replay' sends them again");
    }

    @Test
    void testOutputSendsALiteSocHeartbeatAndSaysWhetherTheCollectorTookTheKey(@TempDir Path dir)
            throws Exception
    {
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer collector = collector(threads);
        String target = "http://127.0.0.1:" + collector.getAddress().getPort();
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s }
                pipelines:
                  auth:
                    inputs:
                      log: { type: file, paths: ["%s"] }
                    outputs:
                      siem: { type: http, format: litesoc, endpoint: "%s", api_key: "${SIEM_KEY}", request_timeout: 2s }
                      archive: { type: http, format: ndjson, endpoint: "%s/ingest" }
                """.formatted(dir.resolve("data"), dir.resolve("auth.log"), target, target));
        try {
            Outrider.Result accepted = Outrider.run(dir.resolve("test"), ENVIRONMENT, "test", "output", "siem", "-c", config.toString());
            assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
            assertThat(accepted.stdout()).isEqualTo("""
                    output auth.siem (http)
                      ok      started: its settings, TLS material and credentials are usable
                      ok      the collector accepted a check that stores nothing
                    """);
            assertThat(paths()).containsOnly("/agent/heartbeat");

            answer.set(401);
            Outrider.Result refused = Outrider.run(dir.resolve("test"), ENVIRONMENT, "test", "output", "auth.siem", "-c", config.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stdout()).isEqualTo("output auth.siem (http)\n"
                    + "  ok      started: its settings, TLS material and credentials are usable\n"
                    + "  FAILED  the collector refused the credentials: " + target + "/agent/heartbeat answered HTTP 401 "
                    + "(unauthorized): check that api_key holds the key the collector issued for this agent, that it was not revoked, and that its ${VAR} or "
                    + "${file:...} resolves to the current key\n");
            assertThat(refused.stdout() + refused.stderr()).doesNotContain(KEY);

            answer.set(200);
            Outrider.Result emptyBatch = Outrider.run(dir.resolve("test"), ENVIRONMENT, "test", "output", "archive", "-c", config.toString());
            assertThat(emptyBatch.exitCode()).as(emptyBatch.stderr()).isZero();
            assertThat(emptyBatch.stdout()).endsWith("  ok      the collector accepted a check that stores nothing\n");
            // no event was ever sent: heartbeats, and one ndjson request with an empty body
            assertThat(paths()).containsOnly("/agent/heartbeat", "/ingest");
        }
        finally {
            collector.stop(0);
            threads.shutdownNow();
        }
    }

    /** A walkthrough's LiteSOC collector took events and refused heartbeats: the dashboard showed the agent offline, status said nothing. */
    @Test
    void aFailingLiteSocHeartbeatShowsInStatusAndReadyUntilItIsAcceptedAgain(@TempDir Path dir)
            throws Exception
    {
        AtomicInteger heartbeatAnswer = new AtomicInteger(404);
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        collector.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                int status = exchange.getRequestURI().getPath().equals("/agent/heartbeat") ? heartbeatAnswer.get() : 200;
                exchange.sendResponseHeaders(status, -1);
            }
        });
        collector.start();
        int statusPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            statusPort = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + statusPort;
        String target = "http://127.0.0.1:" + collector.getAddress().getPort();
        Path log = Files.writeString(dir.resolve("auth.log"), "");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s, shutdown_timeout: 2s, status: { enabled: true, listen: "127.0.0.1:%d" } }
                pipelines:
                  auth:
                    inputs:
                      log: { type: file, paths: ["%s"], read_from: beginning }
                    outputs:
                      siem: { type: http, format: litesoc, endpoint: "%s", api_key: "${SIEM_KEY}", heartbeat_interval: 1s }
                """.formatted(dir.resolve("data"), statusPort, log, target));
        Outrider agent = Outrider.start(dir, ENVIRONMENT, "run", "-c", config.toString());
        try {
            JsonNode output = awaitOutput(base, node -> node.path("problems").size() == 1, "the heartbeat's problem");
            assertThat(output.path("state").asText()).isEqualTo("running");
            JsonNode problem = output.path("problems").path(0);
            String detail = "LiteSOC heartbeats fail: " + target + "/agent/heartbeat answered HTTP 404; check endpoint; LiteSOC shows this agent offline"
                    + " (no heartbeat accepted since the start), while events are delivered as the output's state says";
            assertThat(problem.path("key").asText()).isEqualTo("heartbeat");
            assertThat(problem.path("detail").asText()).isEqualTo(detail);
            assertThat(get(base + "/ready")).isEqualTo(new Answer(503, "{\"status\":\"degraded\",\"reported\":[{\"pipeline\":\"auth\",\"output\":\"siem\","
                    + "\"type\":\"http\",\"problem\":\"heartbeat\",\"detail\":\"" + detail + "\",\"since\":\"" + problem.path("since").asText() + "\"}]}\n"));
            Outrider.Result status = Outrider.run(dir.resolve("status"), ENVIRONMENT, "status", "-c", config.toString());
            assertThat(status.stdout()).contains("\n         problem heartbeat (since " + problem.path("since").asText() + "): " + detail + "\n");

            heartbeatAnswer.set(200);
            awaitOutput(base, node -> node.path("problems").isEmpty(), "the heartbeat's problem cleared");
            assertThat(get(base + "/ready")).isEqualTo(new Answer(200, "{\"status\":\"ready\"}\n"));
        }
        finally {
            agent.signal("TERM");
            agent.waitFor(Duration.ofSeconds(30));
            collector.stop(0);
        }
        assertThat(agent.stderr()).doesNotContain(KEY);
    }

    record Answer(int status, String body)
    {
    }

    private Answer get(String url)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private JsonNode awaitOutput(String base, Predicate<JsonNode> condition, String what)
            throws Exception
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode output = null;
        while (System.nanoTime() < deadline) {
            try {
                output = JSON.readTree(get(base + "/status").body()).path("pipelines").path(0).path("outputs").path(0);
                if (condition.test(output)) {
                    return output;
                }
            }
            catch (IOException notYet) {
                // the endpoint is not up yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; last output status: " + output);
    }

    private List<String> paths()
    {
        return List.copyOf(paths);
    }

    private static void append(Path log, String lines)
            throws IOException
    {
        Files.writeString(log, lines, StandardOpenOption.APPEND);
    }

    private HttpServer collector(ExecutorService threads)
            throws IOException
    {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        // a hanging answer must not keep the next request from being answered
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                paths.add(exchange.getRequestURI().getPath());
                int status = answer.get();
                if (status == 0) {
                    Thread.sleep(3_000);
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                String body = switch (status) {
                    case 400 -> "{\"error\":\"field timestamp is required\"}";
                    case 401 -> "{\"error\":\"invalid API key " + exchange.getRequestHeaders().getFirst("X-API-Key") + "\"}";
                    case 503 -> "{\"error\":\"ingest paused for maintenance\"}";
                    default -> "{}";
                };
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }
}
