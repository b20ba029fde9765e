package io.outrider.spi;

import java.util.function.DoubleSupplier;

/**
 * Registers a component's own metrics. The agent publishes them on its {@code /metrics} endpoint as
 * {@code outrider_<name>} labelled with pipeline, component and type, and in {@code /status}. The agent already
 * counts events in and out, errors, retries and dead letters for every component: register only what is specific
 * to yours (files open, rotations seen, gaps, heartbeats).
 *
 * <p>Names are lower snake case ({@code files_open}); counters end in {@code _total}. Registering the same name twice
 * returns the same counter. Thread-safe.
 */
@Stable
public interface ComponentMetrics
{
    /**
     * A monotonically increasing counter.
     *
     * @throws IllegalArgumentException when the name is not lower snake case, ends (before {@code _total}) in a
     *         suffix Prometheus reserves ({@code _created}, {@code _bucket}, {@code _info}), or is a gauge's name
     */
    Counter counter(String name, String help);

    /**
     * A gauge read when metrics are collected, on the collecting thread; the supplier must be cheap and thread-safe.
     * A supplier that throws reads as NaN.
     *
     * @throws IllegalArgumentException when the name is not lower snake case, ends in {@code _total} or another
     *         suffix Prometheus reserves, or is a counter's name
     */
    void gauge(String name, String help, DoubleSupplier value);

    /** A monotonically increasing count. */
    @Stable
    interface Counter
    {
        void add(long amount);

        default void increment()
        {
            add(1);
        }

        long get();
    }
}
