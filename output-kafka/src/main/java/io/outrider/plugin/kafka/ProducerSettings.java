package io.outrider.plugin.kafka;

import io.outrider.plugin.kafka.KafkaOutputConfig.SecurityProtocol;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Turns a {@link KafkaOutputConfig} into Kafka producer properties. */
final class ProducerSettings
{
    /** Properties this output sets from its own options; {@code sasl.*} and {@code ssl.*} are reserved as well. */
    static final Set<String> RESERVED = Set.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
            CommonClientConfigs.CLIENT_ID_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ProducerConfig.LINGER_MS_CONFIG,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);

    private ProducerSettings() {}

    static boolean isReserved(String property)
    {
        String name = property.toLowerCase(Locale.ROOT);
        return RESERVED.contains(name) || name.startsWith("sasl.") || name.startsWith("ssl.");
    }

    /**
     * A producer on these properties. Here rather than in {@link KafkaOutputFactory}: verifying the factory's code
     * would otherwise load kafka-clients (and open its jar) in every agent that discovers the plugin, used or not.
     */
    static Producer<byte[], byte[]> newProducer(Map<String, Object> properties)
    {
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * @param tlsContext the context of the shared {@code tls:} block; may be null unless the protocol uses TLS
     */
    static Map<String, Object> properties(KafkaOutputConfig config, String agentHostName, javax.net.ssl.SSLContext tlsContext)
    {
        Map<String, Object> properties = new LinkedHashMap<>(config.producerProperties());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.bootstrapServers()));
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, config.clientId() == null ? "outrider-" + agentHostName : config.clientId());
        properties.put(ProducerConfig.ACKS_CONFIG, config.acks().kafkaValue());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(config.idempotence()));
        // the idempotent producer keeps order with up to 5 requests in flight; without it only one keeps order
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, config.idempotence() ? "5" : "1");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression().kafkaName());
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(config.deliveryTimeout().toMillis()));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(config.requestTimeout().toMillis()));
        properties.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(config.linger().toMillis()));
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(config.maxRecordSize().bytes()));
        // send() blocks for metadata while no broker answers; the batch's own wait is bounded by delivery_timeout
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(config.deliveryTimeout().toMillis()));
        SecurityProtocol protocol = config.securityProtocol();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name());
        if (protocol.usesSasl()) {
            KafkaSaslConfig sasl = config.sasl();
            properties.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism().kafkaName());
            properties.put(SaslConfigs.SASL_JAAS_CONFIG, sasl.mechanism().loginModule() + " required username=" + jaasQuoted(sasl.username())
                    + " password=" + jaasQuoted(sasl.password()) + ";");
        }
        if (protocol.usesTls()) {
            // kafka-clients hands its original properties to the engine factory it instantiates
            properties.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, ToolkitSslEngineFactory.class);
            properties.put(ToolkitSslEngineFactory.CONTEXT_PROPERTY, requireNonNull(tlsContext, "tlsContext is null"));
            properties.put(ToolkitSslEngineFactory.SETTINGS_PROPERTY, config.tls());
            // names are verified by the context's trust manager, by the shared rules
            properties.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
        return properties;
    }

    /** A JAAS option value in double quotes, with {@code \} and {@code "} escaped. */
    static String jaasQuoted(String value)
    {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
