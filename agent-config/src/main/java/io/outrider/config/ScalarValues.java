package io.outrider.config;

import io.outrider.spi.DataSize;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scalar types a configuration record may declare, as {@link RecordBinder} reads them: how the text of one YAML
 * scalar becomes a value, how a message says what a type expects, and what a component is when its key is absent.
 * The binder owns the node walk, substitution and secrets; this class knows only text and types.
 */
final class ScalarValues
{
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private ScalarValues() {}

    /**
     * {@code text} as a {@code type}: text as written; booleans as {@code true/yes/on} or {@code false/no/off}; whole
     * numbers with optional {@code _} separators; durations ({@link #parseDuration}); sizes ({@link DataSize#parse});
     * paths; URIs; enum constants by name, any case, {@code -} for {@code _}.
     *
     * @throws IllegalArgumentException when the text is not such a value; its message is a detail for the reader
     *         (empty when {@link #expectation} says it all) and never contains more of the value than the text itself
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object convert(Class<?> type, String text)
    {
        String trimmed = text.trim();
        if (type == String.class) {
            return text;
        }
        if (type == boolean.class || type == Boolean.class) {
            switch (trimmed.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on":
                    return true;
                case "false", "no", "off":
                    return false;
                default:
                    throw new IllegalArgumentException("");
            }
        }
        if (type == int.class || type == Integer.class) {
            long value = parseLong(trimmed);
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than " + Integer.MAX_VALUE);
            }
            if (value < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("less than " + Integer.MIN_VALUE);
            }
            return (int) value;
        }
        if (type == long.class || type == Long.class) {
            return parseLong(trimmed);
        }
        if (type == double.class || type == Double.class) {
            try {
                return Double.parseDouble(trimmed.replace("_", ""));
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("");
            }
        }
        if (type == Duration.class) {
            return parseDuration(trimmed);
        }
        if (type == DataSize.class) {
            return DataSize.parse(trimmed);
        }
        if (type == Path.class) {
            try {
                return Path.of(text);
            }
            catch (InvalidPathException e) {
                throw new IllegalArgumentException(e.getReason());
            }
        }
        if (type == URI.class) {
            try {
                return new URI(trimmed);
            }
            catch (URISyntaxException e) {
                throw new IllegalArgumentException(e.getReason());
            }
        }
        if (type.isEnum()) {
            String wanted = trimmed.replace('-', '_');
            for (Object constant : type.getEnumConstants()) {
                if (((Enum) constant).name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("");
        }
        throw new IllegalArgumentException("unsupported configuration type " + type.getName());
    }

    /** A whole number with optional {@code _} separators. @throws IllegalArgumentException with an empty message */
    static long parseLong(String text)
    {
        try {
            return Long.parseLong(text.replace("_", ""));
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("");
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 12h}, {@code 7d}, or ISO-8601 ({@code PT30S}). */
    static Duration parseDuration(String text)
    {
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            double amount = Double.parseDouble(matcher.group(1));
            double millis = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 86_400_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(text);
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException("");
        }
    }

    /** What a message says a {@code type} takes: "expected " + this + " but found ...". */
    static String expectation(Class<?> type)
    {
        if (type == String.class || type == Path.class || type == URI.class) {
            return "text";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 30s, 5m, 12h or 7d";
        }
        if (type == DataSize.class) {
            return "a size such as 1048576, 512KiB or 64MiB";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", enumNames(type));
        }
        return "a value of type " + type.getSimpleName();
    }

    /** The names an enum {@code type} is written as in a configuration, in declaration order. */
    static List<String> enumNames(Class<?> type)
    {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /**
     * What a record component gets when its key is absent: {@code null}, or zero/{@code false} for a primitive (which
     * cannot say "absent"), so that the compact constructor fills in the default.
     */
    static Object absentValue(Class<?> type)
    {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == float.class) {
            return 0.0f;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }
}
