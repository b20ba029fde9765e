package io.outrider.plugin.http;

import io.outrider.support.JsonByteWriter;

import java.util.ArrayDeque;

/**
 * The buffer an output encodes its batches' JSON into, kept from one batch to the next: a fresh megabyte array per
 * request, grown and then copied out, was a third of what the agent allocated per event on the way to a collector.
 *
 * <p>The body is sent straight from the writer's array, so the array must not be written again while the HTTP
 * client may still read it. A writer comes back only when its request is over for certain (a 2xx answer was read,
 * or the body was compressed into a copy); after a timeout, a failure or a refusal the client may still hold
 * the array, and the next batch gets a new one. With batches in flight ({@code delivery.in_flight}) several writers
 * are lent at once; up to {@value #MAX_KEPT} are kept, so that the default two in flight encode into warm arrays.
 * Writers are taken on the output's delivery thread and given back on whichever thread learns the answer. When the
 * output has sent nothing for a while, {@link #release} lets the kept ones go: after a burst they held a few MB that the
 * agent's heap trimmer then gives back with the rest.
 */
final class RequestBuffer
{
    /** A kept buffer more than this many times the next batch's expected size is let go: a burst's memory comes back. */
    private static final int SHRINK_FACTOR = 4;
    private static final int FIRST_SIZE = 64 << 10;
    /** Writers kept for reuse: one per batch in flight at the default {@code delivery.in_flight}. */
    static final int MAX_KEPT = 2;

    private final int maxEncodedBytes;
    /** The size of the last body's JSON: the next batch's buffer is sized from it. */
    private int lastEncodedBytes = FIRST_SIZE;
    private final ArrayDeque<JsonByteWriter> kept = new ArrayDeque<>(MAX_KEPT);

    /** @param maxEncodedBytes the most bytes a body's JSON may take before compression */
    RequestBuffer(int maxEncodedBytes)
    {
        this.maxEncodedBytes = maxEncodedBytes;
    }

    /** A writer for the next body, empty; the caller owns it until {@link #giveBack}. */
    synchronized JsonByteWriter take()
    {
        int expected = (int) Math.min(maxEncodedBytes, lastEncodedBytes * 9L / 8 + 1024);
        JsonByteWriter writer = kept.pollLast();
        if (writer == null || writer.capacity() / SHRINK_FACTOR > expected) {
            return new JsonByteWriter(expected, maxEncodedBytes);
        }
        writer.reset();
        return writer;
    }

    /** Records the size of a body just encoded, which sizes the next buffer. */
    synchronized void encoded(int bytes)
    {
        lastEncodedBytes = bytes;
    }

    /** Returns a writer nothing reads any more, for the next batch. */
    synchronized void giveBack(JsonByteWriter writer)
    {
        if (kept.size() < MAX_KEPT) {
            kept.addLast(writer);
        }
    }

    /** Lets go of the kept writers; the next batch gets a new one, sized by the last body. */
    synchronized void release()
    {
        kept.clear();
    }

    /** Whether a writer is kept for the next batch (for tests). */
    synchronized boolean keeps()
    {
        return !kept.isEmpty();
    }
}
