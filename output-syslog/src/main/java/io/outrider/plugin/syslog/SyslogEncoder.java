package io.outrider.plugin.syslog;

import io.outrider.spi.Event;

/** Turns one event into the bytes of one syslog message, without framing. Thread-safe. */
interface SyslogEncoder
{
    /**
     * @throws UnencodableEventException if no message within the size limit can represent the event (its header
     *         alone is too long)
     */
    byte[] encode(Event event)
            throws UnencodableEventException;
}
