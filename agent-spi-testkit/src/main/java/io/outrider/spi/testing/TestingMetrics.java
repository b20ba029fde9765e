package io.outrider.spi.testing;

import io.outrider.spi.ComponentMetrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * {@link ComponentMetrics} in memory, readable by tests: {@link #counterValue}, {@link #gaugeValue}. Refuses the
 * names the agent refuses (see {@link ComponentMetrics#counter} and {@link ComponentMetrics#gauge}), so a plugin's
 * test fails where the agent would.
 */
public final class TestingMetrics
        implements ComponentMetrics
{
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<String> RESERVED_SUFFIXES = List.of("_total", "_created", "_bucket", "_info");

    private final Map<String, TestingCounter> counters = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public synchronized Counter counter(String name, String help)
    {
        String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        check(name, base);
        if (gauges.containsKey(base)) {
            throw new IllegalArgumentException("metric '" + base + "' is already a gauge");
        }
        return counters.computeIfAbsent(name, ignored -> new TestingCounter());
    }

    @Override
    public synchronized void gauge(String name, String help, DoubleSupplier value)
    {
        check(name, name);
        if (counters.containsKey(name) || counters.containsKey(name + "_total")) {
            throw new IllegalArgumentException("metric '" + name + "' is already a counter");
        }
        gauges.put(name, value);
    }

    private static void check(String name, String base)
    {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' must be lower snake case");
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (base.endsWith(suffix)) {
                throw new IllegalArgumentException("metric name '" + name + "' must not end in " + suffix + (name.equals(base) ? "" : " before _total")
                        + " (Prometheus reserves it)");
            }
        }
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
