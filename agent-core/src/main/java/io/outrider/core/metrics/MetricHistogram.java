package io.outrider.core.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * One labelled histogram of {@link AgentMetrics} with fixed buckets, observed without locks on the delivery threads
 * and read when metrics are scraped. Thread-safe; a scrape running beside an observation may see the count before
 * the sum, never a bucket count that later goes down.
 */
public final class MetricHistogram
{
    private final double[] upperBounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    /**
     * A histogram with these bucket upper bounds (increasing; {@code +Inf} is added when missing). Scraped only when
     * made by {@link AgentMetrics#componentHistogram}.
     */
    public MetricHistogram(double[] upperBounds)
    {
        upperBounds = requireNonNull(upperBounds, "upperBounds is null").clone();
        if (upperBounds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bucket");
        }
        for (int i = 1; i < upperBounds.length; i++) {
            if (!(upperBounds[i] > upperBounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(upperBounds));
            }
        }
        if (upperBounds[upperBounds.length - 1] != Double.POSITIVE_INFINITY) {
            upperBounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
            upperBounds[upperBounds.length - 1] = Double.POSITIVE_INFINITY;
        }
        this.upperBounds = upperBounds;
        this.counts = new LongAdder[upperBounds.length];
        Arrays.setAll(counts, ignored -> new LongAdder());
    }

    /** Counts one observation of {@code value} (seconds, bytes, ...) in the first bucket whose bound is at least it. */
    public void observe(double value)
    {
        if (Double.isNaN(value)) {
            return; // no bucket holds it, and it would turn the sum into NaN for good
        }
        int bucket = Arrays.binarySearch(upperBounds, value);
        counts[bucket >= 0 ? bucket : -bucket - 1].increment();
        sum.add(value);
    }

    /** The upper bounds, ending with +Inf. */
    double[] upperBounds()
    {
        return upperBounds.clone();
    }

    /** Observations per bucket, not cumulative, in the order of {@link #upperBounds()}. */
    long[] bucketCounts()
    {
        long[] values = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            values[i] = counts[i].sum();
        }
        return values;
    }

    public long count()
    {
        long count = 0;
        for (LongAdder bucket : counts) {
            count += bucket.sum();
        }
        return count;
    }

    public double sum()
    {
        return sum.sum();
    }
}
