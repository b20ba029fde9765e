package io.outrider.plugin.kafka;

import io.outrider.plugin.kafka.KafkaOutputConfig.Compression;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Events/s of the kafka output into a real single-node broker on this machine (started like the tests do, see
 * {@link KafkaBroker}), acks=all and idempotence on, per encoding and compression. The broker's end offsets are
 * checked against the number of events delivered. Run through
 * {@code bench/output-kafka-throughput.sh [seconds-per-case] [batch-size]}.
 */
public final class KafkaThroughputBenchmark
{
    private KafkaThroughputBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<Event> batch = new ArrayList<>(batchSize);
        Instant start = Instant.parse("2026-03-01T12:00:00Z");
        for (int i = 0; i < batchSize; i++) {
            batch.add(Event.builder()
                    .timestamp(start.plusMillis(i))
                    .message("Failed password for invalid user admin" + i + " from 203.0.113." + (i % 250) + " port " + (40000 + i) + " ssh2")
                    .field(Fields.HOST_NAME, "web-" + (i % 8))
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
        Path directory = Files.createTempDirectory("kafka-bench");
        try {
            run(directory, batch, seconds, batchSize);
        }
        finally {
            // the broker's logs take hundreds of MiB
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void run(Path directory, List<Event> batch, int seconds, int batchSize)
            throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(directory.resolve("kafka")));
                Admin admin = Admin.create(broker.adminProperties())) {
            System.out.printf(Locale.ROOT, "kafka output into a local single-node broker (3 partitions, acks=all, idempotent), batch %d events, %d s per case%n",
                    batchSize, seconds);
            String[][] cases = {{"json", "lz4"}, {"json", "none"}, {"json", "zstd"}, {"json", "gzip"}, {"ecs", "lz4"}};
            for (String[] variant : cases) {
                EventEncoding encoding = EventEncoding.valueOf(variant[0].toUpperCase(Locale.ROOT));
                Compression compression = Compression.valueOf(variant[1].toUpperCase(Locale.ROOT));
                String topic = "bench-" + variant[0] + "-" + variant[1];
                KafkaOutputConfig config = new KafkaOutputConfig(List.of(broker.bootstrap()), topic, null, null, null, encoding, compression,
                        null, null, null, null, null, null, null, null, null, null, null);
                TestingComponentContext context = TestingComponentContext.builder(directory).build();
                long events = 0;
                try (Output output = new KafkaOutputFactory().create(config, context)) {
                    output.start();
                    long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    while (System.nanoTime() < warmUpEnd) {
                        check(output.deliver(batch));
                        events += batch.size();
                    }
                    long measured = 0;
                    long begin = System.nanoTime();
                    long end = begin + TimeUnit.SECONDS.toNanos(seconds);
                    while (System.nanoTime() < end) {
                        check(output.deliver(batch));
                        measured += batch.size();
                    }
                    double elapsed = (System.nanoTime() - begin) / 1e9;
                    events += measured;
                    long onBroker = endOffsets(admin, topic);
                    if (onBroker != events) {
                        throw new IllegalStateException(topic + " holds " + onBroker + " records, " + events + " were delivered");
                    }
                    System.out.printf(Locale.ROOT, "%-5s %-5s %,10.0f events/s  (%,d records on the broker)%n", variant[0], variant[1], measured / elapsed, onBroker);
                }
            }
        }
    }

    private static long endOffsets(Admin admin, String topic)
            throws Exception
    {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(info -> info.offset()).sum();
    }

    private static void check(DeliveryResult result)
    {
        if (result.kind() != DeliveryResult.Kind.DELIVERED) {
            throw new IllegalStateException("not delivered: " + result);
        }
    }
}
