package io.outrider.core.metrics;

import io.outrider.spi.ComponentMetrics;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The agent's metrics: the core's own per-component counters and the metrics plugins register through
 * {@link ComponentMetrics}, everything named {@code outrider_*} and labelled with pipeline, component and type. A
 * label that does not apply (the component of a pipeline-wide series, all three of an agent-wide one) is left out of
 * the scrape, not written empty. The scrape also carries {@code outrider_build_info} and the standard
 * {@code process_*} and {@code jvm_*} series (see {@link StandardSeries}).
 *
 * <p>Counters are plain {@link MetricCounter}s and gauges are suppliers; the Prometheus client library only comes in
 * when {@link #scrape()} writes the text format. An agent without the status endpoint never loads it: no exemplar
 * sampling on every increment, no scheduler thread, about 80 fewer classes resident. Thread-safe; registration is
 * rare (start-up) and synchronized, increments and reads are lock-free.
 */
public final class AgentMetrics
{
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    // the exposition adds these itself: a family named like that could not be scraped
    private static final List<String> RESERVED_SUFFIXES = List.of("_total", "_created", "_bucket", "_info");

    private final Map<String, Family<MetricCounter>> counters = new ConcurrentHashMap<>();
    private final Map<String, Family<DoubleSupplier>> gauges = new ConcurrentHashMap<>();
    private final Map<String, Family<LongSupplier>> counterFunctions = new ConcurrentHashMap<>();
    private final Map<String, Family<MetricHistogram>> histograms = new ConcurrentHashMap<>();
    // the kind of every family name: one name is one family, whichever map holds it
    private final Map<String, String> kinds = new ConcurrentHashMap<>();

    /** A metric's name (without {@code outrider_} and {@code _total}), its help and its members by label values. */
    record Family<T>(String name, String help, Map<List<String>, T> members)
    {
        Family
        {
            requireNonNull(name, "name is null");
            requireNonNull(help, "help is null");
            requireNonNull(members, "members is null");
        }
    }

    @jakarta.inject.Inject
    public AgentMetrics() {}

    /** A counter of the core, labelled by pipeline, component and type; the same labels return the same counter. */
    public MetricCounter componentCounter(String name, String help, String pipeline, String component, String type)
    {
        return counterFamily(name, help).members().computeIfAbsent(labels(pipeline, component, type), ignored -> new MetricCounter());
    }

    /** A gauge of the core, labelled by pipeline, component and type, read when scraped. */
    public void componentGauge(String name, String help, String pipeline, String component, String type, DoubleSupplier value)
    {
        requireNonNull(value, "value is null");
        gaugeFamily(name, help).members().put(labels(pipeline, component, type), value);
    }

    /** An agent-wide gauge, scraped without labels. */
    public void agentGauge(String name, String help, DoubleSupplier value)
    {
        componentGauge(name, help, "", "", "", value);
    }

    /**
     * A counter whose value lives elsewhere (the buffer's persisted counts), read when scraped; {@code value} must
     * never decrease. Empty label values are left out of the scrape.
     */
    public void componentCounterFunction(String name, String help, String pipeline, String component, String type, LongSupplier value)
    {
        requireNonNull(value, "value is null");
        family(counterFunctions, "counter", name, counterBase(name), help).members().put(labels(pipeline, component, type), value);
    }

    /** An agent-wide counter whose value lives elsewhere, scraped without labels. */
    public void agentCounterFunction(String name, String help, LongSupplier value)
    {
        componentCounterFunction(name, help, "", "", "", value);
    }

    /**
     * A histogram of the core with the given bucket upper bounds ({@code +Inf} is added), labelled by pipeline,
     * component and type; the same labels return the same histogram.
     */
    public MetricHistogram componentHistogram(String name, String help, String pipeline, String component, String type, double[] upperBounds)
    {
        requireNonNull(upperBounds, "upperBounds is null");
        return family(histograms, "histogram", name, name, help).members().computeIfAbsent(labels(pipeline, component, type), ignored -> new MetricHistogram(upperBounds));
    }

    /** The metrics handle given to one plugin component. */
    public ComponentMetrics forComponent(String pipeline, String component, String type)
    {
        return new ComponentMetrics()
        {
            @Override
            public ComponentMetrics.Counter counter(String name, String help)
            {
                return componentCounter(pluginName(name), help, pipeline, component, type);
            }

            @Override
            public void gauge(String name, String help, DoubleSupplier value)
            {
                componentGauge(pluginName(name), help, pipeline, component, type, value);
            }
        };
    }

    /** Whether a counter of this name and labels was registered (by the core or a plugin component). */
    public boolean hasCounter(String name, String pipeline, String component, String type)
    {
        Family<MetricCounter> family = counters.get(counterBase(name));
        return family != null && family.members().containsKey(labels(pipeline, component, type));
    }

    /** Current value of a gauge (the core's or a plugin component's), empty when none has this name and labels. */
    public java.util.OptionalDouble gaugeValue(String name, String pipeline, String component, String type)
    {
        Family<DoubleSupplier> family = gauges.get(name);
        DoubleSupplier gauge = family == null ? null : family.members().get(labels(pipeline, component, type));
        return gauge == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(gauge.getAsDouble());
    }

    /** Current value of a core counter, 0 when never touched. */
    public long counterValue(String name, String pipeline, String component, String type)
    {
        Family<MetricCounter> family = counters.get(counterBase(name));
        MetricCounter counter = family == null ? null : family.members().get(labels(pipeline, component, type));
        return counter == null ? 0 : counter.get();
    }

    /**
     * The current values of every counter (the core's and the component's own) with these labels, by name (without
     * {@code outrider_} and {@code _total}), sorted by name: what a command shows of a component it runs without
     * knowing which counters the component has.
     */
    public SortedMap<String, Long> counterValues(String pipeline, String component, String type)
    {
        List<String> labels = labels(pipeline, component, type);
        SortedMap<String, Long> values = new TreeMap<>();
        counters.forEach((name, family) -> {
            MetricCounter counter = family.members().get(labels);
            if (counter != null) {
                values.put(name, counter.get());
            }
        });
        return Collections.unmodifiableSortedMap(values);
    }

    /** The Prometheus text exposition format (version 0.0.4), metrics sorted by name. */
    public String scrape()
    {
        return PrometheusExposition.write(List.copyOf(counters.values()), List.copyOf(counterFunctions.values()), List.copyOf(gauges.values()),
                List.copyOf(histograms.values()));
    }

    private static String pluginName(String name)
    {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' must be lower snake case");
        }
        return name;
    }

    private Family<MetricCounter> counterFamily(String name, String help)
    {
        return family(counters, "counter", name, counterBase(name), help);
    }

    private Family<DoubleSupplier> gaugeFamily(String name, String help)
    {
        return family(gauges, "gauge", name, name, help);
    }

    // one name is one metric family: a counter and a gauge of the same name could not be scraped together (a
    // counter backed by a function is a counter too, but one family cannot mix both kinds of member)
    private synchronized <T> Family<T> family(Map<String, Family<T>> families, String kind, String name, String base, String help)
    {
        Family<T> family = families.get(base);
        if (family == null) {
            checkSuffix(name, base);
            String existing = kinds.get(base);
            if (existing != null) {
                throw new IllegalArgumentException("metric '" + base + "' is already a " + existing);
            }
            family = new Family<>(base, helpOrName(help, base), new ConcurrentHashMap<>());
            families.put(base, family);
            kinds.put(base, kind);
        }
        return family;
    }

    private static void checkSuffix(String name, String base)
    {
        for (String suffix : RESERVED_SUFFIXES) {
            if (base.endsWith(suffix)) {
                throw new IllegalArgumentException("metric name '" + name + "' must not end in " + suffix + (name.equals(base) ? "" : " before _total")
                        + " (Prometheus reserves it)");
            }
        }
    }

    private static String counterBase(String name)
    {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }

    private static String helpOrName(String help, String name)
    {
        return help == null || help.isEmpty() ? name : help;
    }

    private static List<String> labels(String pipeline, String component, String type)
    {
        return List.of(pipeline, component, type);
    }
}
