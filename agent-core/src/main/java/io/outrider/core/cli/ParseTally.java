package io.outrider.core.cli;

import io.outrider.core.builtin.TerminalText;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What {@code outrider parse} counts of a run, and the summary and {@code --stats} table it prints from the counts: a
 * line is a security line when at least one of its events has an {@code event.action}, a plain line when its events
 * have none, dropped when the parser matched it and made no event. Action and reason names come from the log, so
 * both texts escape them for the terminal.
 */
final class ParseTally
{
    private static final String NO_ACTION = "(none)";

    private long lines;
    private long securityLines;
    private long securityEvents;
    private long plainLines;
    private long plainEvents;
    private long droppedLines;
    private long unmatched;
    private long errors;
    private long truncated;
    private final Map<String, Long> eventsByAction = new TreeMap<>();
    private final Map<List<String>, Long> eventsByActionAndReason = new TreeMap<>(
            Comparator.<List<String>, String>comparing(key -> key.get(0)).thenComparing(key -> key.get(1)));

    /** Counts one more line, cut or not. @return its number, from 1 */
    long line(boolean cut)
    {
        lines++;
        if (cut) {
            truncated++;
        }
        return lines;
    }

    /** The parser threw, or returned null, for the last line. */
    void error()
    {
        errors++;
    }

    /** The parser did not match the last line. */
    void unmatched()
    {
        unmatched++;
    }

    /** The parser matched the last line and made these events. */
    void matched(List<Event> events)
    {
        boolean security = false;
        for (Event event : events) {
            String action = event.fieldAsString(Fields.EVENT_ACTION);
            if (action != null) {
                security = true;
                securityEvents++;
                eventsByAction.merge(action, 1L, Long::sum);
            }
            else {
                plainEvents++;
            }
            String reason = event.fieldAsString(Fields.EVENT_REASON);
            eventsByActionAndReason.merge(List.of(action == null ? NO_ACTION : action, reason == null ? NO_ACTION : reason), 1L, Long::sum);
        }
        if (security) {
            securityLines++;
        }
        else if (events.isEmpty()) {
            droppedLines++;
        }
        else {
            plainLines++;
        }
    }

    /**
     * e.g. {@code 5 lines: 2 became security events (3 events: auth.login_failed 2, auth.scan 1), 1 kept as plain
     * events (1 event), 1 unmatched, 1 error}.
     */
    String summary()
    {
        StringBuilder summary = new StringBuilder().append(lines).append(lines == 1 ? " line: " : " lines: ")
                .append(securityLines).append(" became security events");
        if (securityLines > 0) {
            summary.append(" (").append(events(securityEvents)).append(": ");
            StringJoiner actions = new StringJoiner(", ");
            eventsByAction.forEach((action, count) -> actions.add(TerminalText.escape(action) + " " + count));
            summary.append(actions).append(')');
        }
        summary.append(", ").append(plainLines).append(" kept as plain events");
        if (plainLines > 0) {
            summary.append(" (").append(events(plainEvents)).append(')');
        }
        if (droppedLines > 0) {
            summary.append(", ").append(droppedLines).append(" dropped by the parser");
        }
        summary.append(", ").append(unmatched).append(" unmatched, ").append(errors).append(errors == 1 ? " error" : " errors");
        if (truncated > 0) {
            summary.append("; ").append(truncated).append(" longer than --max-line-bytes were cut (flagged truncated)");
        }
        return summary.toString();
    }

    /** The events by action and reason, as a table; {@code (none)} where an event has no action or reason. */
    String statistics()
    {
        int actionWidth = "action".length();
        int reasonWidth = "reason".length();
        for (List<String> key : eventsByActionAndReason.keySet()) {
            actionWidth = Math.max(actionWidth, TerminalText.escape(key.get(0)).length());
            reasonWidth = Math.max(reasonWidth, TerminalText.escape(key.get(1)).length());
        }
        String format = "%-" + actionWidth + "s  %-" + reasonWidth + "s  %8s%n";
        StringBuilder table = new StringBuilder(String.format(format, "action", "reason", "events"));
        for (Map.Entry<List<String>, Long> row : eventsByActionAndReason.entrySet()) {
            table.append(String.format(format, TerminalText.escape(row.getKey().get(0)), TerminalText.escape(row.getKey().get(1)), row.getValue()));
        }
        table.append(String.format(format, "total", "", securityEvents + plainEvents));
        return table.toString();
    }

    private static String events(long count)
    {
        return count + (count == 1 ? " event" : " events");
    }
}
