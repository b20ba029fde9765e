package io.outrider.plugin.kafka;

import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error mapping of the kafka output, against kafka-clients' {@link MockProducer} answering each record as
 * scripted: most of these broker answers (a leader change, an idempotence sequence error) cannot be provoked on
 * demand from a real single-node broker. {@link TestKafkaOutputWithBroker} covers what can.
 */
class TestKafkaOutput
{
    private static final Instant TIME = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<Event> BATCH = List.of(Event.of(TIME, "a"), Event.of(TIME, "b"), Event.of(TIME, "c"));

    @TempDir
    Path directory;

    private TestingComponentContext context;
    private int producersCreated;

    @BeforeEach
    void setUp()
    {
        context = TestingComponentContext.builder(directory).hostName("agent-host").build();
    }

    @Test
    void everyRecordAcknowledgedIsDelivered()
            throws Exception
    {
        ScriptedProducer producer = new ScriptedProducer();

        assertThat(deliver(producer, BATCH)).isEqualTo(DeliveryResult.delivered());
        assertThat(producer.history()).extracting(record -> new String(record.key(), StandardCharsets.UTF_8)).containsOnly("agent-host");
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly("events");
        assertThat(producer.history()).extracting(ProducerRecord::timestamp).containsOnly(TIME.toEpochMilli());
    }

