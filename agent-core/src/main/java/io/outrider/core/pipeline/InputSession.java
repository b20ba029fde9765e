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
 * as {@code outrider fim check}). What it emits is committed to the agent's buffer exactly as the agent would commit
 * it, together with its checkpoints, so the events still reach the pipeline's outputs the next time the agent runs
 * (an input that updates its own state after a commit, like the FIM baseline, would otherwise swallow them).
 * Parsers are not applied.
 */
public final class InputSession
{
    private InputSession() {}

    /** What the session saw. */
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
        ComponentContext context = Agent.context(configuration, buffer, metrics, Clock.systemUTC(), spec);
        Input input = create(spec, context);
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
                    buffer.append(spec.pipelineId(), spec.id(), events, checkpoints);
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

    @SuppressWarnings("unchecked")
    private static <C extends Record> Input create(ComponentSpec spec, ComponentContext context)
            throws Exception
    {
        return ((InputFactory<C>) spec.factory().factory()).create((C) spec.config(), context);
    }
}
