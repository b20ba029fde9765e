package io.outrider.plugin.sshd;

import io.outrider.spi.Fields;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.spi.testing.ConfigBinding;
import io.outrider.spi.testing.ParserHarness;
import io.outrider.spi.testing.PluginChecks;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSshdPlugin
{
    @TempDir
    Path dataDirectory;

    @Test
    void isAValidPlugin()
    {
        PluginChecks.assertValidPlugin(SshdPlugin.class);
    }

    @Test
    void offersTheSshdParser()
    {
        ParserFactory<?> factory = new SshdPlugin().parserFactories().get(0);
        assertThat(factory.type()).isEqualTo("sshd");
        assertThat(factory.configClass()).isEqualTo(SshdParserConfig.class);
        assertThat(factory.sensitiveProperties()).isEmpty();
        assertThat(factory.description()).isNotEmpty();
    }

    @Test
    void defaultsApplyToAbsentKeys()
    {
        SshdParserConfig config = SshdParserConfig.defaults();
        assertThat(config.year()).isNull();
        assertThat(config.timezone()).isNull();
        assertThat(config.sessionTableSize()).isEqualTo(10_000);
        assertThat(config.maxFieldLength()).isEqualTo(256);
        assertThat(config.maxMessageLength()).isEqualTo(4096);
        assertThat(config.maxRepeatEvents()).isEqualTo(100);
        assertThat(config.otherLines()).isEqualTo(SshdParserConfig.OtherLines.KEEP);
        assertThat(config.keepOriginal()).isTrue();
    }

    @Test
    void createsAParserFromDefaults()
            throws InvalidConfigException
    {
        Parser parser = new SshdParserFactory().create(SshdParserConfig.defaults(), TestingComponentContext.builder(dataDirectory).build());
        assertThat(parser.parse(ParserHarness.fileEvent(SshdHarness.READ_AT, "Nov 22 14:03:07 web1 sshd[1]: Invalid user a from 192.0.2.1 port 2")).isMatched()).isTrue();
        parser.close();
    }

    @Test
    void reportsEveryBadValueAtOnce()
    {
        SshdParserConfig config = new SshdParserConfig(1969, "Mars/Olympus_Mons", -1, 8, 100, 0, null, null);
        assertThatThrownBy(() -> new SshdParserFactory().validate(config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("year: must be between 1970 and 9999, not 1969; "
                        + "timezone: 'Mars/Olympus_Mons' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00; "
                        + "session_table_size: must be 0 (no session table) or more, not -1; "
                        + "max_field_length: must be at least 16, not 8; "
                        + "max_message_length: must be between 256 and 1048576, not 100; "
                        + "max_repeat_events: must be between 1 and 100000, not 0");
    }

    @Test
    void acceptsZonesAndOffsets()
            throws InvalidConfigException
    {
        SshdParserFactory factory = new SshdParserFactory();
        factory.validate(new SshdParserConfig(2024, "Europe/Paris", 0, 16, 256, 1, null, null));
        factory.validate(new SshdParserConfig(null, "+02:00", null, null, null, null, null, null));
    }

    @Test
    void worksWithoutASessionTable()
    {
        ParserHarness harness = SshdHarness.create(new SshdParserConfig(null, "UTC", 0, null, null, null, null, null));
        harness.single("Nov 22 14:03:07 web1 sshd[1]: Failed password for root from 192.0.2.1 port 2 ssh2");
        assertThat(harness.single("Nov 22 14:03:07 web1 sshd[1]: Disconnecting: Too many authentication failures [preauth]").fields())
                .doesNotContainKey(Fields.SOURCE_IP)
                .containsEntry(Fields.EVENT_REASON, "too_many_auth_failures");
    }

    @Test
    void bindsTheDocumentedYamlAsTheAgentDoes()
            throws InvalidConfigurationException
    {
        SshdParserConfig config = ConfigBinding.forFactory(new SshdParserFactory(), "parser-sshd").bind("""
                type: sshd
                timezone: Europe/Paris
                session_table_size: 500
                other_lines: drop
                keep_original: no
                """);

        assertThat(config).isEqualTo(new SshdParserConfig(null, "Europe/Paris", 500, 256, 4096, 100, SshdParserConfig.OtherLines.DROP, false));
    }

    @Test
    void reportsYamlMistakesWordForWord()
    {
        assertThatThrownBy(() -> ConfigBinding.forFactory(new SshdParserFactory(), "parser-sshd").bind("""
                timezone: Mars/Olympus_Mons
                other_lines: ignore
                keep_orignal: true
                """))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 2 errors:

                        1) config.yaml:2:14: other_lines: expected one of keep, drop, unmatched but found 'ignore'
                        2) config.yaml:3:1: keep_orignal: unknown property 'keep_orignal' for parser type 'sshd' (plugin parser-sshd); did you mean 'keep_original'?""");
        assertThatThrownBy(() -> ConfigBinding.forFactory(new SshdParserFactory(), "parser-sshd").bind("timezone: Mars/Olympus_Mons"))
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:1:11: timezone: 'Mars/Olympus_Mons' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00 (parser type 'sshd' (plugin parser-sshd))""");
    }
}
