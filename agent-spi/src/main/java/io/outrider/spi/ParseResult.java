package io.outrider.spi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a {@link Parser} made of one event. Immutable. */
@Stable
public final class ParseResult
{
    private static final ParseResult UNMATCHED = new ParseResult(false, List.of());
    private static final ParseResult DROPPED = new ParseResult(true, List.of());

    private final boolean matched;
    private final List<Event> events;

    private ParseResult(boolean matched, List<Event> events)
    {
        this.matched = matched;
        this.events = events;
    }

    /** The parser recognised the event; {@code event} replaces it. */
    public static ParseResult matched(Event event)
    {
        return new ParseResult(true, List.of(requireNonNull(event, "event is null")));
    }

    /**
     * The parser recognised the event; {@code events} replace it (zero events: recognised and deliberately
     * discarded, e.g. noise the parser knows; more than one: e.g. {@code message repeated N times}).
     */
    public static ParseResult matched(List<Event> events)
    {
        return events.isEmpty() ? DROPPED : new ParseResult(true, List.copyOf(events));
    }

    /** The parser does not recognise the event; it goes on unchanged. */
    public static ParseResult unmatched()
    {
        return UNMATCHED;
    }

    public boolean isMatched()
    {
        return matched;
    }

    /** The replacement events when matched; empty when unmatched. */
    public List<Event> events()
    {
        return events;
    }

    @Override
    public String toString()
    {
        return matched ? "matched" + events : "unmatched";
    }
}
