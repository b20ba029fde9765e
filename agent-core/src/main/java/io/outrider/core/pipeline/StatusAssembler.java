package io.outrider.core.pipeline;

import io.outrider.core.AgentVersion;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.delivery.DeliveryLoop;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.storage.SqliteBuffer;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Puts together the {@link StatusReport} of a running {@link Agent} and the per-output backlog and lag its metrics
 * show, from the agent's runners and delivery loops, the counters and the buffer. Called on the status server's
 * and the metrics scrape's threads; it only reads (a buffer query that fails shows as {@code -1} or NaN rather than
 * failing the report).
 */
final class StatusAssembler
{
    private final AgentConfiguration configuration;
    private final SqliteBuffer buffer;
    private final AgentMetrics metrics;
    private final Clock clock;

    StatusAssembler(AgentConfiguration configuration, SqliteBuffer buffer, AgentMetrics metrics, Clock clock)
    {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    double backlog(String pipeline, String output, long cursor)
    {
        try {
            return buffer.countAfter(pipeline, output, cursor);
        }
        catch (SQLException | RuntimeException e) {
            return Double.NaN;
        }
    }

    double lagSeconds(String pipeline, String output, long cursor)
    {
        try {
            return buffer.oldestIngestedAfter(pipeline, output, cursor).map(ingested -> Math.max(0, clock.millis() - ingested) / 1000.0).orElse(0.0);
        }
        catch (SQLException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The state of everything, from what the agent holds at this moment. */
    StatusReport report(boolean paused, List<InputRunner> inputs, List<DeliveryLoop> deliveries, Map<String, String> failedPipelines,
            Function<ComponentSpec, List<ComponentProblems.Problem>> problemsOf, StatusReport.ReloadRefusal reloadRefused)
    {
        // read once: the buffer's state and the inputs it holds back must agree within one report
        SqliteBuffer.WriteState writeState = buffer.writeState();
        List<StatusReport.Pipeline> pipelines = new ArrayList<>();
        for (PipelineSpec pipeline : configuration.pipelines()) {
            List<StatusReport.Component> inputStates = new ArrayList<>();
            for (InputRunner runner : inputs) {
                ComponentSpec spec = runner.spec();
                if (spec.pipelineId().equals(pipeline.id())) {
                    ComponentState state = runner.state() == ComponentState.RUNNING && writeState != SqliteBuffer.WriteState.OK ? ComponentState.BLOCKED : runner.state();
                    inputStates.add(new StatusReport.Component(spec.id(), spec.type(), paused ? "paused" : state.label(), runner.lastError(), errorTime(runner.lastErrorMillis()),
                            metrics.counterValue("events_in", spec.pipelineId(), spec.id(), spec.type()), 0, 0, 0, 0, 0, 0, problems(problemsOf.apply(spec))));
                }
            }
            String failure = failedPipelines.get(pipeline.id());
            if (failure != null) {
                // nothing of it runs: its inputs and outputs are shown failed, with the reason
                for (ComponentSpec spec : pipeline.inputs()) {
                    inputStates.add(new StatusReport.Component(spec.id(), spec.type(), ComponentState.FAILED.label(), failure, null, 0, 0, 0, 0, 0, 0, 0, List.of()));
                }
            }
            List<StatusReport.Component> outputStates = new ArrayList<>();
            for (DeliveryLoop loop : deliveries) {
                ComponentSpec spec = loop.spec();
                if (spec.pipelineId().equals(pipeline.id())) {
                    long deadLetters;
                    try {
                        deadLetters = buffer.deadLetterCount(spec.pipelineId(), spec.id());
                    }
                    catch (SQLException | RuntimeException e) {
                        deadLetters = -1;
                    }
                    outputStates.add(new StatusReport.Component(spec.id(), spec.type(), loop.state().label(), loop.lastError(), errorTime(loop.lastErrorMillis()), 0,
                            metrics.counterValue("events_out", spec.pipelineId(), spec.id(), spec.type()),
                            metrics.counterValue("events_skipped", spec.pipelineId(), spec.id(), spec.type()),
                            metrics.counterValue("delivery_retries", spec.pipelineId(), spec.id(), spec.type()),
                            deadLetters, (long) backlog(spec.pipelineId(), spec.id(), loop.cursor()), lagSeconds(spec.pipelineId(), spec.id(), loop.cursor()),
                            problems(problemsOf.apply(spec))));
                }
            }
            if (failure != null) {
                for (ComponentSpec spec : pipeline.outputs()) {
                    outputStates.add(new StatusReport.Component(spec.id(), spec.type(), ComponentState.FAILED.label(), failure, null, 0, 0, 0, 0, 0, 0, 0, List.of()));
                }
            }
            pipelines.add(new StatusReport.Pipeline(pipeline.id(), inputStates, outputStates, buffer.droppedEvents(pipeline.id()),
                    metrics.counterValue("events_unmatched", pipeline.id(), "", "")));
        }
        return new StatusReport(AgentVersion.get(), configuration.agent().hostName(), paused, writeState.name().toLowerCase(java.util.Locale.ROOT),
                buffer.totalBytes(), buffer.maxBytes(), buffer.quarantinedFiles(), pipelines, reloadRefused,
                configuration.file().map(file -> file.toAbsolutePath().normalize().toString()).orElse(null));
    }

    private static List<StatusReport.Problem> problems(List<ComponentProblems.Problem> standing)
    {
        return standing.stream().map(problem -> new StatusReport.Problem(problem.key(), problem.detail(), problem.since())).toList();
    }

    private static String errorTime(long millis)
    {
        return millis == 0 ? null : java.time.Instant.ofEpochMilli(millis).toString();
    }
}
