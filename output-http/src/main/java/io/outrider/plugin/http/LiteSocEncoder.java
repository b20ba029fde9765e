package io.outrider.plugin.http;

import io.outrider.support.JsonWriter;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.SecurityActions;

import java.util.Map;
import java.util.Set;

/**
 * The LiteSOC event: one JSON object per security event,
 * {@code {"event":"auth.login_failed","user_ip":"203.0.113.42","actor":{"id":"root"},"metadata":{"source":"sshd","log_file":"/var/log/auth.log","reason":"failed_password","port":"22"}}}.
 *
 * <p>Mapping: {@code event.action} → {@code event}; {@code source.ip} → {@code user_ip}; {@code user.name} →
 * {@code actor.id}; {@code process.name}, else {@code event.module} → {@code metadata.source}, where every OpenSSH
 * process ({@code sshd}, {@code sshd-session} from OpenSSH 9.8, {@code sshd-auth}) is {@code "sshd"}, the name a
 * LiteSOC collector knows;
 * {@code log.file.path} → {@code metadata.log_file}; {@code event.reason} → {@code metadata.reason};
 * {@code source.port} → {@code metadata.port} as a string; {@code host.name} → {@code metadata.source_hostname} (as
 * LiteSOC Sentinel stamps it). Absent values are left out (no {@code null}s); an empty
 * {@code actor} or {@code metadata} is left out too.
 */
final class LiteSocEncoder
{
    /** Our action → LiteSOC's event name, for the actions LiteSOC has an event for. */
    static final Map<String, String> LITESOC_EVENTS = Map.of(
            SecurityActions.LOGIN_SUCCESS, "auth.login_success",
            SecurityActions.LOGIN_FAILED, "auth.login_failed",
            SecurityActions.LOGOUT, "auth.logout",
            // sent by the sshd mapping before the vocabulary existed: LiteSOC users' rules know them
            SecurityActions.PREAUTH_DISCONNECT, "auth.preauth_disconnect",
            SecurityActions.SCAN, "auth.scan");

    /** The vocabulary's actions LiteSOC has no event for: skipped, not sent under an unknown name. */
    static final Set<String> WITHOUT_LITESOC_EVENT = Set.of(
            SecurityActions.EXPLICIT_CREDENTIALS, SecurityActions.SESSION_OPENED, SecurityActions.SESSION_CLOSED,
            SecurityActions.PRIVILEGE_USE, SecurityActions.PRIVILEGE_DENIED,
            SecurityActions.ACCOUNT_CREATED, SecurityActions.ACCOUNT_DELETED, SecurityActions.ACCOUNT_MODIFIED,
            SecurityActions.ACCOUNT_ENABLED, SecurityActions.ACCOUNT_DISABLED, SecurityActions.ACCOUNT_LOCKED,
            SecurityActions.ACCOUNT_UNLOCKED, SecurityActions.PASSWORD_CHANGED,
            SecurityActions.GROUP_CREATED, SecurityActions.GROUP_DELETED, SecurityActions.GROUP_MEMBER_ADDED,
            SecurityActions.GROUP_MEMBER_REMOVED,
            SecurityActions.LOG_CLEARED, SecurityActions.SERVICE_INSTALLED, SecurityActions.PROCESS_STARTED, SecurityActions.TASK_CHANGED);

    private final String defaultEvent;

    /** @param defaultEvent the event name for events without {@code event.action}; null to skip them */
    LiteSocEncoder(String defaultEvent)
    {
        this.defaultEvent = defaultEvent;
    }

    /** Why the event is not sent to LiteSOC, or null when it is. */
    String skipReason(Event event)
    {
        String action = event.fieldAsString(Fields.EVENT_ACTION);
        if (action == null) {
            return defaultEvent == null ? "not a security event (no event.action); set litesoc_default_event to send such events" : null;
        }
        return WITHOUT_LITESOC_EVENT.contains(action) ? "litesoc has no event for " + action : null;
    }

    /** The JSON object, or {@code null} when the event is not sent ({@link #skipReason}). */
    String encode(Event event)
    {
        if (skipReason(event) != null) {
            return null;
        }
        String action = event.fieldAsString(Fields.EVENT_ACTION);
        action = action == null ? defaultEvent : LITESOC_EVENTS.getOrDefault(action, action);
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
        if (source != null && (source.equals("sshd") || source.startsWith("sshd-"))) {
            source = "sshd";
        }
        int metadataStart = out.length();
        out.append(",\"metadata\":{");
        boolean first = true;
        first = JsonWriter.writeMember(out, first, "source", source);
        first = JsonWriter.writeMember(out, first, "log_file", event.fieldAsString(Fields.LOG_FILE_PATH));
        first = JsonWriter.writeMember(out, first, "reason", event.fieldAsString(Fields.EVENT_REASON));
        first = JsonWriter.writeMember(out, first, "port", portText(event.field(Fields.SOURCE_PORT)));
        // as LiteSOC Sentinel stamps every event: hosts that share a key are told apart by it
        first = JsonWriter.writeMember(out, first, "source_hostname", event.fieldAsString(Fields.HOST_NAME));
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