    @Test
    void recordErrorsAreRejectedByIndex()
            throws Exception
    {
        ScriptedProducer producer = new ScriptedProducer(null, new RecordTooLargeException("too big"), new InvalidTimestampException("too old"));

        DeliveryResult result = deliver(producer, BATCH);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.PARTIALLY_REJECTED);
        assertThat(result.rejected()).isEqualTo(Map.of(
                1, "record of 51 bytes too large for max_record_size or the topic's max.message.bytes: too big",
                2, "topic events refuses the event's timestamp (see its message.timestamp.*.max.ms): too old"));
    }

    @Test
    void retriableErrorsRetryTheBatch()
            throws Exception
    {
        DeliveryResult result = deliver(new ScriptedProducer(null, new NotLeaderOrFollowerException("leader moved")), BATCH);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.reason()).isEqualTo("1 of 3 records not acknowledged: NotLeaderOrFollowerException: leader moved");
    }

    @Test
    void timeoutNamesTheLikelyCauses()
            throws Exception
    {
        DeliveryResult result = deliver(new ScriptedProducer(new TimeoutException("Topic events not present in metadata after 30000 ms.")), BATCH);

        // a metadata timeout in send() would recur for every record: the rest of the batch is not sent
        assertThat(result.reason()).isEqualTo("3 of 3 records not acknowledged: no acknowledgement within delivery_timeout (PT30S): the brokers at"
                + " 127.0.0.1:9092 are unreachable, or topic events does not exist and is not created automatically"
                + " (Topic events not present in metadata after 30000 ms.)");
    }

    @Test
    void metadataTimeoutStopsTheBatch()
            throws Exception
    {
        ScriptedProducer producer = new ScriptedProducer(null, new TimeoutException("Topic events not present in metadata after 30000 ms."));

        DeliveryResult result = deliver(producer, BATCH);

        assertThat(result.reason()).startsWith("2 of 3 records not acknowledged: no acknowledgement within delivery_timeout");
        assertThat(producer.sendCalls()).isEqualTo(2);
    }

    @Test
    void noBrokerIsRetriedWithinTheDeliveryTimeout()
            throws Exception
    {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("127.0.0.1:" + closedPort), "events", null, null, null, null, null, null, null, null,
                java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1), null, null, null, null, null, null);
        List<Event> batch = java.util.stream.IntStream.range(0, 200).mapToObj(i -> Event.of(TIME, "e" + i)).toList();

        long start = System.nanoTime();
        DeliveryResult result;
        try (Output output = new KafkaOutputFactory().create(config, context)) {
            output.start();
            result = output.deliver(batch);
        }

        assertThat(result.reason()).isEqualTo("200 of 200 records not acknowledged: no acknowledgement within delivery_timeout (PT2S): the brokers at"
                + " 127.0.0.1:" + closedPort + " are unreachable, or topic events does not exist and is not created automatically"
                + " (Topic events not present in metadata after 2000 ms.)");
        // one wait for metadata, not one per record
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
    }

    @Test
    void retryWinsOverRecordRejections()
            throws Exception
    {
        DeliveryResult result = deliver(new ScriptedProducer(new RecordTooLargeException("too big"), new NotLeaderOrFollowerException("moved")), BATCH);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
    }

    @Test
    void authorizationWinsOverEverything()
            throws Exception
    {
        DeliveryResult result = deliver(new ScriptedProducer(new NotLeaderOrFollowerException("moved"), new TopicAuthorizationException(Set.of("events"))), BATCH);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).isEqualTo("not authorized to write to topic events (Not authorized to access topics: [events]):"
                + " grant this client's principal WRITE on the topic (and IDEMPOTENT_WRITE on the cluster for brokers before 2.8 with idempotence on)");
    }

    @Test
    void authenticationFailureNeverShowsThePassword()
            throws Exception
    {
        String password = "pa55-w0rd";
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("127.0.0.1:9092"), "events", null, null, null, null, null, null, null, null,
                null, null, null, null, KafkaOutputConfig.SecurityProtocol.SASL_PLAINTEXT,
                new KafkaSaslConfig(KafkaSaslConfig.Mechanism.PLAIN, "agent", password), null, null);
        ScriptedProducer producer = new ScriptedProducer(new SaslAuthenticationException("bad credentials for agent/" + password));

        DeliveryResult result;
        try (Output output = KafkaOutputFactory.create(config, context, () -> producer)) {
            output.start();
            result = output.deliver(BATCH);
        }

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(result.reason()).isEqualTo("SASL authentication with 127.0.0.1:9092 failed (bad credentials for agent/[redacted]): check"
                + " sasl.mechanism, sasl.username and sasl.password (and that its ${VAR} or ${file:...} resolves to the current password)");
    }

    @Test
    void batchTooLargeForTheBrokerIsSplit()
            throws Exception
    {
        DeliveryResult result = deliver(new ScriptedProducer(new RecordBatchTooLargeException("batch over message.max.bytes")), BATCH);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TOO_LARGE);
    }

    @Test
    void brokenProducerIsReplacedForTheNextBatch()
            throws Exception
    {
        Queue<ScriptedProducer> producers = new ArrayDeque<>(List.of(
                new ScriptedProducer(new OutOfOrderSequenceException("sequence gap")),
                new ScriptedProducer()));
        ScriptedProducer first = producers.peek();
        try (Output output = KafkaOutputFactory.create(defaults(), context, () -> {
            producersCreated++;
            return producers.remove();
        })) {
            output.start();
            assertThat(output.deliver(BATCH).kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
            assertThat(first.closed()).isTrue();
            assertThat(output.deliver(BATCH)).isEqualTo(DeliveryResult.delivered());
        }
        assertThat(producersCreated).isEqualTo(2);
    }

    @Test
    void producerThatCannotBeCreatedIsRetried()
            throws Exception
    {
        try (Output output = KafkaOutputFactory.create(defaults(), context, () -> {
            producersCreated++;
            if (producersCreated == 1) {
                throw new KafkaException("Failed to construct kafka producer: No resolvable bootstrap urls given in bootstrap.servers");
            }
            return new ScriptedProducer();
        })) {
            output.start();
            assertThat(output.deliver(BATCH)).isEqualTo(DeliveryResult.delivered());
        }
        assertThat(producersCreated).isEqualTo(2);
    }

    @Test
    void keyFieldAndNoKey()
            throws Exception
    {
        ScriptedProducer producer = new ScriptedProducer();
        KafkaOutputConfig byUser = new KafkaOutputConfig(List.of("127.0.0.1:9092"), "events", null, null, "user.name", null, null, null, null, null,
                null, null, null, null, null, null, null, null);
        try (Output output = KafkaOutputFactory.create(byUser, context, () -> producer)) {
            output.start();
            output.deliver(List.of(Event.builder().timestamp(TIME).field("user.name", "root").build(), Event.of(TIME, "no user")));
        }
        assertThat(producer.history().get(0).key()).isEqualTo("root".getBytes(StandardCharsets.UTF_8));
        assertThat(producer.history().get(1).key()).isNull();
    }

    @Test
    void eventsBefore1970GetTheProducersTime()
            throws Exception
    {
        ScriptedProducer producer = new ScriptedProducer();

        deliver(producer, List.of(Event.of(Instant.parse("1969-07-20T20:17:40Z"), "old")));

        assertThat(producer.history().get(0).timestamp()).isNull();
    }

    private DeliveryResult deliver(ScriptedProducer producer, List<Event> batch)
            throws Exception
    {
        try (Output output = KafkaOutputFactory.create(defaults(), context, () -> producer)) {
            output.start();
            return output.deliver(batch);
        }
    }

    private static KafkaOutputConfig defaults()
    {
        return KafkaOutputConfig.defaults(List.of("127.0.0.1:9092"), "events");
    }

    /** Answers the n-th record with the n-th scripted exception ({@code null} or none left: acknowledged). */
    private static final class ScriptedProducer
            extends MockProducer<byte[], byte[]>
    {
        private final Queue<RuntimeException> script;
        private int sendCalls;

        ScriptedProducer(RuntimeException... answers)
        {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.script = new ArrayDeque<>();
            Arrays.stream(answers).forEach(answer -> script.add(answer == null ? NO_ERROR : answer));
        }

        private static final RuntimeException NO_ERROR = new RuntimeException("acknowledged");

        synchronized int sendCalls()
        {
            return sendCalls;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback)
        {
            sendCalls++;
            RuntimeException answer = script.poll();
            if (answer == null || answer == NO_ERROR) {
                return super.send(record, callback);
            }
            callback.onCompletion(null, answer);
            return CompletableFuture.failedFuture(answer);
        }
    }
}
