package io.outrider.support.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

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

    /**
     * The events of a line that stands for {@code repeated × occurrences} identical events (a repeat summary of a text
     * that itself counts several, such as PAM's "2 more authentication failures"): one event each, but at most
     * {@code maxEvents}, so that a forged "message repeated 999999999 times" cannot flood the buffer; the last event
     * then carries {@code event.count} for itself and those left out, and the others none.
     *
     * @param repeated the repeat count, 1 for a single message
     * @param occurrences how many occurrences the text itself stands for, at least 1
     * @param maxEvents at least 1
     * @param eventWithCount makes the event with the given {@code event.count} (1: no count)
     */
    public static ParseResult toEvents(long repeated, long occurrences, int maxEvents, LongFunction<Event> eventWithCount)
    {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, not " + maxEvents);
        }
        long total = saturatedMultiply(repeated, occurrences);
        Event last = eventWithCount.apply(total > maxEvents ? total - maxEvents + 1 : 1);
        if (total == 1) {
            return ParseResult.matched(last);
        }
        int copies = (int) Math.min(total, maxEvents);
        List<Event> events = new ArrayList<>(copies);
        Event plain = total > maxEvents ? last.toBuilder().removeField(Fields.EVENT_COUNT).build() : last;
        for (int i = 0; i < copies - 1; i++) {
            events.add(plain);
        }
        events.add(last);
        return ParseResult.matched(events);
    }

    private static long saturatedMultiply(long a, long b)
    {
        long product = a * b;
        return (a != 0 && (product / a != b || product < 0)) ? Long.MAX_VALUE : product;
    }
}
