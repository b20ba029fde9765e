package io.outrider.core.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Says at WARN, once per interval and kind of loss, that an output let events go to the dead letters or skipped
 * events its format cannot carry. A collector that refuses every event would otherwise write one line per batch, or,
 * worse, none at all; here the first loss of a kind is said at once and the ones in the same interval are summed
 * into the next line of that kind, so the count an operator reads is always the whole count.
 *
 * <p>Used by one delivery thread; not thread-safe.
 */
final class LossReport
{
    /** Distinct skip reasons named in one line at most; the rest are counted as "other reasons". */
    private static final int MAX_REASONS = 3;

    private final String outputId;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final Consumer<String> warn;
    private final Channel deadLetters = new Channel();
    private final Channel skipped = new Channel();

    LossReport(String outputId, Duration interval, LongSupplier nanoTime, Consumer<String> warn)
    {
        this.outputId = requireNonNull(outputId, "outputId is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.warn = requireNonNull(warn, "warn is null");
    }

    /**
     * Records that {@code count} events of a batch of {@code batchSize} went to the dead letters, the first of them
     * for {@code reason} (already redacted).
     */
    void deadLettered(int count, int batchSize, String reason)
    {
        if (deadLetters.suppress(count)) {
            return;
        }
        StringBuilder message = new StringBuilder()
                .append("output ").append(outputId).append(" sent ").append(events(count))
                .append(" of a batch of ").append(batchSize).append(" to the dead letters: ")
                .append(count == 1 ? "it was" : "they were").append(" refused (").append(reason).append(")");
        deadLetters.appendSuppressed(message, "went there");
        message.append("; 'outrider dead-letters list' shows them and 'outrider dead-letters replay' sends them again");
        deadLetters.report(message.toString());
    }

    /**
     * Records that the output did not send {@code count} events of a batch of {@code batchSize} because its format
     * cannot carry them, with how many events each (already redacted) reason applied to.
     */
    void skipped(int count, int batchSize, Map<String, Integer> reasons)
    {
        if (skipped.suppress(count)) {
            return;
        }
        StringBuilder message = new StringBuilder()
                .append("output ").append(outputId).append(" skipped ").append(events(count))
                .append(" of a batch of ").append(batchSize).append(": its format cannot carry ").append(count == 1 ? "it" : "them").append(" (");
        int named = 0;
        int others = 0;
        for (Map.Entry<String, Integer> reason : reasons.entrySet()) {
            if (named == MAX_REASONS) {
                others += reason.getValue();
                continue;
            }
            message.append(named == 0 ? "" : "; ").append(reason.getValue()).append(" × ").append(reason.getKey());
            named++;
        }
        if (others > 0) {
            message.append("; ").append(others).append(" × other reasons");
        }
        message.append(")");
        skipped.appendSuppressed(message, "were skipped");
        message.append("; skipped events are counted apart from delivered ones and are not kept");
        skipped.report(message.toString());
    }

    /**
     * How long until a held-back count is due to be said (then {@link #flushIfDue}), or {@code none} when nothing is
     * held back: a collector that refused a batch and then nothing more must not leave that count unsaid until the
     * output stops.
     */
    Duration untilDue(Duration none)
    {
        if (deadLetters.suppressedEvents == 0 && skipped.suppressedEvents == 0) {
            return none;
        }
        long due = Math.min(deadLetters.dueNanos(), skipped.dueNanos());
        if (due == Long.MAX_VALUE) {
            return none;
        }
        return Duration.ofNanos(Math.max(1, due - nanoTime.getAsLong()));
    }

    /** Says what was held back of each kind whose interval since its last line has passed. */
    void flushIfDue()
    {
        // at every turn of the delivery loop: nothing to do, nothing to read, nearly always
        if (deadLetters.suppressedEvents == 0 && skipped.suppressedEvents == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (deadLetters.suppressedEvents > 0 && now - deadLetters.dueNanos() >= 0) {
            deadLetters.report("output " + outputId + " sent " + more(deadLetters.suppressedEvents) + " in " + batches(deadLetters.suppressedBatches)
                    + " to the dead letters since the last such message; 'outrider dead-letters list' shows them");
        }
        if (skipped.suppressedEvents > 0 && now - skipped.dueNanos() >= 0) {
            skipped.report("output " + outputId + " skipped " + more(skipped.suppressedEvents) + " in " + batches(skipped.suppressedBatches)
                    + " since the last such message");
        }
    }

    /** Says what was held back since the last line of each kind, if anything; called when the output stops. */
    void flush()
    {
        if (deadLetters.suppressedEvents > 0) {
            warn.accept("output " + outputId + " sent " + more(deadLetters.suppressedEvents) + " in " + batches(deadLetters.suppressedBatches)
                    + " to the dead letters since the last such message");
            deadLetters.clear();
        }
        if (skipped.suppressedEvents > 0) {
            warn.accept("output " + outputId + " skipped " + more(skipped.suppressedEvents) + " in " + batches(skipped.suppressedBatches)
                    + " since the last such message");
            skipped.clear();
        }
    }

    private static String events(long count)
    {
        return count + (count == 1 ? " event" : " events");
    }

    private static String more(long count)
    {
        return count + (count == 1 ? " more event" : " more events");
    }

    private static String batches(long count)
    {
        return count + (count == 1 ? " batch" : " batches");
    }

    /** The rate limit of one kind of loss. */
    private final class Channel
    {
        private long lastReportNanos;
        private boolean reported;
        private long suppressedEvents;
        private long suppressedBatches;

        /** Whether this loss falls in the interval after the last line, and was summed instead of said. */
        boolean suppress(int count)
        {
            if (reported && nanoTime.getAsLong() - lastReportNanos < interval.toNanos()) {
                suppressedEvents += count;
                suppressedBatches++;
                return true;
            }
            return false;
        }

        /** When what is held back is due to be said; {@link Long#MAX_VALUE} when nothing is. */
        long dueNanos()
        {
            return suppressedEvents == 0 ? Long.MAX_VALUE : lastReportNanos + interval.toNanos();
        }

        void appendSuppressed(StringBuilder message, String verb)
        {
            if (suppressedEvents > 0) {
                message.append("; ").append(more(suppressedEvents)).append(" in ").append(batches(suppressedBatches))
                        .append(' ').append(verb).append(" since the last such message");
            }
        }

        void report(String message)
        {
            warn.accept(message);
            reported = true;
            lastReportNanos = nanoTime.getAsLong();
            clear();
        }

        void clear()
        {
            suppressedEvents = 0;
            suppressedBatches = 0;
        }
    }
}
