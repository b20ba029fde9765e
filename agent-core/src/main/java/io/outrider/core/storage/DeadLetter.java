package io.outrider.core.storage;

/** An event a collector refused permanently, kept with the collector's reason until replayed or purged. */
public record DeadLetter(long id, String pipeline, String output, long seq, long failedAtMillis, String reason, byte[] payload)
{
}
