package io.outrider.core.storage;

import io.outrider.spi.Event;

import static java.util.Objects.requireNonNull;

/**
 * An event a collector refused permanently, kept with the output that refused it and the collector's reason until
 * replayed or purged; its payload decodes with the codec of its buffer.
 */
public record DeadLetter(long id, String pipeline, String output, long seq, long failedAtMillis, String reason, byte[] payload, EventCodec codec)
{
    public DeadLetter
    {
        requireNonNull(payload, "payload is null");
        requireNonNull(codec, "codec is null");
    }

    public Event event()
    {
        return codec.decode(payload);
    }
}
