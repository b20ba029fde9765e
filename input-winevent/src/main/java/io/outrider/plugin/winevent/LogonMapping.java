package io.outrider.plugin.winevent;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.util.Map;

/**
 * Gives Security logon events (4624, 4625, 4634, 4647) the {@code auth.*} vocabulary of the sshd parser, so a
 * collector that understands SSH logins understands Windows logons too: {@code event.action}, {@code event.outcome},
 * {@code user.name}, {@code source.ip}, {@code source.port}, the logon type and, for failures, the reason.
 */
final class LogonMapping
{
    private LogonMapping() {}

    static void apply(int eventId, Map<String, Object> data, Event.Builder builder)
    {
        switch (eventId) {
            case 4624 -> {
                builder.field(Fields.EVENT_ACTION, EventXmlMapper.ACTION_LOGIN_SUCCESS);
                builder.field(Fields.EVENT_OUTCOME, Fields.OUTCOME_SUCCESS);
            }
            case 4625 -> {
                builder.field(Fields.EVENT_ACTION, EventXmlMapper.ACTION_LOGIN_FAILED);
                builder.field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE);
                String reason = failureReason(text(data, "SubStatus"));
                builder.field(Fields.EVENT_REASON, reason != null ? reason : failureReason(text(data, "Status")));
            }
            case 4634, 4647 -> {
                builder.field(Fields.EVENT_ACTION, EventXmlMapper.ACTION_LOGOUT);
                builder.field(Fields.EVENT_OUTCOME, Fields.OUTCOME_SUCCESS);
            }
            default -> {
                return;
            }
        }
        builder.field(Fields.USER_NAME, meaningful(text(data, "TargetUserName")));
        builder.field(EventXmlMapper.USER_DOMAIN, meaningful(text(data, "TargetDomainName")));
        builder.field(Fields.SOURCE_IP, ipAddress(text(data, "IpAddress")));
        builder.field(Fields.SOURCE_PORT, port(text(data, "IpPort")));
        Integer logonType = EventXmlMapper.parseInt(meaningful(text(data, "LogonType")));
        if (logonType != null) {
            builder.field(EventXmlMapper.LOGON_TYPE, logonTypeName(logonType));
        }
        builder.field(EventXmlMapper.LOGON_ID, meaningful(text(data, "TargetLogonId")));
    }

    /** The name Microsoft documents for a logon type number. */
    static String logonTypeName(int type)
    {
        return switch (type) {
            case 0 -> "System";
            case 2 -> "Interactive";
            case 3 -> "Network";
            case 4 -> "Batch";
            case 5 -> "Service";
            case 7 -> "Unlock";
            case 8 -> "NetworkCleartext";
            case 9 -> "NewCredentials";
            case 10 -> "RemoteInteractive";
            case 11 -> "CachedInteractive";
            case 12 -> "CachedRemoteInteractive";
            case 13 -> "CachedUnlock";
            default -> Integer.toString(type);
        };
    }

    /** A reason for the NTSTATUS codes that 4625 carries most often; null for success or an unknown code. */
    static String failureReason(String status)
    {
        if (status == null) {
            return null;
        }
        return switch (status.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "0xc0000064" -> "unknown user name";
            case "0xc000006a" -> "wrong password";
            case "0xc000006d" -> "bad user name or authentication information";
            case "0xc000006e" -> "account restriction";
            case "0xc000006f" -> "logon outside authorized hours";
            case "0xc0000070" -> "workstation restriction";
            case "0xc0000071" -> "password expired";
            case "0xc0000072" -> "account disabled";
            case "0xc0000133" -> "clock skew between client and domain controller";
            case "0xc000015b" -> "logon type not granted";
            case "0xc0000193" -> "account expired";
            case "0xc0000224" -> "password must be changed";
            case "0xc0000234" -> "account locked out";
            default -> null;
        };
    }

    /** {@code IpPort}: a port number, or null for "-" and for 0 (Windows' "no port"). */
    static Integer port(String text)
    {
        Long port = EventXmlMapper.parseLong(meaningful(text));
        return port != null && port > 0 && port <= 65535 ? port.intValue() : null;
    }

    static String ipAddress(String text)
    {
        String value = meaningful(text);
        if (value == null) {
            return null;
        }
        // IPv4 clients of a dual-stack listener appear as IPv4-mapped IPv6 addresses.
        if (value.regionMatches(true, 0, "::ffff:", 0, 7) && value.indexOf('.') > 0) {
            return value.substring(7);
        }
        return value;
    }

    /** Windows writes "-" where a value does not apply. */
    static String meaningful(String text)
    {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        return trimmed.isEmpty() || trimmed.equals("-") ? null : trimmed;
    }

    static String text(Map<String, Object> data, String name)
    {
        Object value = data.get(name);
        return value instanceof String ? (String) value : null;
    }
}
