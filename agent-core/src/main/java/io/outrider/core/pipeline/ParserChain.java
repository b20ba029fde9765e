package io.outrider.core.pipeline;

import io.outrider.core.config.PipelineSpec;
import io.outrider.core.metrics.MetricCounter;
import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline's parsers in configured order. Each parser sees what the ones before it produced; an event no parser
 * matched is kept or dropped by the pipeline's policy. A parser that throws (an exception, or a stack overflow) or
 * returns no result is counted and its event treated as unmatched: a bad line is never fatal. A parser that cannot link
 * a class stops the batch instead ({@link ParserCannotLinkException}): every event would be unparsed until it is fixed. Calls into one parser are serialised (inputs run on several threads).
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
        apply(events, out::add);
        return out;
    }

    /** {@link #apply(List)}, handing each resulting event to {@code sink} as soon as the last parser made it. */
    void apply(List<Event> events, Consumer<Event> sink)
    {
        if (stages.isEmpty()) {
            // a pipeline without parsers: nothing to match, so nothing is unmatched (nor dropped as such)
            for (int i = 0; i < events.size(); i++) {
                sink.accept(events.get(i));
            }
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            // depth first: each parser still sees what the one before it made, in order, without a list per event
            // and stage
            applyFrom(0, event, false, sink);
        }
    }

    /**
     * Runs {@code event} through the stages from {@code stage} on and hands what comes out to {@code sink}.
     * {@code matched}: whether a parser matched on the way; an event no parser matched is the incoming event
     * itself, and the unmatched policy decides.
     */
    private void applyFrom(int stage, Event event, boolean matched, Consumer<Event> sink)
    {
        if (stage == stages.size()) {
            if (!matched) {
                unmatched.increment();
                if (unmatchedPolicy != PipelineSpec.UnmatchedPolicy.KEEP) {
                    return;
                }
            }
            sink.accept(event);
            return;
        }
        Stage current = stages.get(stage);
        ParseResult result = parse(current, event);
        if (!result.isMatched()) {
            applyFrom(stage + 1, event, matched, sink);
            return;
        }
        current.matched().increment();
        // by index: an iterator per event was a few per cent of the input thread's allocation
        List<Event> produced = result.events();
        for (int i = 0; i < produced.size(); i++) {
            applyFrom(stage + 1, produced.get(i), true, sink);
        }
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
        catch (RuntimeException e) {
            failed(stage, "failed on an event: " + e, e);
            return ParseResult.unmatched();
        }
        catch (StackOverflowError e) {
            // a recursive pattern (a regular expression's alternation) on a long line: the stack is unwound by now, and
            // the next line is no deeper for it; without this catch the input's thread died and read nothing more
            failed(stage, "overflowed the thread's stack on an event of " + event.message().length() + " characters (a recursive pattern or a deep"
                    + " structure in the parser)", null);
            return ParseResult.unmatched();
        }
        catch (LinkageError e) {
            // a class the parser needs is missing or of another version: every event would go on unparsed (and, with
            // unmatched: drop, be lost) until the plugin is fixed; the input's batch is not committed instead
            throw new ParserCannotLinkException(stage.id(), e);
        }
    }

    /**
     * A parser threw a {@link LinkageError} (its plugin lacks a class or holds one of another version, or a class of it
     * failed to initialise): the input's batch is not committed, and the input is restarted from its last committed
     * position until the plugin is fixed, as an output's delivery waits in that case.
     */
    static final class ParserCannotLinkException
            extends RuntimeException
    {
        ParserCannotLinkException(String parser, LinkageError cause)
        {
            super("parser " + parser + " cannot run: " + cause + "; its plugin folder lacks a jar or holds one of another version (or a class of it"
                    + " failed to initialise). Nothing of the batch was committed: the input retries from its last committed position, and reads on"
                    + " once the plugin is fixed and the agent reloaded", cause);
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
