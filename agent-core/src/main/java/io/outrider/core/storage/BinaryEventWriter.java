package io.outrider.core.storage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes events in the buffer's binary form (see {@link EventCodec}) into a growable byte array, kept per thread,
 * and the field names through the buffer's {@link FieldNames}. A batch is written as the blocks it is stored in
 * ({@link BlockPayload}): each payload straight after its length prefix, so that an event's bytes are written once
 * and copied once, into the block stored.
 */
final class BinaryEventWriter
{
    /** Capacity kept between events or batches by default: one huge event must not pin its array to the thread. */
    static final int RETAINED_CAPACITY = 64 * 1024;
    /**
     * Capacity kept between batches by the writer of an input's batches: a block's bytes at most, plus room for the
     * event that spills over into the next, so a stream of full blocks never grows the array again.
     */
    static final int RETAINED_BLOCK_CAPACITY = (int) BlockPayload.MAX_BYTES + 64 * 1024;
    /** Payload length prefixes written before the payload: two bytes hold lengths below 16 KiB, most events. */
    private static final int RESERVED_PREFIX = 2;
    /** Slots of the name cache (a power of two). */
    private static final int NAME_CACHE_SIZE = 256;

    private final int retainedCapacity;
    private byte[] bytes = new byte[1024];
    private int size;
    private FieldNames names = FieldNames.standalone();
    /**
     * The ids of names seen lately, by the name's hash: field names are nearly always the same String constants, so
     * a hit is one comparison of references instead of a lookup in the concurrent map of {@link FieldNames}. A name's
     * id never changes within one {@link FieldNames}; the cache is emptied when another one is written with.
     */
    private final String[] cachedNames = new String[NAME_CACHE_SIZE];
    private final int[] cachedIds = new int[NAME_CACHE_SIZE];
    /** Strings of up to this many characters are copied out in bulk (see {@link #putString(String, int)}). */
    private static final int BULK_CHARS = 16 * 1024;
    /** The characters of the string being written, copied out of it in bulk; grows up to {@link #BULK_CHARS}. */
    private char[] chars = new char[256];
    /** {@link #putField} as a function, made once: a method reference made per event is an object per event. */
    final BiConsumer<String, Object> fieldWriter = this::putField;

    /** A writer that keeps at most {@link #RETAINED_CAPACITY} between uses. */
    BinaryEventWriter()
    {
        this(RETAINED_CAPACITY);
    }

    /** A writer that keeps an array of up to {@code retainedCapacity} bytes between uses. */
    BinaryEventWriter(int retainedCapacity)
    {
        this.retainedCapacity = retainedCapacity;
    }

    /** Starts a payload, or a batch of blocks, whose names are those of {@code names}. */
    void reset(FieldNames names)
    {
        if (names != this.names) {
            Arrays.fill(cachedNames, null);
            this.names = names;
        }
        if (bytes.length > retainedCapacity) {
            bytes = new byte[1024];
        }
        size = 0;
    }

