package io.outrider.desktop;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TestConfigureWindowPath
{
    @Test
    void theEditedFileIsNamedWithATildeForTheHomeFolder()
    {
        Path home = Path.of("/home/me");
        assertThat(ConfigureWindow.displayed(Path.of("/home/me/.config/outrider/outrider.yaml"), home)).isEqualTo("~/.config/outrider/outrider.yaml");
        assertThat(ConfigureWindow.displayed(Path.of("/home/me/../me/outrider.yaml"), home)).isEqualTo("~/outrider.yaml");
        assertThat(ConfigureWindow.displayed(Path.of("/etc/outrider/outrider.yaml"), home)).isEqualTo("/etc/outrider/outrider.yaml");
        assertThat(ConfigureWindow.displayed(Path.of("/home/meet/outrider.yaml"), home)).isEqualTo("/home/meet/outrider.yaml");
        // root's home is / : every path would start with it
        assertThat(ConfigureWindow.displayed(Path.of("/etc/outrider/outrider.yaml"), Path.of("/"))).isEqualTo("/etc/outrider/outrider.yaml");
    }
}
