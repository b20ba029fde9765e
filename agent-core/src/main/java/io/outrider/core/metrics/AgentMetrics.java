package io.outrider.core.metrics;

import io.outrider.spi.ComponentMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The agent's metrics, in a Prometheus registry: the core's own per-component counters and the metrics plugins
 * register through {@link ComponentMetrics}. Everything is named {@code outrider_*}. Thread-safe.
 */
public final class AgentMetrics
{
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final String[] COMPONENT_LABELS = {"pipeline", "component", "type"};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Map<List<String>, DoubleSupplier>> gauges = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public AgentMetrics() {}

    /** A counter of the core, labelled by pipeline, component and type. */
    public CounterDataPoint componentCounter(String name, String help, String pipeline, String component, String type)
    {
        return counter(name, help).labelValues(pipeline, component, type);
    }

    /** A gauge of the core, labelled by pipeline, component and type, read when scraped. */
    public void componentGauge(String name, String help, String pipeline, String component, String type, DoubleSupplier value)
    {
        gauge(name, help).put(List.of(pipeline, component, type), value);
    }

    /** An agent-wide gauge (no labels apart from the empty component triple). */
    public void agentGauge(String name, String help, DoubleSupplier value)
    {
        componentGauge(name, help, "", "", "", value);
    }

    /** The metrics handle given to one plugin component. */
    public ComponentMetrics forComponent(String pipeline, String component, String type)
    {
        return new ComponentMetrics()
        {
            @Override
            public ComponentMetrics.Counter counter(String name, String help)
            {
                CounterDataPoint point = componentCounter(pluginName(name), help, pipeline, component, type);
                return new ComponentMetrics.Counter()
                {
                    @Override
                    public void add(long amount)
                    {
                        if (amount < 0) {
                            throw new IllegalArgumentException("a counter cannot decrease: " + amount);
                        }
                        point.inc(amount);
                    }

                    @Override
                    public long get()
                    {
                        return (long) point.get();
                    }
                };
            }

            @Override
            public void gauge(String name, String help, DoubleSupplier value)
            {
                componentGauge(pluginName(name), help, pipeline, component, type, value);
            }
        };
    }

    private static String pluginName(String name)
    {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' must be lower snake case");
        }
        return name;
    }

    private Counter counter(String name, String help)
    {
        String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        return counters.computeIfAbsent(base, ignored -> Counter.builder()
                .name("outrider_" + base)
                .help(help == null || help.isEmpty() ? base : help)
                .labelNames(COMPONENT_LABELS)
                .register(registry));
    }

    private Map<List<String>, DoubleSupplier> gauge(String name, String help)
    {
        return gauges.computeIfAbsent(name, ignored -> {
            Map<List<String>, DoubleSupplier> suppliers = new ConcurrentHashMap<>();
            GaugeWithCallback.builder()
                    .name("outrider_" + name)
                    .help(help == null || help.isEmpty() ? name : help)
                    .labelNames(COMPONENT_LABELS)
                    .callback(callback -> suppliers.forEach((labels, supplier) -> {
                        double value;
                        try {
                            value = supplier.getAsDouble();
                        }
                        catch (RuntimeException e) {
                            value = Double.NaN;
                        }
                        callback.call(value, labels.toArray(new String[0]));
                    }))
                    .register(registry);
            return suppliers;
        });
    }

    /** Current value of a core counter, 0 when never touched. */
    public long counterValue(String name, String pipeline, String component, String type)
    {
        String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        Counter counter = counters.get(base);
        return counter == null ? 0 : (long) counter.labelValues(pipeline, component, type).get();
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String scrape()
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public PrometheusRegistry registry()
    {
        return requireNonNull(registry);
    }
}
