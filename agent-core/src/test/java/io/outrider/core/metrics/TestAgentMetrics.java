package io.outrider.core.metrics;

import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.testing.TestingMetrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAgentMetrics
{
    @Test
    void counterValuesListEveryCounterOfOneComponentByNameWithoutTheOthers()
    {
        AgentMetrics metrics = new AgentMetrics();
        ComponentMetrics scan = metrics.forComponent("integrity", "etc", "scanner");
        scan.counter("bytes_hashed_total", "bytes read to hash files").add(4096);
        scan.counter("changes_total", "changes reported");
        metrics.componentCounter("events_in", "events read by an input", "integrity", "etc", "scanner").add(3);
        metrics.componentCounter("events_in", "events read by an input", "integrity", "other", "scanner").add(99);
        metrics.componentGauge("pending", "not a counter", "integrity", "etc", "scanner", () -> 5);

        assertThat(metrics.counterValues("integrity", "etc", "scanner")).containsExactly(
                Map.entry("bytes_hashed", 4096L), Map.entry("changes", 0L), Map.entry("events_in", 3L));
        assertThat(metrics.counterValues("integrity", "nothing", "scanner")).isEmpty();
    }

    @Test
    void scrapeWritesCountersAndGaugesInThePrometheusTextFormatSortedByName()
    {
        AgentMetrics metrics = new AgentMetrics();
        metrics.componentCounter("events_out", "events delivered by an output", "auth", "collector", "http").add(7);
        metrics.componentCounter("events_in", "events read by an input", "auth", "tail", "file").add(20);
        metrics.componentCounter("events_in", "ignored: the first registration's help stays", "auth", "journal", "journald").increment();
        metrics.agentGauge("buffer_bytes", "bytes of events in the buffer", () -> 4096);

        assertThat(componentSeries(metrics.scrape())).isEqualTo("""
                # HELP outrider_buffer_bytes bytes of events in the buffer
                # TYPE outrider_buffer_bytes gauge
                outrider_buffer_bytes 4096.0
                # HELP outrider_events_in_total events read by an input
                # TYPE outrider_events_in_total counter
                outrider_events_in_total{component="journal",pipeline="auth",type="journald"} 1.0
                outrider_events_in_total{component="tail",pipeline="auth",type="file"} 20.0
                # HELP outrider_events_out_total events delivered by an output
                # TYPE outrider_events_out_total counter
                outrider_events_out_total{component="collector",pipeline="auth",type="http"} 7.0
                """);
    }

    @Test
    void theSameNameAndLabelsGiveTheSameCounterWithOrWithoutTheTotalSuffix()
    {
        AgentMetrics metrics = new AgentMetrics();
        MetricCounter counter = metrics.componentCounter("events_in", "help", "auth", "tail", "file");
        counter.add(3);
        metrics.componentCounter("events_in_total", "help", "auth", "tail", "file").increment();

        assertThat(counter.get()).isEqualTo(4);
        assertThat(metrics.counterValue("events_in", "auth", "tail", "file")).isEqualTo(4);
        assertThat(metrics.counterValue("events_in", "auth", "other", "file")).isZero();
        assertThat(metrics.counterValue("never_registered", "auth", "tail", "file")).isZero();
    }

    @Test
    void pluginMetricsAreLabelledWithTheirComponentAndPrefixed()
    {
        AgentMetrics metrics = new AgentMetrics();
        ComponentMetrics component = metrics.forComponent("auth", "tail", "file");
        ComponentMetrics.Counter rotations = component.counter("rotations_total", "");
        rotations.increment();
        rotations.add(2);
        component.gauge("files_open", "files the input holds open", () -> 2);

        assertThat(rotations.get()).isEqualTo(3);
        assertThat(component.counter("rotations_total", "").get()).isEqualTo(3);
        assertThat(componentSeries(metrics.scrape())).isEqualTo("""
                # HELP outrider_files_open files the input holds open
                # TYPE outrider_files_open gauge
                outrider_files_open{component="tail",pipeline="auth",type="file"} 2.0
                # HELP outrider_rotations_total rotations
                # TYPE outrider_rotations_total counter
                outrider_rotations_total{component="tail",pipeline="auth",type="file"} 3.0
                """);
    }

    @Test
    void aGaugeThatFailsReadsAsNaNAndTheScrapeGoesOn()
    {
        AgentMetrics metrics = new AgentMetrics();
        metrics.componentGauge("output_lag_seconds", "age of the oldest undelivered event", "auth", "collector", "http", () -> {
            throw new IllegalStateException("buffer closed");
        });
        metrics.componentCounter("events_out", "events delivered by an output", "auth", "collector", "http").increment();

        assertThat(metrics.scrape())
                .contains("outrider_output_lag_seconds{component=\"collector\",pipeline=\"auth\",type=\"http\"} NaN\n")
                .contains("outrider_events_out_total{component=\"collector\",pipeline=\"auth\",type=\"http\"} 1.0\n");
    }

    @Test
    void countersCannotDecrease()
    {
        MetricCounter counter = new AgentMetrics().componentCounter("events_in", "help", "auth", "tail", "file");

        assertThatThrownBy(() -> counter.add(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a counter cannot decrease: -1");
        assertThat(counter.get()).isZero();
    }

    @Test
    void namesThatCouldNotBeScrapedAreRefusedWhenRegistered()
    {
        AgentMetrics metrics = new AgentMetrics();
        ComponentMetrics component = metrics.forComponent("auth", "tail", "file");
        component.counter("reads_total", "");

        assertThatThrownBy(() -> component.counter("Files-Open", ""))
                .hasMessage("metric name 'Files-Open' must be lower snake case");
        assertThatThrownBy(() -> component.gauge("lines_total", "", () -> 1))
                .hasMessage("metric name 'lines_total' must not end in _total (Prometheus reserves it)");
        assertThatThrownBy(() -> component.counter("build_info_total", ""))
                .hasMessage("metric name 'build_info_total' must not end in _info before _total (Prometheus reserves it)");
        assertThatThrownBy(() -> component.gauge("reads", "", () -> 1))
                .hasMessage("metric 'reads' is already a counter");
        component.gauge("queue_depth", "", () -> 1);
        assertThatThrownBy(() -> component.counter("queue_depth_total", ""))
                .hasMessage("metric 'queue_depth' is already a gauge");
        // what was refused left nothing behind: the scrape still works
        assertThat(metrics.scrape()).contains("outrider_reads_total", "outrider_queue_depth");
    }

    @Test
    void theTestKitRefusesTheNamesTheAgentRefuses()
    {
        // counter: c, gauge: g; in order, because a name taken by one kind is refused to the other
        List<String> registrations = List.of("c reads_total", "g reads", "c Files-Open", "g lines_total", "c build_info_total", "g latency_bucket",
                "c made_created_total", "g queue_depth", "c queue_depth_total", "c plain", "g plain", "g files_open", "c files_open_total");

        assertThat(outcomes(new TestingMetrics(), registrations))
                .isEqualTo(outcomes(new AgentMetrics().forComponent("auth", "tail", "file"), registrations))
                .contains("c reads_total: ok", "g reads: metric 'reads' is already a counter", "c plain: ok", "g plain: metric 'plain' is already a counter");
    }

    @Test
    void labelsThatDoNotApplyAreLeftOutAndCountersKeptElsewhereAreCounters()
    {
        AgentMetrics metrics = new AgentMetrics();
        metrics.componentCounter("events_unmatched", "events no parser recognised", "auth", "", "").add(3);
        metrics.componentCounterFunction("buffer_dropped_events", "events dropped by drop_oldest", "auth", "", "", () -> 12);
        metrics.agentCounterFunction("buffer_lost", "buffers replaced", () -> 1);
        metrics.agentGauge("buffer_bytes", "bytes of events in the buffer", () -> 10);

        assertThat(componentSeries(metrics.scrape())).isEqualTo("""
                # HELP outrider_buffer_bytes bytes of events in the buffer
                # TYPE outrider_buffer_bytes gauge
                outrider_buffer_bytes 10.0
                # HELP outrider_buffer_dropped_events_total events dropped by drop_oldest
                # TYPE outrider_buffer_dropped_events_total counter
                outrider_buffer_dropped_events_total{pipeline="auth"} 12.0
                # HELP outrider_buffer_lost_total buffers replaced
                # TYPE outrider_buffer_lost_total counter
                outrider_buffer_lost_total 1.0
                # HELP outrider_events_unmatched_total events no parser recognised
                # TYPE outrider_events_unmatched_total counter
                outrider_events_unmatched_total{pipeline="auth"} 3.0
                """);
        assertThatThrownBy(() -> metrics.componentCounter("buffer_dropped_events", "", "other", "", ""))
                .hasMessage("metric 'buffer_dropped_events' is already a counter");
        assertThatThrownBy(() -> metrics.agentGauge("buffer_lost", "", () -> 1))
                .hasMessage("metric 'buffer_lost' is already a counter");
    }

    @Test
    void aHistogramIsWrittenWithCumulativeBucketsCountAndSum()
    {
        AgentMetrics metrics = new AgentMetrics();
        MetricHistogram histogram = metrics.componentHistogram("delivery_duration_seconds", "how long an output took", "auth", "collector", "http",
                new double[] {0.1, 1, 10});
        histogram.observe(0.05);
        histogram.observe(0.1);
        histogram.observe(0.5);
        histogram.observe(60);
        histogram.observe(Double.NaN);

        assertThat(histogram.count()).isEqualTo(4);
        assertThat(componentSeries(metrics.scrape())).isEqualTo("""
                # HELP outrider_delivery_duration_seconds how long an output took
                # TYPE outrider_delivery_duration_seconds histogram
                outrider_delivery_duration_seconds_bucket{component="collector",pipeline="auth",type="http",le="0.1"} 2
                outrider_delivery_duration_seconds_bucket{component="collector",pipeline="auth",type="http",le="1.0"} 3
                outrider_delivery_duration_seconds_bucket{component="collector",pipeline="auth",type="http",le="10.0"} 3
                outrider_delivery_duration_seconds_bucket{component="collector",pipeline="auth",type="http",le="+Inf"} 4
                outrider_delivery_duration_seconds_count{component="collector",pipeline="auth",type="http"} 4
                outrider_delivery_duration_seconds_sum{component="collector",pipeline="auth",type="http"} 60.65
                """);
        assertThat(metrics.componentHistogram("delivery_duration_seconds", "", "auth", "collector", "http", new double[] {1})).isSameAs(histogram);
    }

    @Test
    void everyScrapeFollowsThePrometheusConventions()
    {
        AgentMetrics metrics = new AgentMetrics();
        metrics.componentCounter("events_in", "events read by an input", "auth", "tail", "file").add(2);
        metrics.componentCounter("events_unmatched", "events no parser recognised", "auth", "", "").increment();
        metrics.componentCounterFunction("buffer_dropped_events", "events dropped by drop_oldest", "auth", "", "", () -> 0);
        metrics.agentGauge("buffer_bytes", "bytes of events in the buffer", () -> 0);
        metrics.componentHistogram("delivery_duration_seconds", "how long an output took", "auth", "collector", "http", new double[] {1}).observe(0.2);
        metrics.forComponent("auth", "tail", "file").counter("rotations_total", "").increment();

        String scrape = metrics.scrape();
        List<String> types = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.add(parts[2] + " " + parts[3]);
                if (parts[3].equals("counter")) {
                    assertThat(parts[2]).as("a counter's name").endsWith("_total");
                }
            }
            else if (!line.startsWith("# HELP ")) {
                assertThat(line).as("a sample line").matches("[a-z_]+(\\{.*})? -?[0-9.E+-]+|.* NaN");
                assertThat(line).as("a sample line").doesNotContain("=\"\"");
            }
        }
        assertThat(scrape).containsPattern("(?m)^outrider_build_info\\{version=\"[^\"]+\"} 1$");
        assertThat(types).contains("outrider_buffer_dropped_events_total counter", "outrider_events_unmatched_total counter", "outrider_buffer_bytes gauge",
                "outrider_delivery_duration_seconds histogram", "outrider_build_info gauge",
                "process_cpu_seconds_total counter", "process_start_time_seconds gauge",
                "jvm_memory_used_bytes gauge", "jvm_memory_committed_bytes gauge", "jvm_memory_max_bytes gauge",
                "jvm_threads_current gauge", "jvm_threads_daemon gauge", "jvm_threads_peak gauge", "jvm_threads_started_total counter",
                "jvm_classes_currently_loaded gauge", "jvm_gc_collection_seconds summary");
        assertThat(scrape).contains("jvm_memory_used_bytes{area=\"heap\"} ", "jvm_memory_used_bytes{area=\"nonheap\"} ");
        assertThat(scrape).containsPattern("(?m)^jvm_gc_collection_seconds_count\\{gc=\"[^\"]+\"} [0-9]+$");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertThat(types).contains("process_resident_memory_bytes gauge", "process_virtual_memory_bytes gauge", "process_open_fds gauge", "process_max_fds gauge");
            // a live JVM holds tens of megabytes resident and has its own jars open
            assertThat(sample(scrape, "process_resident_memory_bytes")).isGreaterThan(1 << 20);
            assertThat(sample(scrape, "process_open_fds")).isGreaterThan(2);
        }
    }

    @Test
    void procStatusAndLimitsLinesAreReadInBytesAndAsTheSoftLimit()
    {
        List<String> status = List.of("Name:\tjava", "VmSize:\t 3512340 kB", "VmRSS:\t   61236 kB");

        assertThat(StandardSeries.statusKilobytes(status, "VmRSS:")).hasValue(61236L * 1024);
        assertThat(StandardSeries.statusKilobytes(status, "VmSize:")).hasValue(3512340L * 1024);
        assertThat(StandardSeries.statusKilobytes(status, "VmSwap:")).isEmpty();
    }

    /** The scrape without the series every scrape has (build info, process, JVM): what the test registered. */
    private static String componentSeries(String scrape)
    {
        StringBuilder kept = new StringBuilder();
        for (String line : scrape.split("\n")) {
            String name = line.startsWith("# ") ? line.split(" ")[2] : line;
            if (!name.startsWith("outrider_build_info") && !name.startsWith("process_") && !name.startsWith("jvm_")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private static double sample(String scrape, String name)
    {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no sample " + name + " in the scrape");
    }

    private static List<String> outcomes(ComponentMetrics metrics, List<String> registrations)
    {
        List<String> outcomes = new ArrayList<>();
        for (String registration : registrations) {
            String name = registration.substring(2);
            try {
                if (registration.startsWith("c ")) {
                    metrics.counter(name, "");
                }
                else {
                    metrics.gauge(name, "", () -> 1);
                }
                outcomes.add(registration + ": ok");
            }
            catch (IllegalArgumentException e) {
                outcomes.add(registration + ": " + e.getMessage());
            }
        }
        return outcomes;
    }
}
