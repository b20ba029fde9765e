package io.outrider.core.metrics;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.outrider.core.storage.BufferTestAccess;
import io.outrider.core.storage.SqliteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import com.google.inject.Stage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outrider.core.AgentModule;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.pipeline.Agent;
import io.outrider.core.pipeline.OneEventInputFactory;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.InputFactory;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} against {@code /ready} on a real agent whose outputs post to a collector on loopback that answers
 * 200, 503, 401 or 400 depending on the path: liveness stays 200 while readiness names each degraded output.
 */
class TestReadiness
{
    // bounds against hanging, not speed requirements
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A configured secret the /beat collector sends back, which no answer may show. */
    private static final String SECRET = "lsk-readiness-0d9e8f7a6b";
    private static final Pattern DEAD_LETTERED_AT = Pattern.compile("\"last_dead_lettered\":\"([^\"]+)\"");

    @Test
    void readyNamesEachOutputThatIsRetryingPausedOrDeadLetteringWhileHealthStaysOk(@TempDir Path dir)
            throws Exception
    {
        HttpServer collector = collector();
        Instant begin = Instant.now();
        Agent agent = agent(dir, collector, List.of("healthy /ok", "busy /busy", "denied /denied", "refusing /bad"));
        try (StatusServer server = StatusServer.start("127.0.0.1:0", () -> agent, new SecretRegistry(), null, null)) {
            String expected = """
                    {"status":"degraded","outputs":[\
                    {"pipeline":"busy","output":"collector","type":"posting","problem":"retrying",\
                    "detail":"the collector cannot take events now; they stay buffered and are retried: collector answered 503: busy"},\
                    {"pipeline":"denied","output":"collector","type":"posting","problem":"paused_unauthorized",\
                    "detail":"the collector refused the credentials; delivery is paused and tried again now and then: collector answered 401: who are you"},\
                    {"pipeline":"refusing","output":"collector","type":"posting","problem":"dead_lettered",\
                    "detail":"events were refused within the last 5 minutes (they are in the dead letters): collector answered 400: bad event",\
                    "last_dead_lettered":"%s"}]}
                    """;
            HttpResponse<String> ready = awaitAnswer(server, "/ready", answer -> answer.body().contains("\"problem\":\"retrying\"")
                    && answer.body().contains("\"problem\":\"paused_unauthorized\"") && answer.body().contains("\"problem\":\"dead_lettered\""));
            Matcher at = DEAD_LETTERED_AT.matcher(ready.body());
            assertThat(at.find()).as("a time of the last dead letters in " + ready.body()).isTrue();
            assertThat(Instant.parse(at.group(1))).isBetween(begin, Instant.now());

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(ready.body()).isEqualTo(expected.formatted(at.group(1)));

            HttpResponse<String> health = get(server, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}\n");
        }
        finally {
            agent.stop();
            collector.stop(0);
        }
    }

