package io.outrider.plugin.kafka;

import io.outrider.support.Redactor;

import io.outrider.plugin.kafka.KafkaOutputConfig.Acks;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.support.config.Checks;
import io.outrider.support.tls.TlsContexts;
import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import org.apache.kafka.clients.producer.Producer;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Creates {@code kafka} outputs. */
public final class KafkaOutputFactory
        implements OutputFactory<KafkaOutputConfig>
{
    private static final DataSize MIN_RECORD_SIZE = DataSize.ofBytes(1024);
    // max.request.size is an int: one byte short of 2GiB
    private static final DataSize MAX_RECORD_SIZE = DataSize.ofBytes(Integer.MAX_VALUE);
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^\\s:\\[\\]/]+):([0-9]{1,5})");

    @Override
    public String type()
    {
        return "kafka";
    }

    @Override
    public Class<KafkaOutputConfig> configClass()
    {
        return KafkaOutputConfig.class;
    }

    @Override
    public String description()
    {
        return "Produces events to Apache Kafka topics (JSON or ECS; acks=all, idempotent by default)";
    }

    @Override
    public void validate(KafkaOutputConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        if (config.bootstrapServers().isEmpty()) {
            problems.add(new Problem("bootstrap_servers", "must name at least one broker as host:port"));
        }
        for (String server : config.bootstrapServers()) {
            var matcher = server == null ? null : HOST_PORT.matcher(server.strip());
            if (matcher == null || !matcher.matches() || Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535) {
                problems.add(new Problem("bootstrap_servers", "'" + server + "' is not host:port"));
            }
        }
        if (!TopicChooser.isLegalTopic(config.topic())) {
            problems.add(new Problem("topic", "'" + config.topic() + "' is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)"));
        }
        if (config.topicField() != null && config.topicField().isBlank()) {
            problems.add(new Problem("topic_field", "must not be empty"));
        }
        if (!config.allowedTopics().isEmpty() && config.topicField() == null) {
            problems.add(new Problem("allowed_topics", "only applies with topic_field"));
        }
        for (String topic : config.allowedTopics()) {
            if (!TopicChooser.isLegalTopic(topic)) {
                problems.add(new Problem("allowed_topics", "'" + topic + "' is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)"));
            }
        }
        if (config.idempotence() && config.acks() != Acks.ALL) {
            problems.add(new Problem("acks", "the idempotent producer needs acks: all; set idempotence: false to use "
                    + config.acks().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (config.clientId() != null && config.clientId().isBlank()) {
            problems.add(new Problem("client_id", "must not be empty"));
        }
        Checks.positive(problems, "delivery_timeout", config.deliveryTimeout());
        Checks.positive(problems, "request_timeout", config.requestTimeout());
        Checks.atLeast(problems, "linger", config.linger(), Duration.ZERO);
        // Kafka's own rule: delivery.timeout.ms >= linger.ms + request.timeout.ms
        if (config.deliveryTimeout().compareTo(config.requestTimeout().plus(config.linger())) < 0) {
            problems.add(new Problem("delivery_timeout", "must be at least request_timeout + linger (" + config.requestTimeout().plus(config.linger()) + ")"));
        }
        Checks.between(problems, "max_record_size", config.maxRecordSize(), MIN_RECORD_SIZE, MAX_RECORD_SIZE);
        for (Map.Entry<String, String> property : config.producerProperties().entrySet()) {
            if (ProducerSettings.isReserved(property.getKey())) {
                problems.add(new Problem("producer_properties", property.getKey() + " is set by this output's own options (sasl.*, ssl.* included) and cannot be given here"));
            }
        }
        validateSecurity(config, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    private static void validateSecurity(KafkaOutputConfig config, List<Problem> problems)
    {
        KafkaSaslConfig sasl = config.sasl();
        if (config.securityProtocol().usesSasl()) {
            if (sasl.username() == null || sasl.username().isEmpty()) {
                problems.add(new Problem("sasl.username", "is required with security_protocol " + config.securityProtocol().configName()));
            }
            if (sasl.password() == null || sasl.password().isEmpty()) {
                problems.add(new Problem("sasl.password", "is required with security_protocol " + config.securityProtocol().configName()));
            }
        }
        else if (!sasl.isEmpty()) {
            problems.add(new Problem("sasl", "SASL settings need security_protocol sasl_plaintext or sasl_ssl"));
        }
        TlsSettings tls = config.tls();
        if (config.securityProtocol().usesTls()) {
            problems.addAll(tls.problems("tls"));
        }
        else if (tls.isCustomized()) {
            problems.add(new Problem("tls", "TLS settings need security_protocol ssl or sasl_ssl"));
        }
    }

    @Override
    public List<String> warnings(KafkaOutputConfig config)
    {
        return config.tls().deprecations("tls");
    }

    @Override
    public Output create(KafkaOutputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        SSLContext tlsContext = config.securityProtocol().usesTls() ? TlsContexts.sslContext(config.tls()) : null;
        Map<String, Object> properties = ProducerSettings.properties(config, context.hostName(), tlsContext);
        return create(config, context, () -> ProducerSettings.newProducer(properties));
    }

    /** An output on the given producer factory (tests substitute kafka-clients' {@code MockProducer}). */
    static Output create(KafkaOutputConfig config, ComponentContext context, Supplier<Producer<byte[], byte[]>> producerFactory)
    {
        TopicChooser topics = new TopicChooser(config.topic(), config.topicField(), config.allowedTopics(),
                context.metrics().counter("topic_fallbacks_total", "Events sent to topic because topic_field gave no usable, allowed topic"));
        Redactor redactor = new Redactor(config.sasl().password(), config.tls().keyPassOrAlias());
        SendFailures failures = new SendFailures(redactor, config.deliveryTimeout(), String.join(",", config.bootstrapServers()));
        return new KafkaOutput(config, context, producerFactory, topics, failures);
    }
}
