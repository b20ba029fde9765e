package io.outrider.plugin.syslog;

import io.outrider.spi.Event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.List;
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

    /**
     * One pass over the stored event captures the header's fields and the message; an event whose header fields
     * hold a map or a list, and the ECS body, go through the {@link Event}.
     */
    @Override
    public void encode(List<Event> batch, int index, SyslogWriter out)
            throws UnencodableEventException
    {
        if (mapper.bodyFormat() == MessageBody.ECS) {
            encode(batch.get(index), out);
            return;
        }
        StoredEvent event = out.storedEvent();
        event.read(batch, index, null);
        if (event.headerContainer) {
            encode(batch.get(index), out);
            return;
        }
        int start = out.size();
        out.ascii('<');
        out.decimal(mapper.priority(event));
        out.ascii('>');
        timestamp(event.epochSecond, event.nanos, out);
        out.ascii(' ');
        StoredEvent.Slot host = mapper.hostName(event);
        if (host != null) {
            out.printableAscii(host, 255, HEADER_FIELD);
        }
        else {
            out.printableAscii(mapper.defaultHostName(), 255, HEADER_FIELD);
        }
        out.ascii(' ');
        if (mapper.hasAppName(event)) {
            out.printableAscii(event.processName, 32, TAG);
        }
        else {
            out.printableAscii(mapper.defaultAppName(), 32, TAG);
        }
        StoredEvent.Slot procId = event.processPid;
        if (procId.asciiBytes() ? procId.length > 0 : procId.kind == StoredEvent.Slot.INTEGRAL || procId.present() && !procId.asString().isEmpty()) {
            out.ascii('[');
            out.printableAscii(procId, 128, PID);
            out.ascii(']');
        }
        int headerBytes = endHeader(out, start);
        int messageStart = out.size();
        boolean valuesCut = mapper.body(event, batch, index, out, escapeLineBreaks, maxMessageBytes - headerBytes);
        endMessage(out, headerBytes, messageStart, valuesCut);
    }

    @Override
    public void encode(Event event, SyslogWriter out)
            throws UnencodableEventException
    {
        int start = out.size();
        out.ascii('<');
        out.decimal(mapper.priority(event));
        out.ascii('>');
        timestamp(event.timestamp().getEpochSecond(), event.timestamp().getNano(), out);
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
        int headerBytes = endHeader(out, start);
        int messageStart = out.size();
        boolean valuesCut = mapper.body(event, out, escapeLineBreaks, maxMessageBytes - headerBytes);
        endMessage(out, headerBytes, messageStart, valuesCut);
    }

    /** Ends the header; its length, or the event's rejection (leaving {@code out} as it was) if it alone does not fit. */
    private int endHeader(SyslogWriter out, int start)
            throws UnencodableEventException
    {
        out.ascii(':');
        out.ascii(' ');
        int headerBytes = out.size() - start;
        if (headerBytes > maxMessageBytes) {
            out.truncate(start);
            throw new UnencodableEventException("the RFC 3164 header alone is " + headerBytes
                    + " bytes, more than max_message_size (" + maxMessageBytes + " bytes)");
        }
        return headerBytes;
    }

    /** Cuts MSG to fit; counts a truncation (also one already made: {@code cut}). */
    private void endMessage(SyslogWriter out, int headerBytes, int messageStart, boolean cut)
    {
        int room = maxMessageBytes - headerBytes;
        if (out.size() - messageStart > room) {
            out.truncateUtf8(messageStart, room);
            cut = true;
        }
        if (cut) {
            onTruncation.run();
        }
    }

    private void timestamp(long epochSecond, int nanos, SyslogWriter out)
    {
        FormattedSecond second = lastSecond;
        if (second.epochSecond != epochSecond) {
            Instant timestamp = Instant.ofEpochSecond(epochSecond, nanos);
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
