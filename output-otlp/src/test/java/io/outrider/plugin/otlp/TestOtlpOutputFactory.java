package io.outrider.plugin.otlp;

import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.testing.PluginChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestOtlpOutputFactory
{
    private final OtlpOutputFactory factory = new OtlpOutputFactory();

    @Test
    void pluginIsValid()
    {
        PluginChecks.assertValidPlugin(OtlpPlugin.class);
        assertThat(factory.type()).isEqualTo("otlp");
        assertThat(factory.sensitiveProperties()).containsExactlyInAnyOrder("headers", "tls.key_pass", "tls.key_password");
    }

    @Test
    void defaults()
            throws Exception
    {
        OtlpOutputConfig config = OtlpOutputConfig.defaults(URI.create("http://collector:4318"));
        factory.validate(config);
        assertThat(config.encoding()).isEqualTo(OtlpOutputConfig.Encoding.PROTOBUF);
        assertThat(config.compression()).isEqualTo(OtlpOutputConfig.Compression.GZIP);
        assertThat(config.logsUri()).isEqualTo(URI.create("http://collector:4318/v1/logs"));
        assertThat(OtlpOutputConfig.defaults(URI.create("https://collector/")).logsUri()).isEqualTo(URI.create("https://collector/v1/logs"));
        assertThat(OtlpOutputConfig.defaults(URI.create("https://gw/otlp/logs")).logsUri()).isEqualTo(URI.create("https://gw/otlp/logs"));
    }

    @Test
    void everyProblemIsReported(@TempDir Path directory)
    {
        OtlpOutputConfig config = new OtlpOutputConfig(URI.create("ftp://collector"), null, null,
                Map.of("Content-Type", "text/plain", "bad name", "x", "X-Token", "a\nb", "X-Price", "5 \u20ac"), " ", null,
                Duration.ZERO, Duration.ofSeconds(-1), io.outrider.spi.DataSize.ofBytes(10), directory.resolve("missing.pem"), null);

        assertThatThrownBy(() -> factory.validate(config))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        new Problem("endpoint", "must be an http:// or https:// URL, not 'ftp://collector'"),
                        new Problem("headers", "Content-Type is set by the output itself (or by HTTP) and cannot be configured"),
                        new Problem("headers", "'bad name' is not a valid header name"),
                        new Problem("headers", "the value of X-Token is empty or contains a line break"),
                        new Problem("headers", "the value of X-Price has a character an HTTP header cannot carry (Latin-1 text only)"),
                        new Problem("service_name", "must not be empty"),
                        new Problem("connect_timeout", "must be positive, not 0s"),
                        new Problem("request_timeout", "must be positive, not -1s"),
                        new Problem("max_request_size", "must be at least 1KiB, not 10B"),
                        new Problem("ca_file", "needs an https:// endpoint")));
    }

    @Test
    void theOldCaFileStillWorksAndWarns(@TempDir Path directory)
    {
        Path ca = directory.resolve("ca.pem");
        OtlpOutputConfig old = new OtlpOutputConfig(URI.create("https://collector"), null, null, null, null, null, null, null, null, ca, null);

        assertThat(old.effectiveTls().caFile()).isEqualTo(ca);
        assertThat(factory.warnings(old)).containsExactly("ca_file is deprecated and will be removed in the next minor version: move it to tls.ca_file");
    }

    /** resource_attributes: {service.name: x} was dropped without a word: the agent keeps its own three. */
    @Test
    void warnsOfResourceAttributesTheAgentSetsItself()
    {
        OtlpOutputConfig config = new OtlpOutputConfig(URI.create("http://collector:4318"), null, null, null, null,
                java.util.Map.of("service.name", "edge", "deployment.environment.name", "prod"), null, null, null, null, null);

        assertThat(factory.warnings(config)).containsExactly("resource_attributes.service.name is ignored: the agent sets service.name (set service_name instead)");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThem()
    {
        OtlpOutputConfig config = OtlpOutputConfig.defaults(URI.create("https://user:hunter2@collector/v1/logs"));

        assertThatThrownBy(() -> factory.validate(config))
                .hasMessage("endpoint: must not carry credentials; put them in headers (e.g. Authorization)");
    }

    @Test
    void unreadableCaFile(@TempDir Path directory)
    {
        OtlpOutputConfig config = new OtlpOutputConfig(URI.create("https://collector"), null, null, null, null, null, null, null, null,
                directory.resolve("ca.pem"), null);

        assertThatThrownBy(() -> factory.validate(config)).hasMessage("ca_file: cannot read " + directory.resolve("ca.pem"));
    }

    @Test
    void toStringHidesHeaderValues()
    {
        OtlpOutputConfig config = new OtlpOutputConfig(URI.create("https://collector"), null, null, Map.of("Authorization", "Bearer abc123"),
                null, null, null, null, null, null, null);

        assertThat(config.toString()).contains("headers=[Authorization]").doesNotContain("abc123");
    }
}
