package io.outrider.plugin.otlp;

import io.outrider.plugin.otlp.OtlpOutputConfig.Compression;
import io.outrider.plugin.otlp.OtlpOutputConfig.Encoding;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Events/s of the otlp output into the loopback {@link OtlpReceiver} (which decodes every request with the proto
 * classes, on the same machine), for each encoding with and without gzip, and the bytes the delivering thread
 * allocates per event (mapping, encoding, compression; the exchange runs on the client's thread). Run through
 * {@code bench/output-otlp-throughput.sh [seconds-per-case] [batch-size]}.
 */
public final class OtlpThroughputBenchmark
{
    private static final com.sun.management.ThreadMXBean ALLOCATION =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private OtlpThroughputBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<Event> batch = new ArrayList<>(batchSize);
        Instant start = Instant.parse("2026-03-01T12:00:00Z");
        for (int i = 0; i < batchSize; i++) {
            batch.add(Event.builder()
                    .timestamp(start.plusMillis(i))
                    .message("Failed password for invalid user admin" + i + " from 203.0.113." + (i % 250) + " port " + (40000 + i) + " ssh2")
                    .field(Fields.HOST_NAME, "web-" + (i % 4))
                    .field(Fields.LOG_SYSLOG_PRIORITY, 38)
                    .field(Fields.EVENT_ACTION, "ssh_login")
                    .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                    .field(Fields.SOURCE_IP, "203.0.113." + (i % 250))
                    .field(Fields.SOURCE_PORT, 40000 + i)
                    .field(Fields.USER_NAME, "admin" + i)
                    .field(Fields.PROCESS_NAME, "sshd")
                    .field(Fields.PROCESS_PID, 1000 + i)
                    .field(Fields.LOG_FILE_PATH, "/var/log/auth.log")
                    .build());
        }
        Path directory = Files.createTempDirectory("otlp-bench");
        System.out.printf(Locale.ROOT, "otlp output, batch %d events, %d s per case, loopback receiver decoding every request%n", batchSize, seconds);
        for (Encoding encoding : Encoding.values()) {
            for (Compression compression : Compression.values()) {
                try (OtlpReceiver receiver = new OtlpReceiver(false)) {
                    OtlpOutputConfig config = new OtlpOutputConfig(receiver.endpoint(), encoding, compression, null, null, null, null, null, null, null, null);
                    TestingComponentContext context = TestingComponentContext.builder(directory).build();
                    try (Output output = new OtlpOutputFactory().create(config, context)) {
                        output.start();
                        long warmUpEnd = System.nanoTime() + 2_000_000_000L;
                        while (System.nanoTime() < warmUpEnd) {
                            check(output.deliver(batch));
                        }
                        long events = 0;
                        long allocatedBefore = ALLOCATION.getCurrentThreadAllocatedBytes();
                        long begin = System.nanoTime();
                        long end = begin + seconds * 1_000_000_000L;
                        while (System.nanoTime() < end) {
                            check(output.deliver(batch));
                            events += batch.size();
                        }
                        double elapsed = (System.nanoTime() - begin) / 1e9;
                        double allocatedPerEvent = (ALLOCATION.getCurrentThreadAllocatedBytes() - allocatedBefore) / (double) events;
                        long bytes = context.metrics().counterValue("request_bytes_total");
                        if (receiver.logRecordCount() != receiver.requestCount() * batchSize) {
                            throw new IllegalStateException("the receiver decoded " + receiver.logRecordCount() + " log records in " + receiver.requestCount() + " requests");
                        }
                        System.out.printf(Locale.ROOT, "%-8s %-4s %,12.0f events/s  (%,.0f bytes/event on the wire, %,.0f bytes/event allocated)%n",
                                encoding.configName(), compression.name().toLowerCase(Locale.ROOT), events / elapsed,
                                (double) bytes / (receiver.requestCount() * (double) batchSize), allocatedPerEvent);
                    }
                }
            }
        }
    }

    private static void check(DeliveryResult result)
    {
        if (result.kind() != DeliveryResult.Kind.DELIVERED) {
            throw new IllegalStateException("not delivered: " + result);
        }
    }
}
