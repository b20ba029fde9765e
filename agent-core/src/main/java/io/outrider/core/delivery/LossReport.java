package io.outrider.core.delivery;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Says at WARN, once per interval, that an output let events go to the dead letters. A collector that refuses every
 * event would otherwise write one line per batch, or, worse, none at all; here the first refusal is said at once and
 * the ones in the same interval are summed into the next line, so the count an operator reads is always the whole
 * count.
 *
 * <p>Used by one delivery thread; not thread-safe.
 */
final class LossReport
{
    private final String outputId;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final Consumer<String> warn;
    private long lastReportNanos;
    private boolean reported;
    private long suppressedEvents;
    private long suppressedBatches;

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
        long now = nanoTime.getAsLong();
        if (reported && now - lastReportNanos < interval.toNanos()) {
            suppressedEvents += count;
            suppressedBatches++;
            return;
        }
        StringBuilder message = new StringBuilder()
                .append("output ").append(outputId).append(" sent ").append(count).append(count == 1 ? " event" : " events")
                .append(" of a batch of ").append(batchSize).append(" to the dead letters: the collector refused ")
                .append(count == 1 ? "it" : "them").append(" (").append(reason).append(")");
        if (suppressedEvents > 0) {
            message.append("; ").append(suppressedEvents).append(suppressedEvents == 1 ? " more event" : " more events")
                    .append(" in ").append(suppressedBatches).append(suppressedBatches == 1 ? " batch" : " batches")
                    .append(" went there since the last such message");
        }
        message.append("; 'outrider dead-letters list' shows them and 'outrider dead-letters replay' sends them again");
        warn.accept(message.toString());
        reported = true;
        lastReportNanos = now;
        suppressedEvents = 0;
        suppressedBatches = 0;
    }

    /** Says what was held back since the last line, if anything; called when the output stops. */
    void flush()
    {
        if (suppressedEvents > 0) {
            warn.accept("output " + outputId + " sent " + suppressedEvents + (suppressedEvents == 1 ? " more event" : " more events") + " in "
                    + suppressedBatches + (suppressedBatches == 1 ? " batch" : " batches") + " to the dead letters since the last such message");
            suppressedEvents = 0;
            suppressedBatches = 0;
        }
    }
}
