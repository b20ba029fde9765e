package io.outrider.plugin.syslog;

import io.outrider.spi.Event;

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

    /** The event's message on its own. */
    default byte[] encode(Event event)
            throws UnencodableEventException
    {
        SyslogWriter out = new SyslogWriter(256);
        encode(event, out);
        return out.toByteArray();
    }
}
