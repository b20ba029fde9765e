package io.outrider.plugin.otlp;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestOtlpJson
{
    private final LogRecordMapper mapper = new LogRecordMapper("agent-host", "outrider", "1.2.3", Map.of("deployment.environment.name", "prod"));

    @Test
    void protobufsOwnParserReadsBackTheSameRequest()
            throws Exception
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("empty", List.of());
        nested.put("inner", Map.of());
        nested.put("n", -7);
        List<Event> batch = List.of(
                TestOtlpOutput.sshdFailure(),
                Event.builder().timestamp(Instant.parse("1960-01-01T00:00:00Z")).message("quote \" backslash \\ tab \t nul \u0000 line\u2028 é 😀")
                        .field("nan", Double.NaN)
                        .field("inf", Double.NEGATIVE_INFINITY)
                        .field("small", 1e-300)
                        .field("big", new BigInteger("123456789012345678901234567890"))
                        .field("list", Arrays.asList(null, true, 0, 0.0, ""))
                        .field("map", nested)
                        .field("bytes-like", "")
                        .build(),
                Event.of(Instant.parse("2300-01-01T00:00:00Z"), ""));
        Instant observed = Instant.parse("2026-03-01T12:00:00Z");
        ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(mapper.write(batch, observed, new ProtobufLogsWriter(64)).toByteArray());

        String json = new String(mapper.write(batch, observed, new JsonLogsWriter(64)).toByteArray(), StandardCharsets.UTF_8);
        ExportLogsServiceRequest.Builder parsed = ExportLogsServiceRequest.newBuilder();
        JsonFormat.parser().merge(json, parsed);

        assertThat(parsed.build()).isEqualTo(request);
        assertThat(json).contains("\"severityNumber\":10").contains("{\"doubleValue\":\"NaN\"}").contains("{\"doubleValue\":\"-Infinity\"}")
                .contains("\"timeUnixNano\":\"9223372036854775807\"");
    }

    @Test
    void compactAndWithoutDefaults()
    {
        byte[] json = mapper.write(List.of(Event.of(Instant.ofEpochSecond(1), "m")), Instant.ofEpochSecond(2), new JsonLogsWriter(64)).toByteArray();

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"resourceLogs\":[{\"resource\":{\"attributes\":["
                + "{\"key\":\"host.name\",\"value\":{\"stringValue\":\"agent-host\"}},"
                + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"outrider\"}},"
                + "{\"key\":\"service.version\",\"value\":{\"stringValue\":\"1.2.3\"}},"
                + "{\"key\":\"deployment.environment.name\",\"value\":{\"stringValue\":\"prod\"}}]},"
                + "\"scopeLogs\":[{\"scope\":{\"name\":\"io.outrider.output.otlp\",\"version\":\"1.2.3\"},"
                + "\"logRecords\":[{\"timeUnixNano\":\"1000000000\",\"observedTimeUnixNano\":\"2000000000\",\"body\":{\"stringValue\":\"m\"}}]}]}]}");
    }
}
