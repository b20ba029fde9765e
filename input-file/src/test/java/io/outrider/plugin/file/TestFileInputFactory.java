package io.outrider.plugin.file;

import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestFileInputFactory
{
    private final FileInputFactory factory = new FileInputFactory();

    @Test
    void defaults()
    {
        FileInputConfig config = new FileInputConfig(List.of("/var/log/*.log"), null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(config.readFrom()).isEqualTo(FileInputConfig.ReadFrom.END);
        assertThat(config.maxLineBytes()).isEqualTo(DataSize.ofBytes(1 << 20));
        assertThat(config.encoding()).isEqualTo("UTF-8");
        assertThat(config.mode()).isEqualTo(FileInputConfig.Mode.NOTIFY);
        // notifications find changes; the scan is the slow safety net (it was 10s before notifications drove rescans)
        assertThat(config.scanInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.partialLineFlush()).isZero();
        assertThat(config.maxOpenFiles()).isEqualTo(1024);
        assertThat(config.batchMaxEvents()).isEqualTo(1000);
        assertThat(config.exclude()).isEmpty();
        assertThat(config.multiline()).isNull();
        assertThat(new FileInputConfig.MultilineConfig("^\\S", null, null, null).timeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void acceptsAValidConfiguration()
            throws InvalidConfigException
    {
        factory.validate(ConfigBuilder.files("/var/log/**/*.log", "/srv/app/{a,b}/[0-9]*.txt")
                .exclude("*.gz", "/var/log/private/**")
                .multiline(new FileInputConfig.MultilineConfig(null, "^\\s+at ", null, null))
                .encoding("UTF-16LE")
                .build());
    }

    @Test
    void reportsEveryProblemWithItsProperty()
    {
        FileInputConfig config = ConfigBuilder.files("var/log/*.log", "/var/log/[a-z.log")
                .exclude("{a,b")
                .maxLineBytes(0)
                .encoding("no-such-charset")
                .multiline(new FileInputConfig.MultilineConfig("(unclosed", null, Duration.ZERO, 0))
                .partialLineFlush(Duration.ofMillis(-1500))
                .closeInactive(Duration.ZERO)
                .rotateWait(Duration.ofSeconds(-5))
                .maxOpenFiles(0)
                .batchMaxEvents(0)
                .batchMaxBytes(0)
                .build();
        assertThatThrownBy(() -> factory.validate(config))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        new InvalidConfigException.Problem("paths", "'var/log/*.log' is not an absolute path"),
                        new InvalidConfigException.Problem("paths", "'/var/log/[a-z.log' has an unclosed ["),
                        new InvalidConfigException.Problem("exclude", "'{a,b' has an unclosed {"),
                        new InvalidConfigException.Problem("max_line_bytes", "must be between 1B and 1GiB, not 0B"),
                        new InvalidConfigException.Problem("encoding", "'no-such-charset' is not a character set this Java runtime supports"),
                        new InvalidConfigException.Problem("multiline.start_pattern", "'(unclosed' is not a valid regular expression: Unclosed group"),
                        new InvalidConfigException.Problem("multiline.timeout", "must be positive, not 0s"),
                        new InvalidConfigException.Problem("multiline.max_lines", "must be at least 1, not 0"),
                        new InvalidConfigException.Problem("close_inactive", "must be positive, not 0s"),
                        new InvalidConfigException.Problem("partial_line_flush", "must be at least 0s, not -1500ms"),
                        new InvalidConfigException.Problem("rotate_wait", "must be at least 0s, not -5s"),
                        new InvalidConfigException.Problem("max_open_files", "must be at least 1, not 0"),
                        new InvalidConfigException.Problem("batch_max_events", "must be at least 1, not 0"),
                        new InvalidConfigException.Problem("batch_max_bytes", "must be at least 1B, not 0B")));
    }

    @Test
    void rejectsMissingPathsAndAmbiguousMultiline()
    {
        FileInputConfig config = ConfigBuilder.files()
                .multiline(new FileInputConfig.MultilineConfig("^a", "^b", null, null))
                .build();
        assertThatThrownBy(() -> factory.validate(config))
                .hasMessage("paths: list at least one absolute path or glob; multiline: set exactly one of start_pattern and continuation_pattern");
    }

    @Test
    void rejectsEncodingsWithoutFixedNewlineBytes()
    {
        assertThatThrownBy(() -> factory.validate(ConfigBuilder.files("/x/*.log").encoding("UTF-16").build()))
                .hasMessage("encoding: 'UTF-16' has no fixed newline bytes (a byte order mark?); name the byte order, e.g. UTF-16LE");
    }

    @Test
    void createRefusesWhatValidateRefuses()
    {
        assertThatThrownBy(() -> factory.create(ConfigBuilder.files("relative/*.log").build(), null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("paths: 'relative/*.log' is not an absolute path");
    }

    @Test
    void warnsAboutEachGlobWhenTheInputMatchesNoFileYet(@TempDir Path dir)
            throws Exception
    {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app").resolve("app.log"), "line\n");
        Files.writeString(dir.resolve("app").resolve("debug.log"), "line\n");
        String allExcluded = dir + "/app/debug*";
        String noDirectory = dir + "/x/*.log";
        String noFile = dir + "/app/missing.log";

        List<String> warnings = new FileInputFactory().warnings(ConfigBuilder.files(allExcluded, noDirectory, noFile).exclude("debug.log").build());

        assertThat(warnings).containsExactly(
                "path \"" + allExcluded + "\" matches no file yet; the input will pick files up when they appear",
                "path \"" + noDirectory + "\" matches no file yet; the input will pick files up when they appear",
                "path \"" + noFile + "\" matches no file yet; the input will pick files up when they appear");
    }

    @Test
    void globsBesideOneThatMatchesAreAlternativesAndNoWarning(@TempDir Path dir)
            throws Exception
    {
        Files.writeString(dir.resolve("secure"), "line\n");

        List<String> warnings = new FileInputFactory().warnings(ConfigBuilder.files(dir + "/auth.log", dir + "/secure").build());

        assertThat(warnings).isEmpty();
    }
}
