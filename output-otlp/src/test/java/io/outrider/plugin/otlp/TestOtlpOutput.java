package io.outrider.plugin.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.outrider.plugin.otlp.OtlpOutputConfig.Compression;
import io.outrider.plugin.otlp.OtlpOutputConfig.Encoding;
import io.outrider.plugin.otlp.OtlpReceiver.Answer;
import io.outrider.plugin.otlp.OtlpReceiver.Received;
import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.http.Http1Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TestOtlpOutput
{
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String TOKEN = "s3cr3t-t0ken-value";

    @TempDir
    Path directory;

    private OtlpReceiver receiver;
    private TestingComponentContext context;

    @BeforeEach
    void setUp()
            throws Exception
    {
        receiver = new OtlpReceiver();
        context = TestingComponentContext.builder(directory)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .hostName("agent-host")
                .agentVersion("1.2.3")
                .build();
    }

    @AfterEach
    void tearDown()
    {
        receiver.close();
    }

    @Test
    void exportsProtobufWithGzipAndHeaders()
            throws Exception
    {
        OtlpOutputConfig config = config(Encoding.PROTOBUF, Compression.GZIP, Map.of("Authorization", "Bearer " + TOKEN));
        DeliveryResult result = deliver(config, List.of(sshdFailure(), Event.of(NOW.minusSeconds(1), "plain line")));

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        Received request = receiver.last();
        assertThat(request.path()).isEqualTo("/v1/logs");
        assertThat(request.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.header("User-Agent")).isEqualTo("outrider/1.2.3");

        List<ResourceLogs> resources = request.request().getResourceLogsList();
        assertThat(resources).hasSize(2);
        assertThat(attributes(resources.get(0).getResource().getAttributesList())).containsExactly(
                Map.entry("host.name", "web-1"), Map.entry("service.name", "outrider"), Map.entry("service.version", "1.2.3"));
        assertThat(attributes(resources.get(1).getResource().getAttributesList())).containsEntry("host.name", "agent-host");
        assertThat(resources.get(0).getScopeLogs(0).getScope().getName()).isEqualTo("io.outrider.output.otlp");

        LogRecord failure = resources.get(0).getScopeLogs(0).getLogRecords(0);
        assertThat(failure.getTimeUnixNano()).isEqualTo(1_772_366_395_123_456_789L);
        assertThat(failure.getObservedTimeUnixNano()).isEqualTo(NOW.getEpochSecond() * 1_000_000_000L);
        assertThat(failure.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO2);
        assertThat(failure.getSeverityText()).isEqualTo("notice");
        assertThat(failure.getBody().getStringValue()).isEqualTo("Failed password for root from 203.0.113.7 port 52144 ssh2");
        assertThat(failure.getAttributesList()).extracting(KeyValue::getKey).containsExactly(
                "log.syslog.priority", "event.action", "event.outcome", "source.address", "source.port", "user.name", "process.executable.name", "tags");
        assertThat(failure.getAttributes(4).getValue().getIntValue()).isEqualTo(52144);
        assertThat(failure.getAttributes(7).getValue().getArrayValue().getValuesList())
                .extracting(value -> value.getStringValue()).containsExactly("ssh", "auth");

        LogRecord plain = resources.get(1).getScopeLogs(0).getLogRecords(0);
        assertThat(plain.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED);
        assertThat(plain.getBody().getStringValue()).isEqualTo("plain line");
        assertThat(plain.getAttributesCount()).isZero();
        assertThat(context.metrics().counterValue("request_bytes_total")).isEqualTo(request.bodyBytes());
    }

    @Test
    void exportsOtlpJsonWithEnumsAsIntegers()
            throws Exception
    {
        OtlpOutputConfig config = config(Encoding.JSON, Compression.NONE, Map.of());
        DeliveryResult result = deliver(config, List.of(sshdFailure()));

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        Received request = receiver.last();
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Content-Encoding")).isNull();
        // OTLP/JSON: lowerCamelCase names, enums as integers, 64-bit integers as strings
        assertThat(request.decodedBody())
                .contains("\"severityNumber\":10")
                .contains("\"timeUnixNano\":\"1772366395123456789\"")
                .contains("{\"key\":\"source.port\",\"value\":{\"intValue\":\"52144\"}}");
        LogRecord record = request.request().getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO2);
        assertThat(record.getBody().getStringValue()).isEqualTo("Failed password for root from 203.0.113.7 port 52144 ssh2");
    }

    @Test
    void exportsOtlpJsonWithGzip()
            throws Exception
    {
        DeliveryResult result = deliver(config(Encoding.JSON, Compression.GZIP, Map.of()), List.of(sshdFailure()));

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        assertThat(receiver.last().header("Content-Encoding")).isEqualTo("gzip");
        assertThat(receiver.last().request().getResourceLogs(0).getScopeLogs(0).getLogRecordsCount()).isEqualTo(1);
    }

    @Test
    void partialSuccessIsDeliveredCountedAndLogged()
            throws Exception
    {
        ExportLogsServiceResponse response = ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(2)
                        .setErrorMessage("2 records exceed the attribute limit (token " + TOKEN + ")"))
                .build();
        receiver.answer(Answer.ok("application/x-protobuf", response.toByteArray()));
        List<Event> batch = IntStream.range(0, 5).mapToObj(i -> Event.of(NOW, "line " + i)).toList();

        DeliveryResult result;
        result = deliver(config(Encoding.PROTOBUF, Compression.GZIP, Map.of("Authorization", "Bearer " + TOKEN)), batch);
        assertThat(context.logged()).containsExactly(
                "INFO sending OTLP logs (protobuf, gzip) to " + target(),
                "WARNING " + target() + " rejected 2 of 5 log records: 2 records exceed the attribute limit (token [redacted])");
        assertThat(result).isEqualTo(DeliveryResult.delivered());
        assertThat(context.metrics().counterValue("rejected_log_records_total")).isEqualTo(2);
    }

    @Test
    void partialSuccessInJson()
            throws Exception
    {
        ExportLogsServiceResponse response = ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(1).setErrorMessage("too old"))
                .build();
        receiver.answer(Answer.ok("application/json", JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8)));

        DeliveryResult result = deliver(config(Encoding.JSON, Compression.NONE, Map.of()), List.of(Event.of(NOW, "a"), Event.of(NOW, "b")));

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        assertThat(context.metrics().counterValue("rejected_log_records_total")).isEqualTo(1);
    }

    @Test
    void serviceUnavailableWithRetryAfterSeconds()
            throws Exception
    {
        receiver.answer(new Answer(503, Map.of("Retry-After", "7"), new byte[0]));

        DeliveryResult result = deliver(config(Encoding.PROTOBUF, Compression.GZIP, Map.of()), List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(result.reason()).isEqualTo(target() + " answered HTTP 503");
    }

    @Test
    void tooManyRequestsWithRetryAfterDate()
            throws Exception
    {
        receiver.answer(new Answer(429, Map.of("Retry-After", "Sun, 01 Mar 2026 12:01:30 GMT"), new byte[0]));

        DeliveryResult result = deliver(config(Encoding.PROTOBUF, Compression.NONE, Map.of()), List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.retryAfter()).contains(Duration.ofSeconds(90));
    }

    @Test
    void badRequestIsRejectedWithTheStatusMessage()
            throws Exception
    {
        receiver.answer(new Answer(400, Map.of("Content-Type", "application/x-protobuf"), rpcStatus(3, "log record 1: invalid UTF-8 in body")));

        DeliveryResult result = deliver(config(Encoding.PROTOBUF, Compression.GZIP, Map.of()), List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.REJECTED);
        assertThat(result.reason()).isEqualTo(target() + " answered HTTP 400: log record 1: invalid UTF-8 in body");
    }

    @Test
    void jsonStatusMessageIsShown()
            throws Exception
    {
        receiver.answer(new Answer(400, Map.of("Content-Type", "application/json"),
                "{\"code\":3,\"message\":\"bad timestamp\"}".getBytes(StandardCharsets.UTF_8)));

        DeliveryResult result = deliver(config(Encoding.JSON, Compression.NONE, Map.of()), List.of(Event.of(NOW, "x")));

        assertThat(result.reason()).isEqualTo(target() + " answered HTTP 400: bad timestamp");
    }

    @Test
    void unauthorizedNeverShowsTheCredential()
            throws Exception
    {
        receiver.answer(new Answer(401, Map.of("Content-Type", "text/plain"), ("bad token " + TOKEN).getBytes(StandardCharsets.UTF_8)));

        DeliveryResult result = deliver(config(Encoding.PROTOBUF, Compression.GZIP, Map.of("Authorization", "Bearer " + TOKEN)), List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).isEqualTo(target() + " answered HTTP 401 (unauthorized): check the credential in headers (e.g. Authorization),"
                + " that it was not revoked, and that its ${VAR} or ${file:...} resolves to the current value");
        assertThat(result.toString()).doesNotContain(TOKEN);
    }

    @Test
    void forbiddenIsUnauthorized()
            throws Exception
    {
        receiver.answer(Answer.status(403));

        DeliveryResult result = deliver(config(Encoding.PROTOBUF, Compression.GZIP, Map.of()), List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
    }

    @Test
    void payloadTooLargeFromTheCollector()
            throws Exception
    {
        receiver.answer(Answer.status(413));

        DeliveryResult result = deliver(config(Encoding.PROTOBUF, Compression.NONE, Map.of()), List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TOO_LARGE);
        assertThat(result.reason()).startsWith(target() + " answered HTTP 413 (payload too large) for a body of ")
                .endsWith(" bytes: it takes less than max_request_size (4MiB)");
    }

    @Test
    void probeSendsAnEmptyExportAndClassifiesTheAnswer()
            throws Exception
    {
        try (Output output = new OtlpOutputFactory().create(config(Encoding.PROTOBUF, Compression.GZIP, Map.of()), context)) {
            output.start();
            assertThat(output.probe()).contains(DeliveryResult.delivered());
            assertThat(receiver.received()).singleElement().satisfies(received -> assertThat(received.request().getResourceLogsCount()).isZero());

            receiver.answer(Answer.status(401));
            assertThat(output.probe()).hasValueSatisfying(result -> assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED));
        }
    }

    @Test
    void bodyOverMaxRequestSizeIsNotSent()
            throws Exception
    {
        OtlpOutputConfig config = new OtlpOutputConfig(receiver.endpoint(), null, Compression.NONE, null, null, null, null, null,
                DataSize.ofBytes(1024), null, null);
        List<Event> batch = IntStream.range(0, 20).mapToObj(i -> Event.of(NOW, "a line of some length, number " + i)).toList();

        DeliveryResult result = deliver(config, batch);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TOO_LARGE);
        assertThat(result.reason()).matches("a request of 20 events takes \\d+ bytes, more than max_request_size \\(1KiB\\); the first \\d+ fit");
        assertThat(receiver.received()).isEmpty();
        // the count fits: that many are sent in one request
        int fitting = result.fitting().orElseThrow();
        assertThat(result.reason()).endsWith("; the first " + fitting + " fit");
        assertThat(fitting).isBetween(1, 19);
        assertThat(deliver(config, batch.subList(0, fitting))).isEqualTo(DeliveryResult.delivered());
    }

    @Test
    void gzipBodyOverMaxRequestSizeSaysHowManyEventsFit()
            throws Exception
    {
        OtlpOutputConfig config = new OtlpOutputConfig(receiver.endpoint(), null, Compression.GZIP, null, null, null, null, null,
                DataSize.ofBytes(1024), null, null);
        java.util.Random random = new java.util.Random(7);
        // random text: gzip cannot shrink it much, so a few events fill 1 KiB
        List<Event> batch = IntStream.range(0, 20).mapToObj(i -> Event.of(NOW, random.ints(200, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString())).toList();

        DeliveryResult result = deliver(config, batch);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TOO_LARGE);
        int fitting = result.fitting().orElseThrow();
        assertThat(fitting).isBetween(1, 19);
        assertThat(deliver(config, batch.subList(0, fitting))).isEqualTo(DeliveryResult.delivered());
    }

    @Test
    void eventAloneOverMaxRequestSizeSaysSo()
            throws Exception
    {
        OtlpOutputConfig config = new OtlpOutputConfig(receiver.endpoint(), null, Compression.NONE, null, null, null, null, null,
                DataSize.ofBytes(1024), null, null);
        List<Event> batch = List.of(Event.of(NOW, "x".repeat(2000)), Event.of(NOW, "short"));

        DeliveryResult result = deliver(config, batch);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TOO_LARGE);
        assertThat(result.reason()).matches("a request of 2 events takes \\d+ bytes, more than max_request_size \\(1KiB\\)");
        assertThat(result.fitting()).isEmpty();
    }

    @Test
    void wrongPathIsRetriedNotDeadLettered()
            throws Exception
    {
        receiver.answer(Answer.status(404));

        DeliveryResult result = deliver(config(Encoding.PROTOBUF, Compression.NONE, Map.of()), List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.reason()).isEqualTo(target() + " answered HTTP 404; check endpoint");
    }

    @Test
    void collectorDownIsRetried()
            throws Exception
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OtlpOutputConfig config = OtlpOutputConfig.defaults(URI.create("http://127.0.0.1:" + closedPort));

        DeliveryResult result = deliver(config, List.of(Event.of(NOW, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.reason()).isEqualTo("cannot reach http://127.0.0.1:" + closedPort + "/v1/logs: connection refused");
    }

    @Test
    void fullUrlEndpointIsUsedAsIs()
            throws Exception
    {
        OtlpOutputConfig config = OtlpOutputConfig.defaults(receiver.endpoint().resolve("/otlp/v1/logs"));

        assertThat(deliver(config, List.of(Event.of(NOW, "x")))).isEqualTo(DeliveryResult.delivered());
        assertThat(receiver.last().path()).isEqualTo("/otlp/v1/logs");
    }

    @Test
    void exportsShareOneThreadOfTheOutputsOwnThatEndsWhenTheOutputCloses()
            throws Exception
    {
        String prefix = "outrider-otlp-" + context.pipelineId() + "-" + context.componentId() + "-";
        Output output = new OtlpOutputFactory().create(config(Encoding.PROTOBUF, Compression.GZIP, Map.of()), context);
        output.start();
        for (int i = 0; i < 3; i++) {
            assertThat(output.deliver(List.of(Event.of(NOW, "line " + i)))).isEqualTo(DeliveryResult.delivered());
        }
        assertThat(threadsNamed(prefix)).as("one export at a time: one thread, kept for the next").hasSize(1);

        output.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threadsNamed(prefix).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(threadsNamed(prefix)).isEmpty();
        assertThat(receiver.received()).hasSize(3);
    }

    @Test
    void anOutputThatSentNothingForAWhileLetsGoOfItsRequestBuffer()
            throws Exception
    {
        OtlpOutput output = (OtlpOutput) new OtlpOutputFactory().create(config(Encoding.PROTOBUF, Compression.NONE, Map.of()), context);
        try {
            output.start();
            assertThat(output.deliver(List.of(Event.of(NOW, "first")))).isEqualTo(DeliveryResult.delivered());
            assertThat(output.keepsRequestBuffer()).isTrue();
            // the next request goes out of the same array, whole: what the receiver decodes is the second batch
            assertThat(output.deliver(List.of(Event.of(NOW, "second"), Event.of(NOW, "third")))).isEqualTo(DeliveryResult.delivered());
            assertThat(receiver.last().request().getResourceLogs(0).getScopeLogs(0).getLogRecordsList())
                    .extracting(record -> record.getBody().getStringValue()).containsExactly("second", "third");

            // the exchange thread ends after its keep-alive, and with it the kept array goes
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Http1Client.THREAD_KEEP_ALIVE_SECONDS + 10);
            while (output.keepsRequestBuffer() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(output.keepsRequestBuffer()).isFalse();
            assertThat(output.deliver(List.of(Event.of(NOW, "fourth")))).isEqualTo(DeliveryResult.delivered());
            assertThat(receiver.received()).hasSize(3);
        }
        finally {
            output.close();
        }
    }

    private static List<String> threadsNamed(String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
    }

    private DeliveryResult deliver(OtlpOutputConfig config, List<Event> batch)
            throws Exception
    {
        try (Output output = new OtlpOutputFactory().create(config, context)) {
            output.start();
            return output.deliver(batch);
        }
    }

    private OtlpOutputConfig config(Encoding encoding, Compression compression, Map<String, String> headers)
    {
        return new OtlpOutputConfig(receiver.endpoint(), encoding, compression, headers, null, null, null, null, null, null, null);
    }

    private String target()
    {
        return "http://127.0.0.1:" + receiver.endpoint().getPort() + "/v1/logs";
    }

    static Event sshdFailure()
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_772_366_395L, 123_456_789))
                .message("Failed password for root from 203.0.113.7 port 52144 ssh2")
                .field(Fields.HOST_NAME, "web-1")
                .field(Fields.LOG_SYSLOG_PRIORITY, 37)
                .field(Fields.EVENT_ACTION, "ssh_login")
                .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                .field(Fields.SOURCE_IP, "203.0.113.7")
                .field(Fields.SOURCE_PORT, 52144)
                .field(Fields.USER_NAME, "root")
                .field(Fields.PROCESS_NAME, "sshd")
                .field("tags", List.of("ssh", "auth"))
                .build();
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues)
    {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        keyValues.forEach(keyValue -> map.put(keyValue.getKey(), keyValue.getValue().getStringValue()));
        return map;
    }

    private static byte[] rpcStatus(int code, String message)
    {
        return UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(code).build())
                .addField(2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(message)).build())
                .build()
                .toByteArray();
    }
}
