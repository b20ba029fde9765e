package io.outrider.plugin.syslog;

import io.outrider.support.JsonWriter;
import io.outrider.spi.Event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.outrider.plugin.syslog.SyslogText.NIL;
import static io.outrider.plugin.syslog.SyslogText.printableAscii;
import static java.util.Objects.requireNonNull;

/**
 * RFC 5424: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]}.
 *
 * <p>The timestamp is UTC with microseconds (the most TIME-SECFRAC allows). Header fields are PRINTUSASCII cut to
 * their RFC lengths (255, 48, 128, 32); other characters become {@code _}. Event fields become one SD-ELEMENT whose
 * PARAM-NAMEs are the field names (dotted names are valid; {@code =}, space, {@code ]}, {@code "} and
 * non-ASCII become {@code _}, cut at 32) and whose values are the field values (lists and maps as JSON). MSG is
 * sent without a BOM (MSG-ANY). A message longer than the limit keeps its header; the structured data is dropped if
 * it alone does not fit, then MSG is cut at a character boundary.
 */
final class Rfc5424Encoder
        implements SyslogEncoder
{
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final String PARAM_NAME_FORBIDDEN = "= ]\"";
    private static final int MAX_PARAM_NAME_LENGTH = 32;

    private final SyslogEventMapper mapper;
    private final String sdId;
    private final Optional<List<String>> sdFields;
    private final int maxMessageBytes;
    private final boolean escapeLineBreaks;
    private final Runnable onTruncation;
    /** The text of the last second formatted: events come in bursts of the same second, and the formatter costs. */
    private volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

    /**
     * @param sdFields the fields written as structured data, in this order; empty optional: all fields
     * @param escapeLineBreaks escape CR and LF in MSG and SD values (LF framing)
     * @param onTruncation called for every message that had to be cut to fit {@code maxMessageBytes}
     */
    Rfc5424Encoder(SyslogEventMapper mapper, String sdId, Optional<List<String>> sdFields, int maxMessageBytes, boolean escapeLineBreaks,
            Runnable onTruncation)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.sdId = requireNonNull(sdId, "sdId is null");
        this.sdFields = requireNonNull(sdFields, "sdFields is null").map(List::copyOf);
        this.maxMessageBytes = maxMessageBytes;
        this.escapeLineBreaks = escapeLineBreaks;
        this.onTruncation = requireNonNull(onTruncation, "onTruncation is null");
    }

    @Override
    public byte[] encode(Event event)
            throws UnencodableEventException
    {
        String header = "<" + mapper.priority(event) + ">1 "
                + timestamp(event.timestamp()) + ' '
                + printableAscii(mapper.hostName(event), 255) + ' '
                + printableAscii(mapper.appName(event), 48) + ' '
                + printableAscii(mapper.procId(event), 128) + ' '
                + printableAscii(mapper.msgId(event), 32) + ' ';
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        if (headerBytes.length + NIL.length() > maxMessageBytes) {
            throw new UnencodableEventException("the RFC 5424 header alone is " + (headerBytes.length + NIL.length())
                    + " bytes, more than max_message_size (" + maxMessageBytes + " bytes)");
        }
        byte[] structuredData = structuredData(event).getBytes(StandardCharsets.UTF_8);
        String text = mapper.body(event);
        byte[] message = (escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text).getBytes(StandardCharsets.UTF_8);

        boolean truncated = false;
        if (headerBytes.length + structuredData.length > maxMessageBytes) {
            structuredData = NIL.getBytes(StandardCharsets.US_ASCII);
            truncated = true;
        }
        int room = maxMessageBytes - headerBytes.length - structuredData.length - 1;
        if (message.length > room) {
            message = SyslogText.truncateUtf8(message, room);
            truncated = true;
        }
        if (truncated) {
            onTruncation.run();
        }

        byte[] out = new byte[headerBytes.length + structuredData.length + (message.length == 0 ? 0 : 1 + message.length)];
        System.arraycopy(headerBytes, 0, out, 0, headerBytes.length);
        System.arraycopy(structuredData, 0, out, headerBytes.length, structuredData.length);
        if (message.length > 0) {
            out[headerBytes.length + structuredData.length] = ' ';
            System.arraycopy(message, 0, out, headerBytes.length + structuredData.length + 1, message.length);
        }
        return out;
    }

    /** The STRUCTURED-DATA part: one element with the selected fields, or {@code -} when there are none. */
    String structuredData(Event event)
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
            out.append(' ').append(paramName(name)).append("=\"");
            SyslogText.appendParamValue(out, text);
            out.append('"');
            params++;
        }
        return params == 0 ? NIL : out.append(']').toString();
    }

    /** A valid PARAM-NAME for a field name: PRINTUSASCII without {@code = ] "} and space, at most 32 characters. */
    static String paramName(String fieldName)
    {
        return printableAscii(fieldName, MAX_PARAM_NAME_LENGTH, PARAM_NAME_FORBIDDEN);
    }

    private String timestamp(Instant timestamp)
    {
        // RFC 5424 has four-digit years only; anything else is sent as "unknown time"
        if (timestamp.isBefore(EARLIEST) || timestamp.isAfter(LATEST)) {
            return NIL;
        }
        FormattedSecond second = lastSecond;
        if (second.epochSecond != timestamp.getEpochSecond()) {
            second = new FormattedSecond(timestamp.getEpochSecond(), SECONDS.format(timestamp));
            lastSecond = second;
        }
        int micros = timestamp.getNano() / 1000;
        char[] text = new char[second.text.length() + 7];
        second.text.getChars(0, second.text.length(), text, 0);
        for (int i = second.text.length() + 5; i >= second.text.length(); i--) {
            text[i] = (char) ('0' + micros % 10);
            micros /= 10;
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /** {@code uuuu-MM-dd'T'HH:mm:ss.} of one second, UTC. */
    private record FormattedSecond(long epochSecond, String text) {}
}
