package io.outrider.plugin.syslog;

import io.outrider.spi.Event;
import io.outrider.support.JsonWriter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.outrider.plugin.syslog.SyslogText.NIL;
import static io.outrider.plugin.syslog.SyslogText.printableAscii;

/**
 * The encoders' rules written the plain way, as strings that are escaped and then encoded, with a formatter call
 * per timestamp: the reference the encoders' byte-writing fast path is compared with.
 */
final class StraightforwardEncoding
{
    private static final DateTimeFormatter RFC5424_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3164_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private StraightforwardEncoding() {}

    /** A message, or the reason it could not be made; whether it was cut to fit. */
    record Encoded(byte[] bytes, String rejection, boolean truncated)
    {
        static Encoded rejected(String reason)
        {
            return new Encoded(null, reason, false);
        }
    }

    static Encoded rfc5424(SyslogEventMapper mapper, String sdId, Optional<List<String>> sdFields, int maxMessageBytes, boolean escapeLineBreaks,
            Event event)
    {
        String header = "<" + mapper.priority(event) + ">1 "
                + rfc5424Timestamp(event.timestamp()) + ' '
                + printableAscii(mapper.hostName(event), 255) + ' '
                + printableAscii(mapper.appName(event), 48) + ' '
                + printableAscii(mapper.procId(event), 128) + ' '
                + printableAscii(mapper.msgId(event), 32) + ' ';
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        if (headerBytes.length + NIL.length() > maxMessageBytes) {
            return Encoded.rejected("the RFC 5424 header alone is " + (headerBytes.length + NIL.length())
                    + " bytes, more than max_message_size (" + maxMessageBytes + " bytes)");
        }
        byte[] structuredData = structuredData(sdId, sdFields, escapeLineBreaks, event).getBytes(StandardCharsets.UTF_8);
        String text = mapper.body(event);
        byte[] message = (escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text).getBytes(StandardCharsets.UTF_8);

        boolean truncated = false;
        if (headerBytes.length + structuredData.length > maxMessageBytes) {
            structuredData = NIL.getBytes(StandardCharsets.US_ASCII);
            truncated = true;
        }
        int room = maxMessageBytes - headerBytes.length - structuredData.length - 1;
        if (message.length > room) {
            byte[] fitted = fittedDocument(mapper, event, room);
            message = fitted != null ? fitted : SyslogText.truncateUtf8(message, room);
            truncated = true;
        }
        byte[] result = new byte[headerBytes.length + structuredData.length + (message.length == 0 ? 0 : 1 + message.length)];
        System.arraycopy(headerBytes, 0, result, 0, headerBytes.length);
        System.arraycopy(structuredData, 0, result, headerBytes.length, structuredData.length);
        if (message.length > 0) {
            result[headerBytes.length + structuredData.length] = ' ';
            System.arraycopy(message, 0, result, headerBytes.length + structuredData.length + 1, message.length);
        }
        return new Encoded(result, null, truncated);
    }

    private static String structuredData(String sdId, Optional<List<String>> sdFields, boolean escapeLineBreaks, Event event)
    {
        Iterable<String> names = sdFields.isPresent() ? sdFields.get() : event.fields().keySet();
        StringBuilder out = new StringBuilder(128).append('[').append(sdId);
        int params = 0;
        for (String name : names) {
            Object value = event.field(name);
            if (value == null) {
                continue;
            }
            String text = value instanceof String ? (String) value
                    : value instanceof List || value instanceof Map ? JsonWriter.toJson(value)
                    : String.valueOf(value);
            if (escapeLineBreaks) {
                text = SyslogText.escapeLineBreaks(text);
            }
            out.append(' ').append(printableAscii(name, 32, "= ]\"")).append("=\"");
            SyslogText.appendParamValue(out, text);
            out.append('"');
            params++;
        }
        return params == 0 ? NIL : out.append(']').toString();
    }

    private static String rfc5424Timestamp(Instant timestamp)
    {
        return timestamp.isBefore(EARLIEST) || timestamp.isAfter(LATEST) ? NIL : RFC5424_TIME.format(timestamp);
    }

    static Encoded rfc3164(SyslogEventMapper mapper, ZoneId zone, int maxMessageBytes, boolean escapeLineBreaks, Event event)
    {
        StringBuilder header = new StringBuilder(64)
                .append('<').append(mapper.priority(event)).append('>')
                .append(RFC3164_TIME.withZone(zone).format(event.timestamp())).append(' ')
                .append(printableAscii(mapper.hostName(event), 255)).append(' ')
                .append(printableAscii(mapper.appName(event), 32, ":[]"));
        String procId = mapper.procId(event);
        if (procId != null && !procId.isEmpty()) {
            header.append('[').append(printableAscii(procId, 128, "[]")).append(']');
        }
        header.append(": ");
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        if (headerBytes.length > maxMessageBytes) {
            return Encoded.rejected("the RFC 3164 header alone is " + headerBytes.length
                    + " bytes, more than max_message_size (" + maxMessageBytes + " bytes)");
        }
        String text = mapper.body(event);
        byte[] message = (escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text).getBytes(StandardCharsets.UTF_8);
        int room = maxMessageBytes - headerBytes.length;
        boolean truncated = false;
        if (message.length > room) {
            byte[] fitted = fittedDocument(mapper, event, room);
            message = fitted != null ? fitted : SyslogText.truncateUtf8(message, room);
            truncated = true;
        }
        byte[] out = new byte[headerBytes.length + message.length];
        System.arraycopy(headerBytes, 0, out, 0, headerBytes.length);
        System.arraycopy(message, 0, out, headerBytes.length, message.length);
        return new Encoded(out, null, truncated);
    }

    /**
     * A JSON or ECS body too large for {@code room}, as the mapper documents it: the document of the event with its
     * strings cut to the largest cap (in UTF-8 bytes) that fits, found by walking down from the top in steps of 64
     * and then up one by one; null for a message body or when no cap fits. A cap above the room cannot fit, so the
     * walk starts there.
     */
    private static byte[] fittedDocument(SyslogEventMapper mapper, Event event, int room)
    {
        if (mapper.bodyFormat() == MessageBody.MESSAGE) {
            return null;
        }
        int cap = room;
        while (cap >= 0 && document(mapper, event, cap).length > room) {
            cap -= 64;
        }
        if (cap < 0) {
            cap = 0;
            if (document(mapper, event, 0).length > room) {
                return null;
            }
        }
        while (cap < room && document(mapper, event, cap + 1).length <= room) {
            cap++;
        }
        return document(mapper, event, cap);
    }

    private static byte[] document(SyslogEventMapper mapper, Event event, int cap)
    {
        return mapper.body(SyslogEventMapper.cutStrings(event, cap)).getBytes(StandardCharsets.UTF_8);
    }
}
