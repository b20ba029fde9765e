package io.outrider.plugin.winevent;

import io.outrider.spi.Event;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures the XML mapping on the calling thread: events per second, bytes allocated per event, and heap retained
 * by 10,000 mapped events. Maps the shared corpus when given its directory (more events, more variety), otherwise
 * the project's own fixtures. Run by {@code bench/input-winevent-mapping.sh}.
 */
public final class MappingBenchmark
{
    private MappingBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        // "-" (or nothing): the project's own fixtures
        String corpusArgument = args.length > 0 ? args[0] : "-";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        List<Path> files = corpusArgument.equals("-")
                ? Corpus.FIXTURE_FILES.stream().map(Corpus::fixture).toList()
                : Corpus.SHARED_FILES.stream().map(Path.of(corpusArgument).toAbsolutePath().normalize()::resolve).toList();
        List<String> events = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                System.err.println("MappingBenchmark: " + file + " is missing");
                System.exit(2);
            }
            events.addAll(Corpus.events(file));
        }
        System.out.println("mapping " + events.size() + " events of " + files.size() + " files (" + (corpusArgument.equals("-") ? "the project's fixtures" : corpusArgument) + ")");
        long corpusBytes = events.stream().mapToLong(xml -> xml.getBytes(StandardCharsets.UTF_8).length).sum();
        EventXmlMapper mapper = new EventXmlMapper("bench-host", false);
        Instant now = Instant.now();

        long sink = 0;
        long warmupEnd = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            sink += mapAll(mapper, events, now);
        }

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long mapped = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            sink += mapAll(mapper, events, now);
            mapped += events.size();
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;

        List<Event> retained = new ArrayList<>(10_000);
        long heapBefore = usedHeapAfterGc();
        for (int i = 0; retained.size() < 10_000; i++) {
            retained.add(mapper.map(events.get(i % events.size()), Optional.empty(), now));
        }
        long heapAfter = usedHeapAfterGc();
        long retainedBytes = heapAfter - heapBefore;

        System.out.printf("corpus: %d events, %.1f MiB of XML (%d bytes/event)%n", events.size(), corpusBytes / 1048576.0, corpusBytes / events.size());
        System.out.printf("mapped %d events in %.2f s on one thread: %.0f events/s (%.1f MiB/s of XML)%n",
                mapped, elapsed / 1e9, mapped / (elapsed / 1e9), mapped / (elapsed / 1e9) * corpusBytes / events.size() / 1048576.0);
        System.out.printf("per CPU second of the mapping thread (what one core does on a busy machine): %.0f events/s%n", mapped / (cpu / 1e9));
        System.out.printf("allocation: %d bytes per event mapped%n", allocated / mapped);
        System.out.printf("retained heap: %.1f MiB per 10,000 mapped events (%d bytes/event)%n", retainedBytes / 1048576.0, retainedBytes / 10_000);
        System.out.println("(checksum " + (sink + retained.size()) + ")");
    }

    private static long mapAll(EventXmlMapper mapper, List<String> events, Instant now)
            throws EventXmlException
    {
        long fields = 0;
        for (String xml : events) {
            fields += mapper.map(xml, Optional.empty(), now).fields().size();
        }
        return fields;
    }

    private static long usedHeapAfterGc()
            throws InterruptedException
    {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
