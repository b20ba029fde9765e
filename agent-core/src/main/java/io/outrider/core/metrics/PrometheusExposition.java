package io.outrider.core.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
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

/**
 * Writes {@link AgentMetrics} in the Prometheus text format through the Prometheus client library's snapshot model
 * and writer. Its own class so that the library's classes are loaded on the first scrape, not with the agent.
 */
final class PrometheusExposition
{
    private static final String PREFIX = "outrider_";
    private static final String[] LABEL_NAMES = {"pipeline", "component", "type"};

    private PrometheusExposition() {}

    static String write(List<AgentMetrics.Family<MetricCounter>> counters, List<AgentMetrics.Family<DoubleSupplier>> gauges)
    {
        List<MetricSnapshot> snapshots = new ArrayList<>(counters.size() + gauges.size());
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

    private static Labels labels(List<String> values)
    {
        return Labels.of(LABEL_NAMES, values.toArray(new String[0]));
    }
}
