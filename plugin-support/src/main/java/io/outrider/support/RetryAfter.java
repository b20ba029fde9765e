package io.outrider.support;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Reads an HTTP {@code Retry-After} header (RFC 9110): delta-seconds or an HTTP-date. */
public final class RetryAfter
{
    /** The longest delay a collector may ask for; a longer one is capped. */
    public static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {}

    /**
     * The delay {@code value} asks for, relative to {@code now}, capped at {@link #MAX}; zero for a date in the past;
     * {@code null} when it is neither delta-seconds nor an HTTP-date.
     */
    public static Duration parse(String value, Instant now)
    {
        String text = value.strip();
        if (text.isEmpty()) {
            return null;
        }
        Duration delay;
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                delay = Duration.ofSeconds(Long.parseLong(text));
            }
            catch (NumberFormatException tooLong) {
                delay = MAX;
            }
        }
        else {
            try {
                delay = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            }
            catch (DateTimeException e) {
                return null;
            }
        }
        if (delay.isNegative()) {
            return Duration.ZERO;
        }
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
