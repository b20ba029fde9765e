package io.outrider.core.pipeline;

import io.outrider.core.config.PipelineSpec;
import io.outrider.core.metrics.MetricCounter;
import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline's parsers in configured order. Each parser sees what the ones before it produced; an event no parser
 * matched is kept or dropped by the pipeline's policy. A parser that throws or returns no result is counted and its
 * event treated as unmatched: a bad line is never fatal. Calls into one parser are serialised (inputs run on several threads).
 */
final class ParserChain
{
    private static final System.Logger LOG = System.getLogger(ParserChain.class.getName());

    /** One parser with what the chain needs around it. */
    record Stage(String id, Parser parser, MetricCounter matched, MetricCounter errors)
    {
    }

    private final List<Stage> stages;
    private final PipelineSpec.UnmatchedPolicy unmatchedPolicy;
    private final MetricCounter unmatched;
    private long lastErrorLog;

    ParserChain(List<Stage> stages, PipelineSpec.UnmatchedPolicy unmatchedPolicy, MetricCounter unmatched)
    {
        this.stages = List.copyOf(stages);
        this.unmatchedPolicy = requireNonNull(unmatchedPolicy, "unmatchedPolicy is null");
        this.unmatched = requireNonNull(unmatched, "unmatched is null");
    }

    List<Event> apply(List<Event> events)
    {
        if (stages.isEmpty()) {
            return events;
        }
        List<Event> out = new ArrayList<>(events.size());
        for (Event event : events) {
            int first = out.size();
            // depth first, straight into the output: each parser still sees what the one before it made, in order,
            // without a list per event and stage
            boolean anyMatched = applyFrom(0, event, out);
            if (!anyMatched) {
                unmatched.increment();
                if (unmatchedPolicy != PipelineSpec.UnmatchedPolicy.KEEP) {
                    // no parser matched: what was added is the event itself
                    out.subList(first, out.size()).clear();
                }
            }
        }
        return out;
    }

    /** Runs {@code event} through the stages from {@code stage} on, adding what comes out to {@code out}; whether any matched. */
    private boolean applyFrom(int stage, Event event, List<Event> out)
    {
        if (stage == stages.size()) {
            out.add(event);
            return false;
        }
        Stage current = stages.get(stage);
        ParseResult result = parse(current, event);
        if (!result.isMatched()) {
            return applyFrom(stage + 1, event, out);
        }
        current.matched().increment();
        for (Event produced : result.events()) {
            applyFrom(stage + 1, produced, out);
        }
        return true;
    }

    private ParseResult parse(Stage stage, Event event)
    {
        try {
            ParseResult result = stage.parser().parse(event);
            if (result == null) {
                // the SPI says never null: a parser bug, counted and said like a throw
                failed(stage, "returned no result (null)", null);
                return ParseResult.unmatched();
            }
            return result;
        }
        catch (RuntimeException | LinkageError e) {
            failed(stage, "failed on an event: " + e, e);
            return ParseResult.unmatched();
        }
    }

    /** Counts a parser's failure and says it at WARN, at most every 10 s for the whole chain. */
    private void failed(Stage stage, String what, Throwable cause)
    {
        stage.errors().increment();
        long now = System.nanoTime();
        synchronized (this) {
            if (now - lastErrorLog > 10_000_000_000L || lastErrorLog == 0) {
                lastErrorLog = now;
                LOG.log(System.Logger.Level.WARNING, "parser " + stage.id() + " " + what
                        + " (counted in outrider_parse_errors_total; the event goes on unparsed; further failures are logged at most every 10 s)", cause);
            }
        }
    }

    void close()
    {
        for (Stage stage : stages) {
            try {
                stage.parser().close();
            }
            catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "parser " + stage.id() + " failed to close: " + e);
            }
        }
    }
}
