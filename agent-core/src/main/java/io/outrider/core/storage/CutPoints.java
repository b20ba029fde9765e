package io.outrider.core.storage;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Where each delivery reader last stopped inside a block, so that the acknowledgement of that batch cuts the block's
 * delivered head without reading its payload back: the cut needs the bytes of the head and where the rest starts,
 * which the reader learned walking the very same payload. A block's payload is never rewritten (a cut moves its
 * offset), so a point found for a block's last number and an event stays true for as long as the block lives;
 * one that is not found, or does not fit the row, leaves the cut to {@link BlockPayload#cut}. Written by the
 * delivery threads, read under the buffer's write lock.
 */
final class CutPoints
{
    /**
     * The block ending at {@code blockLastSeq} cut after event {@code upTo}: the rest starts at byte {@code tailStart}
     * of its payload and holds {@code tailBytes} bytes of events.
     */
    record Point(long blockLastSeq, long upTo, int tailStart, long tailBytes)
    {
    }

    // pipeline -> output -> where that output's reader last stopped
    private final Map<String, Map<String, Point>> points = new ConcurrentHashMap<>();

    /** Records where {@code output}'s reader stopped (empty: at a block's end, where nothing is cut). */
    void stopped(String pipeline, String output, Optional<Point> point)
    {
        requireNonNull(output, "output is null");
        Map<String, Point> outputs = points.computeIfAbsent(requireNonNull(pipeline, "pipeline is null"), ignored -> new ConcurrentHashMap<>());
        if (point.isPresent()) {
            outputs.put(output, point.get());
        }
        else {
            outputs.remove(output);
        }
    }

    /** Forgets {@code output}'s reader (it closed). */
    void forget(String pipeline, String output)
    {
        Map<String, Point> outputs = points.get(pipeline);
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
        Map<String, Point> outputs = points.get(pipeline);
        if (outputs == null) {
            return Optional.empty();
        }
        for (Point point : outputs.values()) {
            if (point.blockLastSeq() == blockLastSeq && point.upTo() == upTo && point.tailStart() > start && point.tailBytes() >= 0 && point.tailBytes() <= bytes) {
                return Optional.of(new BlockPayload.Cut(bytes - point.tailBytes(), point.tailStart()));
            }
        }
        return Optional.empty();
    }
}