    @Test
    void readyIsOkWhenEveryOutputDeliversAndNotReadyOnceTheAgentStops(@TempDir Path dir)
            throws Exception
    {
        HttpServer collector = collector();
        Instant begin = Instant.now();
        Agent agent = agent(dir, collector, List.of("healthy /ok", "other /ok"));
        try (StatusServer server = StatusServer.start("127.0.0.1:0", () -> agent, new SecretRegistry(), null, null)) {
            String labels = "{component=\"collector\",pipeline=\"healthy\",type=\"posting\"}";
            // idle outputs are ready too: wait for the delivery so that the metrics below have something to show
            HttpResponse<String> metrics = awaitAnswer(server, "/metrics", answer -> answer.body().contains("\noutrider_events_out_total" + labels + " 1.0\n"));
            HttpResponse<String> ready = get(server, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}\n");
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);

            // what delivered shows in the metrics: how long the collector took and when it last accepted events
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(sample(metrics.body(), "outrider_delivery_duration_seconds_count" + labels)).isGreaterThanOrEqualTo(1);
            assertThat(sample(metrics.body(), "outrider_delivery_duration_seconds_bucket{component=\"collector\",pipeline=\"healthy\",type=\"posting\",le=\"+Inf\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(sample(metrics.body(), "outrider_output_last_success_timestamp_seconds" + labels) * 1000)
                    .isBetween((double) begin.toEpochMilli() - 1000, (double) System.currentTimeMillis());
            assertThat(sample(metrics.body(), "outrider_buffer_dropped_events_total{pipeline=\"healthy\"}")).isZero();
            assertThat(metrics.body()).doesNotContain("=\"\"").contains("\noutrider_buffer_bytes ", "\noutrider_build_info{version=");

            agent.stop();
            HttpResponse<String> stopped = get(server, "/ready");
            assertThat(stopped.statusCode()).isEqualTo(503);
            assertThat(stopped.body()).isEqualTo("{\"status\":\"not_running\",\"detail\":\"the agent is starting, stopping or reloading\"}\n");
        }
        finally {
            agent.stop();
            collector.stop(0);
        }
    }

    /** A full disk held every input back while /ready said "ready" (a walkthrough on a 3 MiB tmpfs). */
    @Test
    void aBufferWhoseDiskIsFullIsNotReady(@TempDir Path dir)
            throws Exception
    {
        HttpServer collector = collector();
        // an event of 200,000 letters needs pages the buffer's file does not have yet
        Injector injector = injector(dir, collector, List.of("healthy /ok 200000"));
        SqliteBuffer buffer = injector.getInstance(SqliteBuffer.class);
        AtomicLong free = new AtomicLong(0);
        BufferTestAccess.overrideUsableSpace(buffer, free::get);
        Agent agent = injector.getInstance(Agent.class);
        agent.start();
        try (StatusServer server = StatusServer.start("127.0.0.1:0", () -> agent, new SecretRegistry(), null, null)) {
            HttpResponse<String> full = awaitAnswer(server, "/ready", answer -> answer.body().contains("disk_full"));
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.body()).isEqualTo("{\"status\":\"degraded\",\"buffer\":{\"problem\":\"disk_full\",\"detail\":\"the buffer's disk is full (it keeps "
                    + buffer.minFreeDisk() / 1024 + " KiB free, buffer.min_free_disk): inputs are held back, and go on when there is room\"}}\n");

            free.set(Long.MAX_VALUE / 4);
            assertThat(awaitAnswer(server, "/ready", answer -> answer.statusCode() == 200).body()).isEqualTo("{\"status\":\"ready\"}\n");
        }
        finally {
            agent.stop();
            collector.stop(0);
        }
    }

