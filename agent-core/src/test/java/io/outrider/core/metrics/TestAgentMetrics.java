package io.outrider.core.metrics;

import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.testing.TestingMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAgentMetrics
{
    @Test
    void scrapeWritesCountersAndGaugesInThePrometheusTextFormatSortedByName()
    {
        AgentMetrics metrics = new AgentMetrics();
        metrics.componentCounter("events_out", "events delivered by an output", "auth", "collector", "http").add(7);
        metrics.componentCounter("events_in", "events read by an input", "auth", "tail", "file").add(20);
        metrics.componentCounter("events_in", "ignored: the first registration's help stays", "auth", "journal", "journald").increment();
        metrics.agentGauge("buffer_bytes", "bytes of events in the buffer", () -> 4096);

        assertThat(metrics.scrape()).isEqualTo("""
                # HELP outrider_buffer_bytes bytes of events in the buffer
                # TYPE outrider_buffer_bytes gauge
                outrider_buffer_bytes{component="",pipeline="",type=""} 4096.0
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
        assertThat(metrics.scrape()).isEqualTo("""
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
