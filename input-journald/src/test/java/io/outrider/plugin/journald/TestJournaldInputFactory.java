package io.outrider.plugin.journald;

import io.outrider.support.ReadFrom;
import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.testing.PluginChecks;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
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
    void defaultsReadTheSystemJournalFromTheEnd()
            throws InvalidConfigException
    {
        JournaldInputConfig config = JournaldInputConfig.defaults();
        new JournaldInputFactory().validate(config);
        assertThat(config.directory()).isNull();
        assertThat(config.files()).isEmpty();
        assertThat(config.readFrom()).isEqualTo("end");
        assertThat(config.startPosition()).isEqualTo(ReadFrom.END);
        assertThat(config.cursorFallback()).isEqualTo("beginning");
        assertThat(config.fallbackPosition()).isEqualTo(ReadFrom.BEGINNING);
        assertThat(config.maxFieldSize()).isEqualTo(DataSize.ofBytes(65536));
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThat(new JournaldInputFactory().sensitiveProperties()).isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsProperty()
    {
        JournaldInputConfig config = new JournaldInputConfig(
                temp, List.of(temp.resolve("a.journal")), List.of(" "), List.of(""),
                List.of("+", "sshd", "_comm=sshd", "MESSAGE=a=b"), "verbose", "middle", "Beginning",
                List.of("_SYSTEMD_*", "bad-name"), List.of("*"), DataSize.ofBytes(100), 0);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> new JournaldInputFactory().validate(config));
        assertThat(e.problems()).containsExactly(
                new Problem("files", "set either directory or files, not both"),
                new Problem("units", "a unit name is empty"),
                new Problem("identifiers", "an identifier is empty"),
                new Problem("matches", "'sshd' is not of the form FIELD=value (or + between groups)"),
                new Problem("matches", "'_comm=sshd' has an invalid field name: use upper-case letters, digits and _"),
                new Problem("read_from", "expected one of beginning, end but found 'middle'"),
                new Problem("priority", "'verbose' is not a priority: use one of emerg, alert, crit, err, warning, notice, info, debug or a number from 0 to 7"),
                new Problem("include_fields", "'bad-name' is not a journal field name: use letters, digits and _, optionally ending in *"),
                new Problem("max_field_size", "must be between 256B and 16MiB, not 100B"),
                new Problem("batch_size", "must be between 1 and 100000, not 0"));
    }

    @Test
    void theOldSpellingsOfPositionsAreRefusedWithTheNewOnes()
    {
        JournaldInputConfig config = new JournaldInputConfig(null, null, null, null, null, null, "head", "TAIL", null, null, null, null);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> new JournaldInputFactory().validate(config));
        assertThat(e.problems()).containsExactly(
                new Problem("read_from", "\"head\" is no longer accepted; use \"beginning\""),
                new Problem("cursor_fallback", "\"TAIL\" is no longer accepted; use \"end\""));
    }

    @Test
    void warnsAboutAJournalDirectoryOrFileThatDoesNotExist()
            throws Exception
    {
        JournaldInputFactory factory = new JournaldInputFactory();
        Path missing = temp.resolve("journal");
        assertThat(factory.warnings(ConfigBuilder.directory(missing).build()))
                .containsExactly("journal directory \"" + missing + "\" does not exist; the input keeps retrying until it does");
        Path present = Files.createFile(temp.resolve("system.journal"));
        assertThat(factory.warnings(ConfigBuilder.files(present, temp.resolve("user.journal")).build()))
                .containsExactly("journal file \"" + temp.resolve("user.journal") + "\" does not exist; the input reads the others, and this one once it restarts"
                        + " and finds it");
        assertThat(factory.warnings(ConfigBuilder.files(temp.resolve("*.journal")).build()))
                .containsExactly("journal file \"" + temp.resolve("*.journal") + "\" does not exist (files takes journal files' names, not globs: to read every"
                        + " journal file of a directory, name the directory in directory); the input keeps retrying until it does");
        Files.createDirectories(missing);
        assertThat(factory.warnings(ConfigBuilder.directory(missing).build())).isEmpty();
        assertThat(factory.warnings(JournaldInputConfig.defaults())).isEmpty();
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
