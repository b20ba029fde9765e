package io.outrider.plugin.fim;

import io.outrider.spi.Event;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;

import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark driver for {@code bench/input-fim-baseline.sh}: one start of a {@code fim} input (no kernel watching)
 * over a tree until its first full scan, printing the scan summary as {@code key=value} pairs. The first run over a
 * data directory builds the baseline; later runs check against it.
 *
 * <p>Arguments: tree, data directory, hash threads, trust ctime ({@code true}/{@code false}).
 */
public final class FimScanBenchmark
{
    private FimScanBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        Path tree = Path.of(args[0]);
        Path data = Path.of(args[1]);
        TestConfig config = TestConfig.paths(tree).hashThreads(Integer.parseInt(args[2]));
        if (Boolean.parseBoolean(args[3])) {
            config.trustCtime();
        }
        long started = System.nanoTime();
        CollectingEmitter emitter = new CollectingEmitter();
        List<Event> events;
        try (RunningInput input = RunningInput.start(config.build(), TestingComponentContext.builder(data).build(), emitter)) {
            events = input.awaitScans(1);
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        Event summary = Trees.withAction(events, "scan_complete").get(0);
        System.out.printf("reason=%s files=%s bytes_hashed=%s scan_ms=%s run_ms=%d created=%s modified=%s deleted=%s attributes_changed=%s errors=%s%n",
                summary.field("fim.scan.reason"), summary.field("fim.scan.files"), summary.field("fim.scan.bytes_hashed"),
                summary.field("fim.scan.duration_ms"), elapsedMillis, summary.field("fim.scan.created"), summary.field("fim.scan.modified"),
                summary.field("fim.scan.deleted"), summary.field("fim.scan.attributes_changed"), summary.field("fim.scan.errors"));
    }
}
