package io.outrider.plugin.http;

import io.outrider.support.JsonWriter;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The LogNog agent ingest body, {@code {"events":[...]}}, as LogNog In sends it: one object per sent event in batch
 * order (so the {@code errors} of LogNog's answer can be mapped back to batch indexes). Four shapes:
 * <ul>
 *   <li>file integrity ({@code event.module} is {@code fim}): {@code source_type "fim"}, {@code event_type} from
 *       {@code event.action} ({@code created}, {@code modified}, {@code deleted}, {@code attributes_changed}),
 *       {@code file_path}, {@code previous_hash} and {@code current_hash} as {@code sha256:<hex>}, {@code null} when
 *       there is none: on {@code deleted} the file's last digest (which the FIM input carries in
 *       {@code file.hash.sha256}) is the previous hash and the current one is null; {@code file_owner},
 *       {@code file_permissions} ({@code file.mode}). The FIM input's {@code scan_complete} marker is not a file
 *       change and is not sent (see {@link #skipReason});</li>
 *   <li>Windows events (a {@code winlog.event_id} or {@code winlog.channel} field): {@code source_type
 *       "windows_events"} with {@code event_id}, {@code computer} and {@code channel}; {@code message} is the message
 *       Windows rendered when the input had one; {@code metadata} holds what input-winevent mapped (who acted, the
 *       target account, group, service, source address, logon type, failure reason) and every
 *       {@code winlog.event_data.*} / {@code winlog.user_data.*} value under {@code event_data} / {@code user_data};</li>
 *   <li>journald entries ({@code event.module journald}, a {@code systemd.unit} or a {@code journald.*} field):
 *       {@code source_type "journald"} with the unit, process, pid and syslog priority in {@code metadata};</li>
 *   <li>everything else: {@code source_type "file"} with {@code file_path} from {@code log.file.path} and
 *       {@code metadata.file_size}/{@code file_modified} from {@code log.file.size}/{@code log.file.mtime}; an event
 *       that came from neither a file nor the journal gets its {@code event.module} as source type, else
 *       {@code agent}.</li>
 * </ul>
 * Every object starts with {@code timestamp} (ISO-8601 UTC with exactly three fractional digits, as LogNog In
 * writes it), {@code hostname} ({@code host.name}, else the agent's) and {@code source} (the configured source,
 * {@code lognog-in} by default), carries {@code message}, and ends with {@code metadata} holding at least
 * {@code agent_version}. Absent values are left out except the two FIM hashes.
 */
final class LogNogEncoder
{
    /** The field the FIM input puts the previous digest in (agreed between the plugins). */
    static final String PREVIOUS_HASH = Fields.FILE_HASH_SHA256_PREVIOUS;
    static final String WINLOG_EVENT_ID = Fields.WINLOG_EVENT_ID;
    static final String WINLOG_CHANNEL = Fields.WINLOG_CHANNEL;
    static final String WINLOG_COMPUTER_NAME = Fields.WINLOG_COMPUTER_NAME;
    static final String WINLOG_PROVIDER_NAME = Fields.WINLOG_PROVIDER_NAME;
    static final String WINLOG_RECORD_ID = Fields.WINLOG_RECORD_ID;
    static final String WINLOG_LEVEL = Fields.WINLOG_LEVEL;
    /** input-winevent's names (EventXmlMapper): plugins share field names, not classes. */
    static final String WINLOG_EVENT_DATA_PREFIX = "winlog.event_data.";
    static final String WINLOG_USER_DATA_PREFIX = "winlog.user_data.";
    static final String WINLOG_LOGON_TYPE = "winlog.logon.type";
    static final String WINLOG_LOGON_ID = "winlog.logon.id";
    static final String JOURNALD_PREFIX = "journald.";
    static final String LOG_LEVEL = "log.level";
    static final String FIM_SCAN_COMPLETE = "scan_complete";

    private static final DateTimeFormatter MILLISECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String source;
    private final String hostName;
    private final String agentVersion;

    /** @param source the {@code source} of every event ({@link HttpOutputConfig#effectiveLogNogSource()}) */
    LogNogEncoder(String source, String hostName, String agentVersion)
    {
        this.source = requireNonNull(source, "source is null");
        this.hostName = requireNonNull(hostName, "hostName is null");
        this.agentVersion = requireNonNull(agentVersion, "agentVersion is null");
    }

    /**
     * A body and which batch events it holds, or, for a batch beyond the size limit, how many of its first events fit.
     *
     * @param json the request body; null when every event was skipped (nothing to send) or the batch is too large
     * @param sentIndexes the batch index of each element of {@code events}, in order
     * @param skipped batch index → why that event was not sent
     * @param fitting how many events from the start of the batch fit within the limit: all of them, unless the batch
     *        is too large ({@link #tooLarge})
     */
    record Encoded(String json, List<Integer> sentIndexes, Map<Integer, String> skipped, int fitting, boolean tooLarge)
    {
        Encoded
        {
            sentIndexes = List.copyOf(sentIndexes);
            skipped = Map.copyOf(skipped);
        }
    }

    /** The body of the whole batch (tests and examples; no size limit). */
    String encode(List<Event> batch)
    {
        return encode(batch, Integer.MAX_VALUE).json();
    }

    /**
     * The body, or, as soon as it is longer than {@code maxLength} characters (so at least as many UTF-8 bytes), a
     * too-large result with how many events before that fit: the text held is bounded by the limit plus one event,
     * not by the whole batch.
     */
    Encoded encode(List<Event> batch, int maxLength)
    {
        // the closing "]}" counts towards what fits
        final int closing = 2;
        StringBuilder out = new StringBuilder((int) Math.min(maxLength, Math.min(batch.size() * 320L + 16, 1L << 20)));
        List<Integer> sent = new ArrayList<>(batch.size());
        Map<Integer, String> skipped = new LinkedHashMap<>();
        out.append("{\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            Event event = batch.get(i);
            String skip = skipReason(event);
            if (skip != null) {
                skipped.put(i, skip);
                continue;
            }
            if (!sent.isEmpty()) {
                out.append(',');
            }
            writeEvent(out, event);
            sent.add(i);
            if (out.length() + closing > maxLength) {
                return new Encoded(null, List.of(), Map.of(), i, true);
            }
        }
        out.append("]}");
        return new Encoded(sent.isEmpty() ? null : out.toString(), sent, skipped, batch.size(), false);
    }

    /** Why an event is not sent to LogNog, or null when it is. */
    static String skipReason(Event event)
    {
        if (isFim(event) && FIM_SCAN_COMPLETE.equals(event.fieldAsString(Fields.EVENT_ACTION))) {
            return "a FIM scan_complete marker is not a file change; LogNog has no event for it";
        }
        return null;
    }

    void writeEvent(StringBuilder out, Event event)
    {
        out.append("{\"timestamp\":");
        JsonWriter.writeString(out, MILLISECONDS.format(event.timestamp()));
        out.append(",\"hostname\":");
        JsonWriter.writeString(out, firstNonNull(event.fieldAsString(Fields.HOST_NAME), hostName));
        out.append(",\"source\":");
        JsonWriter.writeString(out, source);
        if (isFim(event)) {
            writeFim(out, event);
        }
        else if (event.field(WINLOG_EVENT_ID) != null || event.field(WINLOG_CHANNEL) != null) {
            writeWindows(out, event);
        }
        else if (event.field(Fields.LOG_FILE_PATH) == null && isJournald(event)) {
            writeJournald(out, event);
        }
        else {
            writeFile(out, event);
        }
        out.append('}');
    }

    private static boolean isFim(Event event)
    {
        return "fim".equals(event.fieldAsString(Fields.EVENT_MODULE));
    }

    private static boolean isJournald(Event event)
    {
        if ("journald".equals(event.fieldAsString(Fields.EVENT_MODULE)) || event.field(Fields.SYSTEMD_UNIT) != null) {
            return true;
        }
        // input-journald keeps the entry's other fields (at least _COMM) under journald.*
        for (String name : event.fields().keySet()) {
            if (name.startsWith(JOURNALD_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    private void writeFile(StringBuilder out, Event event)
    {
        String path = event.fieldAsString(Fields.LOG_FILE_PATH);
        String sourceType = path != null ? "file" : firstNonNull(event.fieldAsString(Fields.EVENT_MODULE), "agent");
        JsonWriter.writeMember(out, false, "source_type", sourceType);
        JsonWriter.writeMember(out, false, "file_path", path);
        // LogNog In ships the line as read; a parser keeps it in event.original when it rewrites the message
        JsonWriter.writeMember(out, false, "message", firstNonNull(event.fieldAsString(Fields.EVENT_ORIGINAL), event.message()));
        out.append(",\"metadata\":{");
        boolean first = true;
        first = JsonWriter.writeMember(out, first, "file_size", event.field(Fields.LOG_FILE_SIZE));
        first = JsonWriter.writeMember(out, first, "file_modified", event.field(Fields.LOG_FILE_MTIME));
        first = writeSecurity(out, first, event);
        JsonWriter.writeMember(out, first, "agent_version", agentVersion);
        out.append('}');
    }

    private void writeJournald(StringBuilder out, Event event)
    {
        JsonWriter.writeMember(out, false, "source_type", "journald");
        JsonWriter.writeMember(out, false, "message", event.message());
        out.append(",\"metadata\":{");
        boolean first = true;
        first = JsonWriter.writeMember(out, first, "unit", event.fieldAsString(Fields.SYSTEMD_UNIT));
        first = JsonWriter.writeMember(out, first, "process", event.fieldAsString(Fields.PROCESS_NAME));
        first = JsonWriter.writeMember(out, first, "pid", event.field(Fields.PROCESS_PID));
        first = JsonWriter.writeMember(out, first, "priority", event.field(Fields.LOG_SYSLOG_PRIORITY));
        first = JsonWriter.writeMember(out, first, "facility", event.field(Fields.LOG_SYSLOG_FACILITY));
        first = writeSecurity(out, first, event);
        JsonWriter.writeMember(out, first, "agent_version", agentVersion);
        out.append('}');
    }

    private void writeFim(StringBuilder out, Event event)
    {
        String action = event.fieldAsString(Fields.EVENT_ACTION);
        String previous;
        String current;
        if ("deleted".equals(action)) {
            // the FIM input describes a deleted file as it was: its last digest is the previous hash
            previous = firstNonNull(event.fieldAsString(PREVIOUS_HASH), event.fieldAsString(Fields.FILE_HASH_SHA256));
            current = null;
        }
        else {
            previous = event.fieldAsString(PREVIOUS_HASH);
            current = event.fieldAsString(Fields.FILE_HASH_SHA256);
        }
        JsonWriter.writeMember(out, false, "source_type", "fim");
        JsonWriter.writeMember(out, false, "event_type", action);
        JsonWriter.writeMember(out, false, "file_path", event.fieldAsString(Fields.FILE_PATH));
        out.append(",\"previous_hash\":");
        JsonWriter.writeValue(out, sha256(previous));
        out.append(",\"current_hash\":");
        JsonWriter.writeValue(out, sha256(current));
        JsonWriter.writeMember(out, false, "file_owner", event.fieldAsString(Fields.FILE_OWNER));
        JsonWriter.writeMember(out, false, "file_permissions", event.fieldAsString(Fields.FILE_MODE));
        JsonWriter.writeMember(out, false, "message", event.message());
        out.append(",\"metadata\":{");
        boolean first = true;
        first = JsonWriter.writeMember(out, first, "file_size", event.field(Fields.FILE_SIZE));
        first = JsonWriter.writeMember(out, first, "file_modified", event.field(Fields.FILE_MTIME));
        first = JsonWriter.writeMember(out, first, "file_group", event.fieldAsString(Fields.FILE_GROUP));
        JsonWriter.writeMember(out, first, "agent_version", agentVersion);
        out.append('}');
    }

    private void writeWindows(StringBuilder out, Event event)
    {
        JsonWriter.writeMember(out, false, "source_type", "windows_events");
        JsonWriter.writeMember(out, false, "event_id", event.field(WINLOG_EVENT_ID));
        JsonWriter.writeMember(out, false, "computer",
                firstNonNull(event.fieldAsString(WINLOG_COMPUTER_NAME), event.fieldAsString(Fields.HOST_NAME)));
        JsonWriter.writeMember(out, false, "channel", event.fieldAsString(WINLOG_CHANNEL));
        JsonWriter.writeMember(out, false, "message", event.message());
        out.append(",\"metadata\":{");
        boolean first = true;
        first = JsonWriter.writeMember(out, first, "provider", event.fieldAsString(WINLOG_PROVIDER_NAME));
        first = JsonWriter.writeMember(out, first, "record_id", event.field(WINLOG_RECORD_ID));
        first = JsonWriter.writeMember(out, first, "level", firstNonNull(event.fieldAsString(WINLOG_LEVEL), event.fieldAsString(LOG_LEVEL)));
        first = writeSecurity(out, first, event);
        first = JsonWriter.writeMember(out, first, "logon_type", event.fieldAsString(WINLOG_LOGON_TYPE));
        first = JsonWriter.writeMember(out, first, "logon_id", event.fieldAsString(WINLOG_LOGON_ID));
        first = writePrefixed(out, first, "event_data", event, WINLOG_EVENT_DATA_PREFIX);
        first = writePrefixed(out, first, "user_data", event, WINLOG_USER_DATA_PREFIX);
        JsonWriter.writeMember(out, first, "agent_version", agentVersion);
        out.append('}');
    }

    /**
     * What a parser or input classified, under the same metadata names for every source: a Linux sudo line, an
     * OpenSSH failure and a Windows 4625 all carry {@code action}, {@code outcome}, {@code user}, {@code source_ip}...
     * Nothing is written for an event without {@code event.action}.
     */
    private static boolean writeSecurity(StringBuilder out, boolean first, Event event)
    {
        String action = event.fieldAsString(Fields.EVENT_ACTION);
        if (action == null) {
            return first;
        }
        first = JsonWriter.writeMember(out, first, "action", action);
        first = JsonWriter.writeMember(out, first, "outcome", event.fieldAsString(Fields.EVENT_OUTCOME));
        first = JsonWriter.writeMember(out, first, "user", event.fieldAsString(Fields.USER_NAME));
        first = JsonWriter.writeMember(out, first, "domain", event.fieldAsString(Fields.USER_DOMAIN));
        first = JsonWriter.writeMember(out, first, "user_id", event.fieldAsString(Fields.USER_ID));
        first = JsonWriter.writeMember(out, first, "target_user", event.fieldAsString(Fields.USER_TARGET_NAME));
        first = JsonWriter.writeMember(out, first, "target_user_id", event.fieldAsString(Fields.USER_TARGET_ID));
        first = JsonWriter.writeMember(out, first, "group", event.fieldAsString(Fields.GROUP_NAME));
        first = JsonWriter.writeMember(out, first, "service", event.fieldAsString(Fields.SERVICE_NAME));
        first = JsonWriter.writeMember(out, first, "command_line", event.fieldAsString(Fields.PROCESS_COMMAND_LINE));
        first = JsonWriter.writeMember(out, first, "working_directory", event.fieldAsString(Fields.PROCESS_WORKING_DIRECTORY));
        first = JsonWriter.writeMember(out, first, "tty", event.fieldAsString(Fields.PROCESS_TTY));
        first = JsonWriter.writeMember(out, first, "source_ip", event.fieldAsString(Fields.SOURCE_IP));
        first = JsonWriter.writeMember(out, first, "source_port", event.field(Fields.SOURCE_PORT));
        first = JsonWriter.writeMember(out, first, "source_domain", event.fieldAsString(Fields.SOURCE_DOMAIN));
        // a failure's reason says why it failed; other events' reasons qualify the action (reset, created, ...)
        String reason = event.fieldAsString(Fields.EVENT_REASON);
        return JsonWriter.writeMember(out, first, Fields.OUTCOME_FAILURE.equals(event.fieldAsString(Fields.EVENT_OUTCOME)) ? "failure_reason" : "reason",
                reason);
    }

    /** The fields under {@code prefix} as one object named {@code name}, keys without the prefix; nothing when there are none. */
    private static boolean writePrefixed(StringBuilder out, boolean first, String name, Event event, String prefix)
    {
        Map<String, Object> values = new LinkedHashMap<>();
        event.fields().forEach((field, value) -> {
            if (field.startsWith(prefix) && field.length() > prefix.length()) {
                values.put(field.substring(prefix.length()), value);
            }
        });
        if (values.isEmpty()) {
            return first;
        }
        return JsonWriter.writeMember(out, first, name, values);
    }

    private static String sha256(String digest)
    {
        if (digest == null || digest.isEmpty()) {
            return null;
        }
        return digest.startsWith("sha256:") ? digest : "sha256:" + digest;
    }

    private static String firstNonNull(String first, String second)
    {
        return first != null ? first : second;
    }
}
