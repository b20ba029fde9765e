package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.outrider.spi.testing.ParserHarness.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/** journald's and RFC 5424's events, lines already taken by an earlier parser, repeats and limits. */
class TestEventShapes
{
    private final ParserHarness harness = LinuxAuthHarness.create();

    @Test
    void journaldSudoEntry()
    {
        Event event = harness.single(harness.journalEvent("sudo", "3301", "   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id"));
        assertThat(outcome(event)).isEqualTo("privilege.use/sudo");
        assertThat(event.timestamp()).isEqualTo(LinuxAuthHarness.READ_AT);
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "alice")
                .containsEntry(Fields.USER_TARGET_NAME, "root")
                .containsEntry(Fields.PROCESS_COMMAND_LINE, "/usr/bin/id")
                .containsEntry(Fields.PROCESS_NAME, "sudo")
                .containsEntry(Fields.PROCESS_PID, 3301L)
                .containsEntry(Fields.HOST_NAME, ParserHarness.HOST_NAME)
                .containsEntry(Fields.EVENT_OUTCOME, Fields.OUTCOME_SUCCESS)
                .containsEntry(Fields.EVENT_CATEGORY, "authentication")
                .containsEntry(Fields.EVENT_DATASET, "linux_auth.sudo")
                .doesNotContainKey(Fields.LOG_SYSLOG_HOSTNAME);
    }

    @Test
    void journaldEntriesOfEachFamily()
    {
        assertThat(outcome(harness.single(harness.journalEvent("su", "4250", "FAILED SU (to root) alice on pts/1")))).isEqualTo("privilege.denied/su_failed");
        assertThat(outcome(harness.single(harness.journalEvent("sshd", "5100",
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root")))).isEqualTo("auth.login_failed/pam_auth_failure");
        Event created = harness.single(harness.journalEvent("useradd", "6000", "new user: name=dave, UID=1002, GID=1002, home=/home/dave, shell=/bin/bash, from=/dev/pts/0"));
        assertThat(outcome(created)).isEqualTo("account.created/created");
        assertThat(created.fields()).containsEntry(Fields.EVENT_CATEGORY, "iam").containsEntry(Fields.EVENT_OUTCOME, Fields.OUTCOME_SUCCESS);
        Event session = harness.single(harness.journalEvent("systemd", "1", "pam_unix(systemd-user:session): session opened for user alice(uid=1000) by (uid=0)"));
        assertThat(session.fields()).containsEntry(Fields.EVENT_CATEGORY, "session").containsEntry(Fields.SERVICE_NAME, "systemd-user");
    }

    @Test
    void rfc5424Line()
    {
        Event event = harness.single("<86>1 2026-12-05T14:03:01.5Z web-01 sudo 3301 - - alice : 1 incorrect password attempt ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls");
        assertThat(outcome(event)).isEqualTo("privilege.denied/incorrect_password");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-12-05T14:03:01.5Z"));
        assertThat(event.fields())
                .containsEntry(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                .containsEntry(Fields.LOG_SYSLOG_PRIORITY, 86)
                .containsEntry(Fields.LOG_SYSLOG_FACILITY, 10)
                .containsEntry(Fields.LOG_SYSLOG_HOSTNAME, "web-01")
                .containsEntry(Fields.PROCESS_PID, 3301L);
    }

    @Test
    void eventsAnEarlierParserTookAreLeftAlone()
    {
        // what the sshd parser makes of its own PAM lines: classified, or kept without an action after a login it already reported
        Event classified = harness.journalEvent("sshd", "5100", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root")
                .toBuilder().field(Fields.EVENT_MODULE, "sshd").field(Fields.EVENT_ACTION, "auth.login_failed").build();
        Event kept = harness.journalEvent("sshd", "5100", "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)")
                .toBuilder().field(Fields.EVENT_MODULE, "sshd").build();
        assertThat(harness.parse(classified).isMatched()).isFalse();
        assertThat(harness.parse(kept).isMatched()).isFalse();
        assertThat(harness.parse(kept.toBuilder().removeField(Fields.EVENT_MODULE).build()).isMatched()).isTrue();
    }

    @Test
    void lockoutsInLinesAnEarlierParserKeptAreStillClassified()
    {
        // the sshd parser keeps these sshd lines without an action: it knows nothing of lockouts or expired accounts
        Event locked = harness.journalEvent("sshd", "7000", "pam_faillock(sshd:auth): Consecutive login failures for user alice account temporarily locked")
                .toBuilder().field(Fields.EVENT_MODULE, "sshd").build();
        Event expired = harness.journalEvent("sshd", "5300", "pam_unix(sshd:account): account olduser has expired (account expired)")
                .toBuilder().field(Fields.EVENT_MODULE, "sshd").build();

        Event lockout = harness.single(locked);
        assertThat(outcome(lockout)).isEqualTo("account.locked/consecutive_failures");
        // the module is the one that classified it
        assertThat(lockout.fields()).containsEntry(Fields.EVENT_MODULE, "linux_auth").containsEntry(Fields.EVENT_DATASET, "linux_auth.pam");
        assertThat(outcome(harness.single(expired))).isEqualTo("auth.login_failed/account_expired");
    }

    @Test
    void unknownLinesAreUnmatchedAndUnchanged()
    {
        for (String line : List.of("", "no prefix at all", "Dec  5 14:50:00 host systemd-logind[611]: New session 14 of user bob.",
                "Dec  5 14:50:00 host sudo: ", "Dec  5 14:50:00 host sudo:   alice : TTY=pts/0", "Dec  5 14:50:00 host su[1]: (to root)",
                "Dec  5 14:50:00 host sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=x euid=0 tty=ssh ruser= rhost=",
                "Dec  5 14:50:00 host sshd[1]: pam_unix(ss hd:auth): session closed for user root")) {
            Event event = ParserHarness.fileEvent(LinuxAuthHarness.READ_AT, line);
            ParseResult result = harness.parse(event);
            assertThat(result.isMatched()).as(line).isFalse();
            assertThat(result.events()).isEmpty();
        }
    }

    @Test
    void repeatedLinesBecomeOneEventEachUpToTheLimit()
    {
        ParserHarness limited = LinuxAuthHarness.create(new LinuxAuthParserConfig(null, "UTC", null, null, 5, false));
        List<Event> events = limited.parseLine("Dec  5 14:21:40 host login[902]: PAM 12 more authentication failures; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice").events();
        assertThat(events).hasSize(5);
        assertThat(events.subList(0, 4)).allSatisfy(event -> assertThat(event.fields()).doesNotContainKeys(Fields.EVENT_COUNT, Fields.EVENT_ORIGINAL));
        assertThat(events.get(4).fields()).containsEntry(Fields.EVENT_COUNT, 8L);
        assertThat(limited.parseLine("Dec  5 14:21:40 host login[902]: PAM 1 more authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice").events()).hasSize(1);
        assertThat(limited.parseLine("Dec  5 14:21:40 host login[902]: PAM 1 more authentication failures; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice").isMatched()).isFalse();
    }

    @Test
    void longValuesAreCut()
    {
        ParserHarness limited = LinuxAuthHarness.create(new LinuxAuthParserConfig(null, "UTC", 16, null, null, null));
        Event event = limited.single("Dec  5 14:21:30 host login[902]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=" + "a".repeat(40));
        assertThat(event.fields()).containsEntry(Fields.USER_NAME, "a".repeat(16));
        ParserHarness shortMessages = LinuxAuthHarness.create(new LinuxAuthParserConfig(null, "UTC", null, 256, null, null));
        assertThat(shortMessages.parseLine("Dec  5 14:03:01 host sudo:   alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/echo " + "x".repeat(300)).isMatched()).isFalse();
    }

    @Test
    void classicTimestampsTakeTheConfiguredYearAndZone()
    {
        ParserHarness paris = LinuxAuthHarness.create(new LinuxAuthParserConfig(2025, "Europe/Paris", null, null, null, null));
        Event event = paris.single("Jul  1 12:00:00 host su[1]: (to root) alice on pts/0");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2025-07-01T10:00:00Z"));
    }

    /**
     * What the syslog prefix parser and address normalisation shared with parser-sshd (plugin-support) read that this
     * parser's former copies did not: each line was unmatched or lost its source before.
     */
    @Test
    void prefixShapesAndAddressesOfTheSharedParser()
    {
        // journalctl -o short-precise
        Event precise = harness.single("Dec  5 14:03:01.250000 host su[1]: (to root) alice on pts/0");
        assertThat(precise.timestamp()).isEqualTo(Instant.parse("2026-12-05T14:03:01.25Z"));
        // journalctl -o short-iso
        assertThat(harness.single("2026-12-05T14:03:01+0100 host su[1]: (to root) alice on pts/0").timestamp())
                .isEqualTo(Instant.parse("2026-12-05T13:03:01Z"));
        // Solaris' message id is part of the prefix
        Event solaris = harness.single("Dec  5 14:03:01 sol sudo[3]: [ID 702911 auth.notice]    alice : TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/id");
        assertThat(outcome(solaris)).isEqualTo("privilege.use/sudo");
        assertThat(solaris.fields()).containsEntry(Fields.USER_NAME, "alice").containsEntry(Fields.PROCESS_COMMAND_LINE, "/usr/bin/id");
        // busybox with the severity names rsyslog and glibc print
        assertThat(outcome(harness.single("Dec  5 14:03:01 alpine authpriv.warning su: FAILED SU (to root) alice on pts/1"))).isEqualTo("privilege.denied/su_failed");
        // PAM modules write leading zeros sshd never does: one client is one source.ip
        Event zeros = harness.single("Dec  5 14:21:30 host login[902]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=010.000.000.001  user=alice");
        assertThat(zeros.fields()).containsEntry(Fields.SOURCE_IP, "10.0.0.1").containsEntry(Fields.SOURCE_ADDRESS, "10.0.0.1");
    }
}
