package io.outrider.support.syslog;

import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.support.config.Checks;

import java.util.List;

/**
 * The bounds of the options every parser of syslog lines takes ({@code year}, {@code timezone},
 * {@code max_field_length}, {@code max_message_length}, {@code max_repeat_events}), so that the sshd and linux_auth
 * parsers accept the same values and refuse the others in the same words. The defaults stay with each parser: they
 * differ (sshd never writes a message near linux_auth's 8192 characters).
 *
 * <p>Two checks rather than one so that a factory keeps its own options where its documentation lists them (sshd's
 * {@code session_table_size} comes between the timestamp options and the lengths).
 */
public final class SyslogParserLimits
{
    /** {@code year}: from the epoch to the last year four digits write. */
    public static final int MIN_YEAR = 1970;
    public static final int MAX_YEAR = 9999;
    /** {@code max_field_length}: the shortest cut of user names, host names and other extracted values. */
    public static final int MIN_FIELD_LENGTH = 16;
    /** {@code max_message_length}: the shortest and longest messages a parser may be told to classify. */
    public static final int MIN_MESSAGE_LENGTH = 256;
    public static final int MAX_MESSAGE_LENGTH = 1 << 20;
    /** {@code max_repeat_events}: the most events one repeated line may be told to expand into (the least is 1). */
    public static final int MAX_REPEAT_EVENTS = 100_000;

    private SyslogParserLimits() {}

    /**
     * {@code year} ({@code null}: inferred) between {@value #MIN_YEAR} and {@value #MAX_YEAR}, and {@code timezone}
     * ({@code null}: the system's) a zone id or offset; adds a problem for each one that is not.
     */
    public static void checkTimestampOptions(List<Problem> problems, Integer year, String timezone)
    {
        if (year != null) {
            Checks.between(problems, "year", year, MIN_YEAR, MAX_YEAR);
        }
        Checks.timeZone(problems, "timezone", timezone);
    }

    /**
     * {@code max_field_length} at least {@value #MIN_FIELD_LENGTH}, {@code max_message_length} between
     * {@value #MIN_MESSAGE_LENGTH} and {@value #MAX_MESSAGE_LENGTH}, {@code max_repeat_events} between 1 and
     * {@value #MAX_REPEAT_EVENTS}; adds a problem for each one that is not.
     */
    public static void checkLengthOptions(List<Problem> problems, int maxFieldLength, int maxMessageLength, int maxRepeatEvents)
    {
        Checks.atLeast(problems, "max_field_length", maxFieldLength, MIN_FIELD_LENGTH);
        Checks.between(problems, "max_message_length", maxMessageLength, MIN_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH);
        Checks.between(problems, "max_repeat_events", maxRepeatEvents, 1, MAX_REPEAT_EVENTS);
    }
}
