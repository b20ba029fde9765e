package io.outrider.plugin.syslog;

import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.TestingComponentContext;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark, run by {@code bench/output-syslog-throughput.sh}: events per second from the syslog output into a real
 * rsyslogd over TCP (RFC 5424, octet counting, every field as structured data), counted when rsyslog has written
 * every message to its file. Arguments: events, batch size, warm-up events.
 */
public final class SyslogThroughputBenchmark
{
    private static final int DISTINCT_EVENTS = 10_000;

    private SyslogThroughputBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path directory = Files.createTempDirectory("outrider-syslog-bench");
        List<Event> pool = sshdEvents(DISTINCT_EVENTS);

        try (Rsyslog rsyslog = Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TCP, null)) {
            SyslogOutputConfig config = SyslogOutputConfig.defaults("127.0.0.1", Transport.TCP);
            config = new SyslogOutputConfig(config.host(), rsyslog.port(), config.transport(), null, null, null, false, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null);
            SyslogOutput output = (SyslogOutput) new SyslogOutputFactory().create(config, TestingComponentContext.builder(directory.resolve("output")).build());
            output.start();
            LineCounter lines = new LineCounter(directory.resolve("rsyslog").resolve("received.log"));

            deliver(output, pool, warmUp, batchSize);
            lines.await(warmUp, Duration.ofMinutes(5));

            long cpuBefore = processCpuNanos();
            long start = System.nanoTime();
            long bytes = deliver(output, pool, events, batchSize);
            long sent = System.nanoTime();
            lines.await((long) warmUp + events, Duration.ofMinutes(10));
            long end = System.nanoTime();
            long cpu = processCpuNanos() - cpuBefore;
            output.close();

            double seconds = (end - start) / 1e9;
            System.out.printf("outrider output-syslog tcp->rsyslog: %d events in %.2f s = %.0f events/s (written to the socket at %.0f events/s), "
                            + "%.0f bytes/event, output CPU %.2f s, batches of %d, rsyslog wrote %d lines%n",
                    events, seconds, events / seconds, events / ((sent - start) / 1e9), (double) bytes / events, cpu / 1e9, batchSize, lines.count() - warmUp);
        }
    }

    private static long deliver(SyslogOutput output, List<Event> pool, int count, int batchSize)
            throws Exception
    {
        SyslogEncoder sizes = SyslogOutputFactory.encoder(SyslogOutputConfig.defaults("127.0.0.1", Transport.TCP),
                TestingComponentContext.builder(Path.of(System.getProperty("java.io.tmpdir"))).build());
        long bytesPerPool = 0;
        for (Event event : pool) {
            bytesPerPool += sizes.encode(event).length;
        }
        for (int first = 0; first < count; first += batchSize) {
            int size = Math.min(batchSize, count - first);
            List<Event> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(pool.get((first + i) % pool.size()));
            }
            DeliveryResult result = output.deliver(batch);
            while (result.kind() == DeliveryResult.Kind.RETRY_LATER) {
                Thread.sleep(result.retryAfter().orElse(Duration.ofMillis(50)).toMillis() + 1);
                result = output.deliver(batch);
            }
            if (result.kind() != DeliveryResult.Kind.DELIVERED) {
                throw new IllegalStateException("batch at " + first + ": " + result);
            }
        }
        return bytesPerPool * count / pool.size();
    }

    /** Events like the sshd parser makes: a failed or accepted login with its fields. */
    private static List<Event> sshdEvents(int count)
    {
        Instant time = Instant.parse("2026-11-23T10:00:00Z");
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean failed = i % 3 != 0;
            String user = failed ? "admin" + (i % 50) : "deploy";
            String ip = "203.0." + (i % 200) + "." + (i % 250);
            events.add(Event.builder()
                    .timestamp(time.plusMillis(i * 37L))
                    .message((failed ? "Failed password for " : "Accepted publickey for ") + user + " from " + ip + " port " + (40000 + i % 20000) + " ssh2")
                    .field(Fields.HOST_NAME, "web-01")
                    .field(Fields.PROCESS_NAME, "sshd")
                    .field(Fields.PROCESS_PID, 1000L + i % 5000)
                    .field(Fields.EVENT_ACTION, failed ? "auth.login_failed" : "auth.login_succeeded")
                    .field(Fields.EVENT_OUTCOME, failed ? "failure" : "success")
                    .field(Fields.SOURCE_IP, ip)
                    .field(Fields.SOURCE_PORT, 40000L + i % 20000)
                    .field(Fields.USER_NAME, user)
                    .build());
        }
        return events;
    }

    private static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Counts the LF of a growing file, reading only what was added. */
    private static final class LineCounter
    {
        private final Path file;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        private long position;
        private long count;

        LineCounter(Path file)
        {
            this.file = file;
        }

        long count()
        {
            return count;
        }

        void await(long lines, Duration timeout)
                throws IOException, InterruptedException
        {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (Files.exists(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        channel.position(position);
                        int read;
                        while ((read = channel.read(buffer.clear())) > 0) {
                            position += read;
                            buffer.flip();
                            while (buffer.hasRemaining()) {
                                if (buffer.get() == '\n') {
                                    count++;
                                }
                            }
                        }
                    }
                }
                if (count >= lines) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslog wrote " + count + " of " + lines + " lines in " + timeout);
                }
                Thread.sleep(10);
            }
        }
    }
}
