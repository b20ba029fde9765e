package io.outrider.core.storage;

/**
 * An event's encoding would pass {@link BatchEncoder#MAX_EVENT_BYTES}: thrown by the writer before the memory for it
 * is taken, caught by {@link BatchEncoder#add}. One instance without a stack trace: it is control flow, not a report.
 */
final class EventTooLargeException
        extends RuntimeException
{
    static final EventTooLargeException INSTANCE = new EventTooLargeException();

    private EventTooLargeException()
    {
        super("event too large", null, false, false);
    }
}
