package io.outrider.core.cli;

import io.outrider.core.config.AgentDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The built-in default pipeline: which auth log it reads, and that it says so when that is the bundled sample. */
class TestDefaultConfig
{
    @Test
    void withoutAReadableAuthLogItReadsTheBundledSampleAndSaysItIsMadeUp(@TempDir Path dir)
    {
        AgentDefaults defaults = new AgentDefaults(dir.resolve("data"), dir.resolve("plugins"), "host");
        Path sample = dir.resolve("data").resolve("samples").resolve("auth.log");

        DefaultConfig.Choice choice = DefaultConfig.choose(defaults, List.of(dir.resolve("auth.log"), dir.resolve("secure")));

        assertThat(choice.notice()).contains("reading the bundled sample log " + sample + ": its attackers are made up; point -c at a configuration to read your own logs");
        assertThat(choice.yaml()).contains("paths: [\"" + sample + "\"]");
        assertThat(sample).isNotEmptyFile();
    }

    @Test
    void aDataDirectoryTheSampleCannotBeWrittenToIsNamedWithWhatToSet(@TempDir Path dir)
            throws Exception
    {
        // as for a user whose home does not exist: the data directory cannot be made
        Path file = Files.writeString(dir.resolve("a-file"), "");
        AgentDefaults defaults = new AgentDefaults(file.resolve("data"), dir.resolve("plugins"), "host");
        Path sample = file.resolve("data").resolve("samples").resolve("auth.log");

        assertThatThrownBy(() -> DefaultConfig.choose(defaults, List.of(dir.resolve("auth.log"))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot write the sample auth log to " + sample + " (" + file + " already exists"
                        + "): the built-in default keeps it in the data directory; set OUTRIDER_DATA_DIR to a directory this user may write");
    }

    @Test
    void aReadableAuthLogIsReadWithoutANotice(@TempDir Path dir)
            throws Exception
    {
        AgentDefaults defaults = new AgentDefaults(dir.resolve("data"), dir.resolve("plugins"), "host");
        Files.writeString(dir.resolve("empty.log"), "");
        Path secure = Files.writeString(dir.resolve("secure"), "Jan  1 00:00:00 host sshd[1]: Connection closed by 192.0.2.1 port 22\n");

        DefaultConfig.Choice choice = DefaultConfig.choose(defaults, List.of(dir.resolve("empty.log"), secure));

        assertThat(choice.notice()).isEmpty();
        assertThat(choice.yaml()).contains("paths: [\"" + secure + "\"]");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void chainsTheLinuxAuthParserAfterSshd(@TempDir Path dir)
    {
        AgentDefaults defaults = new AgentDefaults(dir.resolve("data"), dir.resolve("plugins"), "host");

        DefaultConfig.Choice choice = DefaultConfig.choose(defaults, List.of(dir.resolve("auth.log")));

        // sshd first: it decides which of sshd's PAM lines are logins; linux_auth leaves those alone
        assertThat(choice.yaml()).contains("""
                    parsers:
                      sshd: { type: sshd }
                      linux_auth: { type: linux_auth }
                """);
    }
}
