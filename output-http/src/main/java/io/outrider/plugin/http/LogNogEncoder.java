package io.outrider.plugin.http;

import io.outrider.support.JsonWriter;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The LogNog agent ingest body, {@code {"events":[...]}}, with one object per event in batch order (so the
 * {@code errors} of LogNog's answer can be mapped back to batch indexes). Three shapes:
 * <ul>
 *   <li>file integrity ({@code event.module} is {@code fim}): {@code source_type "fim"}, {@code event_type} from
 *       {@code event.action} ({@code created}, {@code modified}, {@code deleted}, {@code attributes_changed}),
 *       {@code file_path}, {@code previous_hash} and {@code current_hash} as {@code sha256:<hex>} (from
 *       {@value #PREVIOUS_HASH} and {@code file.hash.sha256}; {@code null} when there is none, e.g. on creation or
 *       deletion), {@code file_owner}, {@code file_permissions} ({@code file.mode});</li>
 *   <li>Windows events (a {@code winlog.event_id} or {@code winlog.channel} field): {@code source_type
 *       "windows_events"} with {@code event_id}, {@code computer} ({@code winlog.computer_name}, else
 *       {@code host.name}) and {@code channel}, and {@code metadata.provider}/{@code record_id}/{@code level} from
 *       {@code winlog.provider_name}/{@code winlog.record_id}/{@code winlog.level};</li>
 *   <li>everything else: {@code source_type "file"} with {@code file_path} from {@code log.file.path} and
 *       {@code metadata.file_size}/{@code file_modified} from {@code log.file.size}/{@code log.file.mtime}; an event
 *       that did not come from a file gets its {@code event.module} (e.g. {@code journald}) as source type, else
 *       {@code agent}.</li>
 * </ul>
 * Every object starts with {@code timestamp} (ISO-8601 UTC), {@code hostname} ({@code host.name}, else the agent's)
 * and {@code source} (the configured agent name, else {@code agent.name}, else the agent's host name), carries
 * {@code message}, and ends with {@code metadata} holding at least {@code agent_version}. Absent values are left
 * out except the two FIM hashes.
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
    static final String LOG_LEVEL = "log.level";

    private final String configuredAgentName;
    private final String hostName;
    private final String agentVersion;

    LogNogEncoder(String configuredAgentName, String hostName, String agentVersion)
    {
        this.configuredAgentName = configuredAgentName;
        this.hostName = requireNonNull(hostName, "hostName is null");
        this.agentVersion = requireNonNull(agentVersion, "agentVersion is null");
    }

    String encode(List<Event> batch)
    {
        return encode(batch, Integer.MAX_VALUE).orElseThrow();
    }

    /**
     * The body, or empty as soon as it is longer than {@code maxLength} characters (so at least as many UTF-8
     * bytes): the text held is bounded by the limit plus one event, not by the whole batch.
     */
    Optional<String> encode(List<Event> batch, int maxLength)
    {
        StringBuilder out = new StringBuilder((int) Math.min(maxLength, Math.min(batch.size() * 320L + 16, 1L << 20)));
        out.append("{\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeEvent(out, batch.get(i));
            if (out.length() > maxLength) {
                return Optional.empty();
            }
        }
        out.append("]}");
        return out.length() > maxLength ? Optional.empty() : Optional.of(out.toString());
    }

    void writeEvent(StringBuilder out, Event event)
    {
        out.append("{\"timestamp\":");
        JsonWriter.writeTimestamp(out, event.timestamp());
        out.append(",\"hostname\":");
        JsonWriter.writeString(out, firstNonNull(event.fieldAsString(Fields.HOST_NAME), hostName));
        out.append(",\"source\":");
        String source = configuredAgentName != null ? configuredAgentName : firstNonNull(event.fieldAsString(Fields.AGENT_NAME), hostName);
        JsonWriter.writeString(out, source);
        if ("fim".equals(event.fieldAsString(Fields.EVENT_MODULE))) {
            writeFim(out, event);
        }
        else if (event.field(WINLOG_EVENT_ID) != null || event.field(WINLOG_CHANNEL) != null) {
            writeWindows(out, event);
        }
        else {
            writeFile(out, event);
        }
        out.append('}');
    }

    private void writeFile(StringBuilder out, Event event)
    {
        String path = event.fieldAsString(Fields.LOG_FILE_PATH);
        String sourceType = path != null ? "file" : firstNonNull(event.fieldAsString(Fields.EVENT_MODULE), "agent");
        JsonWriter.writeMember(out, false, "source_type", sourceType);
        JsonWriter.writeMember(out, false, "file_path", path);
        JsonWriter.writeMember(out, false, "message", event.message());
        out.append(",\"metadata\":{");
        boolean first = true;
        first = JsonWriter.writeMember(out, first, "file_size", event.field(Fields.LOG_FILE_SIZE));
        first = JsonWriter.writeMember(out, first, "file_modified", event.field(Fields.LOG_FILE_MTIME));
        JsonWriter.writeMember(out, first, "agent_version", agentVersion);
        out.append('}');
    }

    private void writeFim(StringBuilder out, Event event)
    {
        JsonWriter.writeMember(out, false, "source_type", "fim");
        JsonWriter.writeMember(out, false, "event_type", event.fieldAsString(Fields.EVENT_ACTION));
        JsonWriter.writeMember(out, false, "file_path", event.fieldAsString(Fields.FILE_PATH));
        out.append(",\"previous_hash\":");
        JsonWriter.writeValue(out, sha256(event.fieldAsString(PREVIOUS_HASH)));
        out.append(",\"current_hash\":");
        JsonWriter.writeValue(out, sha256(event.fieldAsString(Fields.FILE_HASH_SHA256)));
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
        JsonWriter.writeMember(out, first, "agent_version", agentVersion);
        out.append('}');
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
