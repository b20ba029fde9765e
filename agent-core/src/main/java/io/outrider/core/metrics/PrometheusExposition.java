package io.outrider.core.metrics;

import io.outrider.core.AgentVersion;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Writes {@link AgentMetrics} in the Prometheus text format through the Prometheus client library's snapshot model
 * and writer. Its own class so that the library's classes are loaded on the first scrape, not with the agent.
 */
final class PrometheusExposition
{
    private static final String PREFIX = "outrider_";
    private static final String[] LABEL_NAMES = {"pipeline", "component", "type"};

    private PrometheusExposition() {}

    static String write(List<AgentMetrics.Family<MetricCounter>> counters, List<AgentMetrics.Family<LongSupplier>> counterFunctions,
            List<AgentMetrics.Family<DoubleSupplier>> gauges, List<AgentMetrics.Family<MetricHistogram>> histograms)
    {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (AgentMetrics.Family<MetricCounter> family : counters) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(PREFIX + family.name()).help(family.help());
            for (Map.Entry<List<String>, MetricCounter> member : family.members().entrySet()) {
                builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels(member.getKey()))
                        .value(member.getValue().get())
                        .build());
            }
            snapshots.add(builder.build());
        }
        for (AgentMetrics.Family<LongSupplier> family : counterFunctions) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(PREFIX + family.name()).help(family.help());
            for (Map.Entry<List<String>, LongSupplier> member : family.members().entrySet()) {
                builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels(member.getKey()))
                        .value(read(() -> member.getValue().getAsLong()))
                        .build());
            }
            snapshots.add(builder.build());
        }
        for (AgentMetrics.Family<DoubleSupplier> family : gauges) {
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(PREFIX + family.name()).help(family.help());
            for (Map.Entry<List<String>, DoubleSupplier> member : family.members().entrySet()) {
                builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(labels(member.getKey()))
                        .value(read(member.getValue()))
                        .build());
            }
            snapshots.add(builder.build());
        }
        for (AgentMetrics.Family<MetricHistogram> family : histograms) {
            HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(PREFIX + family.name()).help(family.help());
            for (Map.Entry<List<String>, MetricHistogram> member : family.members().entrySet()) {
                MetricHistogram histogram = member.getValue();
                long[] counts = histogram.bucketCounts();
                builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(labels(member.getKey()))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(histogram.upperBounds(), counts))
                        .sum(histogram.sum())
                        .build());
            }
            snapshots.add(builder.build());
        }
        snapshots.add(InfoSnapshot.builder()
                .name(PREFIX + "build")
                .help("the agent's version; always 1")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", AgentVersion.get())).build())
                .build());
        snapshots.addAll(StandardSeries.snapshots());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // MetricSnapshots sorts by name: the output's order does not depend on registration
            new PrometheusTextFormatWriter(false).write(out, new MetricSnapshots(snapshots));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // a gauge's supplier reads live state (a closed buffer, a stopped component): a failure reads as NaN, not as a
    // failed scrape
    private static double read(DoubleSupplier supplier)
    {
        try {
            return supplier.getAsDouble();
        }
        catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    // a label that does not apply is left out: Prometheus treats an empty label as absent anyway, and a series
    // with {component=""} reads like a component without a name
    private static Labels labels(List<String> values)
    {
        List<String> names = new ArrayList<>(LABEL_NAMES.length);
        List<String> present = new ArrayList<>(LABEL_NAMES.length);
        for (int i = 0; i < LABEL_NAMES.length; i++) {
            if (!values.get(i).isEmpty()) {
                names.add(LABEL_NAMES[i]);
                present.add(values.get(i));
            }
        }
        return names.isEmpty() ? Labels.EMPTY : Labels.of(names, present);
    }
}
