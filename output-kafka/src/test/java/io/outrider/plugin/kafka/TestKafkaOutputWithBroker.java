package io.outrider.plugin.kafka;

import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.PemSet;
import io.outrider.support.tls.TlsSettings;
import io.outrider.plugin.kafka.KafkaOutputConfig.SecurityProtocol;
import io.outrider.plugin.kafka.KafkaSaslConfig.Mechanism;
import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The kafka output against a real single-node broker in a child JVM (see {@link KafkaBroker}). */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TestKafkaOutputWithBroker
{
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    static Path brokerDirectory;

    private static KafkaBroker broker;

    @TempDir
    Path directory;

    private TestingComponentContext context;

    @BeforeAll
    static void startBroker()
            throws Exception
    {
        broker = KafkaBroker.start(Files.createDirectories(brokerDirectory.resolve("kafka")));
    }

    @AfterAll
    static void stopBroker()
    {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void setUp()
    {
        context = TestingComponentContext.builder(directory).hostName("agent-host").build();
    }

    @Test
    void producedEventsAreConsumedAsSent()
            throws Exception
    {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            batch.add(Event.builder().timestamp(START.plusMillis(i)).message("line " + i)
                    .field(Fields.HOST_NAME, "host-" + (i % 4)).field("seq", i).build());
        }
        batch.add(Event.of(START, "no host"));

        DeliveryResult result = deliver(KafkaOutputConfig.defaults(List.of(broker.bootstrap()), "events"), batch);

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        List<ConsumerRecord<byte[], byte[]>> records = consume("events", batch.size());
        assertThat(records).hasSize(batch.size());
        Map<String, List<String>> valuesByKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            valuesByKey.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), key -> new ArrayList<>())
                    .add(new String(record.value(), StandardCharsets.UTF_8));
        }
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Event event : batch) {
            String host = event.fieldAsString(Fields.HOST_NAME);
            expected.computeIfAbsent(host == null ? "agent-host" : host, key -> new ArrayList<>())
                    .add(new String(EventEncoding.JSON.encode(event), StandardCharsets.UTF_8));
        }
        // one host's events on one partition, in order
        assertThat(valuesByKey).isEqualTo(expected);
        assertThat(records).allSatisfy(record -> assertThat(record.timestamp()).isBetween(START.toEpochMilli(), START.toEpochMilli() + 119));
        assertThat(records.stream().filter(record -> new String(record.key(), StandardCharsets.UTF_8).equals("host-1")).map(ConsumerRecord::partition).distinct())
                .hasSize(1);
    }

    @Test
    void topicFromFieldOnlyWhenAllowed()
            throws Exception
    {
        KafkaOutputConfig config = new KafkaOutputConfig(List.of(broker.bootstrap()), "fallback-topic", "kafka.topic", List.of("alerts-topic"),
                null, EventEncoding.ECS, null, null, null, null, null, null, null, null, null, null, null, null);
        List<Event> batch = List.of(
                Event.builder().timestamp(START).message("to alerts").field("kafka.topic", "alerts-topic").build(),
                Event.builder().timestamp(START).message("not allowed").field("kafka.topic", "other-topic").build(),
                Event.builder().timestamp(START).message("illegal").field("kafka.topic", "../etc/passwd").build(),
                Event.builder().timestamp(START).message("internal").field("kafka.topic", "__consumer_offsets").build(),
                Event.of(START, "absent"));

        assertThat(deliver(config, batch)).isEqualTo(DeliveryResult.delivered());

        assertThat(consume("alerts-topic", 1)).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .containsExactly("{\"@timestamp\":\"2026-03-01T12:00:00Z\",\"message\":\"to alerts\",\"kafka\":{\"topic\":\"alerts-topic\"}}");
        assertThat(consume("fallback-topic", 4)).hasSize(4);
        assertThat(context.metrics().counterValue("topic_fallbacks_total")).isEqualTo(4);
    }

    @Test
    void recordTooLargeIsRejectedAloneAndTheOthersDelivered()
            throws Exception
    {
        KafkaOutputConfig config = new KafkaOutputConfig(List.of(broker.bootstrap()), "sizes", null, null, null, null, null, null, null, null,
                null, null, null, DataSize.ofBytes(2048), null, null, null, null);
        List<Event> batch = List.of(Event.of(START, "small 1"), Event.of(START, "x".repeat(5000)), Event.of(START, "small 2"));

        DeliveryResult result = deliver(config, batch);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.PARTIALLY_REJECTED);
        assertThat(result.rejected()).containsOnlyKeys(1);
        assertThat(result.rejected().get(1)).isEqualTo("record of 5050 bytes too large for max_record_size or the topic's max.message.bytes:"
                + " The message is 5146 bytes when serialized which is larger than 2048, which is the value of the max.request.size configuration.");
        assertThat(consume("sizes", 2)).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .allSatisfy(value -> assertThat(value).contains("small"));
    }

    @Test
    void saslScramUserDelivers()
            throws Exception
    {
        DeliveryResult result = deliver(sasl(Mechanism.SCRAM_SHA_256, "alice", KafkaBroker.ALICE_PASSWORD, "scram-topic"), List.of(Event.of(START, "via scram")));

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        assertThat(consume("scram-topic", 1)).hasSize(1);
    }

    @Test
    void wrongPasswordIsUnauthorizedWithoutThePassword()
            throws Exception
    {
        String wrong = "not-the-admin-password";
        DeliveryResult result = deliver(sasl(Mechanism.PLAIN, "admin", wrong, "plain-topic"), List.of(Event.of(START, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).isEqualTo("SASL authentication with " + broker.saslBootstrap()
                + " failed (Authentication failed: Invalid username or password): check sasl.mechanism, sasl.username and sasl.password"
                + " (and that its ${VAR} or ${file:...} resolves to the current password)");
        assertThat(result.toString()).doesNotContain(wrong);
    }

    @Test
    void userWithoutWriteAclIsUnauthorized()
            throws Exception
    {
        DeliveryResult result = deliver(sasl(Mechanism.PLAIN, "bob", KafkaBroker.BOB_PASSWORD, "acl-topic"), List.of(Event.of(START, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).startsWith("not authorized to write to topic acl-topic (");
    }

    @Test
    void probeAsksForTheTopicsMetadataAndSendsNoRecord()
            throws Exception
    {
        PemSet certificates = broker.certificates();
        TlsSettings tls = new TlsSettings(null, null, null, certificates.caFile(), certificates.clientCertFile(), certificates.clientKeyFile(),
                null, null, null, null);
        try (Output output = new KafkaOutputFactory().create(tlsConfig(tls, "probe-topic"), context)) {
            output.start();
            assertThat(output.probe()).contains(DeliveryResult.delivered());
        }
        try (Output output = new KafkaOutputFactory().create(sasl(Mechanism.SCRAM_SHA_256, "agent", "not-the-password", "probe-topic"), context)) {
            output.start();
            assertThat(output.probe()).hasValueSatisfying(result -> {
                assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
                assertThat(result.reason()).startsWith("SASL authentication with " + broker.saslBootstrap() + " failed (").doesNotContain("not-the-password");
            });
        }
        assertThat(consume("probe-topic", 0)).isEmpty();
    }

    @Test
    void tlsWithClientCertificateDelivers()
            throws Exception
    {
        PemSet certificates = broker.certificates();
        TlsSettings tls = new TlsSettings(null, null, null, certificates.caFile(), certificates.clientCertFile(), certificates.clientKeyFile(), null, null, null, null);

        DeliveryResult result = deliver(tlsConfig(tls, "tls-topic"), List.of(Event.of(START, "over tls")));

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        assertThat(consume("tls-topic", 1)).hasSize(1);
    }

    @Test
    void untrustedBrokerCertificateIsUnauthorized(@TempDir Path otherPki)
            throws Exception
    {
        PemSet other = TestingCertificates.rsaPemFiles(otherPki);
        PemSet certificates = broker.certificates();
        TlsSettings tls = new TlsSettings(null, null, null, other.caFile(), certificates.clientCertFile(), certificates.clientKeyFile(), null, null, null, null);

        DeliveryResult result = deliver(tlsConfig(tls, "tls-topic"), List.of(Event.of(START, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).startsWith("TLS handshake with " + broker.sslBootstrap() + " failed (").endsWith("): check tls.ca_file,"
                + " that the broker certificates name the brokers, and tls.crt_file/key_file if the brokers want a client certificate");
    }

    @Test
    void aServerNameTheBrokerCertificateDoesNotCarryIsUnauthorized()
            throws Exception
    {
        PemSet certificates = broker.certificates();
        TlsSettings tls = new TlsSettings(null, null, "kafka.example.test", certificates.caFile(), certificates.clientCertFile(),
                certificates.clientKeyFile(), null, null, null, null);

        DeliveryResult result = deliver(tlsConfig(tls, "tls-topic"), List.of(Event.of(START, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).startsWith("TLS handshake with " + broker.sslBootstrap() + " failed (");
    }

    @Test
    void missingClientCertificateIsUnauthorized()
            throws Exception
    {
        TlsSettings tls = new TlsSettings(null, null, null, broker.certificates().caFile(), null, null, null, null, null, null);

        DeliveryResult result = deliver(tlsConfig(tls, "tls-topic"), List.of(Event.of(START, "x")));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).startsWith("TLS handshake with " + broker.sslBootstrap() + " failed (");
    }

    @Test
    void brokerKilledMidStreamLosesNothingAndKeepsOrderPerKey()
            throws Exception
    {
        int batches = 30;
        int batchSize = 40;
        KafkaOutputConfig config = new KafkaOutputConfig(List.of(broker.bootstrap()), "crash-topic", null, null, null, null, null, null, null, null,
                Duration.ofSeconds(8), Duration.ofSeconds(3), null, null, null, null, null, null);
        CountDownLatch halfway = new CountDownLatch(batches / 3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger delivered = new AtomicInteger();
        Thread deliveryLoop = new Thread(() -> {
            // what the core's delivery loop does: the same batch again until it is delivered
            try (Output output = new KafkaOutputFactory().create(config, context)) {
                output.start();
                for (int b = 0; b < batches; b++) {
                    List<Event> batch = new ArrayList<>();
                    for (int i = 0; i < batchSize; i++) {
                        int seq = b * batchSize + i;
                        batch.add(Event.builder().timestamp(START.plusMillis(seq)).message("event " + seq)
                                .field(Fields.HOST_NAME, "host-" + (seq % 5)).field("seq", seq).build());
                    }
                    DeliveryResult result = output.deliver(batch);
                    while (result.kind() != DeliveryResult.Kind.DELIVERED) {
                        if (result.kind() != DeliveryResult.Kind.RETRY_LATER) {
                            throw new AssertionError("unexpected " + result);
                        }
                        Thread.sleep(300);
                        result = output.deliver(batch);
                    }
                    delivered.incrementAndGet();
                    halfway.countDown();
                    // events arrive over time, as from an input; the broker dies in the middle of the stream
                    Thread.sleep(50);
                }
            }
            catch (Throwable e) {
                failure.set(e);
            }
        }, "delivery-loop");
        deliveryLoop.start();
        assertThat(halfway.await(60, TimeUnit.SECONDS)).as("a third of the batches delivered").isTrue();
        broker.kill();
        assertThat(delivered.get()).as("batches delivered before the broker died").isLessThan(batches);
        Thread.sleep(1500);
        broker.restart();
        deliveryLoop.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(deliveryLoop.isAlive()).as("delivery loop finished").isFalse();
        assertThat(failure.get()).isNull();

        int total = batches * batchSize;
        List<ConsumerRecord<byte[], byte[]>> records = consume("crash-topic", total);
        Map<String, List<Integer>> seqsByKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            int seq = Integer.parseInt(value.substring(value.indexOf("\"seq\":") + 6, value.length() - 1));
            seqsByKey.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), key -> new ArrayList<>()).add(seq);
        }
        // nothing lost
        assertThat(seqsByKey.values().stream().flatMap(List::stream).collect(Collectors.toSet())).hasSize(total);
        // per key, first occurrences in production order (a resent batch may repeat what it had already delivered)
        for (Map.Entry<String, List<Integer>> entry : seqsByKey.entrySet()) {
            List<Integer> firstOccurrences = entry.getValue().stream().distinct().toList();
            assertThat(firstOccurrences).as("order of " + entry.getKey()).isSorted();
        }
    }

    private KafkaOutputConfig sasl(Mechanism mechanism, String user, String password, String topic)
    {
        return new KafkaOutputConfig(List.of(broker.saslBootstrap()), topic, null, null, null, null, null, null, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), null, null, SecurityProtocol.SASL_PLAINTEXT, new KafkaSaslConfig(mechanism, user, password), null, null);
    }

    private KafkaOutputConfig tlsConfig(TlsSettings tls, String topic)
    {
        return new KafkaOutputConfig(List.of(broker.sslBootstrap()), topic, null, null, null, null, null, null, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), null, null, SecurityProtocol.SSL, null, tls, null);
    }

    private DeliveryResult deliver(KafkaOutputConfig config, List<Event> batch)
            throws Exception
    {
        try (Output output = new KafkaOutputFactory().create(config, context)) {
            output.start();
            return output.deliver(batch);
        }
    }

    /** Reads a topic from the beginning until at least {@code expected} records arrived and no more come (30s at most). */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected)
    {
        Map<String, Object> properties = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(20)).stream()
                    .map(PartitionInfo::partition)
                    .sorted()
                    .map(partition -> new TopicPartition(topic, partition))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // then until the topic has nothing more (a resent batch adds duplicates beyond the expected count)
            while (true) {
                var more = consumer.poll(Duration.ofMillis(500));
                if (more.isEmpty()) {
                    break;
                }
                more.forEach(records::add);
            }
        }
        return records;
    }
}
