package io.outrider.plugin.syslog;

import io.outrider.support.JsonWriter;
import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.outrider.plugin.syslog.SyslogText.NIL;
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
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final boolean[] HEADER_FIELD = SyslogWriter.printableAsciiExcept("");
    /** PARAM-NAME: besides what is not PRINTUSASCII, which includes space. */
    private static final boolean[] PARAM_NAME = SyslogWriter.printableAsciiExcept("=]\"");
    /** Slots of the parameter name cache, a power of two: an event has a dozen or two field names, the same in most events. */
    private static final int PARAM_NAME_SLOTS = 256;
    /** Longer names are written afresh each time: the cache keeps the names, and one huge name must not stay. */
    private static final int MAX_CACHED_NAME_LENGTH = 64;
    private static final int MAX_PARAM_NAME_LENGTH = 32;
    private static final byte[] VERSION = {'>', '1', ' '};

    private final SyslogEventMapper mapper;
    private final byte[] sdId;
    private final Optional<List<String>> sdFields;
    private final int maxMessageBytes;
    private final boolean escapeLineBreaks;
    private final Runnable onTruncation;
    /** {@code  NAME="} by field name, direct-mapped by hash. */
    private final ParamName[] paramNames = new ParamName[PARAM_NAME_SLOTS];
    /** The text of the last second written: events come in bursts of the same second. */
    private volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, new byte[0]);

    /**
     * @param sdFields the fields written as structured data, in this order; empty optional: all fields
     * @param escapeLineBreaks escape CR and LF in MSG and SD values (LF framing)
     * @param onTruncation called for every message that had to be cut to fit {@code maxMessageBytes}
     */
    Rfc5424Encoder(SyslogEventMapper mapper, String sdId, Optional<List<String>> sdFields, int maxMessageBytes, boolean escapeLineBreaks,
            Runnable onTruncation)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.sdId = requireNonNull(sdId, "sdId is null").getBytes(StandardCharsets.UTF_8);
        this.sdFields = requireNonNull(sdFields, "sdFields is null").map(List::copyOf);
        this.maxMessageBytes = maxMessageBytes;
        this.escapeLineBreaks = escapeLineBreaks;
        this.onTruncation = requireNonNull(onTruncation, "onTruncation is null");
    }

    /**
     * One pass over the stored event captures the header's fields and the message, and writes the fields as
     * SD-PARAMs in their order into a scratch writer, copied in after the header (a copy costs less than reading the
     * stored event again). An event whose fields hold maps or lists (JSON in SD-PARAMs), a
     * configured {@code sd_fields} list (its own order) and the ECS body (nesting) go through the {@link Event}.
     * With {@code sd_fields: []} no field is written: the pass captures the header and the message alone, and only a
     * header field holding a map or a list (which the {@link SyslogEventMapper} maps from the event) needs the event.
     */
    @Override
    public void encode(List<Event> batch, int index, SyslogWriter out)
            throws UnencodableEventException
    {
        boolean noStructuredData = sdFields.isPresent() && sdFields.get().isEmpty();
        if ((sdFields.isPresent() && !noStructuredData) || mapper.bodyFormat() == MessageBody.ECS) {
            encode(batch.get(index), out);
            return;
        }
        StoredEvent event = out.storedEvent();
        SyslogWriter parameters = out.parameterScratch();
        event.read(batch, index, noStructuredData ? null : new ParamWriter(parameters));
        if (noStructuredData ? event.headerContainer : event.topLevelContainer) {
            encode(batch.get(index), out);
            return;
        }
        int start = out.size();
        out.ascii('<');
        out.decimal(mapper.priority(event));
        out.bytes(VERSION);
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
            out.printableAscii(event.processName, 48, HEADER_FIELD);
        }
        else {
            out.printableAscii(mapper.defaultAppName(), 48, HEADER_FIELD);
        }
        out.ascii(' ');
        out.printableAscii(event.processPid, 128, HEADER_FIELD);
        out.ascii(' ');
        out.printableAscii(event.eventAction, 32, HEADER_FIELD);
        out.ascii(' ');
        int headerBytes = checkHeader(out, start);
        int structuredDataStart = out.size();
        out.ascii('[');
        out.bytes(sdId);
        out.bytes(parameters.buffer(), 0, parameters.size());
        if (parameters.size() == 0) {
            out.truncate(structuredDataStart);
            out.ascii('-');
        }
        else {
            out.ascii(']');
        }
        boolean dropped = endStructuredData(out, headerBytes, structuredDataStart);
        int messageStart = out.size();
        boolean valuesCut = mapper.body(event, batch, index, out, escapeLineBreaks, maxMessageBytes - (messageStart - start));
        endMessage(out, headerBytes, structuredDataStart, messageStart, dropped || valuesCut);
    }

    @Override
    public void encode(Event event, SyslogWriter out)
            throws UnencodableEventException
    {
        int start = out.size();
        out.ascii('<');
        out.decimal(mapper.priority(event));
        out.bytes(VERSION);
        timestamp(event.timestamp().getEpochSecond(), event.timestamp().getNano(), out);
        out.ascii(' ');
        out.printableAscii(mapper.hostName(event), 255, HEADER_FIELD);
        out.ascii(' ');
        out.printableAscii(mapper.appName(event), 48, HEADER_FIELD);
        out.ascii(' ');
        out.printableAscii(mapper.procId(event), 128, HEADER_FIELD);
        out.ascii(' ');
        out.printableAscii(mapper.msgId(event), 32, HEADER_FIELD);
        out.ascii(' ');
        int headerBytes = checkHeader(out, start);
        int structuredDataStart = out.size();
        structuredData(event, out);
        boolean dropped = endStructuredData(out, headerBytes, structuredDataStart);
        int messageStart = out.size();
        boolean valuesCut = mapper.body(event, out, escapeLineBreaks, maxMessageBytes - (messageStart - start));
        endMessage(out, headerBytes, structuredDataStart, messageStart, dropped || valuesCut);
    }

    /** The header's length; rejects the event, leaving {@code out} as it was, if it alone does not fit. */
    private int checkHeader(SyslogWriter out, int start)
            throws UnencodableEventException
    {
        int headerBytes = out.size() - start;
        if (headerBytes + NIL.length() > maxMessageBytes) {
            out.truncate(start);
            throw new UnencodableEventException("the RFC 5424 header alone is " + (headerBytes + NIL.length())
                    + " bytes, more than max_message_size (" + maxMessageBytes + " bytes)");
        }
        return headerBytes;
    }

    /** Drops the structured data written if it does not fit (then true), and writes the space before MSG. */
    private boolean endStructuredData(SyslogWriter out, int headerBytes, int structuredDataStart)
    {
        boolean dropped = false;
        if (headerBytes + out.size() - structuredDataStart > maxMessageBytes) {
            out.truncate(structuredDataStart);
            out.ascii('-');
            dropped = true;
        }
        out.ascii(' ');
        return dropped;
    }

    /** Cuts MSG to fit, or drops the space before an empty one; counts a truncation (also one already made: {@code cut}). */
    private void endMessage(SyslogWriter out, int headerBytes, int structuredDataStart, int messageStart, boolean cut)
    {
        boolean truncated = cut;
        int structuredDataBytes = messageStart - 1 - structuredDataStart;
        int room = maxMessageBytes - headerBytes - structuredDataBytes - 1;
        if (out.size() - messageStart > room) {
            out.truncateUtf8(messageStart, room);
            truncated = true;
        }
        if (out.size() == messageStart) {
            // no MSG: no space before it either
            out.truncate(messageStart - 1);
        }
        if (truncated) {
            onTruncation.run();
        }
    }

    /** The STRUCTURED-DATA part: one element with the selected fields, or {@code -} when there are none. */
    private void structuredData(Event event, SyslogWriter out)
    {
        int start = out.size();
        out.ascii('[');
        out.bytes(sdId);
        int empty = out.size();
        if (sdFields.isPresent()) {
            for (String name : sdFields.get()) {
                Object value = event.field(name);
                if (value != null) {
                    param(name, value, out);
                }
            }
        }
        else {
            // forEach, not keySet() and field(): the map's iterators make an entry object per field
            event.fields().forEach((name, value) -> param(name, value, out));
        }
        if (out.size() == empty) {
            out.truncate(start);
            out.ascii('-');
        }
        else {
            out.ascii(']');
        }
    }

    private void param(String name, Object value, SyslogWriter out)
    {
        out.bytes(paramName(name));
        if (value instanceof String) {
            out.paramValue((String) value, escapeLineBreaks);
        }
        else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            // digits and a minus sign: nothing to escape
            out.decimal(((Number) value).longValue());
        }
        else if (value instanceof Boolean) {
            out.bool((Boolean) value);
        }
        else {
            out.paramValue(value instanceof List || value instanceof Map ? JsonWriter.toJson(value) : String.valueOf(value), escapeLineBreaks);
        }
        out.ascii('"');
    }

    /**
     * {@code  NAME="}: the start of a parameter for a field name, from a cache, as the field names of one event are
     * nearly all those of the next.
     */
    private byte[] paramName(String name)
    {
        int hash = name.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (PARAM_NAME_SLOTS - 1);
        // racing delivery threads at worst replace each other's entries, which are immutable
        ParamName cached = paramNames[slot];
        if (cached != null && (cached.name == name || cached.name.equals(name))) {
            return cached.start;
        }
        SyslogWriter out = new SyslogWriter(MAX_PARAM_NAME_LENGTH + 4);
        out.ascii(' ');
        out.printableAscii(name, MAX_PARAM_NAME_LENGTH, PARAM_NAME);
        out.ascii('=');
        out.ascii('"');
        byte[] start = out.toByteArray();
        if (name.length() <= MAX_CACHED_NAME_LENGTH) {
            paramNames[slot] = new ParamName(name, start);
        }
        return start;
    }

    private void timestamp(long epochSecond, int nanos, SyslogWriter out)
    {
        // RFC 5424 has four-digit years only; anything else is sent as "unknown time"
        if (epochSecond < EARLIEST.getEpochSecond() || epochSecond > LATEST.getEpochSecond()) {
            out.ascii('-');
            return;
        }
        FormattedSecond second = lastSecond;
        if (second.epochSecond != epochSecond) {
            second = new FormattedSecond(epochSecond, TimestampText.rfc5424Seconds(epochSecond));
            lastSecond = second;
        }
        out.bytes(second.text);
        out.digits(nanos / 1000, 6);
        out.ascii('Z');
    }

    /** Each field as an SD-PARAM, as {@link #param} writes it; maps and lists never come here. */
    private final class ParamWriter
            implements EventVisitor
    {
        private final SyslogWriter out;

        ParamWriter(SyslogWriter out)
        {
            this.out = out;
        }

        @Override
        public void timestamp(long epochSecond, int nanos) {}

        @Override
        public void message(byte[] utf8, int offset, int length) {}

        @Override
        public void message(String text) {}

        @Override
        public void name(String name)
        {
            out.bytes(paramName(name));
        }

        @Override
        public void nullValue()
        {
            throw new IllegalStateException("a field without a value");
        }

        @Override
        public void booleanValue(boolean value)
        {
            out.bool(value);
            out.ascii('"');
        }

        @Override
        public void longValue(long value)
        {
            out.decimal(value);
            out.ascii('"');
        }

        @Override
        public void doubleValue(double value)
        {
            out.paramValue(String.valueOf(value), escapeLineBreaks);
            out.ascii('"');
        }

        @Override
        public void stringValue(byte[] utf8, int offset, int length)
        {
            if (!out.paramValueUtf8(utf8, offset, length, escapeLineBreaks)) {
                out.paramValue(new String(utf8, offset, length, StandardCharsets.UTF_8), escapeLineBreaks);
            }
            out.ascii('"');
        }

        @Override
        public void stringValue(String text)
        {
            out.paramValue(text, escapeLineBreaks);
            out.ascii('"');
        }

        @Override
        public void numberValue(Number value)
        {
            out.paramValue(String.valueOf(value), escapeLineBreaks);
            out.ascii('"');
        }

        @Override
        public void startMap(int entries)
        {
            throw new IllegalStateException("the first pass found no map");
        }

        @Override
        public void endMap() {}

        @Override
        public void startList(int elements)
        {
            throw new IllegalStateException("the first pass found no list");
        }

        @Override
        public void endList() {}
    }

    private record ParamName(String name, byte[] start) {}

    /** {@code uuuu-MM-dd'T'HH:mm:ss.} of one second, UTC, in ASCII. */
    private record FormattedSecond(long epochSecond, byte[] text) {}
}
