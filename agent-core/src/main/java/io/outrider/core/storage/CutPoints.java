package io.outrider.core.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Where each delivery reader recently stopped inside a block, so that the acknowledgement of that batch cuts the
 * block's delivered head without reading its payload back: the cut needs the bytes of the head and where the rest
 * starts, which the reader learned walking the very same payload. A block's payload is never rewritten (a cut moves its
 * offset), so a point found for a block's last number and an event stays true for as long as the block lives;
 * one that is not found, or does not fit the row, leaves the cut to {@link BlockPayload#cut} (which decompresses the
 * whole block).
 *
 * <p>An output with more than one batch in flight reads the next batch (and may stop in another block, or at the end of
 * what is buffered) before the earlier one is acknowledged, so the last {@value #KEPT_PER_OUTPUT} points of each
 * reader are kept, not only its last one: more than {@code delivery.in_flight} allows, with room for the reads a batch
 * that fills over time takes. Written by the delivery threads, read under the buffer's write lock.
 */
final class CutPoints
{
    /** Points kept per reader: above the most batches in flight (16), each of which ends at most once inside a block. */
    static final int KEPT_PER_OUTPUT = 32;

    /**
     * The block ending at {@code blockLastSeq} cut after event {@code upTo}: the rest starts at byte {@code tailStart}
     * of its payload and holds {@code tailBytes} bytes of events.
     */
    record Point(long blockLastSeq, long upTo, int tailStart, long tailBytes)
    {
    }

    // pipeline -> output -> where that output's reader last stopped inside a block, newest last; each deque is
    // guarded by itself
    private final Map<String, Map<String, Deque<Point>>> points = new ConcurrentHashMap<>();

    /**
     * Records where {@code output}'s reader stopped; empty when it stopped at a block's end (nothing to cut there),
     * which leaves the points of earlier reads in place for the batches still in flight.
     */
    void stopped(String pipeline, String output, Optional<Point> point)
    {
        requireNonNull(output, "output is null");
        requireNonNull(pipeline, "pipeline is null");
        if (point.isEmpty()) {
            return;
        }
        Deque<Point> kept = points.computeIfAbsent(pipeline, ignored -> new ConcurrentHashMap<>())
                .computeIfAbsent(output, ignored -> new ArrayDeque<>(KEPT_PER_OUTPUT));
        synchronized (kept) {
            if (point.get().equals(kept.peekLast())) {
                return;
            }
            if (kept.size() == KEPT_PER_OUTPUT) {
                kept.removeFirst();
            }
            kept.addLast(point.get());
        }
    }

    /** Forgets {@code output}'s reader (it closed). */
    void forget(String pipeline, String output)
    {
        Map<String, Deque<Point>> outputs = points.get(pipeline);
        if (outputs != null) {
            outputs.remove(output);
        }
    }

    /**
     * The cut of the events up to {@code upTo} off the block of {@code pipeline} ending at {@code blockLastSeq}, whose
     * row now starts at {@code start} of its payload and holds {@code bytes} bytes of events, if a reader stopped
     * there; empty when none did or the point does not fit the row.
     */
    Optional<BlockPayload.Cut> cut(String pipeline, long blockLastSeq, long upTo, int start, long bytes)
    {
        Map<String, Deque<Point>> outputs = points.get(pipeline);
        if (outputs == null) {
            return Optional.empty();
        }
        for (Deque<Point> kept : outputs.values()) {
            synchronized (kept) {
                for (Point point : kept) {
                    if (point.blockLastSeq() == blockLastSeq && point.upTo() == upTo && point.tailStart() > start && point.tailBytes() >= 0 && point.tailBytes() <= bytes) {
                        return Optional.of(new BlockPayload.Cut(bytes - point.tailBytes(), point.tailStart()));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
