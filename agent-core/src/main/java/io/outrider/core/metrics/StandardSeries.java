package io.outrider.core.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code process_*} and {@code jvm_*} series every Prometheus client writes, with the names and meanings of the
 * Prometheus Java client's own collectors. Written by hand: those collectors need the client's registry and core
 * metric classes, which the agent does not load (see {@link AgentMetrics}); this reads the same sources only when
 * scraped.
 *
 * <p>Resident and virtual memory and open and maximum file descriptors come from {@code /proc/self} and are only
 * written on Linux; CPU time and start time come from the JVM and are written everywhere.
 */
final class StandardSeries
{
    private static final Path PROC_SELF = Path.of("/proc/self");

    private StandardSeries() {}

    static List<MetricSnapshot> snapshots()
    {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        process(snapshots);
        jvm(snapshots);
        return snapshots;
    }

    private static void process(List<MetricSnapshot> snapshots)
    {
        processCpuNanos().ifPresent(nanos -> snapshots.add(counter("process_cpu_seconds", "user and system CPU time spent in seconds", nanos / 1e9)));
        snapshots.add(gauge("process_start_time_seconds", "start time of the process since the Unix epoch in seconds",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0));
        if (!Files.isDirectory(PROC_SELF)) {
            return;
        }
        List<String> status = readLines(PROC_SELF.resolve("status"));
        statusKilobytes(status, "VmRSS:").ifPresent(bytes -> snapshots.add(gauge("process_resident_memory_bytes", "resident memory size in bytes", bytes)));
        statusKilobytes(status, "VmSize:").ifPresent(bytes -> snapshots.add(gauge("process_virtual_memory_bytes", "virtual memory size in bytes", bytes)));
        openFileDescriptors().ifPresent(count -> snapshots.add(gauge("process_open_fds", "number of open file descriptors", count)));
        maxFileDescriptors().ifPresent(count -> snapshots.add(gauge("process_max_fds", "maximum number of open file descriptors", count)));
    }

    // com.sun.management is in the jdk.management module: a runtime trimmed without it has no process CPU time
    private static OptionalLong processCpuNanos()
    {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean hotspot && hotspot.getProcessCpuTime() >= 0) {
                return OptionalLong.of(hotspot.getProcessCpuTime());
            }
        }
        catch (LinkageError e) {
            // fall through: the series is left out
        }
        return OptionalLong.empty();
    }

    private static void jvm(List<MetricSnapshot> snapshots)
    {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        snapshots.add(areaGauge("jvm_memory_used_bytes", "used bytes of a given JVM memory area", heap.getUsed(), nonHeap.getUsed()));
        snapshots.add(areaGauge("jvm_memory_committed_bytes", "committed bytes of a given JVM memory area", heap.getCommitted(), nonHeap.getCommitted()));
        snapshots.add(areaGauge("jvm_memory_max_bytes", "max bytes of a given JVM memory area (-1 when undefined)", heap.getMax(), nonHeap.getMax()));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        snapshots.add(gauge("jvm_threads_current", "current thread count of the JVM", threads.getThreadCount()));
        snapshots.add(gauge("jvm_threads_daemon", "daemon thread count of the JVM", threads.getDaemonThreadCount()));
        snapshots.add(gauge("jvm_threads_peak", "peak thread count of the JVM", threads.getPeakThreadCount()));
        snapshots.add(counter("jvm_threads_started", "started thread count of the JVM", threads.getTotalStartedThreadCount()));

        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        snapshots.add(gauge("jvm_classes_currently_loaded", "number of classes currently loaded in the JVM", classes.getLoadedClassCount()));
        snapshots.add(counter("jvm_classes_loaded", "number of classes loaded since the JVM started", classes.getTotalLoadedClassCount()));

        SummarySnapshot.Builder gc = SummarySnapshot.builder().name("jvm_gc_collection_seconds").help("time spent in a given JVM garbage collector in seconds");
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector.getCollectionCount() < 0) {
                continue; // the collector does not count
            }
            gc.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .labels(Labels.of("gc", collector.getName()))
                    .count(collector.getCollectionCount())
                    .sum(Math.max(0, collector.getCollectionTime()) / 1000.0)
                    .build());
        }
        snapshots.add(gc.build());
    }

    private static MetricSnapshot areaGauge(String name, String help, double heap, double nonHeap)
    {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("area", "heap")).value(heap).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("area", "nonheap")).value(nonHeap).build())
                .build();
    }

    private static MetricSnapshot gauge(String name, String help, double value)
    {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build())
                .build();
    }

    /** {@code name} without {@code _total}: the writer adds it. */
    private static MetricSnapshot counter(String name, String help, double value)
    {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build())
                .build();
    }

    private static List<String> readLines(Path file)
    {
        try {
            return Files.readAllLines(file);
        }
        catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** A {@code /proc/self/status} line such as {@code VmRSS:   61236 kB}, in bytes. */
    static OptionalLong statusKilobytes(List<String> status, String key)
    {
        for (String line : status) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).strip().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
                catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong openFileDescriptors()
    {
        long count = 0;
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(PROC_SELF.resolve("fd"))) {
            for (Path ignored : descriptors) {
                count++;
            }
        }
        catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        // the directory stream holds a descriptor of its own while it is listed
        return OptionalLong.of(Math.max(0, count - 1));
    }

    /** The soft limit from {@code /proc/self/limits}: {@code Max open files  1024  1048576  files}. */
    static OptionalLong maxFileDescriptors()
    {
        for (String line : readLines(PROC_SELF.resolve("limits"))) {
            if (line.startsWith("Max open files")) {
                String[] parts = line.substring("Max open files".length()).strip().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]));
                }
                catch (NumberFormatException e) {
                    return OptionalLong.empty(); // "unlimited"
                }
            }
        }
        return OptionalLong.empty();
    }
}
