package io.outrider.spi.testing;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@link Emitter} that keeps every committed event and applies checkpoints as the agent would (in the same
 * step as the events). Thread-safe: an input runs on its own thread while the test waits with {@link #awaitEvents}.
 *
 * <p>{@link #block()} makes {@code emit} wait like the agent does under back-pressure, until {@link #unblock()};
 * {@link #failAfter(int)} makes the n-th next emit throw as if the agent crashed before committing, which together
 * with {@link #committedCheckpoints()} and
 * {@link TestingComponentContext#withCheckpoints} models a crash and restart.
 */
public final class CollectingEmitter
        implements Emitter
{
    private final List<Event> events = new ArrayList<>();
    private final Map<String, String> checkpoints = new LinkedHashMap<>();
    private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
    private int batches;
    private int failCountdown = -1;

    @Override
    public void emit(List<Event> batch, Collection<Checkpoint> newCheckpoints)
            throws InterruptedException
    {
        gate.acquire();
        gate.release();
        synchronized (this) {
            if (failCountdown > 0 && --failCountdown == 0) {
                failCountdown = -1;
                throw new IllegalStateException("simulated crash before commit");
            }
            events.addAll(batch);
            for (Checkpoint checkpoint : newCheckpoints) {
                if (checkpoint.isForget()) {
                    checkpoints.remove(checkpoint.key());
                }
                else {
                    checkpoints.put(checkpoint.key(), checkpoint.value());
                }
            }
            batches++;
            notifyAll();
        }
    }

    /** Every event committed so far, in order. */
    public synchronized List<Event> events()
    {
        return List.copyOf(events);
    }

    /** The messages of every committed event, in order. */
    public synchronized List<String> messages()
    {
        List<String> messages = new ArrayList<>(events.size());
        events.forEach(event -> messages.add(event.message()));
        return messages;
    }

    /** The checkpoints as committed so far: what a restarted input would get. */
    public synchronized Map<String, String> committedCheckpoints()
    {
        return Map.copyOf(checkpoints);
    }

    /** How many emit calls committed. */
    public synchronized int batches()
    {
        return batches;
    }

    /** Forgets the collected events (checkpoints stay), e.g. between phases of a test. */
    public synchronized void clearEvents()
    {
        events.clear();
    }

    /**
     * Waits until at least {@code count} events were committed.
     *
     * @return the events committed so far
     * @throws AssertionError on timeout, with the count reached
     */
    public List<Event> awaitEvents(int count, Duration timeout)
            throws InterruptedException
    {
        return awaitEvents(list -> list.size() >= count, timeout, "at least " + count + " events");
    }

    /** Waits until the committed events satisfy {@code condition}. @throws AssertionError on timeout */
    public synchronized List<Event> awaitEvents(Predicate<List<Event>> condition, Duration timeout, String description)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(events)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + description + "; have " + events.size() + " events");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(events);
    }

    /**
     * Waits until the committed value of checkpoint {@code key} satisfies {@code condition} (e.g. an offset reached
     * the end of a file).
     *
     * @return the committed value
     * @throws AssertionError on timeout, with the value reached
     * @since SPI 1.1
     */
    public synchronized String awaitCheckpoint(String key, Predicate<String> condition, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (checkpoints.get(key) == null || !condition.test(checkpoints.get(key))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for checkpoint " + key + "; it is " + checkpoints.get(key));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return checkpoints.get(key);
    }

    /** From now on, emit blocks (back-pressure) until {@link #unblock()}. */
    public void block()
            throws InterruptedException
    {
        gate.acquire(Integer.MAX_VALUE);
    }

    public void unblock()
    {
        gate.release(Integer.MAX_VALUE);
    }

    /** The {@code n}-th emit from now (1 = the next) throws without committing. */
    public synchronized void failAfter(int n)
    {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        failCountdown = n;
    }
}
