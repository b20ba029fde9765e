package io.outrider.plugin.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The otlp output's mapping as it was written with the official protobuf classes (until the output wrote OTLP itself): the
 * tests' reference, whose {@code toByteArray()} the output's {@link ProtobufLogsWriter} must equal byte for byte, and
 * whose {@link ReferenceJson} print its {@link JsonLogsWriter} must equal character for character.
 *
 * <ul>
 *   <li>One {@code ResourceLogs} per distinct {@code host.name} of the batch (events without one belong to the
 *       agent's host), in order of first appearance; its resource carries {@code host.name},
 *       {@code service.name}, {@code service.version} (the agent's version) and the configured extra attributes.
 *       Events keep their batch order within their resource.</li>
 *   <li>{@code time_unix_nano} is the event's timestamp, {@code observed_time_unix_nano} the moment of encoding.</li>
 *   <li>Severity from {@code log.syslog.priority} (its low three bits, the syslog severity, mapped as the
 *       OpenTelemetry data model's syslog appendix does), else {@code event.outcome} failure → WARN, success →
 *       INFO, else unspecified.</li>
 *   <li>Body: the message. Attributes: every other field, typed (string, int, double, bool, array, kvlist), with
 *       ECS names that have a different OpenTelemetry semantic-convention name renamed (see
 *       {@link #SEMANTIC_CONVENTION_NAMES}) unless the event already has a field of the new name.</li>
 * </ul>
 */
final class ReferenceMapper
{
    static final String SCOPE_NAME = LogRecordMapper.SCOPE_NAME;

    /** ECS field → OpenTelemetry semantic-convention attribute, where they differ. */
    static final Map<String, String> SEMANTIC_CONVENTION_NAMES = LogRecordMapper.SEMANTIC_CONVENTION_NAMES;

    // syslog severity code (0 emerg .. 7 debug) -> OpenTelemetry severity number and the syslog keyword
    private static final SeverityNumber[] SYSLOG_SEVERITY_NUMBERS = {
            SeverityNumber.SEVERITY_NUMBER_FATAL,
            SeverityNumber.SEVERITY_NUMBER_ERROR3,
            SeverityNumber.SEVERITY_NUMBER_ERROR2,
            SeverityNumber.SEVERITY_NUMBER_ERROR,
            SeverityNumber.SEVERITY_NUMBER_WARN,
            SeverityNumber.SEVERITY_NUMBER_INFO2,
            SeverityNumber.SEVERITY_NUMBER_INFO,
            SeverityNumber.SEVERITY_NUMBER_DEBUG};
    private static final String[] SYSLOG_SEVERITY_NAMES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private final String agentHostName;
    private final List<KeyValue> commonResourceAttributes;
    private final InstrumentationScope scope;

    ReferenceMapper(String agentHostName, String serviceName, String agentVersion, Map<String, String> extraResourceAttributes)
    {
        this.agentHostName = requireNonNull(agentHostName, "agentHostName is null");
        requireNonNull(serviceName, "serviceName is null");
        requireNonNull(agentVersion, "agentVersion is null");
        LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
        attributes.put("service.name", serviceName);
        attributes.put("service.version", agentVersion);
        // configured attributes may not override the three the agent is responsible for
        extraResourceAttributes.forEach(attributes::putIfAbsent);
        attributes.remove(Fields.HOST_NAME);
        this.commonResourceAttributes = attributes.entrySet().stream()
                .map(entry -> keyValue(entry.getKey(), stringValue(entry.getValue())))
                .toList();
        this.scope = InstrumentationScope.newBuilder().setName(SCOPE_NAME).setVersion(agentVersion).build();
    }

    ExportLogsServiceRequest toRequest(List<Event> batch, Instant observed)
    {
        long observedNanos = unixNanos(observed);
        Map<String, ScopeLogs.Builder> byHost = new LinkedHashMap<>();
        for (Event event : batch) {
            String host = event.fieldAsString(Fields.HOST_NAME);
            if (host == null || host.isEmpty()) {
                host = agentHostName;
            }
            byHost.computeIfAbsent(host, ignored -> ScopeLogs.newBuilder().setScope(scope))
                    .addLogRecords(toLogRecord(event, observedNanos));
        }
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        byHost.forEach((host, scopeLogs) -> request.addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder()
                        .addAttributes(keyValue(Fields.HOST_NAME, stringValue(host)))
                        .addAllAttributes(commonResourceAttributes))
                .addScopeLogs(scopeLogs)));
        return request.build();
    }

    LogRecord toLogRecord(Event event, long observedNanos)
    {
        LogRecord.Builder record = LogRecord.newBuilder()
                .setTimeUnixNano(unixNanos(event.timestamp()))
                .setObservedTimeUnixNano(observedNanos)
                .setBody(stringValue(event.message()));
        setSeverity(record, event);
        Map<String, Object> fields = event.fields();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String name = field.getKey();
            if (name.equals(Fields.HOST_NAME)) {
                continue;
            }
            String renamed = SEMANTIC_CONVENTION_NAMES.get(name);
            if (renamed != null && !fields.containsKey(renamed)) {
                name = renamed;
            }
            record.addAttributes(keyValue(name, anyValue(field.getValue())));
        }
        return record.build();
    }

    private static void setSeverity(LogRecord.Builder record, Event event)
    {
        Optional<Long> priority = asLong(event.field(Fields.LOG_SYSLOG_PRIORITY)).filter(value -> value >= 0 && value <= 191);
        if (priority.isPresent()) {
            int severity = (int) (priority.get() & 7);
            record.setSeverityNumber(SYSLOG_SEVERITY_NUMBERS[severity]).setSeverityText(SYSLOG_SEVERITY_NAMES[severity]);
            return;
        }
        String outcome = event.fieldAsString(Fields.EVENT_OUTCOME);
        if (Fields.OUTCOME_FAILURE.equals(outcome)) {
            record.setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN).setSeverityText("WARN");
        }
        else if (Fields.OUTCOME_SUCCESS.equals(outcome)) {
            record.setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO");
        }
    }

    private static Optional<Long> asLong(Object value)
    {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof String) {
            try {
                return Optional.of(Long.parseLong(((String) value).trim()));
            }
            catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Nanoseconds since the epoch as OTLP's unsigned {@code fixed64}; 0 (OTLP's "unknown") before 1970, and the
     * largest value for instants after 2262 that a signed long cannot hold.
     */
    static long unixNanos(Instant instant)
    {
        if (instant.getEpochSecond() < 0) {
            return 0;
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static AnyValue anyValue(Object value)
    {
        if (value == null) {
            return AnyValue.getDefaultInstance();
        }
        if (value instanceof String) {
            return stringValue((String) value);
        }
        if (value instanceof Boolean) {
            return AnyValue.newBuilder().setBoolValue((Boolean) value).build();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return AnyValue.newBuilder().setIntValue(((Number) value).longValue()).build();
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return AnyValue.newBuilder().setDoubleValue(((Number) value).doubleValue()).build();
        }
        if (value instanceof BigInteger) {
            BigInteger integer = (BigInteger) value;
            // beyond 64 bits the digits matter more than the type
            return integer.bitLength() < 64 ? AnyValue.newBuilder().setIntValue(integer.longValue()).build() : stringValue(integer.toString());
        }
        if (value instanceof Number) {
            return stringValue(value.toString());
        }
        if (value instanceof List) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            for (Object element : (List<?>) value) {
                array.addValues(anyValue(element));
            }
            return AnyValue.newBuilder().setArrayValue(array).build();
        }
        if (value instanceof Map) {
            KeyValueList.Builder list = KeyValueList.newBuilder();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                list.addValues(keyValue(String.valueOf(entry.getKey()), anyValue(entry.getValue())));
            }
            return AnyValue.newBuilder().setKvlistValue(list).build();
        }
        if (value instanceof byte[]) {
            return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom((byte[]) value)).build();
        }
        return stringValue(value.toString());
    }

    private static AnyValue stringValue(String value)
    {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    private static KeyValue keyValue(String key, AnyValue value)
    {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }
}
