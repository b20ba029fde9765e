package io.outrider.spi;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, written in configuration as {@code 1048576}, {@code 512KiB}, {@code 64MiB}, {@code 1GiB},
 * {@code 10KB}, {@code 10MB}, {@code 1GB} (KB/MB/GB are decimal, KiB/MiB/GiB binary) or {@code 100B}.
 *
 * @param bytes the size in bytes, not negative
 */
@Stable
public record DataSize(long bytes)
{
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*([kmgt]i?b|b)?", Pattern.CASE_INSENSITIVE);

    public DataSize
    {
        if (bytes < 0) {
            throw new IllegalArgumentException("size is negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes)
    {
        return new DataSize(bytes);
    }

    /**
     * Parses the configuration form.
     *
     * @throws IllegalArgumentException with a sentence naming the accepted forms
     */
    public static DataSize parse(String text)
    {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: use bytes or a number with B, KB, MB, GB, KiB, MiB or GiB");
        }
        long number;
        try {
            number = Long.parseLong(matcher.group(1));
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "b" -> 1L;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit");
        };
        try {
            return new DataSize(Math.multiplyExact(number, multiplier));
        }
        catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    @Override
    public String toString()
    {
        long[] units = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        String[] names = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= units[i] && bytes % units[i] == 0) {
                return (bytes / units[i]) + names[i];
            }
        }
        return bytes + "B";
    }
}
