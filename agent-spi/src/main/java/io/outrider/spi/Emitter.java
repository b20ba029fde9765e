package io.outrider.spi;

import java.util.Collection;
import java.util.List;

/**
 * Where an {@link Input} hands what it read. Provided by the agent; one per running input.
 *
 * <p>Called only from the input's own {@link Input#run} thread. {@link #emit} returns once the events and the
 * checkpoints are committed together to the agent's durable buffer (one transaction): from then on the input may
 * consider them safe and must not emit them again; if the agent dies before {@code emit} returns, the input resumes
 * from the previous committed checkpoints and reads the batch again (at-least-once, never loss).
 *
 * <p>Under back-pressure (buffer full, disk full) {@code emit} blocks until there is room: an input should not read
 * further ahead than the batch it is trying to emit.
 */
@Stable
public interface Emitter
{
    /**
     * Commits a batch of events with the input's new position.
     *
     * @param events the events, in order; may be empty to move only the checkpoints (e.g. past skipped bytes)
     * @param checkpoints the state entries that are valid once these events are committed; may be empty
     * @throws InterruptedException if the input is being stopped while waiting for room; the batch was not
     *         committed and {@link Input#run} should return
     * @throws IllegalStateException if the agent can no longer accept events from this input (it is stopping); the
     *         batch was not committed
     */
    void emit(List<Event> events, Collection<Checkpoint> checkpoints)
            throws InterruptedException;

    /** {@link #emit(List, Collection)} with one checkpoint. */
    default void emit(List<Event> events, Checkpoint checkpoint)
            throws InterruptedException
    {
        emit(events, List.of(checkpoint));
    }

    /** Commits checkpoints without events. */
    default void commit(Collection<Checkpoint> checkpoints)
            throws InterruptedException
    {
        emit(List.of(), checkpoints);
    }
}
