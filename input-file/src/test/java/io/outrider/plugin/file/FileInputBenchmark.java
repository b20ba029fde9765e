package io.outrider.plugin.file;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;
import io.outrider.spi.testing.TestingComponentContext;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the file input outside the agent, for bench/input-file-throughput.sh. Not a test.
 *
 * <pre>
 * throughput FILE LINES   reads FILE from its start until LINES events arrived; prints MB/s and lines/s
 * idle DIR SECONDS        measures the idle JVM's CPU for SECONDS, then tails every *.log in DIR and measures it again
 * </pre>
 */
public final class FileInputBenchmark
{
    private FileInputBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        switch (args[0]) {
            case "throughput" -> throughput(Path.of(args[1]), Long.parseLong(args[2]));
            case "idle" -> idle(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("usage: throughput FILE LINES | idle DIR SECONDS");
        }
    }

    private static void throughput(Path file, long lines)
            throws Exception
    {
        CountingEmitter emitter = new CountingEmitter();
        FileInputConfig config = new FileInputConfig(List.of(file.toString()), null, FileInputConfig.ReadFrom.BEGINNING,
                null, null, null, null, null, null, null, null, null, null, null, null);
        Path data = Files.createTempDirectory("input-file-bench");
        Input input = new FileInputFactory().create(config, TestingComponentContext.builder(data).build());
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        Thread thread = startThread(input, emitter);
        emitter.await(lines, Duration.ofMinutes(10));
        long elapsed = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        input.close();
        thread.join();
        double seconds = elapsed / 1e9;
        long bytes = Files.size(file);
        System.out.printf("file input: %d lines, %.1f MB in %.2f s = %.0f MB/s, %.0f lines/s, %d batches, CPU %.2f s%n",
                emitter.events.get(), bytes / 1e6, seconds, bytes / 1e6 / seconds, emitter.events.get() / seconds, emitter.batches.get(), cpu / 1e9);
    }

    private static void idle(Path directory, int seconds)
            throws Exception
    {
        long files;
        try (var listing = Files.list(directory)) {
            files = listing.filter(path -> path.toString().endsWith(".log")).count();
        }
        // the JVM alone (GC, JIT, housekeeping threads) over the same window, for comparison
        Thread.sleep(2000);
        long baselineBefore = processCpuNanos();
        Thread.sleep(seconds * 1000L);
        long baseline = processCpuNanos() - baselineBefore;
        CountingEmitter emitter = new CountingEmitter();
        FileInputConfig config = new FileInputConfig(List.of(directory + "/*.log"), null, FileInputConfig.ReadFrom.BEGINNING,
                null, null, null, null, null, null, null, null, null, null, null, null);
        Path data = Files.createTempDirectory("input-file-bench");
        Input input = new FileInputFactory().create(config, TestingComponentContext.builder(data).build());
        Thread thread = startThread(input, emitter);
        emitter.await(files, Duration.ofMinutes(1));
        // let start-up work (class loading, JIT) settle before measuring
        Thread.sleep(2000);
        long cpuBefore = processCpuNanos();
        Thread.sleep(seconds * 1000L);
        long cpu = processCpuNanos() - cpuBefore;
        input.close();
        thread.join();
        System.out.printf("file input idle: %d files tailed for %d s, JVM CPU %.3f s = %.3f%% of one core (the same JVM without the input: %.3f s)%n",
                files, seconds, cpu / 1e9, cpu / 1e7 / seconds, baseline / 1e9);
    }

    private static Thread startThread(Input input, Emitter emitter)
    {
        Thread thread = new Thread(() -> {
            try {
                input.run(emitter);
            }
            catch (Exception e) {
                e.printStackTrace();
                System.exit(1);
            }
        }, "file-input");
        thread.start();
        return thread;
    }

    private static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Counts what it is given and commits instantly (the agent's SQLite commit is not part of this figure). */
    private static final class CountingEmitter
            implements Emitter
    {
        final AtomicLong events = new AtomicLong();
        final AtomicLong batches = new AtomicLong();

        @Override
        public void emit(List<Event> batch, Collection<Checkpoint> checkpoints)
        {
            batches.incrementAndGet();
            if (events.addAndGet(batch.size()) > 0) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        synchronized void await(long count, Duration timeout)
                throws InterruptedException
        {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + events.get() + " of " + count + " events after " + timeout);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
