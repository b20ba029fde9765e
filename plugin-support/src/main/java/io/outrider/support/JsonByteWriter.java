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
 *
 * <p>A writer made with a limit never holds more than that many bytes: the write that would go past it throws
 * {@link LimitExceededException}, and the buffer never grows beyond the limit plus {@link #LIMIT_SLACK}. Strings are
 * written in chunks so that a long one does not reserve its worst case (six bytes a character) in one go.
 */
public final class JsonByteWriter
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    /** Slots of the name cache (a power of two): sets of two ways. */
    private static final int NAME_SLOTS = 128;
    /** Longer names are written afresh each time: keeping them would cost more memory than it saves. */
    private static final int MAX_CACHED_NAME_BYTES = 64;
    /** Characters of a string written per step: the buffer is made room for one chunk's worst case at a time. */
    private static final int STRING_CHUNK = 1024;
    /** How far beyond its limit a writer's buffer may grow: the room one step of writing asks for at most. */
    public static final int LIMIT_SLACK = 8192;
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 16;

    private final int limit;
    private byte[] bytes;
    private int size;
    /** Names written by {@link #writeName}, by identity, with their JSON bytes; null until the first name. */
    private String[] names;
    private byte[][] encodedNames;
    /** Writes events shown to it into this writer; null until first asked for. */
    private JsonDocumentVisitor documentVisitor;

    /** A writer without a limit beyond what an array can hold. */
    public JsonByteWriter(int initialCapacity)
    {
        this(initialCapacity, MAX_ARRAY_SIZE - LIMIT_SLACK);
    }

    /**
     * @param initialCapacity the buffer's first size; capped at {@code limit + LIMIT_SLACK}
     * @param limit the most bytes this writer may hold
     */
    public JsonByteWriter(int initialCapacity, int limit)
    {
        if (limit < 0 || limit > MAX_ARRAY_SIZE - LIMIT_SLACK) {
            throw new IllegalArgumentException("limit must be between 0 and " + (MAX_ARRAY_SIZE - LIMIT_SLACK) + ": " + limit);
        }
        this.limit = limit;
        this.bytes = new byte[Math.max(16, Math.min(initialCapacity, limit + LIMIT_SLACK))];
    }

    public int limit()
    {
        return limit;
    }

    /** The size of the buffer: what this writer holds on to. */
    public int capacity()
    {
        return bytes.length;
    }

    public int size()
    {
        return size;
    }

    public void reset()
    {
        size = 0;
    }

    /** The visitor that writes an event shown to it into this writer as an {@link EventDocument#JSON} object. */
    JsonDocumentVisitor documentVisitor()
    {
        if (documentVisitor == null) {
            documentVisitor = new JsonDocumentVisitor(this);
        }
        return documentVisitor;
    }

    /**
     * The writer's own array, of which bytes {@code [0, size())} are what was written: for handing a large body on
     * without copying it. Valid until the next write or {@link #reset()}; the caller must not change it and must not
     * let anything read it after writing through this writer again.
     */
    public byte[] buffer()
    {
        return bytes;
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

    /** Makes room for {@code more} bytes, which is at most {@link #LIMIT_SLACK}; only called while size is within the limit. */
    private void ensure(int more)
    {
        if (more > bytes.length - size) {
            long needed = (long) size + more;
            long doubled = bytes.length * 2L;
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(doubled, needed), Math.max(needed, (long) limit + LIMIT_SLACK)));
        }
    }

    private void checkLimit()
    {
        if (size > limit) {
            throw new LimitExceededException(limit);
        }
    }

    /** Appends one ASCII character, such as a bracket, comma or newline. */
    public JsonByteWriter raw(char ascii)
    {
        ensure(1);
        bytes[size++] = (byte) ascii;
        checkLimit();
        return this;
    }

    /** Appends ASCII text as it is, such as a constant key prefix {@code {"message":}. */
    public JsonByteWriter raw(String ascii)
    {
        int length = ascii.length();
        for (int start = 0; start < length; start += STRING_CHUNK) {
            int end = Math.min(length, start + STRING_CHUNK);
            ensure(end - start);
            for (int i = start; i < end; i++) {
                bytes[size++] = (byte) ascii.charAt(i);
            }
            checkLimit();
        }
        return this;
    }

    private void raw(byte[] constant)
    {
        ensure(constant.length);
        System.arraycopy(constant, 0, bytes, size, constant.length);
        size += constant.length;
        checkLimit();
    }

    public void writeString(String value)
    {
        int length = value.length();
        ensure(1);
        bytes[size++] = '"';
        int i = 0;
        while (i < length) {
            int chunkEnd = Math.min(length, i + STRING_CHUNK);
            // worst case: six bytes for an escaped control character, three for any other char
            ensure((chunkEnd - i) * 6);
            byte[] out = bytes;
            int at = size;
            for (; i < chunkEnd; i++) {
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
            size = at;
            checkLimit();
        }
        ensure(1);
        bytes[size++] = '"';
        checkLimit();
    }

    /**
     * Writes the UTF-8 text {@code utf8[offset, offset + length)} as a JSON string: exactly the bytes
     * {@link #writeString} writes for {@code new String(utf8, offset, length, UTF_8)}, without making that string.
     * Well-formed UTF-8 is copied as it is, but for what JSON escapes; a string holding an ill-formed sequence
     * (which the decoding replaces with U+FFFD) is decoded and written as text.
     */
    public void writeUtf8String(byte[] utf8, int offset, int length)
    {
        int start = size;
        ensure(1);
        bytes[size++] = '"';
        int end = offset + length;
        int i = offset;
        while (i < end) {
            // a sequence begun before chunkEnd is finished past it: at most three more bytes
            int chunkEnd = Math.min(end, i + STRING_CHUNK);
            ensure((Math.min(end, chunkEnd + 3) - i) * 6);
            byte[] out = bytes;
            int at = size;
            while (i < chunkEnd) {
                // a run of what is copied as it is (printable ASCII but for the quote and backslash), in one copy
                int run = i;
                while (i < chunkEnd && utf8[i] >= 0x20 && utf8[i] != '"' && utf8[i] != '\\') {
                    i++;
                }
                if (i > run) {
                    System.arraycopy(utf8, run, out, at, i - run);
                    at += i - run;
                    if (i == chunkEnd) {
                        break;
                    }
                }
                int b = utf8[i];
                if (b >= 0x20) {
                    out[at++] = '\\';
                    out[at++] = (byte) b;
                    i++;
                }
                else if (b >= 0) {
                    out[at++] = '\\';
                    switch (b) {
                        case '\n' -> out[at++] = 'n';
                        case '\r' -> out[at++] = 'r';
                        case '\t' -> out[at++] = 't';
                        case '\b' -> out[at++] = 'b';
                        case '\f' -> out[at++] = 'f';
                        default -> {
                            out[at++] = 'u';
                            out[at++] = '0';
                            out[at++] = '0';
                            out[at++] = HEX[b >> 4];
                            out[at++] = HEX[b & 0xF];
                        }
                    }
                    i++;
                }
                else {
                    int sequence = Utf8.sequenceLength(utf8, i, end);
                    if (sequence == 0) {
                        size = start;
                        writeString(new String(utf8, offset, length, java.nio.charset.StandardCharsets.UTF_8));
                        return;
                    }
                    if (sequence == 3 && utf8[i] == (byte) 0xE2 && utf8[i + 1] == (byte) 0x80 && (utf8[i + 2] == (byte) 0xA8 || utf8[i + 2] == (byte) 0xA9)) {
                        // U+2028 and U+2029, which JavaScript does not allow in a string literal
                        out[at++] = '\\';
                        out[at++] = 'u';
                        out[at++] = '2';
                        out[at++] = '0';
                        out[at++] = '2';
                        out[at++] = utf8[i + 2] == (byte) 0xA8 ? (byte) '8' : (byte) '9';
                    }
                    else {
                        System.arraycopy(utf8, i, out, at, sequence);
                        at += sequence;
                    }
                    i += sequence;
                }
            }
            size = at;
            checkLimit();
        }
        ensure(1);
        bytes[size++] = '"';
        checkLimit();
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
        // two ways per set: the names of one sshd event already collide in a direct-mapped table of 256, and a
        // collision between two names of every event would miss the cache twice per event
        int hash = name.hashCode();
        int first = (hash ^ (hash >>> 16)) & (NAME_SLOTS - 2);
        if (names[first] == name) {
            raw(encodedNames[first]);
            return this;
        }
        if (names[first + 1] == name) {
            raw(encodedNames[first + 1]);
            return this;
        }
        int start = size;
        writeString(name);
        if (size - start <= MAX_CACHED_NAME_BYTES) {
            // the newest name takes the first way, the one it displaces the second
            names[first + 1] = names[first];
            encodedNames[first + 1] = encodedNames[first];
            names[first] = name;
            encodedNames[first] = Arrays.copyOfRange(bytes, start, size);
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
        writeTimestamp(timestamp.getEpochSecond(), timestamp.getNano());
    }

    /** {@link #writeTimestamp(Instant)} of the instant {@code seconds} after the epoch and {@code nanos} (0 to 999,999,999). */
    public void writeTimestamp(long seconds, int nanos)
    {
        long date = CivilDates.civilDate(Math.floorDiv(seconds, 86_400L));
        if (date < 0) {
            raw('"').raw(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds, nanos))).raw('"');
            return;
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        ensure(32);
        bytes[size++] = '"';
        digits((int) (date / 10_000), 4);
        bytes[size++] = '-';
        digits((int) (date / 100 % 100), 2);
        bytes[size++] = '-';
        digits((int) (date % 100), 2);
        bytes[size++] = 'T';
        digits(secondOfDay / 3600, 2);
        bytes[size++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        bytes[size++] = ':';
        digits(secondOfDay % 60, 2);
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
        checkLimit();
    }

    private void digits(int value, int width)
    {
        for (int i = width - 1; i >= 0; i--) {
            bytes[size + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    /** A whole number, as {@link #writeValue} writes a {@link Long}. */
    public void writeLong(long value)
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
        checkLimit();
    }

    /** {@code true} or {@code false}, as {@link #writeValue} writes a {@link Boolean}. */
    public void writeBoolean(boolean value)
    {
        raw(value ? TRUE : FALSE);
    }

    public void writeNull()
    {
        raw(NULL);
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

    /** Thrown by the write that would take a writer past its limit; what was written before stays. */
    public static final class LimitExceededException
            extends RuntimeException
    {
        private final int limit;

        public LimitExceededException(int limit)
        {
            super("the JSON text is longer than the limit of " + limit + " bytes");
            this.limit = limit;
        }

        public int limit()
        {
            return limit;
        }
    }
}
