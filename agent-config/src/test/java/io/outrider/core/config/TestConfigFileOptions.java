package io.outrider.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestConfigFileOptions
{
    @Test
    void configurationIsDashC_elseOutriderConfig_elseTheInstalledFile_elseTheBuiltInDefault(@TempDir Path dir)
            throws Exception
    {
        Path systemConfig = dir.resolve("etc").resolve("outrider.yaml");
        Path explicit = Files.writeString(dir.resolve("explicit.yaml"), "");
        Path fromVariable = Files.writeString(dir.resolve("variable.yaml"), "");
        Map<String, String> withVariable = Map.of("OUTRIDER_CONFIG", fromVariable.toString());

        assertThat(ConfigFileOptions.discover(Optional.empty(), Map.of(), systemConfig))
                .isEqualTo(new ConfigFileOptions.ConfigSource(Optional.empty(), "built-in default (no -c, no OUTRIDER_CONFIG, no " + systemConfig + ")"));
        Files.createDirectories(systemConfig.getParent());
        Files.writeString(systemConfig, "");
        assertThat(ConfigFileOptions.discover(Optional.empty(), Map.of(), systemConfig).describe()).isEqualTo(systemConfig + " (the installed configuration)");
        assertThat(ConfigFileOptions.discover(Optional.empty(), Map.of("OUTRIDER_CONFIG", " "), systemConfig).describe()).isEqualTo(systemConfig + " (the installed configuration)");
        assertThat(ConfigFileOptions.discover(Optional.empty(), withVariable, systemConfig).describe()).isEqualTo(fromVariable + " (from OUTRIDER_CONFIG)");
        assertThat(ConfigFileOptions.discover(Optional.of(explicit), withVariable, systemConfig).describe()).isEqualTo(explicit + " (from -c)");
    }
}
