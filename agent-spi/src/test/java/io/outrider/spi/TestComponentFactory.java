package io.outrider.spi;

import io.outrider.spi.config.Sensitive;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestComponentFactory
{
    record Tls(String caFile, @Sensitive String keyPassword) {}

    record Config(String endpoint, @Sensitive String apiKey, Tls tls) {}

    @Test
    void sensitivePropertiesComeFromAnnotationsInYamlNames()
    {
        OutputFactory<Config> factory = new OutputFactory<>()
        {
            @Override
            public String type()
            {
                return "test";
            }

            @Override
            public Class<Config> configClass()
            {
                return Config.class;
            }

            @Override
            public Output create(Config config, ComponentContext context)
            {
                throw new AssertionError();
            }
        };
        assertThat(factory.sensitiveProperties()).containsExactlyInAnyOrder("api_key", "tls.key_password");
    }

    @Test
    void aFactoryThatDoesNotOverrideWarningsHasNone()
    {
        InputFactory<Config> factory = new InputFactory<>()
        {
            @Override
            public String type()
            {
                return "test";
            }

            @Override
            public Class<Config> configClass()
            {
                return Config.class;
            }

            @Override
            public Input create(Config config, ComponentContext context)
            {
                throw new AssertionError();
            }
        };
        assertThat(factory.warnings(new Config("https://example.com", null, null))).isEmpty();
    }

    @Test
    void snakeCase()
    {
        assertThat(ComponentFactory.snakeCase("maxLineBytes")).isEqualTo("max_line_bytes");
        assertThat(ComponentFactory.snakeCase("paths")).isEqualTo("paths");
    }
}
