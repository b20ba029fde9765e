package io.outrider.plugin.kafka;

import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.PemSet;
import io.outrider.support.tls.TlsSettings;
import io.outrider.plugin.kafka.KafkaOutputConfig.Acks;
import io.outrider.plugin.kafka.KafkaOutputConfig.SecurityProtocol;
import io.outrider.plugin.kafka.KafkaSaslConfig.Mechanism;
import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.testing.PluginChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestKafkaOutputFactory
{
    private final KafkaOutputFactory factory = new KafkaOutputFactory();

    @Test
    void pluginIsValid()
    {
        PluginChecks.assertValidPlugin(KafkaPlugin.class);
        assertThat(factory.type()).isEqualTo("kafka");
        assertThat(factory.sensitiveProperties()).containsExactlyInAnyOrder("sasl.password", "tls.key_pass", "tls.key_password");
    }

    @Test
    void discoveringThePluginNeedsNoKafkaClasses()
            throws Exception
    {
        // the agent discovers every installed plugin at start-up; kafka-clients (and its jar) should cost nothing
        // until a pipeline has a kafka output
        List<URL> withoutKafkaClients = new ArrayList<>();
        for (Class<?> type : List.of(KafkaPlugin.class, io.outrider.spi.Plugin.class, io.outrider.support.Redactor.class)) {
            withoutKafkaClients.add(type.getProtectionDomain().getCodeSource().getLocation());
        }
        try (URLClassLoader loader = new URLClassLoader(withoutKafkaClients.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("org.apache.kafka.clients.producer.Producer")).isInstanceOf(ClassNotFoundException.class);
            Object plugin = Class.forName(KafkaPlugin.class.getName(), true, loader).getConstructor().newInstance();
            List<?> factories = (List<?>) plugin.getClass().getMethod("outputFactories").invoke(plugin);
            Object kafka = factories.get(0);
            assertThat(kafka.getClass().getMethod("type").invoke(kafka)).isEqualTo("kafka");
            assertThat(kafka.getClass().getMethod("configClass").invoke(kafka)).extracting(type -> ((Class<?>) type).getName())
                    .isEqualTo(KafkaOutputConfig.class.getName());
        }
    }

    @Test
    void defaultsAreValid()
            throws Exception
    {
        KafkaOutputConfig config = KafkaOutputConfig.defaults(List.of("kafka-1.example.net:9092", "[::1]:9093"), "outrider.events");
        factory.validate(config);
        assertThat(config.acks()).isEqualTo(Acks.ALL);
        assertThat(config.idempotence()).isTrue();
        assertThat(config.keyField()).isEqualTo("host.name");
        assertThat(config.compression()).isEqualTo(KafkaOutputConfig.Compression.LZ4);
    }

    @Test
    void everyProblemIsReported()
    {
        KafkaOutputConfig config = new KafkaOutputConfig(Arrays.asList("kafka:notaport", null), "bad topic!", null, List.of("ok", "../x"), null,
                null, null, Acks.LEADER, null, " ", Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(-1), DataSize.ofBytes(10),
                SecurityProtocol.PLAINTEXT, new KafkaSaslConfig(Mechanism.PLAIN, "u", "p"), null,
                Map.of("batch.size", "65536", "ssl.truststore.password", "x", "acks", "0"));

        assertThatThrownBy(() -> factory.validate(config))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        new Problem("bootstrap_servers", "'kafka:notaport' is not host:port"),
                        new Problem("bootstrap_servers", "'null' is not host:port"),
                        new Problem("topic", "'bad topic!' is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)"),
                        new Problem("allowed_topics", "only applies with topic_field"),
                        new Problem("allowed_topics", "'../x' is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)"),
                        new Problem("acks", "the idempotent producer needs acks: all; set idempotence: false to use leader"),
                        new Problem("client_id", "must not be empty"),
                        new Problem("linger", "must be at least 0s, not -1ms"),
                        new Problem("delivery_timeout", "must be at least request_timeout + linger (PT9.999S)"),
                        new Problem("max_record_size", "must be between 1KiB and 2147483647B, not 10B"),
                        new Problem("producer_properties", "ssl.truststore.password is set by this output's own options (sasl.*, ssl.* included) and cannot be given here"),
                        new Problem("producer_properties", "acks is set by this output's own options (sasl.*, ssl.* included) and cannot be given here"),
                        new Problem("sasl", "SASL settings need security_protocol sasl_plaintext or sasl_ssl")));
    }

    @Test
    void timeoutsMustBePositive()
    {
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("k:9092"), "t", null, null, null, null, null, null, null, null,
                Duration.ZERO, Duration.ofSeconds(-1), Duration.ZERO, null, null, null, null, null);

        assertThatThrownBy(() -> factory.validate(config))
                .hasMessage("delivery_timeout: must be positive, not 0s; request_timeout: must be positive, not -1s");
    }

    @Test
    void saslNeedsUserAndPassword()
    {
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("k:9092"), "t", null, null, null, null, null, null, null, null, null, null, null, null,
                SecurityProtocol.SASL_SSL, null, null, null);

        assertThatThrownBy(() -> factory.validate(config))
                .hasMessage("sasl.username: is required with security_protocol sasl_ssl; sasl.password: is required with security_protocol sasl_ssl");
    }

    @Test
    void tlsFilesAreChecked(@TempDir Path directory)
    {
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("k:9093"), "t", null, null, null, null, null, null, null, null, null, null, null, null,
                SecurityProtocol.SSL, null, new TlsSettings(null, null, null, directory.resolve("ca.pem"), directory.resolve("cert.pem"), null, null, null, null, null), null);

        assertThatThrownBy(() -> factory.validate(config))
                .hasMessage("tls.key_file: mutual TLS needs both tls.crt_file and tls.key_file; tls.ca_file: cannot read " + directory.resolve("ca.pem")
                        + "; tls.crt_file: cannot read " + directory.resolve("cert.pem"));
    }

    @Test
    void tlsNeedsATlsProtocol(@TempDir Path directory)
    {
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("k:9092"), "t", null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, new TlsSettings(null, false, null, null, null, null, null, null, null, null), null);

        assertThatThrownBy(() -> factory.validate(config)).hasMessage("tls: TLS settings need security_protocol ssl or sasl_ssl");
    }

    @Test
    void toStringHidesSecrets()
    {
        KafkaOutputConfig config = new KafkaOutputConfig(List.of("k:9092"), "t", null, null, null, null, null, null, null, null, null, null, null, null,
                SecurityProtocol.SASL_SSL, new KafkaSaslConfig(Mechanism.SCRAM_SHA_512, "agent", "hunter2"),
                new TlsSettings(null, null, null, null, null, null, "keypass", null, null, null), null);

        assertThat(config.toString()).contains("username=agent").doesNotContain("hunter2").doesNotContain("keypass");
    }
}
