package io.outrider.plugin.syslog;

import io.outrider.spi.Event;

import java.util.List;

/**
 * Turns one event into the bytes of one syslog message, without framing. Thread-safe (the writer is the caller's).
 */
interface SyslogEncoder
{
    /**
     * Appends the event's message to {@code out}.
     *
     * @throws UnencodableEventException if no message within the size limit can represent the event (its header
     *         alone is too long); {@code out} is then as it was
     */
    void encode(Event event, SyslogWriter out)
            throws UnencodableEventException;

    /**
     * Appends the message of the event {@code batch.get(index)} to {@code out}: the same bytes, and the same
     * rejection, as {@link #encode(Event, SyslogWriter)} of that event, read without decoding it where the batch
     * allows ({@link io.outrider.spi.EventVisitor.Source}).
     *
     * @throws java.io.UncheckedIOException when the batch cannot read the event back, as {@link List#get} would
     */
    default void encode(List<Event> batch, int index, SyslogWriter out)
            throws UnencodableEventException
    {
        encode(batch.get(index), out);
    }

    /** The event's message on its own. */
    default byte[] encode(Event event)
            throws UnencodableEventException
    {
        SyslogWriter out = new SyslogWriter(256);
        encode(event, out);
        return out.toByteArray();
    }
}