    /** A LiteSOC heartbeat that failed while events were delivered showed only in the log (a walkthrough). */
    @Test
    void aProblemAComponentReportsMakesItNotReadyAndShowsInStatusRedacted(@TempDir Path dir)
            throws Exception
    {
        HttpServer collector = collector();
        Agent agent = agent(dir, collector, List.of("healthy /ok", "beating /beat"));
        try (StatusServer server = StatusServer.start("127.0.0.1:0", () -> agent, new SecretRegistry(), null, null)) {
            HttpResponse<String> ready = awaitAnswer(server, "/ready", answer -> answer.body().contains("\"reported\""));
            assertThat(ready.statusCode()).isEqualTo(503);
            Matcher since = Pattern.compile("\"since\":\"([^\"]+)\"").matcher(ready.body());
            assertThat(since.find()).isTrue();
            assertThat(ready.body()).isEqualTo("{\"status\":\"degraded\",\"reported\":[{\"pipeline\":\"beating\",\"output\":\"collector\",\"type\":\"posting\","
                    + "\"problem\":\"heartbeat\",\"detail\":\"heartbeats fail: the collector says beat fails for ******\",\"since\":\"" + since.group(1) + "\"}]}\n");

            HttpResponse<String> status = get(server, "/status");
            assertThat(status.body()).doesNotContain(SECRET);
            com.fasterxml.jackson.databind.JsonNode beating = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body()).path("pipelines").path(1);
            assertThat(beating.path("outputs").path(0).path("problems").toString()).isEqualTo("[{\"key\":\"heartbeat\","
                    + "\"detail\":\"heartbeats fail: the collector says beat fails for ******\",\"since\":\"" + since.group(1) + "\"}]");
            assertThat(beating.path("inputs").path(0).path("problems").toString()).isEqualTo("[]");
            assertThat(io.outrider.core.cli.StatusCommandAccess.render(status.body())).contains("\n  output collector            posting    running      out 1, skipped 0,"
                    + " backlog 0, lag 0.0 s, retries 0, dead letters 0\n         problem heartbeat (since " + since.group(1)
                    + "): heartbeats fail: the collector says beat fails for ******\n");
        }
        finally {
            agent.stop();
            collector.stop(0);
        }
    }

    private static double sample(String scrape, String series)
    {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no " + series + " in\n" + scrape);
    }

    /** A collector whose answer depends on the path: /ok 200, /busy 503, /denied 401, /bad 400, /beat 200 saying the heartbeat fails. */
    private static HttpServer collector()
            throws IOException
    {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Map<String, Integer> answers = Map.of("/ok", 200, "/busy", 503, "/denied", 401, "/bad", 400);
        Map<Integer, String> bodies = Map.of(200, "", 503, "busy", 401, "who are you", 400, "bad event");
        answers.forEach((path, status) -> server.createContext(path, exchange -> answer(exchange, status, bodies.get(status))));
        server.createContext("/beat", exchange -> answer(exchange, 200, "beat fails for " + SECRET));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String body)
            throws IOException
    {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * An agent with one pipeline per {@code "name /path[ message_bytes]"}: one event, posted to that path of the
     * collector; started.
     */
    private static Agent agent(Path dir, HttpServer collector, List<String> pipelines)
            throws Exception
    {
        Agent agent = injector(dir, collector, pipelines).getInstance(Agent.class);
        agent.start();
        return agent;
    }

    /** The injector of {@link #agent}'s agent, which is not started yet. */
    private static Injector injector(Path dir, HttpServer collector, List<String> pipelines)
            throws Exception
    {
        StringBuilder yaml = new StringBuilder("""
                agent:
                  data_dir: %s
                  plugins_dir: %s
                  shutdown_timeout: 1s
                pipelines:
                """.formatted(dir.resolve("data"), dir.resolve("plugins")));
        for (String pipeline : pipelines) {
            String[] parts = pipeline.split(" ");
            yaml.append("""
                      %s:
                        inputs:
                          one: { type: one_event%s }
                        outputs:
                          collector:
                            type: posting
                            url: "http://127.0.0.1:%d%s"
                            delivery: { max_wait: 20ms, retry_initial: 50ms, retry_max: 100ms, unauthorized_retry: 100ms }
                    """.formatted(parts[0], parts.length > 2 ? ", message_bytes: " + parts[2] : "", collector.getAddress().getPort(), parts[1]));
        }
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, yaml);
        SecretRegistry secrets = new SecretRegistry();
        secrets.register(SECRET);
        Bootstrap.Loaded loaded = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("posting", Optional.empty(), "1", SpiVersion.CURRENT, new PostingPlugin(), TestReadiness.class.getClassLoader())))
                .load(Optional.of(config));
        return Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC()));
    }

    private static HttpResponse<String> awaitAnswer(StatusServer server, String path, Predicate<HttpResponse<String>> wanted)
            throws Exception
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<String> answer = get(server, path);
        while (!wanted.test(answer)) {
            assertThat(System.nanoTime()).as("an answer as wanted from " + path + "; the last was " + answer.statusCode() + " " + answer.body()).isLessThan(deadline);
            Thread.sleep(50);
            answer = get(server, path);
        }
        return answer;
    }

    private static HttpResponse<String> get(StatusServer server, String path)
            throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An input of one event, and an output that posts each batch to its URL and reads the answer as an HTTP output would. */
    static final class PostingPlugin
            implements Plugin
    {
        record OutputConfig(String url)
        {
        }

        @Override
        public List<InputFactory<?>> inputFactories()
        {
            return List.of(new OneEventInputFactory());
        }

        @Override
        public List<OutputFactory<?>> outputFactories()
        {
            return List.of(new OutputFactory<OutputConfig>()
            {
                @Override
                public String type()
                {
                    return "posting";
                }

                @Override
                public Class<OutputConfig> configClass()
                {
                    return OutputConfig.class;
                }

                @Override
                public Output create(OutputConfig config, ComponentContext context)
                {
                    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
                    return new Output()
                    {
                        @Override
                        public DeliveryResult deliver(List<Event> batch)
                                throws InterruptedException
                        {
                            HttpResponse<String> response;
                            try {
                                response = client.send(HttpRequest.newBuilder(URI.create(config.url())).timeout(TIMEOUT)
                                        .POST(HttpRequest.BodyPublishers.ofString(batch.size() + " event(s)")).build(), HttpResponse.BodyHandlers.ofString());
                            }
                            catch (IOException e) {
                                return DeliveryResult.retryLater("cannot reach " + config.url() + ": " + e);
                            }
                            if (response.body().startsWith("beat fails")) {
                                context.reportProblem("heartbeat", "heartbeats fail: the collector says " + response.body());
                            }
                            String reason = "collector answered " + response.statusCode() + ": " + response.body();
                            return switch (response.statusCode()) {
                                case 200 -> DeliveryResult.delivered();
                                case 400 -> DeliveryResult.rejected(reason);
                                case 401 -> DeliveryResult.unauthorized(reason);
                                default -> DeliveryResult.retryLater(reason);
                            };
                        }

                        @Override
                        public void close() {}
                    };
                }
            });
        }
    }
}
