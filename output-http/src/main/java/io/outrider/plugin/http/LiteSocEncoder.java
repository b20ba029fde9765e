package io.outrider.plugin.http;

import io.outrider.support.JsonWriter;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

/**
 * The LiteSOC event: one JSON object per security event,
 * {@code {"event":"auth.login_failed","user_ip":"203.0.113.42","actor":{"id":"root"},"metadata":{"source":"sshd","log_file":"/var/log/auth.log","reason":"failed_password","port":"22"}}}.
 *
 * <p>Mapping: {@code event.action} → {@code event}; {@code source.ip} → {@code user_ip}; {@code user.name} →
 * {@code actor.id}; {@code process.name}, else {@code event.module} → {@code metadata.source};
 * {@code log.file.path} → {@code metadata.log_file}; {@code event.reason} → {@code metadata.reason};
 * {@code source.port} → {@code metadata.port} as a string. Absent values are left out (no {@code null}s); an empty
 * {@code actor} or {@code metadata} is left out too.
 */
final class LiteSocEncoder
{
    private final String defaultEvent;

    /** @param defaultEvent the event name for events without {@code event.action}; null to skip them */
    LiteSocEncoder(String defaultEvent)
    {
        this.defaultEvent = defaultEvent;
    }

    /** The JSON object, or {@code null} when the event is not a security event (no action and no default). */
    String encode(Event event)
    {
        String action = event.fieldAsString(Fields.EVENT_ACTION);
        if (action == null) {
            action = defaultEvent;
        }
        if (action == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(192);
        out.append("{\"event\":");
        JsonWriter.writeString(out, action);
        String ip = event.fieldAsString(Fields.SOURCE_IP);
        if (ip != null) {
            out.append(",\"user_ip\":");
            JsonWriter.writeString(out, ip);
        }
        String user = event.fieldAsString(Fields.USER_NAME);
        if (user != null) {
            out.append(",\"actor\":{\"id\":");
            JsonWriter.writeString(out, user);
            out.append('}');
        }
        String source = event.fieldAsString(Fields.PROCESS_NAME);
        if (source == null) {
            source = event.fieldAsString(Fields.EVENT_MODULE);
        }
        int metadataStart = out.length();
        out.append(",\"metadata\":{");
        boolean first = true;
        first = JsonWriter.writeMember(out, first, "source", source);
        first = JsonWriter.writeMember(out, first, "log_file", event.fieldAsString(Fields.LOG_FILE_PATH));
        first = JsonWriter.writeMember(out, first, "reason", event.fieldAsString(Fields.EVENT_REASON));
        first = JsonWriter.writeMember(out, first, "port", portText(event.field(Fields.SOURCE_PORT)));
        if (first) {
            out.setLength(metadataStart);
        }
        else {
            out.append('}');
        }
        return out.append('}').toString();
    }

    private static String portText(Object port)
    {
        if (port == null) {
            return null;
        }
        // a port parsed as a double (22.0) is still port "22"
        if (port instanceof Number && !(port instanceof Long || port instanceof Integer)) {
            double value = ((Number) port).doubleValue();
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                return Long.toString((long) value);
            }
        }
        return String.valueOf(port);
    }
}
