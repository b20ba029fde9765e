package io.outrider.core.delivery;

import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.DataSize;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Says at WARN what the buffer's {@code drop_oldest} drops, per pipeline: the first drop at once, with the count, why
 * and what to do about it; the drops in the following interval summed into one line, said with the next drop after
 * the interval, by {@link #flushDue} once the interval has passed, or when the agent stops. A buffer that stays full
 * drops on every append, and one line per drop would bury everything else in the log; the count an operator reads is
 * still the whole count.
 *
 * <p>Nothing is timed while nothing is held back: a held-back drop asks the scheduler given to
 * {@link #flushHeldBackWith} for one {@link #flushDue} at the end of its interval, so that an agent whose buffer is
 * not full never wakes up for the report.
 *
 * <p>Called by the inputs' threads (under the buffer's write lock), the agent's timer and the agent when it stops.
 */
public final class DropReport
        implements SqliteBuffer.DropListener
{
    public static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(DropReport.class.getName());

    private final String maxBytes;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final Consumer<String> warn;
    // guarded by this
    private final Map<String, PipelineDrops> pipelines = new HashMap<>();
    // guarded by this: asks for flushDue after a delay; whether such a flush is asked for and has not run yet
    private Consumer<Duration> scheduleFlush = delay -> {};
    private boolean flushScheduled;

    public DropReport(long maxBytes, Duration interval, LongSupplier nanoTime, Consumer<String> warn)
    {
        this.maxBytes = DataSize.ofBytes(maxBytes).toString();
        this.interval = requireNonNull(interval, "interval is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.warn = requireNonNull(warn, "warn is null");
    }

    /** A report to the agent's log, at most one line per pipeline every {@link #INTERVAL}. */
    public static DropReport toLog(long maxBytes)
    {
        return new DropReport(maxBytes, INTERVAL, System::nanoTime, message -> LOG.log(System.Logger.Level.WARNING, message));
    }

    /**
     * Has {@link #flushDue} called through {@code scheduleFlush}, once after the given delay, whenever drops are held
     * back; {@code scheduleFlush} must not call back into this report on the calling thread.
     */
    public synchronized void flushHeldBackWith(Consumer<Duration> scheduleFlush)
    {
        this.scheduleFlush = requireNonNull(scheduleFlush, "scheduleFlush is null");
    }

    @Override
    public synchronized void dropped(String pipeline, long events, long alreadySending)
    {
        PipelineDrops state = pipelines.computeIfAbsent(pipeline, ignored -> new PipelineDrops());
        long now = nanoTime.getAsLong();
        state.events += events;
        state.alreadySending += alreadySending;
        state.drops++;
        if (state.reported && now - state.lastReportNanos < interval.toNanos()) {
            scheduleFlushOfHeldBack(now);
            return;
        }
        if (state.drops == 1) {
            first(pipeline, events, alreadySending);
        }
        else {
            summary(pipeline, state);
        }
        state.reported = true;
        state.lastReportNanos = now;
        state.clear();
    }

    /**
     * Says what was held back for pipelines whose interval has passed since their last line: the sum comes out within
     * an interval even when the drops stopped. Called by the agent's timer when asked for (see {@link #flushHeldBackWith}).
     */
    public synchronized void flushDue()
    {
        long now = nanoTime.getAsLong();
        flushScheduled = false;
        new TreeMap<>(pipelines).forEach((pipeline, state) -> {
            if (state.drops > 0 && now - state.lastReportNanos >= interval.toNanos()) {
                summary(pipeline, state);
                state.lastReportNanos = now;
                state.clear();
            }
        });
        // another pipeline's interval may end later
        scheduleFlushOfHeldBack(now);
    }

    /** Asks for one flush when the earliest interval with held-back drops ends, unless one is asked for already. */
    private void scheduleFlushOfHeldBack(long now)
    {
        if (flushScheduled) {
            return;
        }
        long earliestDue = Long.MAX_VALUE;
        for (PipelineDrops state : pipelines.values()) {
            if (state.drops > 0) {
                earliestDue = Math.min(earliestDue, Math.max(0, state.lastReportNanos + interval.toNanos() - now));
            }
        }
        if (earliestDue != Long.MAX_VALUE) {
            flushScheduled = true;
            scheduleFlush.accept(Duration.ofNanos(earliestDue));
        }
    }

    /** Says what the interval held back, per pipeline, if anything; called when the agent stops. */
    public synchronized void flush()
    {
        new TreeMap<>(pipelines).forEach((pipeline, state) -> {
            if (state.drops > 0) {
                summary(pipeline, state);
                state.clear();
            }
        });
    }

    private void first(String pipeline, long events, long alreadySending)
    {
        warn.accept("buffer full: dropped " + (events == 1 ? "the oldest undelivered event" : "the " + events + " oldest undelivered events")
                + " of pipeline " + pipeline + alreadySending(alreadySending) + ": the buffer reached buffer.max_bytes (" + maxBytes + ") and buffer.when_full is drop_oldest; "
                + "dropped events are lost and counted in outrider_buffer_dropped_events_total. To lose none, let the outputs catch up,"
                + " raise buffer.max_bytes, or set buffer.when_full: block to slow the inputs down instead");
    }

    private void summary(String pipeline, PipelineDrops state)
    {
        warn.accept("buffer full: dropped " + state.events + (state.events == 1 ? " more undelivered event" : " more undelivered events") + " of pipeline " + pipeline
                + " in " + state.drops + (state.drops == 1 ? " drop" : " drops") + " since the last such message (buffer.max_bytes " + maxBytes + " reached, buffer.when_full: drop_oldest)"
                + (state.alreadySending == 0 ? "" : "; " + state.alreadySending + (state.alreadySending == 1 ? " of them was already being sent and is" : " of them were already being sent and are") + " not counted as dropped once delivered"));
    }

    private static String alreadySending(long alreadySending)
    {
        return alreadySending == 0 ? "" : " (" + alreadySending + " already being sent, not counted as dropped once delivered)";
    }

    /** What one pipeline dropped since its last line. */
    private static final class PipelineDrops
    {
        private boolean reported;
        private long lastReportNanos;
        private long events;
        private long alreadySending;
        private long drops;

        void clear()
        {
            events = 0;
            alreadySending = 0;
            drops = 0;
        }
    }
}
