package io.outrider.core.storage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes an event in the buffer's binary form (see {@link EventCodec}): a growable byte array, kept per thread, and
 * the field names through the buffer's {@link FieldNames}.
 */
final class BinaryEventWriter
{
    private static final int RETAINED_CAPACITY = 64 * 1024;
    private byte[] bytes = new byte[1024];
    private int size;
    private FieldNames names = FieldNames.standalone();

    /** Starts a payload whose names are those of {@code names}. */
    void reset(FieldNames names)
    {
        this.names = names;
        // one huge event must not pin its buffer to the thread for good
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[1024];
        }
        size = 0;
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more)
    {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
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
        int id = names.idFor(name);
        if (id >= 0) {
            putVarLong(((long) id << 1) | 1);
        }
        else {
            putString(name, 1);
        }
    }

    /** With {@code headerShift} 1, the header goes one bit up, the bit below it clear: how a name says "not in the dictionary". */
    private void putString(String value, int headerShift)
    {
        int length = value.length();
        if (length >= BinaryFormat.ASCII_COPY_MIN_LENGTH && putAscii(value, headerShift)) {
            return;
        }
        int reserved = BinaryFormat.varintSize((((long) length * 3) << 1 | 1) << headerShift);
        ensure(reserved + length * 3);
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

    /**
     * Most strings are ASCII. The JDK encodes those to UTF-8 as one vectorised check and an array copy, several
     * times faster than the loop of {@link #putString(String, int)}. Its output is the exact UTF-8 when it is as
     * long as the string and holds no '?': a lone surrogate is the only other character that takes one byte, and
     * it comes out as '?'. Otherwise the loop writes the string after all.
     *
     * @return whether the string was written
     */
    private boolean putAscii(String value, int headerShift)
    {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int length = utf8.length;
        if (length != value.length() || containsQuestionMark(utf8)) {
            return false;
        }
        putVarLong(((long) length << 1) << headerShift);
        ensure(length);
        System.arraycopy(utf8, 0, bytes, size, length);
        size += length;
        return true;
    }

    /** One plain pass without an early exit: measured as fast as scanning eight bytes at a time, and simpler. */
    private static boolean containsQuestionMark(byte[] utf8)
    {
        int found = 0;
        for (byte b : utf8) {
            found |= b == '?' ? 1 : 0;
        }
        return found != 0;
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
