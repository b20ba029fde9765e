package io.outrider.plugin.http;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.plugin.http.RecordingServer.Recorded;
import io.outrider.plugin.http.RecordingServer.Reply;
import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.DeliveryResult.Kind;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import io.outrider.spi.SecurityActions;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.http.Http1Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.outrider.plugin.http.HttpOutputConfig.Format.JSON;
import static io.outrider.plugin.http.HttpOutputConfig.Format.LITESOC;
import static io.outrider.plugin.http.HttpOutputConfig.Format.LOGNOG;
import static io.outrider.plugin.http.HttpOutputConfig.Format.NDJSON;
import static io.outrider.plugin.http.TestingConfigs.KEY;
import static io.outrider.plugin.http.TestingConfigs.config;
import static io.outrider.plugin.http.TestingEvents.fileLine;
import static io.outrider.plugin.http.TestingEvents.loginFailedFrom;
import static io.outrider.plugin.http.TestingEvents.sshdFailedLogin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestHttpOutput
{
    private static final String LITESOC_EVENT = "{\"event\":\"auth.login_failed\",\"user_ip\":\"%s\",\"actor\":{\"id\":\"root\"},"
            + "\"metadata\":{\"source\":\"sshd\",\"log_file\":\"/var/log/auth.log\",\"reason\":\"failed_password\",\"port\":\"22\",\"source_hostname\":\"web1\"}}";

    @TempDir
    Path directory;

    private RecordingServer server;
    private TestingComponentContext context;
    private Output output;

    @BeforeEach
    void setUp()
    {
        server = RecordingServer.http();
        context = TestingComponentContext.builder(directory).build();
    }

    @AfterEach
    void tearDown()
    {
        if (output != null) {
            output.close();
        }
        server.close();
    }

    @Test
    void liteSocSendsEachSecurityEventAsOneRequestAndSkipsOthers()
            throws Exception
    {
        // one request in flight at a time: LiteSOC sees the events in batch order
        start(config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO).litesocConcurrency(1).build());

        DeliveryResult result = output.deliver(List.of(sshdFailedLogin(), fileLine("not a security event"), loginFailedFrom("198.51.100.7")));

        assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(result.skipped()).isEqualTo(Map.of(1, "not a security event (no event.action); set litesoc_default_event to send such events"));
        List<Recorded> requests = server.requests();
        assertThat(requests).extracting(Recorded::body).containsExactly(LITESOC_EVENT.formatted("203.0.113.42"), LITESOC_EVENT.formatted("198.51.100.7"));
        Recorded first = requests.get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/collect");
        assertThat(first.header("X-API-Key")).isEqualTo(KEY);
        assertThat(first.header("Content-Type")).isEqualTo("application/json");
        assertThat(first.header("User-Agent")).isEqualTo("outrider/0.0.0-test");
        assertThat(first.header("Authorization")).isNull();
        assertThat(first.header("Content-Encoding")).isNull();
        assertThat(context.metrics().counterValue("litesoc_events_skipped_total")).isEqualTo(1);
        assertThat(context.metrics().counterValue("http_requests_total")).isEqualTo(2);
    }

    @Test
    void liteSocRejectsOnlyTheRefusedEventAndGoesOn()
            throws Exception
    {
        start(config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO).build());
        server.respond(request -> request.body().contains("198.51.100.7") ? Reply.json(422, "{\"error\":\"user_ip is reserved\"}") : Reply.status(202));

        DeliveryResult result = output.deliver(List.of(sshdFailedLogin(), loginFailedFrom("198.51.100.7"), loginFailedFrom("192.0.2.1")));

        assertThat(result.kind()).isEqualTo(Kind.PARTIALLY_REJECTED);
        assertThat(result.rejected()).isEqualTo(Map.of(1, "http://127.0.0.1:" + server.port() + "/collect answered HTTP 422: user_ip is reserved"));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void liteSocStopsTheBatchAtATransientFailure()
            throws Exception
    {
        start(config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO).litesocConcurrency(1).build());
        server.respond(request -> request.body().contains("198.51.100.7") ? Reply.status(503).withHeader("Retry-After", "5") : Reply.status(200));

        DeliveryResult result = output.deliver(List.of(sshdFailedLogin(), loginFailedFrom("198.51.100.7"), loginFailedFrom("192.0.2.1")));

        assertThat(result.kind()).isEqualTo(Kind.RETRY_LATER);
        assertThat(result.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void liteSocKeepsUpToConcurrencyRequestsInFlight()
            throws Exception
    {
        start(config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO).litesocConcurrency(3).build());
        CountDownLatch firstThree = new CountDownLatch(3);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();
        server.respond(request -> {
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            firstThree.countDown();
            try {
                // only three requests in flight at once can all pass this point before the timeout
                boolean together = firstThree.await(10, TimeUnit.SECONDS);
                return request.body().contains("192.0.2.5") ? Reply.status(400) : Reply.status(together ? 200 : 500);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Reply.status(500);
            }
            finally {
                active.decrementAndGet();
            }
        });
        List<Event> batch = List.of(loginFailedFrom("192.0.2.1"), loginFailedFrom("192.0.2.2"), loginFailedFrom("192.0.2.3"),
                loginFailedFrom("192.0.2.4"), loginFailedFrom("192.0.2.5"), loginFailedFrom("192.0.2.6"));

        DeliveryResult result = output.deliver(batch);

        assertThat(result.rejected()).isEqualTo(Map.of(4, "http://127.0.0.1:" + server.port() + "/collect answered HTTP 400"));
        assertThat(server.requests()).hasSize(6);
        assertThat(mostActive.get()).isEqualTo(3);
    }

    @Test
    void logNogSendsTheBatchAndHonoursTheSummary()
            throws Exception
    {
        start(config(LOGNOG, server.uri("/lognog/")).apiKey(KEY).source("edge-1").build());
        server.respond(request -> Reply.json(200, "{\"accepted\":1,\"rejected\":1,\"errors\":[{\"index\":1,\"error\":\"message is empty\"}]}"));

        DeliveryResult result = output.deliver(List.of(fileLine("first"), fileLine("")));

        assertThat(result.rejected()).isEqualTo(Map.of(1, "LogNog rejected the event: message is empty"));
        Recorded request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/lognog/api/ingest/agent");
        assertThat(request.header("Authorization")).isEqualTo("ApiKey " + KEY);
        assertThat(request.body()).isEqualTo("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"edge-1\",\"source_type\":\"file\","
                + "\"file_path\":\"/var/log/syslog\",\"message\":\"first\",\"metadata\":{\"file_size\":52431,\"file_modified\":\"2026-11-23T10:15:29Z\","
                + "\"agent_version\":\"0.0.0-test\"}},"
                + "{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"edge-1\",\"source_type\":\"file\","
                + "\"file_path\":\"/var/log/syslog\",\"message\":\"\",\"metadata\":{\"file_size\":52431,\"file_modified\":\"2026-11-23T10:15:29Z\","
                + "\"agent_version\":\"0.0.0-test\"}}]}");
    }

    @Test
    void liteSocSendsOpenSsh98SessionProcessesAsSshdAndSkipsActionsLiteSocHasNoEventFor()
            throws Exception
    {
        start(config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO).litesocConcurrency(1).build());
        Event sshdSession = sshdFailedLogin().toBuilder().field(Fields.PROCESS_NAME, "sshd-session").build();
        Event accountCreated = Event.builder().timestamp(TestingEvents.TIME).message("new user: name=mallory")
                .field(Fields.EVENT_ACTION, SecurityActions.ACCOUNT_CREATED)
                .field(Fields.USER_TARGET_NAME, "mallory")
                .build();
        Event logCleared = accountCreated.toBuilder().field(Fields.EVENT_ACTION, SecurityActions.LOG_CLEARED).build();

        DeliveryResult result = output.deliver(List.of(accountCreated, sshdSession, logCleared));

        assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(result.skipped()).isEqualTo(Map.of(
                0, "litesoc has no event for account.created",
                2, "litesoc has no event for log.cleared"));
        assertThat(server.requests()).extracting(Recorded::body).containsExactly(LITESOC_EVENT.formatted("203.0.113.42"));
        assertThat(context.metrics().counterValue("litesoc_events_skipped_total")).isEqualTo(2);
    }

    @Test
    void logNogSendsLogNogInAsSourceAndSkipsFimScanMarkers()
            throws Exception
    {
        start(config(LOGNOG, server.uri("")).apiKey(KEY).build());
        server.respond(request -> Reply.json(200, "{\"accepted\":1,\"rejected\":1,\"errors\":[{\"index\":1,\"error\":\"message is empty\"}]}"));
        Event marker = Event.builder().timestamp(TestingEvents.TIME).message("scan_complete (baseline): 3 files")
                .field(Fields.EVENT_MODULE, "fim")
                .field(Fields.EVENT_ACTION, "scan_complete")
                .build();

        DeliveryResult result = output.deliver(List.of(marker, fileLine("first"), marker, fileLine("")));

        // LogNog's index 1 is the request's second event, the batch's fourth
        assertThat(result.rejected()).isEqualTo(Map.of(3, "LogNog rejected the event: message is empty"));
        assertThat(server.requests()).extracting(Recorded::body).containsExactly("{\"events\":["
                + "{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\",\"source_type\":\"file\","
                + "\"file_path\":\"/var/log/syslog\",\"message\":\"first\",\"metadata\":{\"file_size\":52431,\"file_modified\":\"2026-11-23T10:15:29Z\","
                + "\"agent_version\":\"0.0.0-test\"}},"
                + "{\"timestamp\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"web1\",\"source\":\"lognog-in\",\"source_type\":\"file\","
                + "\"file_path\":\"/var/log/syslog\",\"message\":\"\",\"metadata\":{\"file_size\":52431,\"file_modified\":\"2026-11-23T10:15:29Z\","
                + "\"agent_version\":\"0.0.0-test\"}}]}");
        assertThat(context.metrics().counterValue("lognog_events_skipped_total")).isEqualTo(2);

        DeliveryResult onlyMarkers = output.deliver(List.of(marker));
        assertThat(onlyMarkers.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(onlyMarkers.skipped()).isEqualTo(Map.of(0, "a FIM scan_complete marker is not a file change; LogNog has no event for it"));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void logNogRejectionsWithoutIndexesAreCountedAndLoggedButNeverSentAgain()
            throws Exception
    {
        ManualScheduler time = new ManualScheduler(java.time.Instant.parse("2026-12-05T10:00:00Z"));
        context = TestingComponentContext.builder(directory).clock(time.clock()).build();
        start(config(LOGNOG, server.uri("")).apiKey(KEY).build());
        server.respond(request -> Reply.json(200, "{\"accepted\":3,\"rejected\":1,\"errors\":[\"invalid hostname for key " + KEY + "\"]}"));

        DeliveryResult first = output.deliver(List.of(fileLine("a"), fileLine("b"), fileLine("c"), fileLine("d")));
        DeliveryResult second = output.deliver(List.of(fileLine("e"), fileLine("f"), fileLine("g"), fileLine("h")));
        time.advance(Duration.ofMinutes(1));
        DeliveryResult third = output.deliver(List.of(fileLine("i"), fileLine("j"), fileLine("k"), fileLine("l")));

        // the batch is done: the agent neither splits it nor sends the events LogNog accepted again
        assertThat(List.of(first, second, third)).allSatisfy(result -> assertThat(result).isSameAs(DeliveryResult.delivered()));
        assertThat(server.requests()).hasSize(3);
        assertThat(context.metrics().counterValue("lognog_events_rejected_unidentified_total")).isEqualTo(3);
        String rejection = "WARNING http://127.0.0.1:" + server.port() + "/api/ingest/agent answered HTTP 200 and rejected 1 of 4 event(s)"
                + " (1 without saying which: they are not sent again, as that would duplicate the events LogNog accepted, and are counted in"
                + " lognog_events_rejected_unidentified_total): invalid hostname for key [redacted]";
        assertThat(context.logged()).filteredOn(line -> line.startsWith("WARNING")).containsExactly(
                rejection,
                rejection + " (1 similar warning(s) in the last 1 min not logged)");
        assertThat(context.logged()).noneMatch(line -> line.contains(KEY));
    }

    @Test
    void logNog400WithIndexedErrorsIsAPartialRejection()
            throws Exception
    {
        start(config(LOGNOG, server.uri("")).apiKey(KEY).build());
        server.respond(request -> Reply.json(400, "{\"accepted\":0,\"rejected\":1,\"errors\":[\"event 0: bad timestamp\"]}"));

        assertThat(output.deliver(List.of(fileLine("a"))).rejected()).isEqualTo(Map.of(0, "LogNog rejected the event: bad timestamp"));
    }

    @Test
    void ndjsonWithGzipAndCustomHeaders()
            throws Exception
    {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Tenant", "blue");
        headers.put("Content-Type", "application/x-ndjson; charset=utf-8");
        start(config(NDJSON, server.uri("/ingest?pipeline=agents")).apiKey(KEY).auth(AuthScheme.BEARER).gzip(true).headers(headers).build());

        List<Event> batch = List.of(sshdFailedLogin(), fileLine("second"));
        assertThat(output.deliver(batch)).isSameAs(DeliveryResult.delivered());

        Recorded request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/ingest?pipeline=agents");
        assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(request.header("Content-Type")).isEqualTo("application/x-ndjson; charset=utf-8");
        assertThat(request.header("X-Tenant")).isEqualTo("blue");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.rawBody()[0]).isEqualTo((byte) 0x1f);
        assertThat(request.rawBody()[1]).isEqualTo((byte) 0x8b);
        assertThat(request.body()).isEqualTo(new String(EventJsonEncoder.ndjson(batch), StandardCharsets.UTF_8));
        assertThat(request.body()).startsWith("{\"@timestamp\":\"2026-11-23T10:15:30.123Z\",\"message\":\"Nov 23 10:15:30 web1 sshd[4242]:"
                + " Failed password for root from 203.0.113.42 port 22 ssh2\",\"host.name\":\"web1\",\"log.file.path\":\"/var/log/auth.log\",");
        assertThat(context.metrics().counterValue("http_request_bytes_total")).isEqualTo(request.rawBody().length);
    }

    @Test
    void batchesOfChangingSizesAreSentExactlyAsEncodedThroughTheReusedBuffer()
            throws Exception
    {
        // the body is sent from a buffer kept between batches: each request must carry its own batch and no byte
        // of a longer earlier one, also after a refused request (whose buffer is not reused)
        start(config(NDJSON, server.uri("/")).build());
        server.respond(request -> request.body().contains("refuse me") ? Reply.status(503) : Reply.status(200));
        List<List<Event>> batches = new ArrayList<>();
        for (int size : new int[] {400, 3, 1, 250, 2}) {
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(fileLine("line " + i + " of " + size + " " + "x".repeat(i % 50)));
            }
            batches.add(batch);
        }
        batches.add(2, List.of(fileLine("refuse me")));
        for (List<Event> batch : batches) {
            output.deliver(batch);
        }
        assertThat(server.requests()).hasSize(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            assertThat(server.requests().get(i).body()).isEqualTo(new String(EventJsonEncoder.ndjson(batches.get(i)), StandardCharsets.UTF_8));
        }
    }

    @Test
    void batchesInFlightTogetherEachCarryTheirOwnBodyAndTheirOwnAnswer()
            throws Exception
    {
        // the first request is answered only once the second arrived: both are in flight together, and the second
        // batch is encoded while the first body is still being sent or read
        start(config(NDJSON, server.uri("/")).build());
        CountDownLatch both = new CountDownLatch(2);
        server.respond(request -> {
            both.countDown();
            try {
                boolean together = both.await(10, TimeUnit.SECONDS);
                return request.body().contains("refuse me") ? Reply.status(503) : Reply.status(together ? 200 : 500);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Reply.status(500);
            }
        });
        List<Event> first = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            first.add(fileLine("line " + i + " of the first batch " + "x".repeat(i % 50)));
        }
        List<Event> second = List.of(fileLine("refuse me"), fileLine("and me"));

        CompletableFuture<DeliveryResult> firstAnswer = output.deliverAsync(first).toCompletableFuture();
        CompletableFuture<DeliveryResult> secondAnswer = output.deliverAsync(second).toCompletableFuture();

        assertThat(firstAnswer.get(20, TimeUnit.SECONDS)).isSameAs(DeliveryResult.delivered());
        assertThat(secondAnswer.get(20, TimeUnit.SECONDS).toString())
                .isEqualTo("RETRY_LATER: http://127.0.0.1:" + server.port() + " answered HTTP 503");
        assertThat(server.requests()).extracting(Recorded::body).containsExactlyInAnyOrder(
                new String(EventJsonEncoder.ndjson(first), StandardCharsets.UTF_8), new String(EventJsonEncoder.ndjson(second), StandardCharsets.UTF_8));
        // and the next batch, through a buffer given back, carries no byte of the longer first one
        List<Event> third = List.of(fileLine("short"));
        assertThat(output.deliverAsync(third).toCompletableFuture().get(20, TimeUnit.SECONDS)).isSameAs(DeliveryResult.delivered());
        assertThat(server.requests().get(2).body()).isEqualTo(new String(EventJsonEncoder.ndjson(third), StandardCharsets.UTF_8));
    }

    @Test
    void anAsynchronousDeliveryClassifiesTimeoutsRefusedConnectionsAndTooLargeBatchesAsTheSynchronousOne()
            throws Exception
    {
        start(config(JSON, server.uri("/")).requestTimeout(Duration.ofMillis(300)).build());
        server.respond(request -> Reply.status(200).after(Duration.ofSeconds(3)));
        assertThat(output.deliverAsync(List.of(fileLine("x"))).toCompletableFuture().get(20, TimeUnit.SECONDS).toString())
                .isEqualTo("RETRY_LATER: cannot reach http://127.0.0.1:" + server.port() + ": no answer within request_timeout (PT0.3S)");
        output.close();

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        start(config(JSON, URI.create("http://127.0.0.1:" + closedPort + "/")).maxBodySize(DataSize.parse("1KiB")).build());
        assertThat(output.deliverAsync(List.of(fileLine("x"))).toCompletableFuture().get(20, TimeUnit.SECONDS).toString())
                .isEqualTo("RETRY_LATER: cannot reach http://127.0.0.1:" + closedPort + ": connection refused");
        assertThat(output.deliverAsync(List.of(fileLine("y".repeat(2000)))).toCompletableFuture().get(20, TimeUnit.SECONDS).kind())
                .isEqualTo(DeliveryResult.Kind.TOO_LARGE);
    }

    @Test
    void jsonArrayWithApiKeyHeaderAndBasicAuth()
            throws Exception
    {
        start(config(JSON, server.uri("/hook")).apiKey(KEY).apiKeyHeader("X-Collector-Token").build());
        output.deliver(List.of(fileLine("one")));
        Recorded request = server.requests().get(0);
        assertThat(request.header("X-Collector-Token")).isEqualTo(KEY);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo("[{\"@timestamp\":\"2026-11-23T10:15:30.123Z\",\"message\":\"one\",\"host.name\":\"web1\","
                + "\"log.file.path\":\"/var/log/syslog\",\"log.file.size\":52431,\"log.file.mtime\":\"2026-11-23T10:15:29Z\"}]");
        output.close();

        start(config(JSON, server.uri("/hook")).basic("agent", "s3cret").build());
        output.deliver(List.of(fileLine("two")));
        assertThat(server.requests().get(1).header("Authorization")).isEqualTo("Basic YWdlbnQ6czNjcmV0");
    }

    @Test
    void everyStatusCodeIsClassifiedOverTheWire()
            throws Exception
    {
        start(config(NDJSON, server.uri("/")).build());
        Map<Integer, Kind> expected = new LinkedHashMap<>();
        expected.put(200, Kind.DELIVERED);
        expected.put(204, Kind.DELIVERED);
        expected.put(301, Kind.RETRY_LATER);
        expected.put(400, Kind.REJECTED);
        expected.put(401, Kind.UNAUTHORIZED);
        expected.put(403, Kind.UNAUTHORIZED);
        expected.put(404, Kind.RETRY_LATER);
        expected.put(413, Kind.TOO_LARGE);
        expected.put(422, Kind.REJECTED);
        expected.put(429, Kind.RETRY_LATER);
        expected.put(500, Kind.RETRY_LATER);
        expected.put(503, Kind.RETRY_LATER);
        for (Map.Entry<Integer, Kind> entry : expected.entrySet()) {
            server.respond(request -> entry.getKey() == 301 ? Reply.status(301).withHeader("Location", "https://elsewhere.example/") : Reply.status(entry.getKey()));
            assertThat(output.deliver(List.of(fileLine("x"))).kind()).as("HTTP %s", entry.getKey()).isEqualTo(entry.getValue());
        }
        // the redirect was not followed
        assertThat(server.requests()).hasSize(expected.size());
        server.respond(request -> Reply.status(429).withHeader("Retry-After", "Mon, 23 Nov 2026 10:00:30 GMT"));
        assertThat(output.deliver(List.of(fileLine("x"))).retryAfter()).isPresent();
    }

    @Test
    void aBatchAboveMaxBodySizeIsTooLargeWithoutBeingSent()
            throws Exception
    {
        start(config(JSON, server.uri("/")).maxBodySize(DataSize.ofBytes(1024)).build());
        DeliveryResult result = output.deliver(List.of(fileLine("x".repeat(2000))));
        assertThat(result.toString()).isEqualTo("TOO_LARGE: 1 event(s) encode to more than max_body_size (1KiB)");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void warnsWhenAKeyGoesOverPlainHttpToANameThatOnlyResolvesToLoopback()
            throws Exception
    {
        start(config(NDJSON, URI.create("http://localhost:" + server.port() + "/")).apiKey(KEY).build());
        assertThat(output.deliver(List.of(fileLine("x")))).isSameAs(DeliveryResult.delivered());
        output.close();
        output = null;
        start(config(NDJSON, URI.create("http://collector.localhost:" + server.port() + "/")).apiKey(KEY).allowInsecureHttp(true).build());

        assertThat(context.logged()).filteredOn(line -> line.startsWith("WARNING")).containsExactly("WARNING credentials go to http://collector.localhost:"
                + server.port() + " over plain http (allow_insecure_http: true): anyone on the network path can read them");
    }

    @Test
    void aBinaryAnswerIsShownEscapedAndCut()
            throws Exception
    {
        start(config(NDJSON, server.uri("/")).build());
        byte[] answer = new byte[4096];
        for (int i = 0; i < answer.length; i++) {
            answer[i] = (byte) (0x80 + i % 64);
        }
        byte[] prefix = "oops\u001b[2J\r\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, answer, 0, prefix.length);
        server.respond(request -> Reply.binary(500, answer));

        DeliveryResult result = output.deliver(List.of(fileLine("x")));

        StringBuilder escaped = new StringBuilder("oops\\x1b[2J ");
        for (int i = prefix.length; escaped.length() + 4 <= 300; i++) {
            escaped.append(String.format("\\x%02x", 0x80 + i % 64));
        }
        assertThat(result).hasToString("RETRY_LATER: http://127.0.0.1:" + server.port() + " answered HTTP 500: " + escaped + "...");
    }

    @Test
    void readsABoundedPartOfTheAnswer()
            throws Exception
    {
        start(config(JSON, server.uri("/")).maxResponseSize(DataSize.ofBytes(1024)).build());
        server.respond(request -> Reply.json(400, "{\"message\":\"" + "m".repeat(100_000) + "\"}"));
        DeliveryResult result = output.deliver(List.of(fileLine("x")));
        // the body was cut at 1 KiB, so it is not JSON any more and shows as (bounded) text
        assertThat(result.reason()).startsWith("http://127.0.0.1:" + server.port() + " answered HTTP 400: {\"message\":\"mmm").endsWith("...");
    }

    @Test
    void timeoutsAndRefusedConnectionsAreRetried()
            throws Exception
    {
        start(config(JSON, server.uri("/")).requestTimeout(Duration.ofMillis(300)).build());
        server.respond(request -> Reply.status(200).after(Duration.ofSeconds(3)));
        assertThat(output.deliver(List.of(fileLine("x"))).toString())
                .isEqualTo("RETRY_LATER: cannot reach http://127.0.0.1:" + server.port() + ": no answer within request_timeout (PT0.3S)");
        output.close();

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        start(config(JSON, URI.create("http://127.0.0.1:" + closedPort + "/")).build());
        assertThat(output.deliver(List.of(fileLine("x"))).toString())
                .isEqualTo("RETRY_LATER: cannot reach http://127.0.0.1:" + closedPort + ": connection refused");
    }

    @Test
    void anInterruptedDeliveryThrowsInterruptedException()
            throws Exception
    {
        server.respond(request -> Reply.status(200).after(Duration.ofSeconds(5)));
        for (HttpOutputConfig config : List.of(config(NDJSON, server.uri("/")).build(),
                config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO).build())) {
            start(config);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread delivery = new Thread(() -> {
                try {
                    thrown.complete(new AssertionError("delivered: " + output.deliver(List.of(sshdFailedLogin(), sshdFailedLogin()))));
                }
                catch (Throwable e) {
                    thrown.complete(e);
                }
            });
            int before = server.requests().size();
            delivery.start();
            server.awaitRequests(before + 1, Duration.ofSeconds(10));
            delivery.interrupt();
            assertThat(thrown.get(10, TimeUnit.SECONDS)).as(config.format().configName()).isInstanceOf(InterruptedException.class);
            output.close();
        }
        output = null;
    }

    @Test
    void deliverBeforeStartIsABug()
            throws Exception
    {
        output = new HttpOutputFactory().create(config(JSON, server.uri("/")).build(), context);
        assertThatThrownBy(() -> output.deliver(List.of(fileLine("x")))).isInstanceOf(IllegalStateException.class).hasMessage("deliver called before start");
        assertThat(output).hasToString("HttpOutput[format=json, target=http://127.0.0.1:" + server.port() + "]");
    }

    @Test
    void probeSendsAnEmptyBatchOrAHeartbeatAndNoEvent()
            throws Exception
    {
        start(config(LOGNOG, server.uri("/")).apiKey(KEY).build());
        assertThat(output.probe()).contains(DeliveryResult.delivered());
        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/api/ingest/agent");
            assertThat(request.body()).isEqualTo("{\"events\":[]}");
        });
        output.close();

        start(config(JSON, server.uri("/")).build());
        server.respond(request -> RecordingServer.Reply.status(401));
        assertThat(output.probe()).hasValueSatisfying(result -> assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED));
        assertThat(server.requests().get(1).body()).isEqualTo("[]");
        output.close();

        server.respond(request -> RecordingServer.Reply.status(200));
        start(config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(java.time.Duration.ZERO).build());
        assertThat(output.probe()).contains(DeliveryResult.delivered());
        assertThat(server.requests().get(2).path()).isEqualTo("/agent/heartbeat");
        output.close();

        start(config(NDJSON, server.uri("/ingest")).build());
        assertThat(output.probe()).contains(DeliveryResult.delivered());
        assertThat(server.requests().get(3).body()).isEmpty();
    }

    @Test
    void sequentialDeliveriesRunOnOneThreadAndConnection()
            throws Exception
    {
        context = TestingComponentContext.builder(directory).pipelineId("p").componentId("threads-probe").build();
        start(config(NDJSON, server.uri("/")).build());
        for (int i = 0; i < 40; i++) {
            assertThat(output.deliver(List.of(fileLine("line " + i)))).isSameAs(DeliveryResult.delivered());
        }

        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .filteredOn(name -> name.startsWith("outrider-http-p-threads-probe-"))
                .containsExactly("outrider-http-p-threads-probe-1");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void anOutputThatSentNothingForAWhileLetsGoOfItsRequestBuffers()
            throws Exception
    {
        context = TestingComponentContext.builder(directory).pipelineId("p").componentId("quiet").build();
        start(config(NDJSON, server.uri("/")).build());
        assertThat(output.deliver(List.of(fileLine("a line")))).isSameAs(DeliveryResult.delivered());
        HttpOutput http = (HttpOutput) output;
        assertThat(http.keepsRequestBuffer()).isTrue();

        // the exchange thread ends after its keep-alive, and with it the kept buffer goes
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Http1Client.THREAD_KEEP_ALIVE_SECONDS + 10);
        while (http.keepsRequestBuffer() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(http.keepsRequestBuffer()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).noneMatch(name -> name.startsWith("outrider-http-p-quiet-"));

        assertThat(output.deliver(List.of(fileLine("the next line")))).isSameAs(DeliveryResult.delivered());
        assertThat(server.requests()).hasSize(2);
    }

    private void start(HttpOutputConfig config)
            throws Exception
    {
        output = new HttpOutputFactory().create(config, context);
        output.start();
    }
}
