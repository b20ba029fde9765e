package io.outrider.plugin.kafka;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Produces each event of a batch as one record and reports the batch delivered only when every record's send
 * callback succeeded. With the defaults ({@code acks=all}, idempotent producer) an acknowledged record is on every
 * in-sync replica, and the producer's own retries neither duplicate nor reorder records of one partition, so the
 * events of one key (host) keep their order.
 *
 * <p>The producer is created in {@link #start()}; if that fails (no bootstrap address resolves, say), each
 * {@link #deliver} tries again and reports {@code retry_later} meanwhile. A producer whose state a failure broke
 * (see {@link SendFailures#breaksProducer}) is closed and replaced at the next batch.
 */
final class KafkaOutput
        implements Output
{
    /** Beyond delivery_timeout the producer has failed every record itself; this only guards against a lost callback. */
    private static final Duration CALLBACK_GRACE = Duration.ofSeconds(10);

    private final KafkaOutputConfig config;
    private final ComponentContext context;
    private final Supplier<Producer<byte[], byte[]>> producerFactory;
    private final TopicChooser topics;
    private final SendFailures failures;
    private Producer<byte[], byte[]> producer;

    KafkaOutput(KafkaOutputConfig config, ComponentContext context, Supplier<Producer<byte[], byte[]>> producerFactory, TopicChooser topics, SendFailures failures)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.producerFactory = requireNonNull(producerFactory, "producerFactory is null");
        this.topics = requireNonNull(topics, "topics is null");
        this.failures = requireNonNull(failures, "failures is null");
    }

    @Override
    public void start()
    {
        try {
            producer = producerFactory.get();
        }
        catch (KafkaException e) {
            context.logger().log(System.Logger.Level.WARNING, "cannot create the Kafka producer yet, will retry with the first batch: {0}", failures.message(e));
        }
    }

    /** A metadata request for the configured topic: it authenticates, checks the ACLs and stores no record. */
    @Override
    public java.util.Optional<DeliveryResult> probe()
    {
        if (producer == null) {
            try {
                producer = producerFactory.get();
            }
            catch (KafkaException e) {
                return java.util.Optional.of(DeliveryResult.retryLater("cannot create the Kafka producer: " + failures.message(e)));
            }
        }
        try {
            producer.partitionsFor(config.topic());
            return java.util.Optional.of(DeliveryResult.delivered());
        }
        catch (KafkaException e) {
            return java.util.Optional.of(failures.metadataResult(e, config.topic()));
        }
    }

    @Override
    public DeliveryResult deliver(java.util.List<Event> batch)
            throws InterruptedException
    {
        if (producer == null) {
            try {
                producer = producerFactory.get();
            }
            catch (KafkaException e) {
                return DeliveryResult.retryLater("cannot create the Kafka producer: " + failures.message(e));
            }
        }
        int size = batch.size();
        String[] recordTopics = new String[size];
        int[] recordSizes = new int[size];
        Map<Integer, Exception> failed = new ConcurrentHashMap<>();
        CountDownLatch pending = new CountDownLatch(size);
        for (int i = 0; i < size; i++) {
            Event event = batch.get(i);
            byte[] value = config.encoding().encode(event);
            recordTopics[i] = topics.topicOf(event);
            recordSizes[i] = value.length;
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(recordTopics[i], null, timestamp(event), key(event), value);
            int index = i;
            try {
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        failed.put(index, exception);
                    }
                    pending.countDown();
                });
            }
            catch (InterruptException e) {
                throw new InterruptedException("interrupted while sending to Kafka");
            }
            catch (KafkaException e) {
                // send() reports most failures through the callback; what it throws concerns the client itself
                failed.put(index, e);
                pending.countDown();
            }
            Exception immediate = failed.get(index);
            if (immediate != null && SendFailures.failsEveryRecord(immediate)) {
                // without metadata every further send() would block for max.block.ms again: the rest fail alike
                for (int rest = i + 1; rest < size; rest++) {
                    recordTopics[rest] = recordTopics[i];
                    failed.put(rest, immediate);
                    pending.countDown();
                }
                break;
            }
        }
        if (!pending.await(config.deliveryTimeout().plus(CALLBACK_GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
            replaceProducer();
            return DeliveryResult.retryLater(pending.getCount() + " of " + size + " records got no answer from the producer within delivery_timeout ("
                    + config.deliveryTimeout() + ") and " + CALLBACK_GRACE.toSeconds() + "s more");
        }
        if (failed.values().stream().anyMatch(SendFailures::breaksProducer)) {
            replaceProducer();
        }
        return failures.result(size, failed, recordTopics, recordSizes);
    }

    private byte[] key(Event event)
    {
        String field = config.keyField();
        if (field.isEmpty()) {
            return null;
        }
        String value = event.fieldAsString(field);
        if (value == null && field.equals(Fields.HOST_NAME)) {
            value = context.hostName();
        }
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** The event time as the record's CreateTime; null (the producer's clock) where Kafka has no form for it. */
    private static Long timestamp(Event event)
    {
        try {
            long millis = event.timestamp().toEpochMilli();
            return millis < 0 ? null : millis;
        }
        catch (ArithmeticException e) {
            return null;
        }
    }

    private void replaceProducer()
    {
        Producer<byte[], byte[]> broken = producer;
        producer = null;
        if (broken != null) {
            broken.close(Duration.ZERO);
        }
    }

    @Override
    public void close()
    {
        if (producer != null) {
            // unacknowledged records belong to batches the agent will send again; do not wait for them
            producer.close(Duration.ZERO);
            producer = null;
        }
    }
}