    /** The number of bytes written. */
    int size()
    {
        return size;
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, size);
    }

    /** The bytes written in {@code [from, to)}, as {@code compression} stores them. */
    BlockCompression.Stored compress(BlockCompression compression, int from, int to)
    {
        return compression.compress(bytes, from, to);
    }

    /** Drops the bytes before {@code from}: what was written from there on moves to the start. */
    void dropBefore(int from)
    {
        System.arraycopy(bytes, from, bytes, 0, size - from);
        size -= from;
    }

    /**
     * Starts a payload preceded by its length as an unsigned varint, as blocks frame them; the payload follows.
     *
     * @return where the payload's length goes, for {@link #endLengthPrefixed}
     */
    int startLengthPrefixed()
    {
        ensure(RESERVED_PREFIX);
        int prefixAt = size;
        size += RESERVED_PREFIX;
        return prefixAt;
    }

    /**
     * Writes the length of the payload written since {@link #startLengthPrefixed} before it, moving the payload when
     * its length takes other than the reserved bytes.
     *
     * @return the payload's length
     */
    int endLengthPrefixed(int prefixAt)
    {
        int payloadStart = prefixAt + RESERVED_PREFIX;
        int length = size - payloadStart;
        int prefix = BinaryFormat.varintSize(length);
        if (prefix != RESERVED_PREFIX) {
            ensure(prefix - RESERVED_PREFIX);
            System.arraycopy(bytes, payloadStart, bytes, prefixAt + prefix, length);
            size += prefix - RESERVED_PREFIX;
        }
        BinaryFormat.writeVarint(bytes, prefixAt, length);
        return length;
    }

    /** Where the event being written must end at the latest (see {@link #limitTo}); {@code Long.MAX_VALUE} for no limit. */
    private long limit = Long.MAX_VALUE;

    /**
     * Makes writes that would take the array past {@code end} throw {@link EventTooLargeException} before anything is
     * allocated for them; {@code Long.MAX_VALUE} lifts the limit.
     */
    void limitTo(long end)
    {
        limit = end;
    }

    /** Forgets what was written from {@code end} on (an event that was too large). */
    void truncateTo(int end)
    {
        size = end;
    }

    private void ensure(int more)
    {
        long needed = (long) size + more;
        if (needed > limit) {
            throw EventTooLargeException.INSTANCE;
        }
        if (needed > bytes.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("an event cannot be encoded in more than 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.max(Math.min((long) bytes.length * 2, Integer.MAX_VALUE - 8), needed));
        }
    }

    void put(byte value)
    {
        ensure(1);
        bytes[size++] = value;
    }

    void putVarLong(long value)
    {
        ensure(10);
        size = BinaryFormat.writeVarint(bytes, size, value);
    }

    /**
     * One pass over the characters: the UTF-8 bytes go after room for the longest possible length prefix, which
     * is closed up afterwards when the real prefix is shorter.
     */
    void putString(String value)
    {
        putString(value, 0);
    }

    /** A field name or map key: its id in the buffer's names, or the string with its header shifted to make room for the flag. */
    void putName(String name)
    {
        int slot = name.hashCode() & (NAME_CACHE_SIZE - 1);
        int id;
        if (cachedNames[slot] == name) {
            id = cachedIds[slot];
        }
        else {
            id = names.idFor(name);
            if (id >= 0) {
                cachedNames[slot] = name;
                cachedIds[slot] = id;
            }
        }
        if (id >= 0) {
            putVarLong(((long) id << 1) | 1);
        }
        else {
            putString(name, 1);
        }
    }

    /**
     * With {@code headerShift} 1, the header goes one bit up, the bit below it clear: how a name says "not in the
     * dictionary". Most strings are ASCII: their header is known before the first character, and each character is
     * one byte, written straight into the output (no intermediate array, as {@link String#getBytes} would make).
     */
    private void putString(String value, int headerShift)
    {
        int length = value.length();
        ensure(10 + length);
        int at = BinaryFormat.writeVarint(bytes, size, ((long) length << 1) << headerShift);
        byte[] out = bytes;
        if (length <= BULK_CHARS) {
            // String.getChars is a bulk copy, and the loop over a plain array compiles to far less than charAt's
            // checks per character: three to four times faster for log lines
            if (length > chars.length) {
                chars = new char[Math.min(BULK_CHARS, Math.max(length, chars.length * 2))];
            }
            char[] in = chars;
            value.getChars(0, length, in, 0);
            int all = 0;
            for (int i = 0; i < length; i++) {
                char c = in[i];
                all |= c;
                out[at + i] = (byte) c;
            }
            if (all >= 0x80) {
                // not ASCII: the header and the bytes written so far are written again by the general loop
                putUtf8(value, headerShift);
                return;
            }
            size = at + length;
            return;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                putUtf8(value, headerShift);
                return;
            }
            out[at + i] = (byte) c;
        }
        size = at + length;
    }

    /**
     * One pass over the characters: the UTF-8 bytes go after room for the longest possible length prefix, which
     * is closed up afterwards when the real prefix is shorter.
     */
    private void putUtf8(String value, int headerShift)
    {
        int length = value.length();
        int reserved = BinaryFormat.varintSize((((long) length * 3) << 1 | 1) << headerShift);
        ensure((int) Math.min(Integer.MAX_VALUE, reserved + (long) length * 3));
        int start = size + reserved;
        int at = start;
        boolean loneSurrogate = false;
        byte[] out = bytes;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            }
            else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                out[at++] = (byte) (0xF0 | (codePoint >> 18));
                out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (codePoint & 0x3F));
            }
            else {
                loneSurrogate |= Character.isSurrogate(c);
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        int encoded = at - start;
        long header = (((long) encoded << 1) | (loneSurrogate ? 1 : 0)) << headerShift;
        int prefix = BinaryFormat.varintSize(header);
        if (prefix < reserved) {
            System.arraycopy(out, start, out, size + prefix, encoded);
        }
        putVarLong(header);
        size += encoded;
    }

    void putField(String name, Object value)
    {
        putName(name);
        putValue(value);
    }

    void putValue(Object value)
    {
        if (value == null) {
            put(BinaryFormat.NULL);
        }
        else if (value instanceof String) {
            put(BinaryFormat.STRING);
            putString((String) value);
        }
        else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            put(BinaryFormat.LONG);
            putVarLong(BinaryFormat.zigzag(((Number) value).longValue()));
        }
        else if (value instanceof Double) {
            putDouble((Double) value);
        }
        else if (value instanceof Float) {
            // the float's own shortest text: widened to double first, 1.1f would come back as 1.100000023841858
            putDouble(Double.parseDouble(value.toString()));
        }
        else if (value instanceof Boolean) {
            put((Boolean) value ? BinaryFormat.TRUE : BinaryFormat.FALSE);
        }
        else if (value instanceof BigInteger) {
            BigInteger integer = (BigInteger) value;
            if (integer.bitLength() < 64) {
                put(BinaryFormat.LONG);
                putVarLong(BinaryFormat.zigzag(integer.longValue()));
            }
            else {
                put(BinaryFormat.BIG_INTEGER);
                putString(integer.toString());
            }
        }
        else if (value instanceof BigDecimal) {
            put(BinaryFormat.BIG_DECIMAL);
            putString(value.toString());
        }
        else if (value instanceof Number) {
            putOtherNumber(value.toString());
        }
        else if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            put(BinaryFormat.MAP);
            putVarLong(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                putName(String.valueOf(entry.getKey()));
                putValue(entry.getValue());
            }
        }
        else if (value instanceof List) {
            List<?> list = (List<?>) value;
            put(BinaryFormat.LIST);
            putVarLong(list.size());
            for (Object element : list) {
                putValue(element);
            }
        }
        else {
            put(BinaryFormat.STRING);
            putString(value.toString());
        }
    }

    private void putDouble(double value)
    {
        put(BinaryFormat.DOUBLE);
        ensure(8);
        long bits = Double.doubleToRawLongBits(value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (bits >>> shift);
        }
    }

    /** Another {@link Number} (an AtomicLong, a library's own type): kept as the number its text reads as. */
    private void putOtherNumber(String text)
    {
        try {
            long integral = Long.parseLong(text);
            put(BinaryFormat.LONG);
            putVarLong(BinaryFormat.zigzag(integral));
            return;
        }
        catch (NumberFormatException notLong) {
            // not a plain integer
        }
        try {
            new BigDecimal(text);
            put(BinaryFormat.BIG_DECIMAL);
        }
        catch (NumberFormatException notDecimal) {
            put(BinaryFormat.STRING);
        }
        putString(text);
    }
}
