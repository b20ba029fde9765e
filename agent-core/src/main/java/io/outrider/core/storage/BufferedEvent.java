package io.outrider.core.storage;

import io.outrider.spi.Event;

import static java.util.Objects.requireNonNull;

/**
 * An event as read back from the buffer: its sequence number, when it was buffered, its encoded size, and its payload
 * with the codec of the buffer it came from (whose field names it refers to).
 */
public record BufferedEvent(long seq, long ingestedMillis, int bytes, byte[] payload, EventCodec codec)
{
    public BufferedEvent
    {
        requireNonNull(payload, "payload is null");
        requireNonNull(codec, "codec is null");
    }

    /** A payload that names no field by a buffer's id (tests, tools): see {@link EventCodec#standalone()}. */
    public BufferedEvent(long seq, long ingestedMillis, int bytes, byte[] payload)
    {
        this(seq, ingestedMillis, bytes, payload, EventCodec.standalone());
    }

    public Event event()
    {
        return codec.decode(payload);
    }
}
