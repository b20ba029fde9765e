package io.outrider.support;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON straight into a growable UTF-8 byte array: the form a request body is sent in. {@link JsonWriter}
 * builds text first; for whole batches that costs a second pass to encode it, and one non-Latin-1 character turns
 * the builder of the entire batch into two bytes per character.
 *
 * <p>Same rules as {@link JsonWriter}: strings escaped as JSON requires (plus U+2028/U+2029), a lone surrogate written
 * as U+FFFD, non-finite doubles as {@code null}, other {@link Number}s as their text when that is a JSON number.
 * Not thread-safe; reuse one with {@link #reset()}.
 */
public final class JsonByteWriter
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    /** Slots of the name cache (a power of two). */
    private static final int NAME_SLOTS = 64;
    /** Longer names are written afresh each time: keeping them would cost more memory than it saves. */
    private static final int MAX_CACHED_NAME_BYTES = 64;

    private byte[] bytes;
    private int size;
    /** Names written by {@link #writeName}, by identity, with their JSON bytes; null until the first name. */
    private String[] names;
    private byte[][] encodedNames;

    public JsonByteWriter(int initialCapacity)
    {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    public int size()
    {
        return size;
    }

    public void reset()
    {
        size = 0;
    }

    public byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, size);
    }

    public void writeTo(OutputStream out)
            throws IOException
    {
        out.write(bytes, 0, size);
    }

    private void ensure(int more)
    {
        if (more > bytes.length - size) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    /** Appends one ASCII character, such as a bracket, comma or newline. */
    public JsonByteWriter raw(char ascii)
    {
        ensure(1);
        bytes[size++] = (byte) ascii;
        return this;
    }

    /** Appends ASCII text as it is, such as a constant key prefix {@code {"message":}. */
    public JsonByteWriter raw(String ascii)
    {
        int length = ascii.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    private void raw(byte[] constant)
    {
        ensure(constant.length);
        System.arraycopy(constant, 0, bytes, size, constant.length);
        size += constant.length;
    }

    public void writeString(String value)
    {
        int length = value.length();
        // worst case: six bytes for an escaped control character, three for any other char, plus the quotes
        ensure(length * 6 + 2);
        byte[] out = bytes;
        int at = size;
        out[at++] = '"';
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    out[at++] = '\\';
                }
                out[at++] = (byte) c;
            }
            else if (c < 0x20) {
                out[at++] = '\\';
                switch (c) {
                    case '\n' -> out[at++] = 'n';
                    case '\r' -> out[at++] = 'r';
                    case '\t' -> out[at++] = 't';
                    case '\b' -> out[at++] = 'b';
                    case '\f' -> out[at++] = 'f';
                    default -> {
                        out[at++] = 'u';
                        out[at++] = '0';
                        out[at++] = '0';
                        out[at++] = HEX[c >> 4];
                        out[at++] = HEX[c & 0xF];
                    }
                }
            }
            else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
            else if (c == '\u2028' || c == '\u2029') {
                out[at++] = '\\';
                out[at++] = 'u';
                out[at++] = '2';
                out[at++] = '0';
                out[at++] = '2';
                out[at++] = c == '\u2028' ? (byte) '8' : (byte) '9';
            }
            else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    int codePoint = Character.toCodePoint(c, value.charAt(++i));
                    out[at++] = (byte) (0xF0 | (codePoint >> 18));
                    out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                    out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                    out[at++] = (byte) (0x80 | (codePoint & 0x3F));
                }
                else {
                    // a lone surrogate cannot be encoded as UTF-8
                    for (char escaped : "\\ufffd".toCharArray()) {
                        out[at++] = (byte) escaped;
                    }
                }
            }
            else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        out[at++] = '"';
        size = at;
    }

    /**
     * Writes an object key (or any string) as {@link #writeString} does, remembering its JSON bytes: the keys of a
     * batch's events are the same few string instances over and over, which this copies instead of escaping again.
     */
    public JsonByteWriter writeName(String name)
    {
        if (names == null) {
            names = new String[NAME_SLOTS];
            encodedNames = new byte[NAME_SLOTS][];
        }
        int slot = name.hashCode() & (NAME_SLOTS - 1);
        if (names[slot] == name) {
            raw(encodedNames[slot]);
            return this;
        }
        int start = size;
        writeString(name);
        if (size - start <= MAX_CACHED_NAME_BYTES) {
            names[slot] = name;
            encodedNames[slot] = Arrays.copyOfRange(bytes, start, size);
        }
        return this;
    }

    /**
     * Writes the instant as {@link DateTimeFormatter#ISO_INSTANT} does, in quotes: {@code "2026-11-23T10:15:30.500Z"},
     * with 0, 3, 6 or 9 fraction digits. Computed by hand for years 0 to 9999 because the formatter costs more than
     * the rest of an event.
     */
    public void writeTimestamp(Instant timestamp)
    {
        long seconds = timestamp.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // days to civil date (H. Hinnant's algorithm), eras of 400 years starting on 0000-03-01
        long shifted = days + 719_468L;
        long era = Math.floorDiv(shifted, 146_097L);
        long dayOfEra = shifted - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            raw('"').raw(DateTimeFormatter.ISO_INSTANT.format(timestamp)).raw('"');
            return;
        }
        ensure(32);
        bytes[size++] = '"';
        digits((int) year, 4);
        bytes[size++] = '-';
        digits(month, 2);
        bytes[size++] = '-';
        digits(day, 2);
        bytes[size++] = 'T';
        digits(secondOfDay / 3600, 2);
        bytes[size++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        bytes[size++] = ':';
        digits(secondOfDay % 60, 2);
        int nanos = timestamp.getNano();
        if (nanos != 0) {
            bytes[size++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(nanos / 1_000_000, 3);
            }
            else if (nanos % 1000 == 0) {
                digits(nanos / 1000, 6);
            }
            else {
                digits(nanos, 9);
            }
        }
        bytes[size++] = 'Z';
        bytes[size++] = '"';
    }

    private void digits(int value, int width)
    {
        for (int i = width - 1; i >= 0; i--) {
            bytes[size + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    private void writeLong(long value)
    {
        if (value == Long.MIN_VALUE) {
            raw(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int width = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            width++;
        }
        for (int i = width - 1; i >= 0; i--) {
            bytes[size + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    public void writeValue(Object value)
    {
        if (value == null) {
            raw(NULL);
        }
        else if (value instanceof String) {
            writeString((String) value);
        }
        else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writeLong(((Number) value).longValue());
        }
        else if (value instanceof Boolean) {
            raw((Boolean) value ? TRUE : FALSE);
        }
        else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isFinite(number)) {
                raw(value.toString());
            }
            else {
                raw(NULL);
            }
        }
        else if (value instanceof Number) {
            String text = value.toString();
            if (JsonWriter.isJsonNumber(text)) {
                raw(text);
            }
            else {
                writeString(text);
            }
        }
        else if (value instanceof Map) {
            raw('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    raw(',');
                }
                first = false;
                writeName(String.valueOf(entry.getKey()));
                raw(':');
                writeValue(entry.getValue());
            }
            raw('}');
        }
        else if (value instanceof List) {
            raw('[');
            boolean first = true;
            for (Object element : (List<?>) value) {
                if (!first) {
                    raw(',');
                }
                first = false;
                writeValue(element);
            }
            raw(']');
        }
        else {
            writeString(value.toString());
        }
    }
}
