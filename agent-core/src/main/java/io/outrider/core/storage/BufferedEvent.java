package io.outrider.core.storage;

import io.outrider.spi.Event;

/** An event as read back from the buffer: its sequence number, when it was buffered, and its encoded size. */
public record BufferedEvent(long seq, long ingestedMillis, int bytes, byte[] payload)
{
    public Event event()
    {
        return EventCodec.decode(payload);
    }
}
