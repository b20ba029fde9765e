package io.outrider.plugin.winevent;

/**
 * An inclusive range of event ids; a single id is a range of one.
 *
 * @param first the lowest id
 * @param last the highest id, at least {@code first}
 */
public record EventIdRange(int first, int last)
{
    public EventIdRange
    {
        if (first < 0 || last > EventIdSelection.MAX_EVENT_ID || first > last) {
            throw new IllegalArgumentException("invalid event id range " + first + "-" + last);
        }
    }

    public static EventIdRange of(int id)
    {
        return new EventIdRange(id, id);
    }

    public boolean contains(int id)
    {
        return id >= first && id <= last;
    }

    public boolean isSingle()
    {
        return first == last;
    }

    @Override
    public String toString()
    {
        return isSingle() ? Integer.toString(first) : first + "-" + last;
    }
}
