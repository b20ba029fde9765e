package io.outrider.plugin.sshd;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.RandomLines;
import io.outrider.spi.testing.TestingMetrics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

/**
 * Seeded random lines in every build: fragments of sshd's templates, addresses valid and not, user names full of
 * "from", "port" and brackets, control and non-ASCII characters, glued together at random under random prefixes.
 * None may throw, and every event must keep {@link LineInvariants}. (Jazzer explores further when asked; see
 * {@link TestSshdParserFuzz}.)
 */
class TestAdversarialLines
{
    private static final long SEED = 20261123L;
    private static final int LINES = 30_000;
    private static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");

    private static final List<String> PREFIXES = List.of(
            "Nov 22 14:03:07 web1 sshd[4242]: ", "Nov 22 14:03:07 web1 sshd[", "Feb 29 00:00:00 h sshd[1]: ", "<999>Jan  1 00:00:00 h sshd[1]: ",
            "2026-13-01T00:00:00Z h sshd[1]: ", "2026-03-01T12:34:56.1234567890123+14:00 h sshd-auth[2]: ", "<38>1 - - sshd - - - ",
            "<38>1 2026-03-01T12:34:56Z h sshd 99999999999 - [x a=\"\\\"]\"][y] ", "Jun  9 06:06:20 combo sshd(pam_unix)[19939]: ", "", "sshd: ");
    static final List<String> FRAGMENTS = List.of(
            "Failed ", "Accepted ", "password", "publickey", "keyboard-interactive/pam", " for ", "invalid user ", "illegal user ", " from ",
            " port ", "22", "65536", "99999999999", " ssh2", ": RSA SHA256:", "Invalid user ", "User ", " not allowed because ",
            "listed in DenyUsers", "ROOT LOGIN REFUSED FROM ", "refused connect from ", "(", ")", "Disconnecting", ": Too many authentication failures",
            "Disconnecting: ", "maximum authentication attempts exceeded for ", "PAM ", " more authentication failures; ",
            "logname= uid=0 euid=0 tty=ssh ruser= rhost=", "  user=", "authentication failure; ", "pam_unix(sshd:auth): ",
            "pam_unix(sshd:session): session opened for user ", "session closed for user ", "Disconnected from ", "user ",
            "authenticating user ", "Connection closed by ", "Connection reset by ", "Received disconnect from ", ":11: Bye Bye", ": 11: ",
            " [preauth]", "error: ", "fatal: ", "kex_exchange_identification: ", "banner exchange: Connection from ", ": invalid format",
            "Bad protocol version identification '", "'", "Unable to negotiate with ", ": no matching key exchange method found.",
            "Did not receive identification string from ", "Timeout before authentication for ", "message repeated ", " times: [ ", "]",
            "Connection from ", " on ", "input_userauth_request: ", "reverse mapping checking getaddrinfo for ", " [", "] failed",
            "Address ", " maps to ", ", but this does not map back to the address",
            "1.2.3.4", "255.255.255.255", "256.1.1.1", "01.2.3.4", "::1", "2001:db8::17", "::ffff:192.0.2.1", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9",
            ":::", "host.example.net", "-bad-.example", "a..b", "x".repeat(300), " ", "  ", "\t", "\n", "\u0000", "\uFEFF", "é", "\uD83D\uDE00",
            "\\", "\"", "%s", "${jndi:ldap://x}");

    @Test
    void randomLinesNeverBreakTheParser()
    {
        SshdParser parser = new SshdParser(LineInvariants.CONFIG, ZoneOffset.UTC, new TestingMetrics());
        RandomLines lines = new RandomLines(SEED, FRAGMENTS, 12);
        Random random = lines.random();
        for (int i = 0; i < LINES; i++) {
            String line = lines.next();
            Event event;
            if (random.nextInt(4) == 0) {
                event = Event.builder().timestamp(READ_AT).message(line)
                        .field(Fields.PROCESS_NAME, random.nextBoolean() ? "sshd" : "sshd-session")
                        .field(Fields.PROCESS_PID, random.nextBoolean() ? (Object) (long) random.nextInt(5) : "x" + random.nextInt(3))
                        .build();
            }
            else {
                event = Event.builder().timestamp(READ_AT).message(PREFIXES.get(random.nextInt(PREFIXES.size())) + line).build();
            }
            LineInvariants.check(event, parser.parse(event));
        }
    }
}
