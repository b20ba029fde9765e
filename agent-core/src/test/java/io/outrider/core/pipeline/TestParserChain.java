package io.outrider.core.pipeline;

import io.outrider.core.config.PipelineSpec;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestParserChain
{
    private final AgentMetrics metrics = new AgentMetrics();

    @Test
    void countsAParserThatThrowsOrReturnsNoResultPerParserAndKeepsTheEvent()
    {
        Parser throwing = event -> {
            if (event.message().contains("boom")) {
                throw new IllegalStateException("unexpected token at 7");
            }
            return ParseResult.unmatched();
        };
        Parser returningNull = event -> event.message().contains("null") ? null : ParseResult.matched(event.toBuilder().field("parsed", true).build());
        ParserChain chain = new ParserChain(List.of(stage("throwing", throwing), stage("lazy", returningNull)), PipelineSpec.UnmatchedPolicy.KEEP,
                metrics.componentCounter("events_unmatched", "", "ssh", "", ""));
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(ParserChain.class.getName());
        Handler capture = new Handler()
        {
            @Override
            public void publish(LogRecord record)
            {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        List<Event> out;
        try {
            out = chain.apply(List.of(event("boom"), event("null"), event("fine")));
        }
        finally {
            logger.removeHandler(capture);
        }

        assertThat(out).extracting(Event::message).containsExactly("boom", "null", "fine");
        assertThat(metrics.counterValue("parse_errors", "ssh", "throwing", "test")).isEqualTo(1);
        assertThat(metrics.counterValue("parse_errors", "ssh", "lazy", "test")).isEqualTo(1);
        assertThat(metrics.counterValue("events_parsed", "ssh", "lazy", "test")).isEqualTo(2);
        // one line for the chain within 10 s, naming the first failure
        assertThat(warnings).containsExactly("parser throwing failed on an event: java.lang.IllegalStateException: unexpected token at 7 (counted in outrider_parse_errors_total; "
                + "the event goes on unparsed; further failures are logged at most every 10 s)");
        assertThat(metrics.scrape()).contains("outrider_parse_errors_total{component=\"lazy\",pipeline=\"ssh\",type=\"test\"} 1.0\n");
    }

    /** A walkthrough's regular expression overflowed the stack on a 20 KB line, and the input's thread died with it. */
    @Test
    void aParserThatOverflowsTheStackIsCountedAndItsEventGoesOnUnparsed()
    {
        Parser recursive = new Parser()
        {
            @Override
            public ParseResult parse(Event event)
            {
                return ParseResult.matched(event.toBuilder().field("depth", depth(event.message(), 0)).build());
            }

            private int depth(String text, int level)
            {
                // the shape of a backtracking pattern's recursion: one frame per character, without end on a long line
                return text.startsWith("deep") ? depth(text, level + 1) : level;
            }
        };
        ParserChain chain = new ParserChain(List.of(stage("recursive", recursive)), PipelineSpec.UnmatchedPolicy.KEEP,
                metrics.componentCounter("events_unmatched", "", "ssh", "", ""));

        List<Event> out = chain.apply(List.of(event("deep line"), event("flat line")));

        assertThat(out).extracting(Event::message).containsExactly("deep line", "flat line");
        assertThat(out.get(0).field("depth")).isNull();
        assertThat(out.get(1).field("depth")).isEqualTo(0);
        assertThat(metrics.counterValue("parse_errors", "ssh", "recursive", "test")).isEqualTo(1);
    }

    @Test
    void aParserThatCannotLinkAClassStopsTheBatchInsteadOfPassingEveryEventUnparsed()
    {
        Parser incomplete = event -> {
            throw new NoClassDefFoundError("com/google/common/net/InetAddresses");
        };
        ParserChain chain = new ParserChain(List.of(stage("geo", incomplete)), PipelineSpec.UnmatchedPolicy.DROP,
                metrics.componentCounter("events_unmatched", "", "ssh", "", ""));

        assertThatThrownBy(() -> chain.apply(List.of(event("one"))))
                .isInstanceOf(ParserChain.ParserCannotLinkException.class)
                .hasMessageStartingWith("parser geo cannot run: java.lang.NoClassDefFoundError: com/google/common/net/InetAddresses; its plugin folder lacks a jar");
        assertThat(metrics.counterValue("events_unmatched", "ssh", "", "")).isZero();
    }

    @Test
    void eachParserSeesWhatTheOnesBeforeItMadeInOrderAndTheUnmatchedPolicyDecidesPerIncomingEvent()
    {
        List<String> secondSaw = new CopyOnWriteArrayList<>();
        // "split" lines become two events, "none" lines none at all; the rest pass unmatched
        Parser splitting = event -> event.message().startsWith("split") ? ParseResult.matched(List.of(derived(event, "a"), derived(event, "b")))
                : event.message().startsWith("none") ? ParseResult.matched(List.of()) : ParseResult.unmatched();
        Parser tagging = event -> {
            secondSaw.add(event.message());
            return event.message().endsWith("a") || event.message().startsWith("late") ? ParseResult.matched(derived(event, "t")) : ParseResult.unmatched();
        };
        List<ParserChain.Stage> stages = List.of(stage("split", splitting), stage("tag", tagging));
        List<Event> events = List.of(event("split1"), event("plain"), event("none"), event("late"), event("split2"));

        List<Event> kept = new ParserChain(stages, PipelineSpec.UnmatchedPolicy.KEEP, metrics.componentCounter("events_unmatched", "", "keep", "", "")).apply(events);
        List<Event> dropped = new ParserChain(stages, PipelineSpec.UnmatchedPolicy.DROP, metrics.componentCounter("events_unmatched", "", "drop", "", "")).apply(events);

        assertThat(kept).extracting(Event::message).containsExactly("split1/a/t", "split1/b", "plain", "late/t", "split2/a/t", "split2/b");
        assertThat(dropped).extracting(Event::message).containsExactly("split1/a/t", "split1/b", "late/t", "split2/a/t", "split2/b");
        assertThat(secondSaw).containsExactly("split1/a", "split1/b", "plain", "late", "split2/a", "split2/b",
                "split1/a", "split1/b", "plain", "late", "split2/a", "split2/b");
        assertThat(metrics.counterValue("events_unmatched", "keep", "", "")).isEqualTo(1);
        assertThat(metrics.counterValue("events_unmatched", "drop", "", "")).isEqualTo(1);
        assertThat(metrics.counterValue("events_parsed", "ssh", "split", "test")).isEqualTo(6);
        assertThat(metrics.counterValue("events_parsed", "ssh", "tag", "test")).isEqualTo(6);
    }

    /** A pipeline without parsers (file integrity to a collector) counted every event as unmatched in its status. */
    @Test
    void withoutParsersNothingIsUnmatched()
    {
        List<Event> events = List.of(event("one"), event("two"));
        List<Event> passed = new ArrayList<>();

        new ParserChain(List.of(), PipelineSpec.UnmatchedPolicy.DROP, metrics.componentCounter("events_unmatched", "", "none", "", "")).apply(events, passed::add);

        assertThat(passed).extracting(Event::message).containsExactly("one", "two");
        assertThat(metrics.counterValue("events_unmatched", "none", "", "")).isZero();
    }

    private static Event derived(Event event, String suffix)
    {
        return event.toBuilder().message(event.message() + "/" + suffix).build();
    }

    private ParserChain.Stage stage(String id, Parser parser)
    {
        return new ParserChain.Stage(id, parser, metrics.componentCounter("events_parsed", "events a parser recognised", "ssh", id, "test"),
                metrics.componentCounter("parse_errors", "events a parser failed on", "ssh", id, "test"));
    }

    private static Event event(String message)
    {
        return Event.of(Instant.ofEpochSecond(1_763_900_000L), message);
    }
}
