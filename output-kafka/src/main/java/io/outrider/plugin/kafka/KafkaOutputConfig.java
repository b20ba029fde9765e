package io.outrider.plugin.kafka;

import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.Fields;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Required;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of a {@code kafka} output. Batch sizes, retries and dead letters live in the core-owned
 * {@code delivery:} block of every output; the producer's own retries stay within {@code delivery_timeout}.
 *
 * @param bootstrapServers {@code host:port} of one or more brokers
 * @param topic the topic of every event, and the fallback when {@code topic_field} gives no usable name
 * @param topicField a field whose value names the event's topic; values that are not legal Kafka topic names,
 *        internal topics ({@code __...}) or not in {@code allowed_topics} go to {@code topic}
 * @param allowedTopics the only topics {@code topic_field} may choose (recommended: event data is not trusted)
 * @param keyField the field whose value is the record key, default {@code host.name} (events without it use the
 *        agent's host name), so that one host's events stay in order on one partition; empty: no key
 * @param encoding {@code json} (default, the event model with dotted names) or {@code ecs} (nested objects)
 * @param compression {@code none}, {@code gzip}, {@code snappy}, {@code lz4} (default) or {@code zstd}
 * @param acks {@code all} (default), {@code leader} or {@code none}
 * @param idempotence the idempotent producer (no duplicates from the producer's own retries, order kept);
 *        default true, needs {@code acks: all}
 * @param clientId default {@code outrider-<host>}
 * @param deliveryTimeout the longest a batch may wait for its acknowledgements, the producer's retries included
 *        (Kafka's {@code delivery.timeout.ms}); default 30s
 * @param requestTimeout one produce request's timeout; default 10s
 * @param linger how long the producer waits to fill its batches; default 5ms
 * @param maxRecordSize the largest record (and produce request) sent; larger events are dead-lettered; default 1MiB
 *        (the broker's default {@code message.max.bytes} is about the same)
 * @param securityProtocol {@code plaintext} (default), {@code ssl}, {@code sasl_plaintext} or {@code sasl_ssl}
 * @param sasl SASL settings ({@code sasl_plaintext}, {@code sasl_ssl})
 * @param tls TLS settings ({@code ssl}, {@code sasl_ssl})
 * @param producerProperties further Kafka producer properties (e.g. {@code batch.size}); the ones this record
 *        sets, and every {@code sasl.*} and {@code ssl.*} property, cannot be given here
 */
public record KafkaOutputConfig(
        @Required @Description("brokers, host:port") List<String> bootstrapServers,
        @Required @Description("topic of every event; fallback for topic_field") String topic,
        @Description("field naming the event's topic (checked; else topic)") String topicField,
        @Description("the only topics topic_field may choose") List<String> allowedTopics,
        @Description("field whose value is the record key; default host.name; empty: no key") String keyField,
        @Description("json or ecs") EventEncoding encoding,
        @Description("none, gzip, snappy, lz4 or zstd") Compression compression,
        @Description("all, leader or none") Acks acks,
        @Description("idempotent producer (needs acks all)") Boolean idempotence,
        @Description("client.id; default outrider-<host>") String clientId,
        @Description("longest wait for a batch's acknowledgements") Duration deliveryTimeout,
        @Description("produce request timeout") Duration requestTimeout,
        @Description("producer linger") Duration linger,
        @Description("largest record") DataSize maxRecordSize,
        @Description("plaintext, ssl, sasl_plaintext or sasl_ssl") SecurityProtocol securityProtocol,
        @Description("SASL settings") KafkaSaslConfig sasl,
        @Description("TLS settings (security_protocol ssl or sasl_ssl)") TlsSettings tls,
        @Description("further producer properties (not sasl.*, ssl.* or those set above)") Map<String, String> producerProperties)
{
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);
    public static final DataSize DEFAULT_MAX_RECORD_SIZE = DataSize.ofBytes(1L << 20);

    public KafkaOutputConfig
    {
        // not List.copyOf: a null entry must reach validate() and be reported, not fail the binding
        bootstrapServers = bootstrapServers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(bootstrapServers));
        allowedTopics = allowedTopics == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(allowedTopics));
        keyField = keyField == null ? Fields.HOST_NAME : keyField;
        encoding = encoding == null ? EventEncoding.JSON : encoding;
        compression = compression == null ? Compression.LZ4 : compression;
        acks = acks == null ? Acks.ALL : acks;
        idempotence = idempotence == null || idempotence;
        deliveryTimeout = deliveryTimeout == null ? DEFAULT_DELIVERY_TIMEOUT : deliveryTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        linger = linger == null ? DEFAULT_LINGER : linger;
        maxRecordSize = maxRecordSize == null ? DEFAULT_MAX_RECORD_SIZE : maxRecordSize;
        securityProtocol = securityProtocol == null ? SecurityProtocol.PLAINTEXT : securityProtocol;
        sasl = sasl == null ? KafkaSaslConfig.NONE : sasl;
        tls = tls == null ? TlsSettings.DEFAULT : tls;
        producerProperties = producerProperties == null ? Map.of() : Collections.unmodifiableMap(new java.util.LinkedHashMap<>(producerProperties));
    }

    /** Every default, for {@code bootstrapServers} and {@code topic}. */
    public static KafkaOutputConfig defaults(List<String> bootstrapServers, String topic)
    {
        return new KafkaOutputConfig(bootstrapServers, topic, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /** The producer's compression codecs. */
    public enum Compression
    {
        NONE, GZIP, SNAPPY, LZ4, ZSTD;

        String kafkaName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How many replicas must have a record before the broker acknowledges it. */
    public enum Acks
    {
        /** Every in-sync replica ({@code acks=all}): nothing acknowledged is lost when a broker fails. */
        ALL("all"),
        /** The partition leader only ({@code acks=1}). */
        LEADER("1"),
        /** No acknowledgement ({@code acks=0}): a batch counts as delivered once written to the socket. */
        NONE("0");

        private final String kafkaValue;

        Acks(String kafkaValue)
        {
            this.kafkaValue = kafkaValue;
        }

        String kafkaValue()
        {
            return kafkaValue;
        }
    }

    /** Kafka's {@code security.protocol}. */
    public enum SecurityProtocol
    {
        PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL;

        boolean usesSasl()
        {
            return this == SASL_PLAINTEXT || this == SASL_SSL;
        }

        boolean usesTls()
        {
            return this == SSL || this == SASL_SSL;
        }

        String configName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
