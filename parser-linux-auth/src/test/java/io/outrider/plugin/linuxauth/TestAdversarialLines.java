package io.outrider.plugin.linuxauth;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.RandomLines;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random lines in every build: fragments of the formats this parser reads, names full of separators,
 * control and non-ASCII characters, glued together at random under random prefixes and programs. None may throw,
 * and every event must keep {@link LineInvariants}. (Jazzer explores further when asked; see
 * {@link TestLinuxAuthParserFuzz}.)
 */
class TestAdversarialLines
{
    private static final long SEED = 20261205L;
    private static final int LINES = 30_000;
    private static final Instant READ_AT = Instant.parse("2026-12-05T16:00:00Z");

    private static final List<String> PREFIXES = List.of(
            "Dec  5 14:03:01 host sudo: ", "Dec  5 14:03:01 host su[42]: ", "Dec  5 14:03:01 host runuser[42]: ", "Dec  5 14:03:01 host useradd[1]: ",
            "Dec  5 14:03:01 host usermod[1]: ", "Dec  5 14:03:01 host userdel[1]: ", "Dec  5 14:03:01 host gpasswd[1]: ", "Dec  5 14:03:01 host groupdel[1]: ",
            "Dec  5 14:03:01 host passwd[1]: ", "Dec  5 14:03:01 host login[1]: ", "Dec  5 14:03:01 host authpriv.notice su: ", "Dec  5 14:03:01 host authpriv.bogus sudo: ",
            "Feb 29 00:00:00 h sudo: ", "<999>Jan  1 00:00:00 h sudo: ", "2026-13-01T00:00:00Z h sudo: ", "<86>1 - - sudo - - - ", "<86>1 2026-12-05T14:03:01Z h su 99999999999 - [x a=\"\\\"]\"][y] ",
            "", "sudo: ", "Dec  5 14:03:01 host sudo[: ", "Dec  5 14:03:01 host " + "t".repeat(60) + ": ");
    private static final List<String> FRAGMENTS = List.of(
            " : ", "alice", "   alice", "TTY=", "pts/0", " ; ", "PWD=", "/home/alice", "USER=", "root", "GROUP=", "TSID=", "CWD=", "ENV=", "A=b", "COMMAND=",
            "/usr/bin/id", "CHROOT=", "3 incorrect password attempts", "1 incorrect password attempt", "0 incorrect password attempts", "user NOT in sudoers",
            "command not allowed", "(to ", ") ", " on ", "FAILED SU (to ", "FAILED RUNUSER (to ", "Successful su for ", "FAILED su for ", " by ", "+ ", "- ", ":",
            "pam_unix(", "pam_faillock(", "pam_tally2(", "sudo", "su-l", "login", "sshd", ":auth): ", ":session): ", ":account): ", ":chauthtok): ",
            "authentication failure; ", "logname=", " uid=", "0", "1000", " euid=", " tty=", "/dev/pts/1", " ruser=", " rhost=", "  user=",
            "session opened for user ", "session closed for user ", "(uid=", ")", "account ", " has expired (account expired)", "password changed for ",
            "Consecutive login failures for user ", " account temporarily locked", "user ", " (", " tally ", ", deny ", "PAM ", " more authentication failures; ",
            "new user: name=", ", UID=", ", GID=", ", home=", ", shell=", "new group: name=", "add '", "' to group '", "'", "`", "delete user '", "delete '",
            "' from group '", "removed group '", "' owned by '", "group '", "' removed", "lock user '", "unlock user '", "' password", "change user '",
            "' shell from '", "change user name '", "' to '", " added by ", " removed by ", " to group ", " from group ", "password for '", "' changed by '",
            "message repeated ", " times: [", "]", "#012", "1.2.3.4", "256.1.1.1", "2001:db8::17", "::ffff:192.0.2.1", "host.example.net", "-bad-.example", ":0",
            "x".repeat(300), " ", "  ", "\t", "\n", "\u0000", "\uFEFF", "é", "\uD83D\uDE00", "\\", "\"", "%s", "${jndi:ldap://x}", "99999999999999999999");

    @Test
    void randomLinesNeverBreakTheParser()
    {
        LinuxAuthParser parser = new LinuxAuthParser(LineInvariants.CONFIG, ZoneOffset.UTC);
        RandomLines lines = new RandomLines(SEED, FRAGMENTS, 14);
        Random random = lines.random();
        int matched = 0;
        for (int i = 0; i < LINES; i++) {
            String line = lines.next();
            Event event;
            if (random.nextInt(4) == 0) {
                event = Event.builder().timestamp(READ_AT).message(line)
                        .field(Fields.PROCESS_NAME, List.of("sudo", "su", "useradd", "sshd", "gpasswd").get(random.nextInt(5))).field(Fields.PROCESS_PID, "7")
                        .build();
            }
            else {
                event = Event.builder().timestamp(READ_AT).message(PREFIXES.get(random.nextInt(PREFIXES.size())) + line).build();
            }
            var result = parser.parse(event);
            LineInvariants.check(event, result);
            if (result.isMatched()) {
                matched++;
            }
        }
        // the fragments are built to make some lines match: a parser that matched nothing would pass vacuously
        assertThat(matched).isGreaterThan(0);
    }
}
