package io.outrider.core.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import io.outrider.spi.Event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The buffer's encoding of an {@link Event}. Runs for every event twice (append and delivery), so it is a compact
 * binary form written and read by hand:
 * <pre>
 * 0x02                                  format marker (a legacy JSON payload starts with '{')
 * zigzag varlong  epoch seconds
 * varint          nanoseconds
 * string          message
 * varint          field count, then per field: name, value
 * value:  tag byte, then NULL | FALSE | TRUE | LONG zigzag varlong | DOUBLE 8 bytes (IEEE 754 bits, big-endian)
 *         | STRING string | BIG_INTEGER string | BIG_DECIMAL string | MAP varint n, n x (name, value)
 *         | LIST varint n, n x value
 * string: varint (byte length &lt;&lt; 1 | lone-surrogate flag), then UTF-8; with the flag set, a lone surrogate is
 *         written as its own three-byte sequence (as WTF-8 does), so every Java string comes back unchanged
 * name:   varint (i &lt;&lt; 1 | 1) for entry i of {@link #DICTIONARY_NAMES}, else varint (string header &lt;&lt; 1), then
 *         the string's UTF-8 as above
 * </pre>
 * The names of the common fields made up over a third of an event's bytes, written out in every row; as dictionary
 * entries they take one byte each. Format 0x01 is the same without the dictionary (every name a string); its
 * payloads, in buffers and dead letters from before, still decode.
 * After a round trip, integral numbers are {@link Long} ({@link BigInteger} beyond its range), {@code float} is the
 * {@link Double} of its decimal text, {@code double} and {@link BigDecimal} are exactly what was written.
 *
 * <p>Buffers written before this format hold compact JSON {@code {"s":secs,"n":nanos,"m":message,"f":{fields}}};
 * those payloads (and dead letters) still decode.
 */
public final class EventCodec
{
    /** Names written as strings: buffers from before the dictionary. */
    private static final byte FORMAT_BINARY = 0x01;
    private static final byte FORMAT_DICTIONARY = 0x02;
    /**
     * Field names common enough to be written as their index. Append only, never reorder or remove: stored payloads
     * refer to entries by position. Kept below 64 entries so that every index fits one byte.
     */
    private static final String[] DICTIONARY_NAMES = {
            "log.file.path", "log.offset", "log.file.size", "log.file.mtime", "host.name",
            "event.original", "event.module", "log.syslog.hostname", "process.name", "process.pid",
            "event.category", "event.action", "event.outcome", "event.reason", "source.ip",
            "source.address", "source.port", "source.domain", "user.name", "sshd.invalid_user",
            "sshd.auth_method", "sshd.key_type", "sshd.key_fingerprint", "event.count", "log.syslog.priority",
            "log.syslog.facility", "log.flags", "agent.name", "agent.version", "systemd.unit",
            "event.kind", "event.dataset", "event.severity", "event.code", "error.message",
            "user.id", "user.domain", "file.path", "file.size", "file.mtime",
            "file.owner", "file.group", "file.mode", "file.inode", "winlog.event_id",
            "winlog.channel", "winlog.provider_name", "winlog.record_id", "winlog.computer_name", "winlog.level"};
    private static final Map<String, Integer> DICTIONARY_INDEX = dictionaryIndex();
    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte LONG = 3;
    private static final byte DOUBLE = 4;
    private static final byte STRING = 5;
    private static final byte BIG_INTEGER = 6;
    private static final byte BIG_DECIMAL = 7;
    private static final byte MAP = 8;
    private static final byte LIST = 9;
    /** Below this, copying through {@link String#getBytes} costs more than the per-character loop it saves. */
    private static final int ASCII_COPY_MIN_LENGTH = 16;
    /** Encoding scratch space per thread: inputs encode on their own threads, concurrently. */
    private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);
    /** Field names repeat in every event: decoded once per thread, not once per event. */
    private static final ThreadLocal<NameCache> NAMES = ThreadLocal.withInitial(NameCache::new);

    private EventCodec() {}

    private static Map<String, Integer> dictionaryIndex()
    {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < DICTIONARY_NAMES.length; i++) {
            if (index.put(DICTIONARY_NAMES[i], i) != null) {
                throw new AssertionError("dictionary name listed twice: " + DICTIONARY_NAMES[i]);
            }
        }
        return index;
    }

    public static byte[] encode(Event event)
    {
        Writer out = WRITERS.get();
        out.reset();
        out.put(FORMAT_DICTIONARY);
        out.putVarLong(zigzag(event.timestamp().getEpochSecond()));
        out.putVarLong(event.timestamp().getNano());
        out.putString(event.message());
        Map<String, Object> fields = event.fields();
        out.putVarLong(fields.size());
        // forEach, not entrySet(): the unmodifiable view wraps every entry it iterates in a new object
        fields.forEach(out::putField);
        return out.toByteArray();
    }

    /**
     * @throws UncheckedIOException when the payload is not an event this codec wrote (damaged or truncated)
     */
    public static Event decode(byte[] payload)
    {
        if (payload.length > 0 && (payload[0] == FORMAT_DICTIONARY || payload[0] == FORMAT_BINARY)) {
            try {
                return new Reader(payload, payload[0] == FORMAT_DICTIONARY).event();
            }
            catch (IOException e) {
                throw new UncheckedIOException("buffered event cannot be decoded: " + e.getMessage(), e);
            }
            catch (IndexOutOfBoundsException e) {
                throw new UncheckedIOException("buffered event cannot be decoded: it ends early", new IOException(e));
            }
        }
        return decodeJson(payload);
    }

    private static long zigzag(long value)
    {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(long value)
    {
        return (value >>> 1) ^ -(value & 1);
    }

    /** A growable byte array, kept per thread. */
    private static final class Writer
    {
        private static final int RETAINED_CAPACITY = 64 * 1024;
        private byte[] bytes = new byte[1024];
        private int size;

        void reset()
        {
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
            while ((value & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
        }

        private static int varIntSize(long value)
        {
            int size = 1;
            while ((value & ~0x7FL) != 0) {
                value >>>= 7;
                size++;
            }
            return size;
        }

        /**
         * One pass over the characters: the UTF-8 bytes go after room for the longest possible length prefix, which
         * is closed up afterwards when the real prefix is shorter.
         */
        void putString(String value)
        {
            putString(value, 0);
        }

        /** A field name or map key: its dictionary index, or the string with its header shifted to make room for the flag. */
        void putName(String name)
        {
            Integer index = DICTIONARY_INDEX.get(name);
            if (index != null) {
                putVarLong(((long) index << 1) | 1);
            }
            else {
                putString(name, 1);
            }
        }

        /** With {@code headerShift} 1, the header goes one bit up, the bit below it clear: how a name says "not in the dictionary". */
        private void putString(String value, int headerShift)
        {
            int length = value.length();
            if (length >= ASCII_COPY_MIN_LENGTH && putAscii(value, headerShift)) {
                return;
            }
            int reserved = varIntSize((((long) length * 3) << 1 | 1) << headerShift);
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
            int prefix = varIntSize(header);
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
                put(NULL);
            }
            else if (value instanceof String) {
                put(STRING);
                putString((String) value);
            }
            else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                put(LONG);
                putVarLong(zigzag(((Number) value).longValue()));
            }
            else if (value instanceof Double) {
                putDouble((Double) value);
            }
            else if (value instanceof Float) {
                // the float's own shortest text: widened to double first, 1.1f would come back as 1.100000023841858
                putDouble(Double.parseDouble(value.toString()));
            }
            else if (value instanceof Boolean) {
                put((Boolean) value ? TRUE : FALSE);
            }
            else if (value instanceof BigInteger) {
                BigInteger integer = (BigInteger) value;
                if (integer.bitLength() < 64) {
                    put(LONG);
                    putVarLong(zigzag(integer.longValue()));
                }
                else {
                    put(BIG_INTEGER);
                    putString(integer.toString());
                }
            }
            else if (value instanceof BigDecimal) {
                put(BIG_DECIMAL);
                putString(value.toString());
            }
            else if (value instanceof Number) {
                putOtherNumber(value.toString());
            }
            else if (value instanceof Map) {
                Map<?, ?> map = (Map<?, ?>) value;
                put(MAP);
                putVarLong(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    putName(String.valueOf(entry.getKey()));
                    putValue(entry.getValue());
                }
            }
            else if (value instanceof List) {
                List<?> list = (List<?>) value;
                put(LIST);
                putVarLong(list.size());
                for (Object element : list) {
                    putValue(element);
                }
            }
            else {
                put(STRING);
                putString(value.toString());
            }
        }

        private void putDouble(double value)
        {
            put(DOUBLE);
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
                put(LONG);
                putVarLong(zigzag(integral));
                return;
            }
            catch (NumberFormatException notLong) {
                // not a plain integer
            }
            try {
                new BigDecimal(text);
                put(BIG_DECIMAL);
            }
            catch (NumberFormatException notDecimal) {
                put(STRING);
            }
            putString(text);
        }
    }

    /** Reads one binary payload. */
    private static final class Reader
    {
        private final byte[] bytes;
        private final boolean dictionary;
        private final NameCache names = NAMES.get();
        private int at = 1;

        Reader(byte[] bytes, boolean dictionary)
        {
            this.bytes = bytes;
            this.dictionary = dictionary;
        }

        Event event()
                throws IOException
        {
            long seconds = unzigzag(varLong());
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
            if (at != bytes.length) {
                throw new IOException((bytes.length - at) + " byte(s) after the event");
            }
            return event.build();
        }

        private long varLong()
                throws IOException
        {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
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
            if (count < 0 || count > bytes.length - at) {
                throw new IOException("a count of " + count + " is more than the " + (bytes.length - at) + " byte(s) left");
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
            if (length > bytes.length - at) {
                throw new IOException("a string of " + length + " byte(s) is longer than the " + (bytes.length - at) + " left");
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
            if (dictionary) {
                if ((header & 1) != 0) {
                    long index = header >>> 1;
                    if (index >= DICTIONARY_NAMES.length) {
                        throw new IOException("name " + index + " is not in the dictionary");
                    }
                    return DICTIONARY_NAMES[(int) index];
                }
                header >>>= 1;
            }
            long length = header >>> 1;
            if ((header & 1) != 0 || length > NameCache.MAX_LENGTH || length > bytes.length - at) {
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
            byte tag = bytes[at++];
            switch (tag) {
                case NULL:
                    return null;
                case FALSE:
                    return Boolean.FALSE;
                case TRUE:
                    return Boolean.TRUE;
                case LONG:
                    return unzigzag(varLong());
                case DOUBLE:
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits = (bits << 8) | (bytes[at++] & 0xFF);
                    }
                    return Double.longBitsToDouble(bits);
                case STRING:
                    return string();
                case BIG_INTEGER:
                    return number(string(), true);
                case BIG_DECIMAL:
                    return number(string(), false);
                case MAP:
                    int entries = count();
                    Map<String, Object> map = new LinkedHashMap<>(Math.max(4, (int) (entries / 0.75f) + 1));
                    for (int i = 0; i < entries; i++) {
                        String name = name();
                        map.put(name, value());
                    }
                    return map;
                case LIST:
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

    /** Only for legacy payloads and {@code buffer inspect}: Jackson's parser stack stays unloaded in a running agent. */
    private static final class Json
    {
        static final JsonFactory FACTORY = JsonFactory.builder().build();
    }

    /** A payload written before the binary format: compact JSON. */
    private static Event decodeJson(byte[] payload)
    {
        try (JsonParser in = Json.FACTORY.createParser(payload)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("buffered event is not a JSON object");
            }
            long seconds = 0;
            int nanos = 0;
            String message = "";
            Map<String, Object> fields = Map.of();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken token = in.nextToken();
                switch (name) {
                    case "s" -> seconds = in.getLongValue();
                    case "n" -> nanos = in.getIntValue();
                    case "m" -> message = in.getText();
                    case "f" -> fields = readMap(in);
                    default -> in.skipChildren();
                }
                if (token == null) {
                    break;
                }
            }
            return Event.builder().timestamp(Instant.ofEpochSecond(seconds, nanos)).message(message).fields(fields).build();
        }
        catch (IOException e) {
            throw new UncheckedIOException("buffered event cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** The event as one line of JSON for people: {@code {"@timestamp":..., "message":..., fields...}}. */
    public static String toJsonLine(Event event)
    {
        try (SegmentedStringWriter writer = new SegmentedStringWriter(Json.FACTORY._getBufferRecycler());
                JsonGenerator out = Json.FACTORY.createGenerator(writer)) {
            out.writeStartObject();
            out.writeStringField("@timestamp", event.timestamp().toString());
            out.writeStringField("message", event.message());
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                out.writeFieldName(field.getKey());
                writeValue(out, field.getValue());
            }
            out.writeEndObject();
            out.flush();
            return writer.getAndClear();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeMap(JsonGenerator out, Map<String, ?> map)
            throws IOException
    {
        out.writeStartObject();
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            out.writeFieldName(entry.getKey());
            writeValue(out, entry.getValue());
        }
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, Object value)
            throws IOException
    {
        if (value == null) {
            out.writeNull();
        }
        else if (value instanceof String) {
            out.writeString((String) value);
        }
        else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        }
        else if (value instanceof Double) {
            out.writeNumber((Double) value);
        }
        else if (value instanceof Float) {
            // the float's own shortest text: widened to double first, 1.1f would come back as 1.100000023841858
            out.writeNumber((Float) value);
        }
        else if (value instanceof BigInteger) {
            out.writeNumber((BigInteger) value);
        }
        else if (value instanceof BigDecimal) {
            out.writeNumber((BigDecimal) value);
        }
        else if (value instanceof Number) {
            out.writeNumber(value.toString());
        }
        else if (value instanceof Boolean) {
            out.writeBoolean((Boolean) value);
        }
        else if (value instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> map = (Map<String, ?>) value;
            writeMap(out, map);
        }
        else if (value instanceof List) {
            out.writeStartArray();
            for (Object element : (List<?>) value) {
                writeValue(out, element);
            }
            out.writeEndArray();
        }
        else {
            out.writeString(value.toString());
        }
    }

    private static Map<String, Object> readMap(JsonParser in)
            throws IOException
    {
        Map<String, Object> map = new LinkedHashMap<>();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            map.put(name, readValue(in));
        }
        return map;
    }

    /**
     * A double when the stored text is exactly how that double prints, as for every double and float written
     * here; otherwise the text came from a {@link BigDecimal}, whose digits a double would silently round away.
     */
    private static Number fractional(JsonParser in)
            throws IOException
    {
        double value = in.getDoubleValue();
        String text = in.getText();
        return Double.toString(value).equals(text) ? (Number) value : new BigDecimal(text);
    }

    private static Object readValue(JsonParser in)
            throws IOException
    {
        switch (in.currentToken()) {
            case VALUE_STRING:
                return in.getText();
            case VALUE_NUMBER_INT:
                return in.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? in.getBigIntegerValue() : in.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return fractional(in);
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
                return readMap(in);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(in));
                }
                return list;
            default:
                throw new IOException("unexpected " + in.currentToken());
        }
    }
}
