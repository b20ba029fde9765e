package io.outrider.support;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Appends JSON text to a {@link StringBuilder}. Hand-written rather than a library so that the wire formats are
 * exact and encoding a batch allocates little.
 *
 * <p>Writes values of the event model: strings, booleans, numbers, {@code null}, lists and string-keyed maps.
 * Non-finite doubles have no JSON form and are written as {@code null}.
 */
public final class JsonWriter
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private JsonWriter() {}

    public static void writeString(StringBuilder out, String value)
    {
        out.append('"');
        int length = value.length();
        int start = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            String escape = null;
            if (c == '"') {
                escape = "\\\"";
            }
            else if (c == '\\') {
                escape = "\\\\";
            }
            else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                escape = switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> unicodeEscape(c);
                };
            }
            else if (Character.isSurrogate(c)) {
                // a lone surrogate cannot be encoded as UTF-8; a valid pair passes through unchanged
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                escape = "\\ufffd";
            }
            if (escape != null) {
                out.append(value, start, i).append(escape);
                start = i + 1;
            }
        }
        out.append(value, start, length).append('"');
    }

    private static String unicodeEscape(char c)
    {
        return "\\u" + HEX[(c >> 12) & 0xF] + HEX[(c >> 8) & 0xF] + HEX[(c >> 4) & 0xF] + HEX[c & 0xF];
    }

    /** {@code value} as compact JSON text. */
    public static String toJson(Object value)
    {
        StringBuilder out = new StringBuilder();
        writeValue(out, value);
        return out.toString();
    }

    public static void writeTimestamp(StringBuilder out, Instant timestamp)
    {
        out.append('"');
        DateTimeFormatter.ISO_INSTANT.formatTo(timestamp, out);
        out.append('"');
    }

    public static void writeValue(StringBuilder out, Object value)
    {
        if (value == null) {
            out.append("null");
        }
        else if (value instanceof String) {
            writeString(out, (String) value);
        }
        else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte) {
            out.append(value);
        }
        else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isFinite(number)) {
                out.append(value);
            }
            else {
                out.append("null");
            }
        }
        else if (value instanceof Number) {
            String text = value.toString();
            // BigDecimal and BigInteger print valid JSON numbers; anything exotic is kept as text
            if (isJsonNumber(text)) {
                out.append(text);
            }
            else {
                writeString(out, text);
            }
        }
        else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, String.valueOf(entry.getKey()));
                out.append(':');
                writeValue(out, entry.getValue());
            }
            out.append('}');
        }
        else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object element : (List<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, element);
            }
            out.append(']');
        }
        else {
            writeString(out, value.toString());
        }
    }

    /** Whether the text is a number as JSON writes one (BigDecimal and BigInteger print such text). */
    static boolean isJsonNumber(String text)
    {
        return JSON_NUMBER.matcher(text).matches();
    }

    /** Writes {@code ,"name":value} or {@code "name":value} (first member), skipping a null value. */
    public static boolean writeMember(StringBuilder out, boolean first, String name, Object value)
    {
        if (value == null) {
            return first;
        }
        if (!first) {
            out.append(',');
        }
        writeString(out, name);
        out.append(':');
        writeValue(out, value);
        return false;
    }
}
