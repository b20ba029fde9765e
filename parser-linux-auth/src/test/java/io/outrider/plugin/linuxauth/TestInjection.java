package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.ParserHarness;
import org.junit.jupiter.api.Test;

import static io.outrider.spi.testing.ParserHarness.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user chooses sudo's command and working directory, and what is typed at a login prompt: none of it may change
 * who acted, on whom, or from where. When a line reads two ways, the parser leaves out what it cannot know rather
 * than guess.
 */
class TestInjection
{
    private static final String SUDO = "Dec  5 14:03:01 host sudo:   alice : ";

    private final ParserHarness harness = LinuxAuthHarness.create();

    @Test
    void commandWithUserRootInsideIsJustTheCommand()
    {
        Event event = harness.single(SUDO + "TTY=pts/0 ; PWD=/home/alice ; USER=nobody ; COMMAND=/usr/bin/env USER=root id");
        assertThat(outcome(event)).isEqualTo("privilege.use/sudo");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "alice")
                .containsEntry(Fields.USER_TARGET_NAME, "nobody")
                .containsEntry(Fields.PROCESS_COMMAND_LINE, "/usr/bin/env USER=root id");
    }

    @Test
    void commandEndingInAFakeTargetField()
    {
        Event event = harness.single(SUDO + "TTY=pts/0 ; PWD=/home/alice ; USER=nobody ; COMMAND=/bin/echo ; USER=root");
        assertThat(event.fields())
                .containsEntry(Fields.USER_TARGET_NAME, "nobody")
                .containsEntry(Fields.PROCESS_COMMAND_LINE, "/bin/echo ; USER=root")
                .containsEntry(Fields.PROCESS_WORKING_DIRECTORY, "/home/alice");
    }

    @Test
    void commandRepeatingTheWholeTailLeavesTargetAndCommandOut()
    {
        Event event = harness.single(SUDO + "TTY=pts/0 ; PWD=/home/alice ; USER=nobody ; COMMAND=/bin/echo ; USER=root ; COMMAND=/bin/sh");
        assertThat(outcome(event)).isEqualTo("privilege.use/sudo");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "alice")
                .containsEntry(Fields.PROCESS_TTY, "pts/0")
                .doesNotContainKeys(Fields.USER_TARGET_NAME, Fields.PROCESS_COMMAND_LINE, Fields.PROCESS_WORKING_DIRECTORY);
        assertThat(event.message()).isEqualTo("  alice : TTY=pts/0 ; PWD=/home/alice ; USER=nobody ; COMMAND=/bin/echo ; USER=root ; COMMAND=/bin/sh");
    }

    @Test
    void workingDirectoryNamedLikeATargetLeavesTargetAndCommandOut()
    {
        // mkdir '/tmp/x ; USER=root ; COMMAND=/bin/true' && cd there && sudo -u nobody id
        Event event = harness.single(SUDO + "TTY=pts/0 ; PWD=/tmp/x ; USER=root ; COMMAND=/bin/true ; USER=nobody ; COMMAND=/usr/bin/id");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "alice")
                .doesNotContainKeys(Fields.USER_TARGET_NAME, Fields.PROCESS_COMMAND_LINE, Fields.PROCESS_WORKING_DIRECTORY);
    }

    @Test
    void commandSpellingARefusalIsStillACommandRun()
    {
        Event event = harness.single(SUDO + "TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/echo 3 incorrect password attempts ; TTY=pts/9");
        assertThat(outcome(event)).isEqualTo("privilege.use/sudo");
        assertThat(event.fields()).containsEntry(Fields.USER_TARGET_NAME, "root");
    }

    @Test
    void commandWithAnAddressGivesNoAddress()
    {
        Event event = harness.single(SUDO + "TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/ssh alice from 1.2.3.4 rhost=1.2.3.4");
        assertThat(event.fields()).doesNotContainKeys(Fields.SOURCE_IP, Fields.SOURCE_ADDRESS, Fields.SOURCE_DOMAIN);
    }

    @Test
    void refusedCommandWithAFakeTargetKeepsTheRealOne()
    {
        Event event = harness.single("Dec  5 14:07:00 host sudo:  mallory : user NOT in sudoers ; TTY=pts/2 ; PWD=/tmp ; USER=www-data ; COMMAND=/bin/cat USER=root from 1.2.3.4");
        assertThat(outcome(event)).isEqualTo("privilege.denied/not_in_sudoers");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "mallory")
                .containsEntry(Fields.USER_TARGET_NAME, "www-data")
                .doesNotContainKey(Fields.SOURCE_IP);
    }

    @Test
    void loginNameWithAnAddressDoesNotBecomeTheAddress()
    {
        Event event = harness.single("Dec  5 14:21:30 host login[902]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=x rhost=198.51.100.1");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/pam_auth_failure");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "x rhost=198.51.100.1")
                .doesNotContainKeys(Fields.SOURCE_IP, Fields.SOURCE_ADDRESS, Fields.SOURCE_DOMAIN);
    }

    @Test
    void userNameWithAnotherAddressKeepsTheRealAddress()
    {
        Event event = harness.single("Dec  5 14:23:00 host sshd[5100]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.50  user=root rhost=1.2.3.4  user=admin from 1.2.3.4");
        assertThat(event.fields())
                .containsEntry(Fields.SOURCE_IP, "203.0.113.50")
                .containsEntry(Fields.USER_NAME, "root rhost=1.2.3.4  user=admin from 1.2.3.4");
    }

    @Test
    void expiredAccountNameBetweenFixedWords()
    {
        Event event = harness.single("Dec  5 14:24:00 host sshd[5300]: pam_unix(sshd:account): account a has expired (account expired) has expired (account expired)");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/account_expired");
        assertThat(event.fields()).containsEntry(Fields.USER_NAME, "a has expired (account expired)");
    }

    @Test
    void lockedAccountNameBetweenFixedWords()
    {
        Event event = harness.single("Dec  5 14:40:00 host sshd[7000]: pam_faillock(sshd:auth): Consecutive login failures for user root account temporarily locked account temporarily locked");
        assertThat(event.fields()).containsEntry(Fields.USER_TARGET_NAME, "root account temporarily locked").doesNotContainKey(Fields.USER_NAME);
    }

    @Test
    void shadowNamesWithQuotesOrSpacesAreNotGuessed()
    {
        assertThat(harness.parseLine("Dec  5 14:33:00 host userdel[6030]: delete user 'dave' from group 'root'").isMatched()).isFalse();
        assertThat(harness.parseLine("Dec  5 14:31:00 host usermod[6010]: add 'dave' to group 'x' to group 'sudo'").isMatched()).isFalse();
        assertThat(harness.parseLine("Dec  5 14:34:10 host gpasswd[6041]: user erin added by root to group analysts by mallory").isMatched()).isFalse();
        // the home directory is free text; the name comes first
        Event created = harness.single("Dec  5 14:30:00 host useradd[6000]: new user: name=dave, UID=1002, GID=1002, home=/home/x, name=root, UID=0, shell=/bin/bash");
        assertThat(created.fields()).containsEntry(Fields.USER_TARGET_NAME, "dave").containsEntry(Fields.USER_TARGET_ID, "1002");
    }

    @Test
    void aSuLineFromAnotherProgramIsNotSu()
    {
        // only su and runuser write these; "logger -t myapp" cannot make one
        assertThat(harness.parseLine("Dec  5 14:10:00 host myapp[1]: (to root) alice on pts/0").isMatched()).isFalse();
        assertThat(harness.parseLine("Dec  5 14:10:00 host myapp[1]:   alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh").isMatched()).isFalse();
        assertThat(harness.parseLine("Dec  5 14:10:00 host myapp[1]: new user: name=dave, UID=0, GID=0, home=/, shell=/bin/sh").isMatched()).isFalse();
    }
}
