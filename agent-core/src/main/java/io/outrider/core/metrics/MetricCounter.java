package io.outrider.core.metrics;

import io.outrider.spi.ComponentMetrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * One labelled counter of {@link AgentMetrics}. Incremented on the hot paths (an input's batches, a parser's events,
 * an output's deliveries) without locks; read when metrics or status are collected. Thread-safe.
 */
public final class MetricCounter
        implements ComponentMetrics.Counter
{
    private final LongAdder value = new LongAdder();

    MetricCounter() {}

    /** Adds one, without the check {@link #add} needs. */
    @Override
    public void increment()
    {
        value.increment();
    }

    /** Adds {@code amount}; a counter cannot decrease, so a negative amount is a caller's bug and throws. */
    @Override
    public void add(long amount)
    {
        if (amount < 0) {
            throw new IllegalArgumentException("a counter cannot decrease: " + amount);
        }
        value.add(amount);
    }

    @Override
    public long get()
    {
        return value.sum();
    }
}
