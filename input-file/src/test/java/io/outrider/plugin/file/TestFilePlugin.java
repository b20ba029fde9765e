package io.outrider.plugin.file;

import io.outrider.spi.testing.PluginChecks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestFilePlugin
{
    @Test
    void isAValidPlugin()
    {
        PluginChecks.assertValidPlugin(FilePlugin.class);
    }

    @Test
    void offersTheFileInput()
    {
        assertThat(new FilePlugin().inputFactories()).singleElement()
                .satisfies(factory -> {
                    assertThat(factory.type()).isEqualTo("file");
                    assertThat(factory.configClass()).isEqualTo(FileInputConfig.class);
                    assertThat(factory.sensitiveProperties()).isEmpty();
                });
    }
}
