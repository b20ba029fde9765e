package io.outrider.plugin.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping, read back from the protobuf the output writes with the official classes. */
class TestLogRecordMapper
{
    private static final Instant TIME = Instant.parse("2026-03-01T12:00:00.5Z");
    private final LogRecordMapper mapper = new LogRecordMapper("agent-host", "outrider", "1.2.3", Map.of("deployment.environment.name", "prod", "service.name", "ignored"));

    @Test
    void typedAttributes()
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", 1);
        nested.put("b", List.of(true, "x"));
        Event event = Event.builder().timestamp(TIME).message("m")
                .field("text", "v")
                .field("int", 42)
                .field("long", 1L << 40)
                .field("double", 2.5)
                .field("bool", false)
                .field("decimal", new BigDecimal("1.25"))
                .field("big", new BigInteger("123456789012345678901234567890"))
                .field("list", Arrays.asList(1, null, "two"))
                .field("map", nested)
                .build();

        LogRecord record = toLogRecord(event, 7);

        Map<String, AnyValue> attributes = byKey(record.getAttributesList());
        assertThat(attributes.get("text").getStringValue()).isEqualTo("v");
        assertThat(attributes.get("int").getIntValue()).isEqualTo(42);
        assertThat(attributes.get("long").getIntValue()).isEqualTo(1L << 40);
        assertThat(attributes.get("double").getDoubleValue()).isEqualTo(2.5);
        assertThat(attributes.get("bool").hasBoolValue()).isTrue();
        assertThat(attributes.get("bool").getBoolValue()).isFalse();
        assertThat(attributes.get("decimal").getDoubleValue()).isEqualTo(1.25);
        assertThat(attributes.get("big").getStringValue()).isEqualTo("123456789012345678901234567890");
        List<AnyValue> list = attributes.get("list").getArrayValue().getValuesList();
        assertThat(list.get(0).getIntValue()).isEqualTo(1);
        assertThat(list.get(1).getValueCase()).isEqualTo(AnyValue.ValueCase.VALUE_NOT_SET);
        assertThat(list.get(2).getStringValue()).isEqualTo("two");
        Map<String, AnyValue> map = byKey(attributes.get("map").getKvlistValue().getValuesList());
        assertThat(map.get("a").getIntValue()).isEqualTo(1);
        assertThat(map.get("b").getArrayValue().getValues(0).getBoolValue()).isTrue();
        assertThat(record.getTimeUnixNano()).isEqualTo(TIME.getEpochSecond() * 1_000_000_000L + 500_000_000L);
        assertThat(record.getObservedTimeUnixNano()).isEqualTo(7);
    }

    @Test
    void severityFromSyslogPriority()
    {
        assertThat(severity(Event.builder().timestamp(TIME).field(Fields.LOG_SYSLOG_PRIORITY, 3L).build())).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
        assertThat(severity(Event.builder().timestamp(TIME).field(Fields.LOG_SYSLOG_PRIORITY, "86").build())).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
        assertThat(severity(Event.builder().timestamp(TIME).field(Fields.LOG_SYSLOG_PRIORITY, 0).build())).isEqualTo(SeverityNumber.SEVERITY_NUMBER_FATAL);
        assertThat(severity(Event.builder().timestamp(TIME).field(Fields.LOG_SYSLOG_PRIORITY, 7).build())).isEqualTo(SeverityNumber.SEVERITY_NUMBER_DEBUG);
        assertThat(severity(Event.builder().timestamp(TIME).field(Fields.LOG_SYSLOG_PRIORITY, 4).field(Fields.EVENT_OUTCOME, "success").build()))
                .isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
        assertThat(toLogRecord(Event.builder().timestamp(TIME).field(Fields.LOG_SYSLOG_PRIORITY, 4).build(), 0).getSeverityText()).isEqualTo("warning");
    }

    @Test
    void severityFromOutcome()
    {
        LogRecord failure = toLogRecord(Event.builder().timestamp(TIME).field(Fields.EVENT_OUTCOME, "failure").build(), 0);
        assertThat(failure.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
        assertThat(failure.getSeverityText()).isEqualTo("WARN");
        assertThat(severity(Event.builder().timestamp(TIME).field(Fields.EVENT_OUTCOME, "success").build())).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
        assertThat(severity(Event.builder().timestamp(TIME).field(Fields.LOG_SYSLOG_PRIORITY, 500).build())).isEqualTo(SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED);
        assertThat(severity(Event.of(TIME, "m"))).isEqualTo(SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED);
    }

    @Test
    void semanticConventionNamesUnlessTaken()
    {
        Event event = Event.builder().timestamp(TIME)
                .field(Fields.SOURCE_IP, "192.0.2.1")
                .field("source.address", "gateway.example")
                .field(Fields.PROCESS_NAME, "sshd")
                .field(Fields.FILE_OWNER, "root")
                .field(Fields.HOST_NAME, "h")
                .build();

        assertThat(toLogRecord(event, 0).getAttributesList()).extracting(KeyValue::getKey)
                .containsExactly("source.ip", "source.address", "process.executable.name", "file.owner.name");
    }

    @Test
    void resourcePerHostKeepingOrder()
    {
        List<Event> batch = List.of(
                Event.builder().timestamp(TIME).message("1").field(Fields.HOST_NAME, "a").build(),
                Event.of(TIME, "2"),
                Event.builder().timestamp(TIME).message("3").field(Fields.HOST_NAME, "a").build());

        ExportLogsServiceRequest request = toRequest(batch, TIME);

        assertThat(request.getResourceLogsList()).hasSize(2);
        Resource first = request.getResourceLogs(0).getResource();
        assertThat(first.getAttributesList()).extracting(KeyValue::getKey)
                .containsExactly("host.name", "service.name", "service.version", "deployment.environment.name");
        assertThat(byKey(first.getAttributesList()).get("host.name").getStringValue()).isEqualTo("a");
        assertThat(byKey(first.getAttributesList()).get("service.name").getStringValue()).isEqualTo("outrider");
        assertThat(request.getResourceLogs(0).getScopeLogs(0).getLogRecordsList()).extracting(record -> record.getBody().getStringValue())
                .containsExactly("1", "3");
        assertThat(byKey(request.getResourceLogs(1).getResource().getAttributesList()).get("host.name").getStringValue()).isEqualTo("agent-host");
        assertThat(request.getResourceLogs(0).getScopeLogs(0).getScope().getVersion()).isEqualTo("1.2.3");
    }

    @Test
    void timesOutsideTheUnsignedNanosecondRange()
    {
        assertThat(LogRecordMapper.unixNanos(Instant.parse("1969-12-31T23:59:59Z"))).isZero();
        assertThat(LogRecordMapper.unixNanos(Instant.parse("2300-01-01T00:00:00Z"))).isEqualTo(Long.MAX_VALUE);
        assertThat(LogRecordMapper.unixNanos(Instant.ofEpochSecond(1, 2))).isEqualTo(1_000_000_002L);
    }

    private ExportLogsServiceRequest toRequest(List<Event> batch, Instant observed)
    {
        try {
            return ExportLogsServiceRequest.parseFrom(mapper.write(batch, observed, new ProtobufLogsWriter(64)).toByteArray());
        }
        catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private LogRecord toLogRecord(Event event, long observedNanos)
    {
        return toRequest(List.of(event), Instant.ofEpochSecond(0, observedNanos)).getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    }

    private SeverityNumber severity(Event event)
    {
        return toLogRecord(event, 0).getSeverityNumber();
    }

    private static Map<String, AnyValue> byKey(List<KeyValue> keyValues)
    {
        Map<String, AnyValue> map = new LinkedHashMap<>();
        keyValues.forEach(keyValue -> map.put(keyValue.getKey(), keyValue.getValue()));
        return map;
    }
}
