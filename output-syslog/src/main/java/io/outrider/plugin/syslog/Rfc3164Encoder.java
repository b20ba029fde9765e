package io.outrider.plugin.syslog;

import io.outrider.spi.Event;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static io.outrider.plugin.syslog.SyslogText.printableAscii;
import static java.util.Objects.requireNonNull;

/**
 * RFC 3164 (BSD syslog): {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG}, the timestamp in a configured zone
 * (the format carries none, nor a year, nor fractions). TAG is the application name, at most 32 printable ASCII
 * characters without {@code : [ ]}; messages longer than the limit are cut at a character boundary.
 */
final class Rfc3164Encoder
        implements SyslogEncoder
{
    private final SyslogEventMapper mapper;
    private final DateTimeFormatter timestampFormat;
    private final int maxMessageBytes;
    private final boolean escapeLineBreaks;
    private final Runnable onTruncation;

    Rfc3164Encoder(SyslogEventMapper mapper, ZoneId zone, int maxMessageBytes, boolean escapeLineBreaks, Runnable onTruncation)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.timestampFormat = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(requireNonNull(zone, "zone is null"));
        this.maxMessageBytes = maxMessageBytes;
        this.escapeLineBreaks = escapeLineBreaks;
        this.onTruncation = requireNonNull(onTruncation, "onTruncation is null");
    }

    @Override
    public byte[] encode(Event event)
            throws UnencodableEventException
    {
        StringBuilder header = new StringBuilder(64)
                .append('<').append(mapper.priority(event)).append('>')
                .append(timestampFormat.format(event.timestamp())).append(' ')
                .append(printableAscii(mapper.hostName(event), 255)).append(' ')
                .append(printableAscii(mapper.appName(event), 32, ":[]"));
        String procId = mapper.procId(event);
        if (procId != null && !procId.isEmpty()) {
            header.append('[').append(printableAscii(procId, 128, "[]")).append(']');
        }
        header.append(": ");
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        if (headerBytes.length > maxMessageBytes) {
            throw new UnencodableEventException("the RFC 3164 header alone is " + headerBytes.length
                    + " bytes, more than max_message_size (" + maxMessageBytes + " bytes)");
        }
        String text = mapper.body(event);
        byte[] message = (escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text).getBytes(StandardCharsets.UTF_8);
        int room = maxMessageBytes - headerBytes.length;
        if (message.length > room) {
            message = SyslogText.truncateUtf8(message, room);
            onTruncation.run();
        }
        byte[] out = new byte[headerBytes.length + message.length];
        System.arraycopy(headerBytes, 0, out, 0, headerBytes.length);
        System.arraycopy(message, 0, out, headerBytes.length, message.length);
        return out;
    }
}
