package io.outrider.plugin.syslog;

import io.outrider.support.JsonByteWriter;
import io.outrider.support.Utf8;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that syslog messages are written into, applying the text rules of {@link SyslogText} on the
 * way. Building each part of a message as a string, escaping it character by character into a builder and encoding
 * the result to UTF-8 cost more CPU than everything else the syslog output does. The result here is the same, byte
 * for byte: text is encoded by {@link String#getBytes} with UTF-8 (a lone surrogate becomes {@code ?}) and escaped
 * as bytes.
 *
 * <p>Not thread-safe: an output keeps one for its delivery thread and {@link #reset()}s it for every message.
 */
final class SyslogWriter
{
    /** The most bytes one byte becomes: {@code #015} for an escaped CR. */
    private static final int MAX_ESCAPED_BYTES = 4;
    /** Eight bytes at a time, the first in the lowest byte: {@link #plainEnd} looks at a word per step. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;
    private static final long BRACKETS = ']' * ONES;
    private static final long CRS = '\r' * ONES;
    private static final long LFS = '\n' * ONES;
    /** The two digits of 0 to 99, tens then ones: {@link #decimal} writes two per division. */
    private static final byte[] DIGIT_PAIRS = digitPairs();
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private byte[] bytes;
    private int size;
    /** Where a JSON body is written first; null until the first. */
    private JsonByteWriter json;
    /** Where a stored event's header fields are read into; null until the first. */
    private StoredEvent storedEvent;
    /** Where a stored event's SD-PARAMs are written while its header is not yet; null until the first. */
    private SyslogWriter parameters;

    private static byte[] digitPairs()
    {
        byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = (byte) ('0' + i / 10);
            pairs[2 * i + 1] = (byte) ('0' + i % 10);
        }
        return pairs;
    }

    SyslogWriter(int initialCapacity)
    {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    int size()
    {
        return size;
    }

    /** How many bytes this writer holds on to. */
    int capacity()
    {
        return bytes.length + (json == null ? 0 : json.capacity()) + (parameters == null ? 0 : parameters.capacity());
    }

    /** An empty JSON writer of this writer's own, for a body that is written as JSON before it is copied in. */
    JsonByteWriter jsonScratch()
    {
        if (json == null) {
            json = new JsonByteWriter(1024);
        }
        json.reset();
        return json;
    }

    /** The stored event reader of this writer's own, for the delivery thread that writes into it. */
    StoredEvent storedEvent()
    {
        if (storedEvent == null) {
            storedEvent = new StoredEvent();
        }
        return storedEvent;
    }

    /** An empty writer of this writer's own, for the SD-PARAMs written in the same pass that reads the header. */
    SyslogWriter parameterScratch()
    {
        if (parameters == null) {
            parameters = new SyslogWriter(1024);
        }
        parameters.reset();
        return parameters;
    }

    /** The writer's own array, of which bytes {@code [0, size())} were written; valid until the next write. */
    byte[] buffer()
    {
        return bytes;
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, size);
    }

    void reset()
    {
        size = 0;
    }

    /** Drops what was written after the first {@code newSize} bytes. */
    void truncate(int newSize)
    {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
        }
        size = newSize;
    }

    /**
     * Cuts the text written from {@code start} on to its longest prefix of at most {@code maxBytes} bytes that ends on
     * a character boundary, as {@link SyslogText#truncateUtf8} does.
     */
    void truncateUtf8(int start, int maxBytes)
    {
        if (size - start <= maxBytes) {
            return;
        }
        int end = Math.max(maxBytes, 0);
        // step back over continuation bytes (10xxxxxx) so that the cut falls before a character's lead byte
        while (end > 0 && (bytes[start + end] & 0xC0) == 0x80) {
            end--;
        }
        size = start + end;
    }

    private void ensure(int more)
    {
        if (more > bytes.length - size) {
            long needed = (long) size + more;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("a syslog message cannot exceed " + (Integer.MAX_VALUE - 16) + " bytes");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(bytes.length * 2L, needed), Integer.MAX_VALUE - 16));
        }
    }

    /** One ASCII character. */
    void ascii(char c)
    {
        ensure(1);
        bytes[size++] = (byte) c;
    }

    /** Bytes as they are: ASCII constants, or text already encoded. */
    void bytes(byte[] source)
    {
        bytes(source, 0, source.length);
    }

    void bytes(byte[] source, int offset, int length)
    {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /** A number in decimal, as {@link Long#toString(long)} writes it. */
    void decimal(long value)
    {
        if (value == Long.MIN_VALUE) {
            bytes(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        // the width by comparison, then two digits per division from the end: offsets and sizes have eight or more
        int width = 1;
        for (long power = 10; width < 19 && value >= power; power *= 10) {
            width++;
        }
        byte[] out = bytes;
        int at = size + width;
        while (value >= 100) {
            int pair = (int) (value % 100) << 1;
            value /= 100;
            out[--at] = DIGIT_PAIRS[pair + 1];
            out[--at] = DIGIT_PAIRS[pair];
        }
        if (value >= 10) {
            int pair = (int) value << 1;
            out[--at] = DIGIT_PAIRS[pair + 1];
            out[--at] = DIGIT_PAIRS[pair];
        }
        else {
            out[--at] = (byte) ('0' + value);
        }
        size += width;
    }

    /** {@code value} in {@code width} digits, zero-padded; {@code value} must fit. */
    void digits(int value, int width)
    {
        ensure(width);
        for (int i = size + width - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    void bool(boolean value)
    {
        bytes(value ? TRUE : FALSE);
    }

    /**
     * The characters {@link #printableAscii} keeps: PRINTUSASCII (33 to 126) but those in {@code forbidden}, by
     * value below 128.
     */
    static boolean[] printableAsciiExcept(String forbidden)
    {
        boolean[] allowed = new boolean[128];
        for (char c = 33; c <= 126; c++) {
            allowed[c] = forbidden.indexOf(c) < 0;
        }
        return allowed;
    }

    /**
     * As {@link SyslogText#printableAscii(String, int, String)}: at most {@code maxLength} characters, those
     * {@code allowed} (from {@link #printableAsciiExcept}) as they are and every other code point as {@code _};
     * null or empty as {@code -}.
     */
    void printableAscii(String value, int maxLength, boolean[] allowed)
    {
        if (value == null || value.isEmpty()) {
            ascii('-');
            return;
        }
        int length = value.length();
        ensure(Math.min(length, maxLength));
        byte[] out = bytes;
        int at = size;
        int written = 0;
        // one character per code point, as SyslogText does: a surrogate pair becomes one _
        for (int i = 0; i < length && written < maxLength; written++) {
            char c = value.charAt(i++);
            if (c < 128 && allowed[c]) {
                out[at++] = (byte) c;
            }
            else {
                if (Character.isHighSurrogate(c) && i < length && Character.isLowSurrogate(value.charAt(i))) {
                    i++;
                }
                out[at++] = '_';
            }
        }
        size = at;
    }

    /**
     * A captured value as {@link #printableAscii(String, int, boolean[])} writes its {@link StoredEvent.Slot#asString}:
     * straight from ASCII bytes (one character each), else from the text.
     */
    void printableAscii(StoredEvent.Slot value, int maxLength, boolean[] allowed)
    {
        if (value.kind == StoredEvent.Slot.INTEGRAL && maxLength >= 20 && allowed['-'] && allowed['0']) {
            // a process id as a number: its at most 20 characters are all kept, and no string is made for them
            decimal(value.number);
            return;
        }
        if (!value.asciiBytes()) {
            printableAscii(value.asString(), maxLength, allowed);
            return;
        }
        int length = value.length;
        if (length == 0) {
            ascii('-');
            return;
        }
        int written = Math.min(length, maxLength);
        ensure(written);
        byte[] source = value.bytes;
        byte[] out = bytes;
        int at = size;
        for (int i = 0; i < written; i++) {
            byte c = source[i];
            out[at++] = allowed[c] ? c : (byte) '_';
        }
        size = at;
    }

    /**
     * UTF-8 text as {@link #paramValue(String, boolean)} writes its string, if the bytes are well-formed UTF-8 (else
     * nothing is written and the answer is false: the caller decodes them). One scan serves the common plain ASCII
     * value; the check for well-formed text only starts at the first byte that is not.
     */
    boolean paramValueUtf8(byte[] source, int offset, int length, boolean escapeLineBreaks)
    {
        int end = offset + length;
        int plain = plainEnd(source, offset, end, true, escapeLineBreaks, true);
        if (plain == end) {
            bytes(source, offset, length);
            return true;
        }
        if (!Utf8.isWellFormed(source, plain, end - plain)) {
            return false;
        }
        escaped(source, offset, length, true, escapeLineBreaks);
        return true;
    }

    /** Text as UTF-8, as MSG: with {@code escapeLineBreaks}, CR and LF as {@code #015} and {@code #012} ({@link SyslogText#escapeLineBreaks}). */
    void text(String value, boolean escapeLineBreaks)
    {
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        escaped(encoded, 0, encoded.length, false, escapeLineBreaks);
    }

    /**
     * An SD-PARAM value as UTF-8: {@code "}, {@code \} and {@code ]} get a backslash ({@link SyslogText#appendParamValue}),
     * after CR and LF were replaced with {@code escapeLineBreaks}.
     */
    void paramValue(String value, boolean escapeLineBreaks)
    {
        // String's own encoder is vectorised for the common Latin-1 text, where a loop over charAt costs several
        // times more; and escaping the encoded bytes is exact, as every character escaped is ASCII, and UTF-8
        // never uses an ASCII byte inside a longer sequence
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        escaped(encoded, 0, encoded.length, true, escapeLineBreaks);
    }

    /** UTF-8 bytes as {@link #text} writes them, from an encoder that has already made them (JSON). */
    void utf8(byte[] source, int offset, int length, boolean escapeLineBreaks)
    {
        escaped(source, offset, length, false, escapeLineBreaks);
    }

    /**
     * Copies UTF-8 bytes, escaping {@code "}, {@code \\} and {@code ]} with a backslash ({@code param}) and CR and LF
     * as {@code #015} and {@code #012} ({@code lineBreaks}): plain runs are found a word at a time and copied whole.
     */
    private void escaped(byte[] source, int offset, int length, boolean param, boolean lineBreaks)
    {
        int end = offset + length;
        if (!param && !lineBreaks) {
            bytes(source, offset, length);
            return;
        }
        int plain = plainEnd(source, offset, end, param, lineBreaks, false);
        bytes(source, offset, plain - offset);
        while (plain < end) {
            byte b = source[plain];
            ensure(MAX_ESCAPED_BYTES);
            if (b == '\r' || b == '\n') {
                size = lineBreak(bytes, size, b);
            }
            else {
                bytes[size++] = '\\';
                bytes[size++] = b;
            }
            int next = plainEnd(source, plain + 1, end, param, lineBreaks, false);
            bytes(source, plain + 1, next - plain - 1);
            plain = next;
        }
    }

    /**
     * Where the plain run of {@code source} from {@code from} ends: the index of its first byte to escape ({@code "},
     * {@code \\} and {@code ]} with {@code param}, CR and LF with {@code lineBreaks}) or, with {@code stopAtNonAscii},
     * above 127; {@code end} when there is none. Eight bytes per step: a byte that equals a pattern is one whose XOR
     * with it is zero, and the lowest byte the zero test flags is a true zero (a false flag only ever sits above one).
     */
    private static int plainEnd(byte[] source, int from, int end, boolean param, boolean lineBreaks, boolean stopAtNonAscii)
    {
        int i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long word = (long) WORDS.get(source, i);
            long found = stopAtNonAscii ? word & HIGH_BITS : 0;
            if (param) {
                found |= zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES) | zeroBytes(word ^ BRACKETS);
            }
            if (lineBreaks) {
                found |= zeroBytes(word ^ CRS) | zeroBytes(word ^ LFS);
            }
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            byte b = source[i];
            if (b < 0 ? stopAtNonAscii : ((param && (b == '"' || b == '\\' || b == ']')) || (lineBreaks && (b == '\r' || b == '\n')))) {
                return i;
            }
        }
        return end;
    }

    /** The high bit of each byte of {@code word} that may be zero; the lowest one set marks its first zero byte. */
    private static long zeroBytes(long word)
    {
        return (word - ONES) & ~word & HIGH_BITS;
    }

    private static int lineBreak(byte[] out, int at, byte crOrLf)
    {
        out[at++] = '#';
        out[at++] = '0';
        out[at++] = '1';
        out[at++] = crOrLf == '\r' ? (byte) '5' : (byte) '2';
        return at;
    }
}
