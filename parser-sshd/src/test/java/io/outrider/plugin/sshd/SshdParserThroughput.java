package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.testing.ParserHarness;
import io.outrider.spi.testing.TestingMetrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Lines per second of CPU time of the parsing thread, next to lines per second of wall time: on a shared machine
 * the CPU-time figure is what one core would do, the wall-clock one (and JMH's) depends on the neighbours.
 * Passes alternate between parsing prebuilt input events (the parser alone) and building each input event too.
 * usage: SshdParserThroughput LOG [PASSES]; the first two passes are warm-up.
 */
final class SshdParserThroughput
{
    private static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");

    private SshdParserThroughput() {}

    public static void main(String[] args)
            throws IOException
    {
        String[] lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8).toArray(String[]::new);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Event[] events = new Event[lines.length];
        for (int i = 0; i < lines.length; i++) {
            events[i] = ParserHarness.fileEvent(READ_AT, lines[i]);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < passes; pass++) {
            boolean buildInputEvents = pass % 2 == 1;
            SshdParser parser = new SshdParser(SshdParserConfig.defaults(), ZoneOffset.UTC, new TestingMetrics());
            long produced = 0;
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            for (int i = 0; i < lines.length; i++) {
                produced += parser.parse(buildInputEvents ? ParserHarness.fileEvent(READ_AT, lines[i]) : events[i]).events().size();
            }
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
            System.out.printf("pass %d%s, %s: %d lines, %.0f lines per CPU-second, %.0f lines per wall-second (%d events)%n",
                    pass + 1, pass < 2 ? " (warm-up)" : "", buildInputEvents ? "input event built per line" : "parser alone",
                    lines.length, lines.length / cpuSeconds, lines.length / wallSeconds, produced);
        }
    }
}
