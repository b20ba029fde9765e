package io.outrider.core.storage;

import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;

import java.util.Arrays;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * An event as read back from the buffer: its sequence number, when it was buffered, its encoded size, and its payload
 * with the codec of the buffer it came from (whose field names it refers to). The payload is
 * {@code source[offset, offset + length)}: a slice of the block it was read with, which is shared with the batch's
 * other events and never changed, not a copy of its own.
 */
public record BufferedEvent(long seq, long ingestedMillis, int bytes, byte[] source, int offset, int length, EventCodec codec)
{
    public BufferedEvent
    {
        requireNonNull(source, "source is null");
        requireNonNull(codec, "codec is null");
        Objects.checkFromIndexSize(offset, length, source.length);
    }

    /** An event whose payload is the whole array. */
    public BufferedEvent(long seq, long ingestedMillis, int bytes, byte[] payload, EventCodec codec)
    {
        this(seq, ingestedMillis, bytes, payload, 0, payload.length, codec);
    }

    /** A payload that names no field by a buffer's id (tests, tools): see {@link EventCodec#standalone()}. */
    public BufferedEvent(long seq, long ingestedMillis, int bytes, byte[] payload)
    {
        this(seq, ingestedMillis, bytes, payload, EventCodec.standalone());
    }

    /** The payload as an array of its own (a copy when it is a slice of a block): for storing it elsewhere. */
    public byte[] payload()
    {
        return offset == 0 && length == source.length ? source : Arrays.copyOfRange(source, offset, offset + length);
    }

    /** @throws java.io.UncheckedIOException as {@link EventCodec#decode(byte[])} */
    public Event event()
    {
        return codec.decode(source, offset, length);
    }

    /** Shows the event to {@code visitor} without decoding it: see {@link EventCodec#visit}. */
    public void visit(EventVisitor visitor)
    {
        codec.visit(source, offset, length, visitor);
    }
}
