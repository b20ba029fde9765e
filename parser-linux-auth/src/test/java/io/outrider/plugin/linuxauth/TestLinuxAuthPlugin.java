package io.outrider.plugin.linuxauth;

import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.spi.testing.ParserHarness;
import io.outrider.spi.testing.PluginChecks;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLinuxAuthPlugin
{
    @TempDir
    Path dataDirectory;

    @Test
    void isAValidPlugin()
    {
        PluginChecks.assertValidPlugin(LinuxAuthPlugin.class);
    }

    @Test
    void offersTheLinuxAuthParser()
    {
        ParserFactory<?> factory = new LinuxAuthPlugin().parserFactories().get(0);
        assertThat(factory.type()).isEqualTo("linux_auth");
        assertThat(factory.configClass()).isEqualTo(LinuxAuthParserConfig.class);
        assertThat(factory.sensitiveProperties()).isEmpty();
        assertThat(factory.description()).isNotEmpty();
    }

    @Test
    void defaultsApplyToAbsentKeys()
    {
        LinuxAuthParserConfig config = LinuxAuthParserConfig.defaults();
        assertThat(config.year()).isNull();
        assertThat(config.timezone()).isNull();
        assertThat(config.maxFieldLength()).isEqualTo(256);
        assertThat(config.maxMessageLength()).isEqualTo(8192);
        assertThat(config.maxRepeatEvents()).isEqualTo(100);
        assertThat(config.keepOriginal()).isTrue();
    }

    @Test
    void createsAParserFromDefaults()
            throws InvalidConfigException
    {
        Parser parser = new LinuxAuthParserFactory().create(LinuxAuthParserConfig.defaults(), TestingComponentContext.builder(dataDirectory).build());
        assertThat(parser.parse(ParserHarness.fileEvent(LinuxAuthHarness.READ_AT, "Dec  5 14:10:00 host su[4242]: (to root) alice on pts/0")).isMatched()).isTrue();
        parser.close();
    }

    @Test
    void reportsEveryBadValueAtOnce()
    {
        LinuxAuthParserConfig config = new LinuxAuthParserConfig(1969, "Mars/Olympus_Mons", 8, 100, 0, null);
        assertThatThrownBy(() -> new LinuxAuthParserFactory().validate(config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("year: must be between 1970 and 9999, not 1969; "
                        + "timezone: 'Mars/Olympus_Mons' is not a time zone id; use a region such as Europe/Paris, or UTC, or an offset such as +02:00; "
                        + "max_field_length: must be at least 16, not 8; "
                        + "max_message_length: must be between 256 and 1048576, not 100; "
                        + "max_repeat_events: must be between 1 and 100000, not 0");
    }

    @Test
    void acceptsZonesAndOffsets()
            throws InvalidConfigException
    {
        LinuxAuthParserFactory factory = new LinuxAuthParserFactory();
        factory.validate(new LinuxAuthParserConfig(2024, "Europe/Paris", 16, 256, 1, false));
        factory.validate(new LinuxAuthParserConfig(null, "+02:00", null, null, null, null));
    }
}
