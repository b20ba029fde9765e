package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import io.outrider.spi.testing.TestingMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lines per second of one parser on one thread over a generated mixed auth.log, in the order of the file (so the
 * session table sees real sessions). Each operation is one line: {@link #parseEvent} parses the event a file input
 * made of it (built beforehand: the parser alone), {@link #buildAndParseLine} also builds that event (what the
 * pipeline spends on the line beyond reading it). Run it with {@code bench/parser-sshd-jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
public class SshdParserBenchmark
{
    private static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");

    @Param("/tmp/outrider-bench/sshd-auth-1000000-42.log")
    public String log;

    private String[] lines;
    private Event[] events;
    private int next;
    private SshdParser parser;

    @Setup(Level.Trial)
    public void load()
            throws IOException
    {
        List<String> all = Files.readAllLines(Path.of(log), StandardCharsets.UTF_8);
        lines = all.toArray(String[]::new);
        events = new Event[lines.length];
        for (int i = 0; i < lines.length; i++) {
            events[i] = ParserHarness.fileEvent(READ_AT, lines[i]);
        }
        parser = new SshdParser(SshdParserConfig.defaults(), ZoneOffset.UTC, new TestingMetrics());
        next = 0;
    }

    @Benchmark
    public ParseResult parseEvent()
    {
        Event event = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        return parser.parse(event);
    }

    @Benchmark
    public ParseResult buildAndParseLine()
    {
        String line = lines[next];
        next = next + 1 == lines.length ? 0 : next + 1;
        return parser.parse(ParserHarness.fileEvent(READ_AT, line));
    }
}
