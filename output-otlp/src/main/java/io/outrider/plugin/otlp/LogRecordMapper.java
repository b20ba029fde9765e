package io.outrider.plugin.otlp;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Maps events to an OTLP {@code ExportLogsServiceRequest}, written through a {@link LogsWriter} (protobuf or
 * OTLP/JSON) straight from the events: no message objects per event.
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
 *
 * <p>Thread-safe (immutable).
 */
final class LogRecordMapper
{
    static final String SCOPE_NAME = "io.outrider.output.otlp";

    /** ECS field → OpenTelemetry semantic-convention attribute, where they differ. */
    static final Map<String, String> SEMANTIC_CONVENTION_NAMES = Map.of(
            Fields.SOURCE_IP, "source.address",
            Fields.PROCESS_NAME, "process.executable.name",
            Fields.FILE_OWNER, "file.owner.name",
            Fields.FILE_GROUP, "file.group.name",
            Fields.FILE_MTIME, "file.modified");

    // OpenTelemetry's SeverityNumber values (logs/v1/logs.proto)
    static final int SEVERITY_DEBUG = 5;
    static final int SEVERITY_INFO = 9;
    static final int SEVERITY_INFO2 = 10;
    static final int SEVERITY_WARN = 13;
    static final int SEVERITY_ERROR = 17;
    static final int SEVERITY_ERROR2 = 18;
    static final int SEVERITY_ERROR3 = 19;
    static final int SEVERITY_FATAL = 21;

    // syslog severity code (0 emerg .. 7 debug) -> OpenTelemetry severity number and the syslog keyword
    private static final int[] SYSLOG_SEVERITY_NUMBERS = {
            SEVERITY_FATAL, SEVERITY_ERROR3, SEVERITY_ERROR2, SEVERITY_ERROR, SEVERITY_WARN, SEVERITY_INFO2, SEVERITY_INFO, SEVERITY_DEBUG};
    private static final String[] SYSLOG_SEVERITY_NAMES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private final String agentHostName;
    private final String agentVersion;
    // host.name first, then the rest; the host's value is filled in per resource
    private final String[] resourceKeys;
    private final String[] commonResourceValues;

    LogRecordMapper(String agentHostName, String serviceName, String agentVersion, Map<String, String> extraResourceAttributes)
    {
        this.agentHostName = requireNonNull(agentHostName, "agentHostName is null");
        requireNonNull(serviceName, "serviceName is null");
        this.agentVersion = requireNonNull(agentVersion, "agentVersion is null");
        LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
        attributes.put(Fields.HOST_NAME, "");
        attributes.put("service.name", serviceName);
        attributes.put("service.version", agentVersion);
        // configured attributes may not override the three the agent is responsible for
        extraResourceAttributes.forEach(attributes::putIfAbsent);
        this.resourceKeys = attributes.keySet().toArray(String[]::new);
        this.commonResourceValues = attributes.values().toArray(String[]::new);
    }

    /** Writes the request for {@code batch}, encoded at {@code observed}, and returns its bytes. */
    LogsWriter.Encoded write(List<Event> batch, Instant observed, LogsWriter writer)
    {
        long observedNanos = unixNanos(observed);
        Map<String, List<Event>> byHost = new LinkedHashMap<>();
        for (Event event : batch) {
            String host = event.fieldAsString(Fields.HOST_NAME);
            if (host == null || host.isEmpty()) {
                host = agentHostName;
            }
            byHost.computeIfAbsent(host, ignored -> new ArrayList<>()).add(event);
        }
        for (Map.Entry<String, List<Event>> resource : byHost.entrySet()) {
            String[] values = commonResourceValues.clone();
            values[0] = resource.getKey();
            writer.beginResource(resourceKeys, values, SCOPE_NAME, agentVersion);
            for (Event event : resource.getValue()) {
                writeRecord(event, observedNanos, writer);
            }
            writer.endResource();
        }
        return writer.finish();
    }

    private static void writeRecord(Event event, long observedNanos, LogsWriter writer)
    {
        int severityNumber = 0;
        String severityText = "";
        Long priority = asLong(event.field(Fields.LOG_SYSLOG_PRIORITY));
        if (priority != null && priority >= 0 && priority <= 191) {
            int severity = (int) (priority & 7);
            severityNumber = SYSLOG_SEVERITY_NUMBERS[severity];
            severityText = SYSLOG_SEVERITY_NAMES[severity];
        }
        else {
            String outcome = event.fieldAsString(Fields.EVENT_OUTCOME);
            if (Fields.OUTCOME_FAILURE.equals(outcome)) {
                severityNumber = SEVERITY_WARN;
                severityText = "WARN";
            }
            else if (Fields.OUTCOME_SUCCESS.equals(outcome)) {
                severityNumber = SEVERITY_INFO;
                severityText = "INFO";
            }
        }
        writer.beginRecord(unixNanos(event.timestamp()), observedNanos, severityNumber, severityText, event.message());
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
            writer.beginAttribute(name);
            writeValue(field.getValue(), writer);
            writer.endAttribute();
        }
        writer.endRecord();
    }

    private static Long asLong(Object value)
    {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String) {
            try {
                return Long.parseLong(((String) value).trim());
            }
            catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
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

    /** One field value as an {@code AnyValue}. */
    static void writeValue(Object value, LogsWriter writer)
    {
        if (value == null) {
            writer.emptyValue();
        }
        else if (value instanceof String) {
            writer.stringValue((String) value);
        }
        else if (value instanceof Boolean) {
            writer.boolValue((Boolean) value);
        }
        else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writer.intValue(((Number) value).longValue());
        }
        else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            writer.doubleValue(((Number) value).doubleValue());
        }
        else if (value instanceof BigInteger) {
            BigInteger integer = (BigInteger) value;
            // beyond 64 bits the digits matter more than the type
            if (integer.bitLength() < 64) {
                writer.intValue(integer.longValue());
            }
            else {
                writer.stringValue(integer.toString());
            }
        }
        else if (value instanceof Number) {
            writer.stringValue(value.toString());
        }
        else if (value instanceof List) {
            writer.beginArray();
            for (Object element : (List<?>) value) {
                writeValue(element, writer);
            }
            writer.endArray();
        }
        else if (value instanceof Map) {
            writer.beginKeyValueList();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                writer.beginAttribute(String.valueOf(entry.getKey()));
                writeValue(entry.getValue(), writer);
                writer.endAttribute();
            }
            writer.endKeyValueList();
        }
        else {
            writer.stringValue(value.toString());
        }
    }
}
