package io.outrider.plugin.http;

import io.outrider.spi.testing.PluginChecks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestHttpPlugin
{
    @Test
    void isAValidPlugin()
    {
        PluginChecks.assertValidPlugin(HttpPlugin.class);
    }

    @Test
    void offersTheHttpOutputWithItsSecretsDeclared()
    {
        assertThat(new HttpPlugin().outputFactories()).singleElement().satisfies(factory -> {
            assertThat(factory.type()).isEqualTo("http");
            assertThat(factory.sensitiveProperties()).containsExactlyInAnyOrder("api_key", "password", "headers", "tls.key_pass", "tls.key_password");
        });
    }
}
