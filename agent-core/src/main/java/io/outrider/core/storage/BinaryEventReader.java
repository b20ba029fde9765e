package io.outrider.core.storage;

import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one binary payload (see {@link EventCodec}) of any of the formats that were written. */
final class BinaryEventReader
{
    /** How a payload names its fields. */
    enum Names
    {
        /** Format 0x01: every name a string. */
        STRINGS,
        /** Format 0x02: an index into {@link BinaryFormat#FROZEN_NAMES}, or a string. */
        FROZEN_TABLE,
        /** Format 0x03: an id of the buffer's own {@link FieldNames}, or a string. */
        LEARNED
    }

    /** Field names repeat in every event: decoded once per thread, not once per event. */
    private static final ThreadLocal<NameCache> NAME_CACHES = ThreadLocal.withInitial(NameCache::new);

    private byte[] bytes;
    /** The payload is {@code bytes[offset, end)}: a slice of the block it is stored in. */
    private int end;
    private Names naming;
    private FieldNames learned;
    private final NameCache names = NAME_CACHES.get();
    private int at;
    /** Whether {@link #visiting} lent it out and it was not given back yet. */
    private boolean lent;

    /** One reader per thread for {@link #visiting}: visiting an event makes no object. */
    private static final ThreadLocal<BinaryEventReader> VISITING = ThreadLocal.withInitial(BinaryEventReader::new);

    private BinaryEventReader() {}

    /**
     * The thread's reader for visits, set to read {@code bytes[offset, offset + length)}; {@link #giveBack()} when the
     * visit is over. A visit within a visit (a visitor that visits another event) gets a reader of its own.
     */
    static BinaryEventReader visiting(byte[] bytes, int offset, int length, Names naming, FieldNames learned)
    {
        BinaryEventReader reader = VISITING.get();
        if (reader.lent) {
            reader = new BinaryEventReader();
        }
        reader.lent = true;
        reader.bytes = bytes;
        reader.at = offset + 1;
        reader.end = offset + length;
        reader.naming = naming;
        reader.learned = learned;
        return reader;
    }

    /** Ends a visit: the payload is no longer referenced. */
    void giveBack()
    {
        lent = false;
        bytes = null;
        learned = null;
    }

    BinaryEventReader(byte[] bytes, Names naming, FieldNames learned)
    {
        this(bytes, 0, bytes.length, naming, learned);
    }

    /** Reads the payload {@code bytes[offset, offset + length)}, whose first byte is its format marker. */
    BinaryEventReader(byte[] bytes, int offset, int length, Names naming, FieldNames learned)
    {
        this.bytes = bytes;
        this.at = offset + 1;
        this.end = offset + length;
        this.naming = naming;
        this.learned = learned;
    }

