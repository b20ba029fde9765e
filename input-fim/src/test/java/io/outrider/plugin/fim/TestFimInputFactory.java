package io.outrider.plugin.fim;

import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.testing.PluginChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestFimInputFactory
{
    private final FimInputFactory factory = new FimInputFactory();

    @Test
    void isAValidPlugin()
    {
        PluginChecks.assertValidPlugin(FimPlugin.class);
        assertThat(new FimPlugin().inputFactories()).extracting(factory -> factory.type()).containsExactly("fim");
        // every full scan is a round that 'outrider run-once' can run
        assertThat(new FimPlugin().inputFactories().get(0).worksInRounds()).isTrue();
    }

    @Test
    void defaultsFillEveryAbsentProperty()
            throws Exception
    {
        FimInputConfig config = FimInputConfig.ofPaths(List.of("/etc"));
        factory.validate(config);
        assertThat(config.rescanInterval()).isEqualTo(Duration.ofHours(12));
        assertThat(config.debounce()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.hashThreads()).isEqualTo(2);
        assertThat(config.realtime()).isTrue();
        assertThat(config.followSymlinks()).isFalse();
        assertThat(config.trustCtime()).isFalse();
        assertThat(config.watchAgentFiles()).isTrue();
        assertThat(config.severity()).isEqualTo("medium");
        assertThat(factory.sensitiveProperties()).isEmpty();
    }

    @Test
    void reportsEveryConfigurationProblemAtOnce()
    {
        FimInputConfig config = new FimInputConfig(List.of("etc/passwd", "/usr/bin/[x"), List.of("/etc/{a"), Duration.ZERO, null,
                Duration.ofMillis(-1), null, 0, 0, null, null, null, null, null, null, "urgent", null);
        assertThatThrownBy(() -> factory.validate(config))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        new Problem("paths", "path 'etc/passwd' is not absolute"),
                        new Problem("exclude", "exclude '/etc/{a' is not a valid glob: '/etc/{a' has an unclosed {"),
                        new Problem("rescan_interval", "must be positive, not 0s"),
                        new Problem("debounce", "must be positive, not -1ms"),
                        new Problem("hash_threads", "must be between 1 and 64, not 0"),
                        new Problem("max_pending_paths", "must be between 1 and 10000000, not 0"),
                        new Problem("severity", "must be one of low, medium, high, critical, not 'urgent'")));
    }

    @Test
    void anEmptyPathListIsRefused()
    {
        assertThatThrownBy(() -> factory.validate(FimInputConfig.ofPaths(List.of())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("paths: must name at least one absolute path or glob");
    }

    @Test
    void warnsAboutEachWatchedPathThatDoesNotExist(@TempDir Path dir)
            throws Exception
    {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path missing = dir.resolve("opt").resolve("app");

        List<String> warnings = factory.warnings(FimInputConfig.ofPaths(List.of(etc.toString(), etc + "/*.conf", missing.toString(), missing + "/**/*.conf")));

        assertThat(warnings).containsExactly(
                "path \"" + missing + "\" does not exist; it is monitored once it appears",
                "path \"" + missing + "/**/*.conf\" matches nothing: \"" + missing + "\" does not exist; it is monitored once it appears");
        assertThat(factory.warnings(FimInputConfig.ofPaths(List.of(etc.toString())))).isEmpty();
    }
}
