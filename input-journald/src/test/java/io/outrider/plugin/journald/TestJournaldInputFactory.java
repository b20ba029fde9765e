package io.outrider.plugin.journald;

import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.testing.PluginChecks;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TestJournaldInputFactory
{
    @TempDir
    Path temp;

    @Test
    void isAValidPlugin()
    {
        PluginChecks.assertValidPlugin(JournaldPlugin.class);
        assertThat(new JournaldPlugin().inputFactories()).singleElement()
                .satisfies(factory -> assertThat(factory.type()).isEqualTo("journald"));
    }

    @Test
    void defaultsReadTheSystemJournalFromTheTail()
            throws InvalidConfigException
    {
        JournaldInputConfig config = JournaldInputConfig.defaults();
        new JournaldInputFactory().validate(config);
        assertThat(config.directory()).isNull();
        assertThat(config.files()).isEmpty();
        assertThat(config.readFrom()).isEqualTo(JournaldInputConfig.Position.TAIL);
        assertThat(config.cursorFallback()).isEqualTo(JournaldInputConfig.Position.HEAD);
        assertThat(config.maxFieldSize()).isEqualTo(DataSize.ofBytes(65536));
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThat(new JournaldInputFactory().sensitiveProperties()).isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsProperty()
    {
        JournaldInputConfig config = new JournaldInputConfig(
                temp, List.of(temp.resolve("a.journal")), List.of(" "), List.of(""),
                List.of("+", "sshd", "_comm=sshd", "MESSAGE=a=b"), "verbose", null, null,
                List.of("_SYSTEMD_*", "bad-name"), List.of("*"), DataSize.ofBytes(100), 0);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> new JournaldInputFactory().validate(config));
        assertThat(e.problems()).containsExactly(
                new Problem("files", "set either directory or files, not both"),
                new Problem("units", "a unit name is empty"),
                new Problem("identifiers", "an identifier is empty"),
                new Problem("matches", "'sshd' is not of the form FIELD=value (or + between groups)"),
                new Problem("matches", "'_comm=sshd' has an invalid field name: use upper-case letters, digits and _"),
                new Problem("priority", "'verbose' is not a priority: use one of emerg, alert, crit, err, warning, notice, info, debug or a number from 0 to 7"),
                new Problem("include_fields", "'bad-name' is not a journal field name: use letters, digits and _, optionally ending in *"),
                new Problem("max_field_size", "must be between 256B and 16MiB, not 100B"),
                new Problem("batch_size", "must be between 1 and 100000, not 0"));
    }

    @Test
    void missingLibsystemdIsAConfigurationProblemThatSaysWhatToInstall()
    {
        JournaldInputFactory factory = new JournaldInputFactory(List.of("libsystemd-missing.so.9"));
        TestingComponentContext context = TestingComponentContext.builder(temp).build();
        assertThatThrownBy(() -> factory.create(JournaldInputConfig.defaults(), context))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("libsystemd is not installed or cannot be loaded (install libsystemd0 on Debian/Ubuntu, systemd-libs on RHEL/Fedora): libsystemd-missing.so.9: ");
    }
}