    Event event()
            throws IOException
    {
        long seconds = BinaryFormat.unzigzag(varLong());
        long nanos = varLong();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IOException("nanoseconds out of range: " + nanos);
        }
        String message = string();
        int count = count();
        Event.Builder event = Event.builder(count).timestamp(Instant.ofEpochSecond(seconds, nanos)).message(message);
        for (int i = 0; i < count; i++) {
            String name = name();
            event.field(name, value());
        }
        if (at != end) {
            throw new IOException((end - at) + " byte(s) after the event");
        }
        return event.build();
    }

    /**
     * Shows the event to {@code visitor} as {@link EventVisitor} describes, straight from the payload: the calls
     * {@link #event()} would make of the same bytes, with the same failures (the visitor may have seen part of the
     * event by then). Strings come as slices of the payload unless they hold a lone surrogate.
     */
    void visit(EventVisitor visitor)
            throws IOException
    {
        long seconds = BinaryFormat.unzigzag(varLong());
        long nanos = varLong();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IOException("nanoseconds out of range: " + nanos);
        }
        visitor.timestamp(seconds, (int) nanos);
        long header = varLong();
        if ((header & 1) == 0) {
            int start = utf8(header);
            visitor.message(bytes, start, at - start);
        }
        else {
            visitor.message(string(header));
        }
        int count = count();
        for (int i = 0; i < count; i++) {
            String name = name();
            if (name.isEmpty()) {
                // what Event.Builder#field says of it
                throw new IllegalArgumentException("field name is empty");
            }
            if (at >= end) {
                throw new IndexOutOfBoundsException(at);
            }
            if (bytes[at] == BinaryFormat.NULL) {
                // an event holds no null field: absent and null are the same
                at++;
                continue;
            }
            visitor.name(name);
            visitValue(visitor);
        }
        if (at != end) {
            throw new IOException((end - at) + " byte(s) after the event");
        }
    }

    private void visitValue(EventVisitor visitor)
            throws IOException
    {
        if (at >= end) {
            throw new IndexOutOfBoundsException(at);
        }
        byte tag = bytes[at++];
        switch (tag) {
            case BinaryFormat.NULL -> visitor.nullValue();
            case BinaryFormat.FALSE -> visitor.booleanValue(false);
            case BinaryFormat.TRUE -> visitor.booleanValue(true);
            case BinaryFormat.LONG -> visitor.longValue(BinaryFormat.unzigzag(varLong()));
            case BinaryFormat.DOUBLE -> visitor.doubleValue(readDouble());
            case BinaryFormat.STRING -> {
                long header = varLong();
                if ((header & 1) == 0) {
                    int start = utf8(header);
                    visitor.stringValue(bytes, start, at - start);
                }
                else {
                    visitor.stringValue(string(header));
                }
            }
            case BinaryFormat.BIG_INTEGER -> visitor.numberValue(number(string(), true));
            case BinaryFormat.BIG_DECIMAL -> visitor.numberValue(number(string(), false));
            case BinaryFormat.MAP -> {
                int entries = count();
                visitor.startMap(entries);
                for (int i = 0; i < entries; i++) {
                    visitor.name(name());
                    visitValue(visitor);
                }
                visitor.endMap();
            }
            case BinaryFormat.LIST -> {
                int elements = count();
                visitor.startList(elements);
                for (int i = 0; i < elements; i++) {
                    visitValue(visitor);
                }
                visitor.endList();
            }
            default -> throw new IOException("unknown value tag " + tag + " at byte " + (at - 1));
        }
    }

    /** Skips the UTF-8 of a string without a lone surrogate whose header was read; where it starts. */
    private int utf8(long header)
            throws IOException
    {
        long length = header >>> 1;
        if (length > end - at) {
            throw new IOException("a string of " + length + " byte(s) is longer than the " + (end - at) + " left");
        }
        int start = at;
        at += (int) length;
        return start;
    }

    private double readDouble()
    {
        if (end - at < 8) {
            throw new IndexOutOfBoundsException(end);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (bytes[at++] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    private long varLong()
            throws IOException
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                // the payload ends early: read as its own block would, with no more bytes after it
                throw new IndexOutOfBoundsException(at);
            }
            byte next = bytes[at++];
            value |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                return value;
            }
        }
        throw new IOException("a number runs on past 10 bytes");
    }

    /** A length or count, bounded by what the payload can still hold. */
    private int count()
            throws IOException
    {
        long count = varLong();
        if (count < 0 || count > end - at) {
            throw new IOException("a count of " + count + " is more than the " + (end - at) + " byte(s) left");
        }
        return (int) count;
    }

    private String string()
            throws IOException
    {
        return string(varLong());
    }

    private String string(long header)
            throws IOException
    {
        long length = header >>> 1;
        if (length > end - at) {
            throw new IOException("a string of " + length + " byte(s) is longer than the " + (end - at) + " left");
        }
        int start = at;
        at += (int) length;
        if ((header & 1) == 0) {
            return new String(bytes, start, (int) length, StandardCharsets.UTF_8);
        }
        return wtf8(start, (int) length);
    }

    /** A field name or map key: {@link #string} through the thread's cache of names. */
    private String name()
            throws IOException
    {
        long header = varLong();
        if (naming != Names.STRINGS) {
            if ((header & 1) != 0) {
                long index = header >>> 1;
                if (naming == Names.LEARNED) {
                    return learned.name(index);
                }
                if (index >= BinaryFormat.FROZEN_NAMES.length) {
                    throw new IOException("name " + index + " is not in the dictionary");
                }
                return BinaryFormat.FROZEN_NAMES[(int) index];
            }
            header >>>= 1;
        }
        long length = header >>> 1;
        if ((header & 1) != 0 || length > NameCache.MAX_LENGTH || length > end - at) {
            return string(header);
        }
        int start = at;
        at += (int) length;
        return names.get(bytes, start, (int) length);
    }

    /** UTF-8 in which a lone surrogate was written as a three-byte sequence of its own. */
    private String wtf8(int start, int length)
            throws IOException
    {
        StringBuilder text = new StringBuilder(length);
        int end = start + length;
        int i = start;
        while (i < end) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                text.append((char) lead);
                i += 1;
            }
            else if (lead >= 0xC0 && lead < 0xE0 && i + 1 < end) {
                text.append((char) (((lead & 0x1F) << 6) | (bytes[i + 1] & 0x3F)));
                i += 2;
            }
            else if (lead >= 0xE0 && lead < 0xF0 && i + 2 < end) {
                text.append((char) (((lead & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
                i += 3;
            }
            else if (lead >= 0xF0 && i + 3 < end && Character.isValidCodePoint(((lead & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12))) {
                text.appendCodePoint(((lead & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12) | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F));
                i += 4;
            }
            else {
                throw new IOException("a string holds a malformed byte sequence");
            }
        }
        return text.toString();
    }

    private Object value()
            throws IOException
    {
        if (at >= end) {
            throw new IndexOutOfBoundsException(at);
        }
        byte tag = bytes[at++];
        switch (tag) {
            case BinaryFormat.NULL:
                return null;
            case BinaryFormat.FALSE:
                return Boolean.FALSE;
            case BinaryFormat.TRUE:
                return Boolean.TRUE;
            case BinaryFormat.LONG:
                return BinaryFormat.unzigzag(varLong());
            case BinaryFormat.DOUBLE:
                return readDouble();
            case BinaryFormat.STRING:
                return string();
            case BinaryFormat.BIG_INTEGER:
                return number(string(), true);
            case BinaryFormat.BIG_DECIMAL:
                return number(string(), false);
            case BinaryFormat.MAP:
                int entries = count();
                Map<String, Object> map = new LinkedHashMap<>(Math.max(4, (int) (entries / 0.75f) + 1));
                for (int i = 0; i < entries; i++) {
                    String name = name();
                    map.put(name, value());
                }
                return map;
            case BinaryFormat.LIST:
                int elements = count();
                List<Object> list = new ArrayList<>(elements);
                for (int i = 0; i < elements; i++) {
                    list.add(value());
                }
                return list;
            default:
                throw new IOException("unknown value tag " + tag + " at byte " + (at - 1));
        }
    }

    private static Number number(String text, boolean integral)
            throws IOException
    {
        try {
            return integral ? new BigInteger(text) : new BigDecimal(text);
        }
        catch (NumberFormatException e) {
            throw new IOException("a stored number is not one: " + text);
        }
    }

    /** Recently decoded short names by their UTF-8 bytes; a slot is simply overwritten on a collision. */
    private static final class NameCache
    {
        static final int MAX_LENGTH = 64;
        private static final int SLOTS = 512;
        private final byte[][] keys = new byte[SLOTS][];
        private final String[] values = new String[SLOTS];

        String get(byte[] source, int start, int length)
        {
            int hash = 0x811C9DC5;
            for (int i = start; i < start + length; i++) {
                hash = (hash ^ source[i]) * 0x01000193;
            }
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            byte[] key = keys[slot];
            if (key != null && Arrays.equals(key, 0, key.length, source, start, start + length)) {
                return values[slot];
            }
            String value = new String(source, start, length, StandardCharsets.UTF_8);
            keys[slot] = Arrays.copyOfRange(source, start, start + length);
            values[slot] = value;
            return value;
        }
    }
}
