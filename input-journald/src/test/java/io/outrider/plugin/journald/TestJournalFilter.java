package io.outrider.plugin.journald;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class TestJournalFilter
{
    @Test
    void noFilterReadsEverything()
    {
        assertThat(JournalFilter.from(JournaldInputConfig.defaults()).groups()).isEmpty();
    }

    @Test
    void unitsIdentifiersAndPriorityFormOneGroup()
    {
        JournaldInputConfig config = ConfigBuilder.files().units("ssh", "cron.service").identifiers("sudo").priority("err").build();
        assertThat(JournalFilter.from(config).groups()).containsExactly(List.of(
                "_SYSTEMD_UNIT=ssh.service", "_SYSTEMD_UNIT=cron.service", "SYSLOG_IDENTIFIER=sudo",
                "PRIORITY=0", "PRIORITY=1", "PRIORITY=2", "PRIORITY=3"));
    }

    @Test
    void plusSeparatesGroupsAndEveryGroupKeepsTheCommonRestrictions()
    {
        JournaldInputConfig config = ConfigBuilder.files().matches("_COMM=sshd", "+", "_UID=0", "_TRANSPORT=audit", "+").priority("1").build();
        assertThat(JournalFilter.from(config).groups()).containsExactly(
                List.of("_COMM=sshd", "PRIORITY=0", "PRIORITY=1"),
                List.of("_UID=0", "_TRANSPORT=audit", "PRIORITY=0", "PRIORITY=1"));
    }

    @Test
    void plusNextToNothingDoesNotWidenTheFilter()
    {
        JournaldInputConfig config = ConfigBuilder.files().matches("+", "MESSAGE_ID=fc2e22bc6ee647b6b90729ab34a250b1", "+", "+").identifiers("sshd").build();
        assertThat(JournalFilter.from(config).groups()).containsExactly(List.of("MESSAGE_ID=fc2e22bc6ee647b6b90729ab34a250b1", "SYSLOG_IDENTIFIER=sshd"));
        assertThat(JournalFilter.from(ConfigBuilder.files().matches("+").identifiers("sshd").build()).groups())
                .containsExactly(List.of("SYSLOG_IDENTIFIER=sshd"));
    }

    @Test
    void prioritiesByNameOrNumber()
    {
        assertThat(JournalFilter.parsePriority("emerg")).isEqualTo(OptionalInt.of(0));
        assertThat(JournalFilter.parsePriority(" Warning ")).isEqualTo(OptionalInt.of(4));
        assertThat(JournalFilter.parsePriority("debug")).isEqualTo(OptionalInt.of(7));
        assertThat(JournalFilter.parsePriority("5")).isEqualTo(OptionalInt.of(5));
        assertThat(JournalFilter.parsePriority("8")).isEmpty();
        assertThat(JournalFilter.parsePriority("error")).isEmpty();
    }
}
