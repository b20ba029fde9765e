package io.outrider.support.config;

import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException.Problem;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The checks factories' {@code validate()} repeat (ranges, positive durations, time zones), with one wording for every
 * plugin: a problem says what the option must be and what it is ({@code must be between 1 and 100000, not 0}), in the units the configuration is
 * written in ({@code 1KiB}, {@code 500ms}). Each check adds at most one problem and returns whether the value passed,
 * so that a factory collects every problem of a configuration before it throws.
 */
public final class Checks
{
    private Checks() {}

    /** {@code must be positive, not 0s}. */
    public static boolean positive(List<Problem> problems, String property, Duration value)
    {
        requireNonNull(value, "value is null");
        if (value.isZero() || value.isNegative()) {
            return fail(problems, property, "must be positive, not " + format(value));
        }
        return true;
    }

    /** {@code must be at least 0s, not -5s}: a duration that may be zero ({@code rotate_wait}, {@code linger}). */
    public static boolean atLeast(List<Problem> problems, String property, Duration value, Duration min)
    {
        requireNonNull(value, "value is null");
        if (value.compareTo(min) < 0) {
            return fail(problems, property, "must be at least " + format(min) + ", not " + format(value));
        }
        return true;
    }

    /** {@code must be between 1ms and 1h, not 2h}. */
    public static boolean between(List<Problem> problems, String property, Duration value, Duration min, Duration max)
    {
        requireNonNull(value, "value is null");
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min " + format(min) + " is greater than max " + format(max));
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            return fail(problems, property, "must be between " + format(min) + " and " + format(max) + ", not " + format(value));
        }
        return true;
    }

    /** {@code must be between 1 and 100000, not 0}. */
    public static boolean between(List<Problem> problems, String property, long value, long min, long max)
    {
        checkRange(min, max);
        if (value < min || value > max) {
            return fail(problems, property, "must be between " + min + " and " + max + ", not " + value);
        }
        return true;
    }

    /** {@code must be between 1KiB and 16MiB, not 512B}. */
    public static boolean between(List<Problem> problems, String property, DataSize value, DataSize min, DataSize max)
    {
        requireNonNull(value, "value is null");
        checkRange(min.bytes(), max.bytes());
        if (value.bytes() < min.bytes() || value.bytes() > max.bytes()) {
            return fail(problems, property, "must be between " + min + " and " + max + ", not " + value);
        }
        return true;
    }

    /** {@code must be at least 16, not 8}. */
    public static boolean atLeast(List<Problem> problems, String property, long value, long min)
    {
        if (value < min) {
            return fail(problems, property, "must be at least " + min + ", not " + value);
        }
        return true;
    }

    /** {@code must be at least 1KiB, not 512B}. */
    public static boolean atLeast(List<Problem> problems, String property, DataSize value, DataSize min)
    {
        requireNonNull(value, "value is null");
        if (value.bytes() < min.bytes()) {
            return fail(problems, property, "must be at least " + min + ", not " + value);
        }
        return true;
    }

    /**
     * {@code 'Mars/Olympus' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as
     * +02:00}; {@code null} (the system's zone) passes.
     */
    public static boolean timeZone(List<Problem> problems, String property, String zoneId)
    {
        if (zoneId == null) {
            return true;
        }
        try {
            ZoneId.of(zoneId);
            return true;
        }
        catch (DateTimeException e) {
            return fail(problems, property, "'" + zoneId + "' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00");
        }
    }

    /**
     * A duration as the configuration writes one, in the largest unit that is exact: {@code 0s}, {@code -5s},
     * {@code 1500ms}, {@code 2m}, {@code 1h}, {@code 7d}; ISO-8601 below a millisecond.
     */
    static String format(Duration duration)
    {
        long millis;
        try {
            millis = duration.toMillis();
        }
        catch (ArithmeticException e) {
            return duration.toString();
        }
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        if (millis == 0) {
            return "0s";
        }
        long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return (millis / units[i]) + names[i];
            }
        }
        return millis + "ms";
    }

    private static boolean fail(List<Problem> problems, String property, String message)
    {
        problems.add(new Problem(property, message));
        return false;
    }

    private static void checkRange(long min, long max)
    {
        if (min > max) {
            // a programming error of the caller, not a configuration problem
            throw new IllegalArgumentException("min " + min + " is greater than max " + max);
        }
    }
}
