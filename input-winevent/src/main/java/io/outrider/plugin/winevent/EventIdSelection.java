package io.outrider.plugin.winevent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Which event ids to keep: included ids and ranges minus excluded ones, as written in {@code event_ids}
 * ({@code [4624, "4700-4800", -4735]}). No inclusions means every id not excluded.
 *
 * @param included included ranges, sorted and merged where adjacent or overlapping
 * @param excluded excluded ranges, sorted and merged
 */
public record EventIdSelection(List<EventIdRange> included, List<EventIdRange> excluded)
{
    /** Event ids are 16-bit unsigned numbers. */
    public static final int MAX_EVENT_ID = 65535;

    /** Keeps every id. */
    public static final EventIdSelection ALL = new EventIdSelection(List.of(), List.of());

    private static final Pattern ENTRY = Pattern.compile("(-)?\\s*(\\d{1,9})(?:\\s*-\\s*(\\d{1,9}))?");

    public EventIdSelection
    {
        included = merge(included);
        excluded = merge(excluded);
    }

    /**
     * Parses the {@code event_ids} list: integers (negative ones exclude) and strings {@code "4624"},
     * {@code "4700-4800"}, {@code "-4735"}, {@code "-4700-4710"}.
     *
     * @throws IllegalArgumentException with a sentence naming the offending entry
     */
    public static EventIdSelection parse(List<?> entries)
    {
        requireNonNull(entries, "entries is null");
        List<EventIdRange> included = new ArrayList<>();
        List<EventIdRange> excluded = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof Integer || entry instanceof Long || entry instanceof Short) {
                long value = ((Number) entry).longValue();
                long id = Math.abs(value);
                if (id > MAX_EVENT_ID) {
                    throw new IllegalArgumentException("event id " + value + " is out of range: event ids are 0 to " + MAX_EVENT_ID);
                }
                (value < 0 ? excluded : included).add(EventIdRange.of((int) id));
            }
            else if (entry instanceof String) {
                parseText((String) entry, included, excluded);
            }
            else {
                throw new IllegalArgumentException("'" + entry + "' is not an event id: write a number (4624), a range (\"4700-4800\") or an exclusion (-4735)");
            }
        }
        return new EventIdSelection(included, excluded);
    }

    private static void parseText(String text, List<EventIdRange> included, List<EventIdRange> excluded)
    {
        Matcher matcher = ENTRY.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an event id: write a number (4624), a range (\"4700-4800\") or an exclusion (-4735)");
        }
        long first = Long.parseLong(matcher.group(2));
        long last = matcher.group(3) == null ? first : Long.parseLong(matcher.group(3));
        if (first > MAX_EVENT_ID || last > MAX_EVENT_ID) {
            throw new IllegalArgumentException("'" + text + "' is out of range: event ids are 0 to " + MAX_EVENT_ID);
        }
        if (first > last) {
            throw new IllegalArgumentException("'" + text + "' is an empty range: write the lower id first");
        }
        (matcher.group(1) != null ? excluded : included).add(new EventIdRange((int) first, (int) last));
    }

    /** Whether {@code id} is kept. */
    public boolean matches(int id)
    {
        for (EventIdRange range : excluded) {
            if (range.contains(id)) {
                return false;
            }
        }
        if (included.isEmpty()) {
            return true;
        }
        for (EventIdRange range : included) {
            if (range.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this selection keeps every id. */
    public boolean isAll()
    {
        return included.isEmpty() && excluded.isEmpty();
    }

    private static List<EventIdRange> merge(List<EventIdRange> ranges)
    {
        List<EventIdRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(EventIdRange::first).thenComparingInt(EventIdRange::last));
        List<EventIdRange> merged = new ArrayList<>();
        for (EventIdRange range : sorted) {
            if (!merged.isEmpty()) {
                EventIdRange previous = merged.get(merged.size() - 1);
                // Adjacent ranges merge too: every clause counts against the event log's limit per query.
                if (range.first() <= previous.last() + 1L) {
                    merged.set(merged.size() - 1, new EventIdRange(previous.first(), Math.max(previous.last(), range.last())));
                    continue;
                }
            }
            merged.add(range);
        }
        return List.copyOf(merged);
    }
}
