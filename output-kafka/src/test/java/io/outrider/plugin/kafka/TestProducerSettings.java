package io.outrider.plugin.kafka;

import io.outrider.plugin.kafka.KafkaOutputConfig.SecurityProtocol;
import io.outrider.plugin.kafka.KafkaSaslConfig.Mechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class TestProducerSettings
{
    @Test
    void safeDefaults()
    {
        Map<String, Object> properties = ProducerSettings.properties(KafkaOutputConfig.defaults(List.of("a:9092", "b:9092"), "t"), "web-1");

        assertThat(properties).contains(
                entry("bootstrap.servers", "a:9092,b:9092"),
                entry("client.id", "outrider-web-1"),
                entry("acks", "all"),
                entry("enable.idempotence", "true"),
                entry("max.in.flight.requests.per.connection", "5"),
                entry("compression.type", "lz4"),
                entry("delivery.timeout.ms", "30000"),
                entry("request.timeout.ms", "10000"),
                entry("linger.ms", "5"),
                entry("max.request.size", "1048576"),
                entry("max.block.ms", "30000"),
                entry("security.protocol", "PLAINTEXT"));
        assertThat(properties.keySet()).noneMatch(key -> key.startsWith("sasl.") || key.startsWith("ssl."));
    }

    @Test
    void saslAndTls(@TempDir Path directory)
            throws Exception
    {
        Path ca = Files.writeString(directory.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path cert = Files.writeString(directory.resolve("cert.pem"), "CERT");
        Path key = Files.writeString(directory.resolve("key.pem"), "KEY");
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("k:9093"), "t", null, null, null, null, null, null, false, "agent-7", null, null,
                null, null, SecurityProtocol.SASL_SSL, new KafkaSaslConfig(Mechanism.SCRAM_SHA_512, "agent", "pa\"ss\\word"),
                new KafkaTlsConfig(ca, cert, key, "kp", false), Map.of("batch.size", "65536"));

        Map<String, Object> properties = ProducerSettings.properties(config, "web-1");

        assertThat(properties).contains(
                entry("batch.size", "65536"),
                entry("client.id", "agent-7"),
                entry("enable.idempotence", "false"),
                entry("max.in.flight.requests.per.connection", "1"),
                entry("security.protocol", "SASL_SSL"),
                entry("sasl.mechanism", "SCRAM-SHA-512"),
                entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"agent\" password=\"pa\\\"ss\\\\word\";"),
                entry("ssl.truststore.type", "PEM"),
                entry("ssl.truststore.location", ca.toString()),
                entry("ssl.keystore.type", "PEM"),
                entry("ssl.keystore.certificate.chain", "CERT"),
                entry("ssl.keystore.key", "KEY"),
                entry("ssl.key.password", "kp"),
                entry("ssl.endpoint.identification.algorithm", ""));
    }
}
