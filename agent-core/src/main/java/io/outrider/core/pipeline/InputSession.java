package io.outrider.core.pipeline;

import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Runs one configured input outside a running agent until one of its events satisfies a condition (a command such
 * as {@code outrider run-once}). What it emits goes through its pipeline's parsers and is committed to the agent's
 * buffer exactly as the agent would commit it, together with its checkpoints, so the events still reach the
 * pipeline's outputs the next time the agent runs (an input that updates its own state after a commit, like a file
 * integrity baseline, would otherwise swallow them). The condition is tested, and the {@link Outcome} reports, the
 * events as the input emitted them, before the parsers: a parser or the pipeline's {@code unmatched: drop} can never
 * hide the event the caller waits for.
 */
public final class InputSession
{
    private InputSession() {}

    /** What the session saw: the events as the input emitted them, in order. */
    public record Outcome(List<Event> events, boolean conditionMet)
    {
        public Outcome
        {
            events = List.copyOf(events);
        }
    }

    /**
     * @throws Exception what creating the input threw, or what {@code run} threw before the condition was met
     */
    public static Outcome run(AgentConfiguration configuration, PipelineSpec pipeline, ComponentSpec spec, SqliteBuffer buffer, Predicate<Event> until, Duration timeout)
            throws Exception
    {
        return run(configuration, pipeline, spec, buffer, until, timeout, new AgentMetrics());
    }

    /**
     * @param metrics where the input's own metrics go, for a caller that shows its progress meanwhile
     * @throws Exception what creating the input threw, or what {@code run} threw before the condition was met
     */
    public static Outcome run(AgentConfiguration configuration, PipelineSpec pipeline, ComponentSpec spec, SqliteBuffer buffer, Predicate<Event> until, Duration timeout,
            AgentMetrics metrics)
            throws Exception
    {
        requireNonNull(until, "until is null");
        requireNonNull(metrics, "metrics is null");
        Set<String> outputs = new LinkedHashSet<>();
        pipeline.outputs().forEach(output -> outputs.add(output.id()));
        buffer.registerOutputs(pipeline.id(), outputs);
        ComponentContext context = Agent.context(configuration, buffer, metrics, Clock.systemUTC(), spec, unshownProblems());
        ParserChain parsers = parsers(configuration, pipeline, buffer, metrics);
        Input input;
        try {
            input = create(spec, context);
        }
        catch (Exception | Error e) {
            parsers.close();
            throw e;
        }
        List<Event> seen = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Emitter emitter = new Emitter()
        {
            @Override
            public void emit(List<Event> events, Collection<Checkpoint> checkpoints)
                    throws InterruptedException
            {
                try {
                    buffer.append(spec.pipelineId(), spec.id(), parsers.apply(events), checkpoints);
                }
                catch (SQLException e) {
                    throw new IllegalStateException("buffer write failed: " + e.getMessage(), e);
                }
                synchronized (seen) {
                    seen.addAll(events);
                }
                if (events.stream().anyMatch(until)) {
                    done.countDown();
                }
            }
        };
        Thread thread = new Thread(() -> {
            try {
                input.run(emitter);
            }
            catch (Throwable e) {
                failure.set(e);
            }
            finally {
                done.countDown();
            }
        }, "input-" + spec.qualifiedId());
        thread.start();
        boolean met = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        input.close();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (thread.isAlive()) {
            thread.interrupt();
        }
        else {
            // a parser is only ever called on the input's thread: close them once it is gone
            parsers.close();
        }
        List<Event> events;
        synchronized (seen) {
            events = List.copyOf(seen);
        }
        boolean conditionMet = met && events.stream().anyMatch(until);
        if (!conditionMet && failure.get() != null) {
            Throwable e = failure.get();
            throw e instanceof Exception ? (Exception) e : new IllegalStateException(e);
        }
        return new Outcome(events, conditionMet);
    }

    /** New parsers of {@code pipeline} for this session's input, counted like the agent counts them. */
    private static ParserChain parsers(AgentConfiguration configuration, PipelineSpec pipeline, SqliteBuffer buffer, AgentMetrics metrics)
            throws Exception
    {
        List<ParserChain.Stage> stages = new ArrayList<>();
        try {
            for (ComponentSpec spec : pipeline.parsers()) {
                Parser parser = createParser(spec, Agent.context(configuration, buffer, metrics, Clock.systemUTC(), spec, unshownProblems()));
                stages.add(new ParserChain.Stage(spec.id(), parser,
                        metrics.componentCounter("events_parsed", "events a parser recognised", spec.pipelineId(), spec.id(), spec.type()),
                        metrics.componentCounter("parse_errors", "events a parser failed on", spec.pipelineId(), spec.id(), spec.type())));
            }
        }
        catch (Exception | Error e) {
            stages.forEach(stage -> stage.parser().close());
            throw e;
        }
        return new ParserChain(stages, pipeline.unmatched(), metrics.componentCounter("events_unmatched", "events no parser recognised", pipeline.id(), "", ""));
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Parser createParser(ComponentSpec spec, ComponentContext context)
            throws Exception
    {
        return ((ParserFactory<C>) spec.factory().factory()).create((C) spec.config(), context);
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Input create(ComponentSpec spec, ComponentContext context)
            throws Exception
    {
        return ((InputFactory<C>) spec.factory().factory()).create((C) spec.config(), context);
    }

    /** A run-once shows a round's events and summary, not a component's state: what the components report is not kept for anyone. */
    private static ComponentProblems unshownProblems()
    {
        return new ComponentProblems(io.outrider.core.config.SecretRegistry.NONE, Clock.systemUTC());
    }
}
