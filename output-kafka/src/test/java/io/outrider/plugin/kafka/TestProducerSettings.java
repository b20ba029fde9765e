package io.outrider.plugin.kafka;

import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.PemSet;
import io.outrider.support.tls.TlsSettings;
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
        Map<String, Object> properties = ProducerSettings.properties(KafkaOutputConfig.defaults(List.of("a:9092", "b:9092"), "t"), "web-1", null);

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
        PemSet pem = TestingCertificates.rsaPemFiles(directory);
        TlsSettings tls = new TlsSettings(null, null, null, pem.caFile(), pem.clientCertFile(), pem.clientKeyFile(), null, null, null, null);
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("k:9093"), "t", null, null, null, null, null, null, false, "agent-7", null, null,
                null, null, SecurityProtocol.SASL_SSL, new KafkaSaslConfig(Mechanism.SCRAM_SHA_512, "agent", "pa\"ss\\word"),
                tls, Map.of("batch.size", "65536"));

        javax.net.ssl.SSLContext context = io.outrider.support.tls.TlsContexts.sslContext(tls);
        Map<String, Object> properties = ProducerSettings.properties(config, "web-1", context);

        assertThat(properties).contains(
                entry("batch.size", "65536"),
                entry("client.id", "agent-7"),
                entry("enable.idempotence", "false"),
                entry("max.in.flight.requests.per.connection", "1"),
                entry("security.protocol", "SASL_SSL"),
                entry("sasl.mechanism", "SCRAM-SHA-512"),
                entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"agent\" password=\"pa\\\"ss\\\\word\";"),
                entry("ssl.engine.factory.class", ToolkitSslEngineFactory.class),
                entry("outrider.tls.context", context),
                entry("outrider.tls.settings", tls),
                entry("ssl.endpoint.identification.algorithm", ""));
        assertThat(properties.keySet()).noneMatch(name -> name.startsWith("ssl.key") || name.startsWith("ssl.trust"));
    }
}
