package io.outrider.core.pipeline;

import io.outrider.spi.Event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The events inputs committed lately, for {@code outrider tap}: each event as it was written to the buffer (after
 * the parsers), numbered, in a ring of the last {@link #CAPACITY} events. It keeps events only while a tap has asked
 * within {@link #IDLE_AFTER}: an agent nobody taps pays one volatile read per committed batch and holds nothing.
 *
 * <p>A tap asks for what came after the last number it saw ({@link #poll}); when events came faster than it asks,
 * the ones that fell out of the ring are counted as missed rather than held, so a tap can never slow the inputs
 * down or grow the agent's memory. Thread-safe.
 */
public final class EventTap
{
    static final int CAPACITY = 1_000;
    static final Duration IDLE_AFTER = Duration.ofSeconds(15);

    /** One tapped event: its number, where it came from, and the event. */
    public record Entry(long number, String pipeline, String component, Event event)
    {
        public Entry
        {
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(component, "component is null");
            requireNonNull(event, "event is null");
        }
    }

    /**
     * What one poll found: the matching events, the number to ask after next time, and how many events (matching or
     * not) fell out of the ring before the tap could see them.
     */
    public record Batch(List<Entry> entries, long next, long missed)
    {
        public Batch
        {
            entries = List.copyOf(entries);
        }
    }

    private final LongSupplier nanoTime;
    private final Entry[] ring = new Entry[CAPACITY];
    // the number the next event gets; numbers start at 1, so "after 0" is "from the first"
    private long nextNumber = 1;
    private volatile long lastPollNanos;
    private volatile boolean polled;

    public EventTap()
    {
        this(System::nanoTime);
    }

    EventTap(LongSupplier nanoTime)
    {
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** Whether a tap asked lately; while none did, {@link #offer} keeps nothing. */
    boolean isTapped()
    {
        return polled && nanoTime.getAsLong() - lastPollNanos < IDLE_AFTER.toNanos();
    }

    /** Called by an input's thread with the events it just committed. */
    void offer(String pipeline, String component, List<Event> events)
    {
        if (!isTapped()) {
            if (polled) {
                forget();
            }
            return;
        }
        synchronized (this) {
            for (Event event : events) {
                ring[(int) (nextNumber % CAPACITY)] = new Entry(nextNumber, pipeline, component, event);
                nextNumber++;
            }
            notifyAll();
        }
    }

    /** The tap went away: the ring lets go of its events (the numbering goes on, a tap that comes back sees a gap). */
    private synchronized void forget()
    {
        if (polled && !isTapped()) {
            Arrays.fill(ring, null);
            polled = false;
        }
    }

    /**
     * Events after number {@code after} that match the filters, at most {@code limit}, waiting up to {@code wait}
     * for the first one. {@code after} below 0 means "from now": nothing is returned but the number to go on from.
     * An {@code after} beyond the newest number (the agent was reloaded and numbers started again) reads from the
     * start.
     */
    public Batch poll(long after, Optional<String> pipeline, Optional<String> component, int limit, Duration wait)
            throws InterruptedException
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(component, "component is null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        long deadline = nanoTime.getAsLong() + wait.toNanos();
        synchronized (this) {
            markPolled();
            if (after < 0) {
                return new Batch(List.of(), nextNumber - 1, 0);
            }
            long cursor = after >= nextNumber ? 0 : after;
            long missed = 0;
            List<Entry> found = new ArrayList<>();
            while (true) {
                long oldest = Math.max(1, nextNumber - CAPACITY);
                if (cursor + 1 < oldest) {
                    missed += oldest - (cursor + 1);
                    cursor = oldest - 1;
                }
                while (cursor + 1 < nextNumber && found.size() < limit) {
                    cursor++;
                    Entry entry = ring[(int) (cursor % CAPACITY)];
                    if (entry != null && entry.number() == cursor
                            && pipeline.map(entry.pipeline()::equals).orElse(true)
                            && component.map(entry.component()::equals).orElse(true)) {
                        found.add(entry);
                    }
                }
                long left = deadline - nanoTime.getAsLong();
                if (!found.isEmpty() || left <= 0) {
                    return new Batch(found, cursor, missed);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
                markPolled();
            }
        }
    }

    private void markPolled()
    {
        lastPollNanos = nanoTime.getAsLong();
        polled = true;
    }
}
