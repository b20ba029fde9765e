package io.outrider.core.storage;

import io.outrider.spi.Checkpoint;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per pipeline, the input checkpoints the checkpoint mirror may hold: those of a moment when every event of the
 * pipeline appended up to that moment had been settled (delivered or dead-lettered) by every output of the pipeline.
 * Inputs restored to them after the buffer vanished read again what was still undelivered: duplicates are possible,
 * loss is not. The committed checkpoints would not do: they lie after the events still waiting in the buffer, and
 * restoring them skips exactly the lines that were lost with it.
 *
 * <p>How: each commit that appends events captures, at most once per {@link #CAPTURE_INTERVAL} and pipeline, the
 * pipeline's committed checkpoints with the sequence number of its last appended event. When the outputs'
 * lowest cursor reaches that number, the capture becomes the delivered positions; when it reaches the pipeline's last
 * appended event, the committed checkpoints themselves are (and stay so through commits without events). At most
 * {@link #DEFAULT_MAX_PENDING} captures wait per pipeline; dropping the oldest only makes the positions advance later.
 *
 * <p>Not thread-safe: {@link SqliteBuffer} calls it under its write lock.
 */
final class DeliveredCheckpoints
{
    /** How often at most a pipeline's checkpoints are captured while its events await delivery. */
    static final Duration CAPTURE_INTERVAL = Duration.ofSeconds(1);
    /**
     * Half an hour of captures at one a second, each a copy of one pipeline's checkpoints: after a longer outage the
     * oldest are dropped, which moves the positions forward later, never wrongly.
     */
    static final int DEFAULT_MAX_PENDING = 2_048;

    private final int maxPending;
    private final Map<String, PipelinePositions> pipelines = new TreeMap<>();

    DeliveredCheckpoints()
    {
        this(DEFAULT_MAX_PENDING);
    }

    DeliveredCheckpoints(int maxPending)
    {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1: " + maxPending);
        }
        this.maxPending = maxPending;
    }

    /** Checkpoints captured after a commit: all of them lie after events up to {@code seq} only. */
    private record Capture(long seq, Map<String, Map<String, String>> checkpoints) {}

    private static final class PipelinePositions
    {
        /** Component, then key to value: the committed checkpoints. */
        private final Map<String, Map<String, String>> committed = new TreeMap<>();
        /** Output to cursor (the last sequence number it settled). */
        private final Map<String, Long> cursors = new TreeMap<>();
        private final Deque<Capture> pending = new ArrayDeque<>();
        /** The positions the mirror holds; null while they are the committed ones (nothing of the pipeline is undelivered). */
        private Map<String, Map<String, String>> delivered;
        private long lastAppended;
        private long lastCaptureMillis = Long.MIN_VALUE;

        private long minCursor()
        {
            // a pipeline without outputs settles nothing; with no events either, it has nothing to settle
            return cursors.values().stream().mapToLong(Long::longValue).min().orElse(0);
        }
    }

    /**
     * Starts from what the buffer holds at open. A pipeline with nothing undelivered starts from its committed
     * checkpoints; one with undelivered events from the positions {@code mirrored} (the mirror of this same buffer)
     * kept for it, or none if it kept none. Without a mirror of this buffer (an older version's mirror held committed
     * positions, or none was written), nothing tells which positions had their events delivered: such a pipeline
     * starts from its committed checkpoints, as before, and moves to delivered ones as its outputs catch up.
     *
     * @param committed pipeline, component, key to value
     * @param cursors pipeline, output to cursor
     * @param lastAppended pipeline to the sequence number of its last buffered event
     */
    void load(Map<String, Map<String, Map<String, String>>> committed, Map<String, Map<String, Long>> cursors, Map<String, Long> lastAppended,
            Optional<Map<String, Map<String, Map<String, String>>>> mirrored)
    {
        pipelines.clear();
        committed.forEach((pipeline, components) -> components.forEach((component, entries) -> positions(pipeline).committed.put(component, new TreeMap<>(entries))));
        cursors.forEach((pipeline, outputs) -> positions(pipeline).cursors.putAll(outputs));
        lastAppended.forEach((pipeline, seq) -> positions(pipeline).lastAppended = seq);
        pipelines.forEach((pipeline, positions) -> {
            if (positions.minCursor() >= positions.lastAppended) {
                positions.delivered = null;
            }
            else if (mirrored.isPresent()) {
                positions.delivered = copy(mirrored.get().getOrDefault(pipeline, Map.of()));
            }
            else {
                positions.delivered = copy(positions.committed);
            }
        });
    }

    /**
     * Notes a commit of one input: its checkpoints, and with {@code appendedEvents} the sequence number of the last
     * event it appended ({@code lastSeq}).
     *
     * @return whether the positions the mirror holds changed
     */
    boolean committed(String pipeline, String component, Collection<Checkpoint> checkpoints, boolean appendedEvents, long lastSeq, long nowMillis)
    {
        PipelinePositions positions = positions(pipeline);
        boolean deliveredAll = positions.delivered == null;
        if (appendedEvents && deliveredAll) {
            // everything before this commit is settled: its positions are the delivered ones until these events are
            positions.delivered = copy(positions.committed);
        }
        if (!checkpoints.isEmpty()) {
            Map<String, String> entries = positions.committed.computeIfAbsent(component, ignored -> new TreeMap<>());
            for (Checkpoint checkpoint : checkpoints) {
                if (checkpoint.isForget()) {
                    entries.remove(checkpoint.key());
                }
                else {
                    entries.put(checkpoint.key(), checkpoint.value());
                }
            }
        }
        if (!appendedEvents) {
            // a commit of checkpoints alone keeps the last appended event: once that is settled, these are delivered too
            return deliveredAll && !checkpoints.isEmpty();
        }
        positions.lastAppended = lastSeq;
        if (positions.lastCaptureMillis == Long.MIN_VALUE || nowMillis - positions.lastCaptureMillis >= CAPTURE_INTERVAL.toMillis()) {
            positions.pending.addLast(new Capture(lastSeq, copy(positions.committed)));
            positions.lastCaptureMillis = nowMillis;
            if (positions.pending.size() > maxPending) {
                positions.pending.removeFirst();
            }
        }
        return false;
    }

    /**
     * Notes that {@code output} settled everything up to {@code seq} (an output the pipeline does not have is ignored,
     * as its cursor is).
     *
     * @return whether the positions the mirror holds changed
     */
    boolean settled(String pipeline, String output, long seq)
    {
        PipelinePositions positions = positions(pipeline);
        Long cursor = positions.cursors.get(output);
        if (cursor == null) {
            return false;
        }
        positions.cursors.put(output, Math.max(cursor, seq));
        return advance(positions);
    }

    /**
     * Replaces a pipeline's outputs and their cursors (outputs added or removed): a removed output holds nothing back.
     *
     * @return whether the positions the mirror holds changed
     */
    boolean outputs(String pipeline, Map<String, Long> cursors)
    {
        PipelinePositions positions = positions(pipeline);
        positions.cursors.clear();
        positions.cursors.putAll(cursors);
        return advance(positions);
    }

    private static boolean advance(PipelinePositions positions)
    {
        if (positions.delivered == null) {
            return false;
        }
        long settled = positions.minCursor();
        if (settled >= positions.lastAppended) {
            positions.delivered = null;
            positions.pending.clear();
            return true;
        }
        Capture newest = null;
        while (!positions.pending.isEmpty() && positions.pending.peekFirst().seq() <= settled) {
            newest = positions.pending.removeFirst();
        }
        if (newest == null) {
            return false;
        }
        positions.delivered = newest.checkpoints();
        return true;
    }

    /** Whether an input has committed checkpoints. */
    boolean hasCommitted(String pipeline, String component)
    {
        PipelinePositions positions = pipelines.get(pipeline);
        return positions != null && !positions.committed.getOrDefault(component, Map.of()).isEmpty();
    }

    /** What the mirror holds: pipeline, component, key to value; a copy. */
    Map<String, Map<String, Map<String, String>>> mirrorCopy()
    {
        Map<String, Map<String, Map<String, String>>> copy = new TreeMap<>();
        pipelines.forEach((pipeline, positions) -> copy.put(pipeline, positions.delivered == null ? copy(positions.committed) : positions.delivered));
        return Collections.unmodifiableMap(copy);
    }

    /** How many captures wait for a pipeline's outputs (for tests). */
    int pendingCaptures(String pipeline)
    {
        PipelinePositions positions = pipelines.get(pipeline);
        return positions == null ? 0 : positions.pending.size();
    }

    private PipelinePositions positions(String pipeline)
    {
        return pipelines.computeIfAbsent(pipeline, ignored -> new PipelinePositions());
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> components)
    {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        components.forEach((component, entries) -> copy.put(component, Collections.unmodifiableMap(new TreeMap<>(entries))));
        return Collections.unmodifiableMap(copy);
    }
}
