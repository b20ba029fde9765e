package io.outrider.plugin.http;

import io.outrider.config.InvalidConfigurationException;
import io.outrider.spi.DataSize;
import io.outrider.spi.testing.ConfigBinding;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The YAML an operator writes under an {@code http} output, bound by the agent's own binder. */
class TestHttpOutputConfigBinding
{
    private static final String KEY = "lsk_live_0123456789abcdef";

    private final ConfigBinding<HttpOutputConfig> binding = ConfigBinding.forFactory(new HttpOutputFactory(), "output-http")
            .withEnvironment(Map.of("LITESOC_API_KEY", KEY, "TENANT", "acme"));

    @Test
    void bindsTheDocumentedExample()
            throws InvalidConfigurationException
    {
        HttpOutputConfig config = binding.bind("""
                type: http
                format: litesoc
                endpoint: https://api.litesoc.example
                api_key: ${LITESOC_API_KEY}
                headers:
                  X-Tenant: ${TENANT}
                gzip: yes
                connect_timeout: 5s
                max_body_size: 2MiB
                tls:
                  server_name: collector.internal
                """);

        assertThat(config.format()).isEqualTo(HttpOutputConfig.Format.LITESOC);
        assertThat(config.endpoint()).isEqualTo(URI.create("https://api.litesoc.example"));
        assertThat(config.apiKey()).isEqualTo(KEY);
        assertThat(config.headers()).isEqualTo(Map.of("X-Tenant", "acme"));
        assertThat(config.gzip()).isTrue();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxBodySize()).isEqualTo(DataSize.ofBytes(2L << 20));
        assertThat(config.tls().serverName()).isEqualTo("collector.internal");
        // absent keys keep the record's defaults
        assertThat(config.requestTimeout()).isEqualTo(HttpOutputConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(config.apiKeyHeader()).isEqualTo(HttpOutputConfig.DEFAULT_API_KEY_HEADER);
        assertThat(config.litesocConcurrency()).isEqualTo(HttpOutputConfig.DEFAULT_LITESOC_CONCURRENCY);
    }

    @Test
    void reportsMistypedKeysAndValuesWordForWord()
    {
        assertThatThrownBy(() -> binding.bind("""
                format: litesoc
                endpoint: https://api.litesoc.example
                apikey: ${LITESOC_API_KEY}
                request_timeout: 30 seconds
                """))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 2 errors:

                        1) config.yaml:3:1: apikey: unknown property 'apikey' for output type 'http' (plugin output-http); did you mean 'api_key'?
                        2) config.yaml:4:18: request_timeout: expected a duration such as 500ms, 30s, 5m, 12h or 7d but found '30 seconds'""");
    }

    @Test
    void locatesTheFactorysProblemsAndNeverShowsTheKey()
    {
        assertThatThrownBy(() -> binding.bind("""
                format: litesoc
                endpoint: http://litesoc.example
                api_key: ${LITESOC_API_KEY}
                max_response_size: ${LITESOC_API_KEY}
                """))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageNotContaining(KEY)
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:4:20: max_response_size: expected a size such as 1048576, 512KiB or 64MiB but found the value of ${LITESOC_API_KEY} \
                        ('${LITESOC_API_KEY}' is not a size: use bytes or a number with B, KB, MB, GB, KiB, MiB or GiB)""");
        assertThatThrownBy(() -> binding.bind("""
                format: litesoc
                endpoint: http://litesoc.example
                api_key: ${LITESOC_API_KEY}
                """))
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:2:11: endpoint: sends credentials over plain http:// to litesoc.example, where anyone on the network can read them; \
                        use https://, or set allow_insecure_http: true if this network is trusted (output type 'http' (plugin output-http))""");
    }
}
