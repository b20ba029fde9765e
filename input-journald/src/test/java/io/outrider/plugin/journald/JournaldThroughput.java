package io.outrider.plugin.journald;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;
import io.outrider.spi.testing.TestingComponentContext;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark harness (not a test): reads a journal directory from its head with the journald input and prints how
 * many entries per second reach the emitter. Run by {@code bench/input-journald-throughput.sh}.
 *
 * <p>usage: {@code JournaldThroughput DIRECTORY EXPECTED_ENTRIES}
 */
public final class JournaldThroughput
{
    private JournaldThroughput() {}

    public static void main(String[] args)
            throws Exception
    {
        if (args.length != 2) {
            System.err.println("usage: JournaldThroughput DIRECTORY EXPECTED_ENTRIES");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        long expected = Long.parseLong(args[1]);
        Path data = Files.createTempDirectory("journald-bench");
        TestingComponentContext context = TestingComponentContext.builder(data).componentType("journald").build();
        JournaldInputConfig config = new JournaldInputConfig(directory, null, null, null, null, null, "beginning", null, null, null, null, null);
        JournaldInputFactory factory = new JournaldInputFactory();
        factory.validate(config);

        CountingEmitter emitter = new CountingEmitter(expected);
        Input input = factory.create(config, context);
        long start = System.nanoTime();
        Thread reader = new Thread(() -> {
            try {
                input.run(emitter);
            }
            catch (Exception e) {
                e.printStackTrace();
                emitter.done.countDown();
            }
        }, "journald-bench");
        reader.start();
        boolean finished = emitter.done.await(30, TimeUnit.MINUTES);
        long elapsed = System.nanoTime() - start;
        // CPU time of the reading thread: on a shared machine it says more than the wall clock
        long cpu = ManagementFactory.getThreadMXBean().getThreadCpuTime(reader.getId());
        input.close();
        reader.join(10_000);
        if (!finished || emitter.events < expected) {
            System.err.println("read only " + emitter.events + " of " + expected + " entries");
            System.exit(1);
        }
        double seconds = elapsed / 1e9;
        double cpuSeconds = cpu / 1e9;
        System.out.printf("journald input: %d entries in %.2f s wall = %.0f entries/s; reader thread CPU %.2f s = %.0f entries per CPU-second (%d batches, %.1f fields/event)%n",
                emitter.events, seconds, emitter.events / seconds, cpuSeconds, emitter.events / cpuSeconds, emitter.batches,
                (double) emitter.fields / emitter.events);
    }

    /** Counts what would be committed, without keeping it. */
    private static final class CountingEmitter
            implements Emitter
    {
        private final long expected;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long events;
        private long batches;
        private long fields;

        CountingEmitter(long expected)
        {
            this.expected = expected;
        }

        @Override
        public void emit(List<Event> batch, Collection<Checkpoint> checkpoints)
        {
            for (Event event : batch) {
                fields += event.fields().size() + 1;
            }
            events += batch.size();
            batches++;
            if (events >= expected) {
                done.countDown();
            }
        }
    }
}
