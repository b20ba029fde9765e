package io.outrider.spi.testing;

import io.outrider.config.InvalidConfigurationException;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.spi.config.Required;
import io.outrider.spi.config.Sensitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestConfigBinding
{
    public enum Mode
    {
        STRICT, LENIENT
    }

    public record Limits(DataSize maxLineBytes, Duration flushInterval)
    {
    }

    public record SampleConfig(@Required String endpoint, @Sensitive String apiKey, Integer retries, Mode mode, List<String> tags, Limits limits)
    {
        public SampleConfig
        {
            retries = retries == null ? 3 : retries;
            mode = mode == null ? Mode.STRICT : mode;
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** A parser factory whose validate refuses what its record alone cannot: a negative retry count. */
    private static final class SampleFactory
            implements ParserFactory<SampleConfig>
    {
        @Override
        public String type()
        {
            return "sample";
        }

        @Override
        public Class<SampleConfig> configClass()
        {
            return SampleConfig.class;
        }

        @Override
        public void validate(SampleConfig config)
                throws InvalidConfigException
        {
            if (config.retries() < 0) {
                throw new InvalidConfigException("retries", "must be 0 or more but is " + config.retries());
            }
        }

        @Override
        public Parser create(SampleConfig config, ComponentContext context)
        {
            throw new UnsupportedOperationException("not created in these tests");
        }
    }

    @Test
    void bindsEveryKindOfValueAndKeepsTheConstructorsDefaults()
            throws Exception
    {
        SampleConfig config = ConfigBinding.bind(SampleConfig.class, """
                endpoint: https://collector.example/ingest
                mode: lenient
                tags: [auth, ssh]
                limits:
                  max_line_bytes: 64KiB
                  flush_interval: 1.5s
                """);

        assertThat(config).isEqualTo(new SampleConfig("https://collector.example/ingest", null, 3, Mode.LENIENT, List.of("auth", "ssh"),
                new Limits(DataSize.ofBytes(64 * 1024), Duration.ofMillis(1500))));
    }

    @Test
    void reportsEveryProblemNumberedWithLineAndColumn()
    {
        assertThatThrownBy(() -> ConfigBinding.bind(SampleConfig.class, """
                endpont: https://collector.example/ingest
                retries: three
                limits:
                  flush_interval: soon
                """))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 4 errors:

                        1) config.yaml:1:1: endpont: unknown property 'endpont' for record SampleConfig; did you mean 'endpoint'?
                        2) config.yaml:1:1: endpoint: missing required property 'endpoint' for record SampleConfig
                        3) config.yaml:2:10: retries: expected a whole number but found 'three'
                        4) config.yaml:4:19: limits.flush_interval: expected a duration such as 500ms, 30s, 5m, 12h or 7d but found 'soon'""");
    }

    @Test
    void runsTheFactorysValidateAndNamesTheComponentAsTheAgentDoes()
    {
        ConfigBinding<SampleConfig> binding = ConfigBinding.forFactory(new SampleFactory(), "parser-sample");

        assertThatThrownBy(() -> binding.bind("""
                type: sample
                endpoint: https://collector.example/ingest
                retries: -1
                """))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:3:10: retries: must be 0 or more but is -1 (parser type 'sample' (plugin parser-sample))""");
        assertThatThrownBy(() -> binding.bind("endpont: x"))
                .hasMessage("""
                        Configuration has 2 errors:

                        1) config.yaml:1:1: endpont: unknown property 'endpont' for parser type 'sample' (plugin parser-sample); did you mean 'endpoint'?
                        2) config.yaml:1:1: endpoint: missing required property 'endpoint' for parser type 'sample' (plugin parser-sample)""");
    }

    @Test
    void resolvesVariablesFromTheGivenEnvironmentOnly()
            throws Exception
    {
        ConfigBinding<SampleConfig> binding = ConfigBinding.forFactory(new SampleFactory(), "parser-sample");

        assertThat(binding.withEnvironment(Map.of("COLLECTOR", "https://collector.example")).bind("endpoint: ${COLLECTOR}/ingest").endpoint())
                .isEqualTo("https://collector.example/ingest");
        assertThatThrownBy(() -> binding.bind("endpoint: ${COLLECTOR}/ingest"))
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:1:11: endpoint: environment variable COLLECTOR is not set; set it or write ${COLLECTOR:-default}""");
    }

    @Test
    void readsSecretFilesAndNeverShowsASensitiveValue(@TempDir Path directory)
            throws Exception
    {
        Path key = directory.resolve("api.key");
        Files.writeString(key, "s3cr3t-key-value\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        ConfigBinding<SampleConfig> binding = ConfigBinding.forRecord(SampleConfig.class).withBaseDirectory(directory);

        assertThat(binding.bind("endpoint: e\napi_key: ${file:api.key}").apiKey()).isEqualTo("s3cr3t-key-value");
        assertThatThrownBy(() -> binding.bind("endpoint: e\napi_key: [s3cr3t-key-value]"))
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:2:10: api_key: expected text but found a list""");
        assertThatThrownBy(() -> binding.bind("endpoint: e\nretries: s3cr3t-key-value\napi_key: s3cr3t-key-value"))
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:2:10: retries: expected a whole number but found '******'""");
    }

    @Test
    void reportsInvalidYamlAndAnEmptySnippetLikeTheAgent()
    {
        assertThatThrownBy(() -> ConfigBinding.bind(SampleConfig.class, "endpoint: [unclosed"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Configuration has 1 error:\n\n1) config.yaml:1:20: invalid YAML: ");
        assertThatThrownBy(() -> ConfigBinding.bind(SampleConfig.class, ""))
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml: endpoint: missing required property 'endpoint' for record SampleConfig""");
    }
}
