package io.outrider.plugin.syslog;

import io.outrider.spi.Event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * RFC 3164 (BSD syslog): {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG}, the timestamp in a configured zone
 * (the format carries none, nor a year, nor fractions). TAG is the application name, at most 32 printable ASCII
 * characters without {@code : [ ]}; messages longer than the limit are cut at a character boundary.
 */
final class Rfc3164Encoder
        implements SyslogEncoder
{
    private static final boolean[] HEADER_FIELD = SyslogWriter.printableAsciiExcept("");
    private static final boolean[] TAG = SyslogWriter.printableAsciiExcept(":[]");
    private static final boolean[] PID = SyslogWriter.printableAsciiExcept("[]");

    private final SyslogEventMapper mapper;
    private final DateTimeFormatter timestampFormat;
    private final ZoneRules zoneRules;
    private final int maxMessageBytes;
    private final boolean escapeLineBreaks;
    private final Runnable onTruncation;
    /** The text of the last second written: events come in bursts of the same second, and the zone's offset costs a search. */
    private volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, new byte[0]);

    Rfc3164Encoder(SyslogEventMapper mapper, ZoneId zone, int maxMessageBytes, boolean escapeLineBreaks, Runnable onTruncation)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.timestampFormat = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(requireNonNull(zone, "zone is null"));
        this.zoneRules = zone.getRules();
        this.maxMessageBytes = maxMessageBytes;
        this.escapeLineBreaks = escapeLineBreaks;
        this.onTruncation = requireNonNull(onTruncation, "onTruncation is null");
    }

    @Override
    public void encode(Event event, SyslogWriter out)
            throws UnencodableEventException
    {
        int start = out.size();
        out.ascii('<');
        out.decimal(mapper.priority(event));
        out.ascii('>');
        timestamp(event.timestamp(), out);
        out.ascii(' ');
        out.printableAscii(mapper.hostName(event), 255, HEADER_FIELD);
        out.ascii(' ');
        out.printableAscii(mapper.appName(event), 32, TAG);
        String procId = mapper.procId(event);
        if (procId != null && !procId.isEmpty()) {
            out.ascii('[');
            out.printableAscii(procId, 128, PID);
            out.ascii(']');
        }
        out.ascii(':');
        out.ascii(' ');
        int headerBytes = out.size() - start;
        if (headerBytes > maxMessageBytes) {
            out.truncate(start);
            throw new UnencodableEventException("the RFC 3164 header alone is " + headerBytes
                    + " bytes, more than max_message_size (" + maxMessageBytes + " bytes)");
        }
        int messageStart = out.size();
        mapper.body(event, out, escapeLineBreaks);
        int room = maxMessageBytes - headerBytes;
        if (out.size() - messageStart > room) {
            out.truncateUtf8(messageStart, room);
            onTruncation.run();
        }
    }

    private void timestamp(Instant timestamp, SyslogWriter out)
    {
        FormattedSecond second = lastSecond;
        if (second.epochSecond != timestamp.getEpochSecond()) {
            // zone offsets change on whole seconds: the text of one second is that of each instant in it
            byte[] text = TimestampText.rfc3164(timestamp.getEpochSecond() + zoneRules.getOffset(timestamp).getTotalSeconds());
            if (text == null) {
                // beyond four-digit years, where the formatter also fails at the end of its range
                text = timestampFormat.format(timestamp).getBytes(StandardCharsets.US_ASCII);
            }
            second = new FormattedSecond(timestamp.getEpochSecond(), text);
            lastSecond = second;
        }
        out.bytes(second.text);
    }

    /** {@code Mmm dd hh:mm:ss} of one second in the zone, in ASCII. */
    private record FormattedSecond(long epochSecond, byte[] text) {}
}
