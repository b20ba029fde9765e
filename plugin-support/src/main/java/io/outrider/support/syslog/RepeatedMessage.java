package io.outrider.support.syslog;

import static java.util.Objects.requireNonNull;

/**
 * rsyslog's and syslog-ng's {@code message repeated N times: [ text]}, which stands for N lines of the same text: a
 * parser makes the events of the text, N times (or one event with a count), instead of one event of the summary.
 *
 * @param count how many times the text was logged, at least 1
 * @param text the repeated text, without the brackets and the space rsyslog puts after the opening one
 */
public record RepeatedMessage(long count, String text)
{
    /** How a repeat starts: parsers can pre-filter on it without parsing. */
    public static final String PREFIX = "message repeated ";
    private static final String INFIX = " times: [";
    private static final int MAX_COUNT_DIGITS = 9;

    public RepeatedMessage
    {
        requireNonNull(text, "text is null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
    }

    /**
     * The repeat a program's text (after the syslog prefix) stands for, or {@code null} when it is a single message or
     * a malformed repeat (no count, a count of 0 or of more than 9 digits, nothing in the brackets, no closing one),
     * which is then a single message of its own. Allocates nothing for a text that is not a repeat.
     */
    public static RepeatedMessage parse(String text)
    {
        if (!text.startsWith(PREFIX)) {
            return null;
        }
        int timesAt = text.indexOf(INFIX, PREFIX.length());
        if (timesAt <= PREFIX.length() || timesAt - PREFIX.length() > MAX_COUNT_DIGITS || !text.endsWith("]")) {
            return null;
        }
        long count = 0;
        for (int i = PREFIX.length(); i < timesAt; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            count = count * 10 + (c - '0');
        }
        int innerStart = timesAt + INFIX.length();
        if (count == 0 || innerStart >= text.length()) {
            return null;
        }
        return new RepeatedMessage(count, text.substring(text.charAt(innerStart) == ' ' ? innerStart + 1 : innerStart, text.length() - 1));
    }
}
