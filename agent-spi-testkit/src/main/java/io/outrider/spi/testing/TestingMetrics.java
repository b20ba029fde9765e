package io.outrider.spi.testing;

import io.outrider.spi.ComponentMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/** {@link ComponentMetrics} in memory, readable by tests: {@link #counterValue}, {@link #gaugeValue}. */
public final class TestingMetrics
        implements ComponentMetrics
{
    private final Map<String, TestingCounter> counters = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String help)
    {
        return counters.computeIfAbsent(name, ignored -> new TestingCounter());
    }

    @Override
    public void gauge(String name, String help, DoubleSupplier value)
    {
        gauges.put(name, value);
    }

    /** The counter's value; 0 when it was never registered. */
    public long counterValue(String name)
    {
        TestingCounter counter = counters.get(name);
        return counter == null ? 0 : counter.get();
    }

    /** The gauge's current value. @throws IllegalArgumentException when no such gauge was registered */
    public double gaugeValue(String name)
    {
        DoubleSupplier gauge = gauges.get(name);
        if (gauge == null) {
            throw new IllegalArgumentException("no gauge named " + name + "; registered: " + gauges.keySet());
        }
        return gauge.getAsDouble();
    }

    private static final class TestingCounter
            implements Counter
    {
        private final AtomicLong value = new AtomicLong();

        @Override
        public void add(long amount)
        {
            if (amount < 0) {
                throw new IllegalArgumentException("counter decreased by " + amount);
            }
            value.addAndGet(amount);
        }

        @Override
        public long get()
        {
            return value.get();
        }
    }
}
