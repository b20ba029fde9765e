package io.outrider.plugin.sshd;

import io.outrider.plugin.sshd.SshdParserConfig.OtherLines;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.testing.ParserHarness;
import io.outrider.spi.testing.TestingMetrics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.outrider.spi.testing.ParserHarness.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/** The taxonomy, row by row, with the lines sshd writes (OpenSSH 5.x to 9.9), and what each event carries. */
class TestSshdParser
{
    private static final String PREFIX = "Nov 22 14:03:07 web1 sshd[4242]: ";
    private static final Instant PREFIX_TIME = Instant.parse("2026-11-22T14:03:07Z");

    private final TestingMetrics metrics = new TestingMetrics();
    private final ParserHarness harness = SshdHarness.create(SshdHarness.UTC_DEFAULTS, metrics);

    @Test
    void failedPassword()
    {
        Event event = harness.single(PREFIX + "Failed password for alice from 203.0.113.7 port 52211 ssh2");
        assertThat(event.fields())
                .containsEntry(Fields.EVENT_ACTION, "auth.login_failed")
                .containsEntry(Fields.EVENT_OUTCOME, "failure")
                .containsEntry(Fields.EVENT_REASON, "failed_password")
                .containsEntry(Fields.EVENT_CATEGORY, "authentication")
                .containsEntry(Fields.EVENT_MODULE, "sshd")
                .containsEntry(Fields.SOURCE_IP, "203.0.113.7")
                .containsEntry(Fields.SOURCE_ADDRESS, "203.0.113.7")
                .containsEntry(Fields.SOURCE_PORT, 52211)
                .containsEntry(Fields.USER_NAME, "alice")
                .containsEntry(SshdFields.INVALID_USER, false)
                .containsEntry(SshdFields.AUTH_METHOD, "password")
                .containsEntry(Fields.PROCESS_PID, 4242L)
                .containsEntry(Fields.PROCESS_NAME, "sshd")
                .containsEntry(SshdFields.SYSLOG_HOSTNAME, "web1")
                .containsEntry(Fields.EVENT_ORIGINAL, PREFIX + "Failed password for alice from 203.0.113.7 port 52211 ssh2")
                // the input's own fields are kept
                .containsEntry(Fields.LOG_FILE_PATH, ParserHarness.LOG_FILE_PATH)
                .containsEntry(Fields.HOST_NAME, ParserHarness.HOST_NAME);
        assertThat(event.timestamp()).isEqualTo(PREFIX_TIME);
        assertThat(event.message()).isEqualTo("Failed password for alice from 203.0.113.7 port 52211 ssh2");
    }

    @Test
    void failedPasswordForInvalidUser()
    {
        Event event = harness.single(PREFIX + "Failed password for invalid user oracle from 198.51.100.4 port 40022 ssh2");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/failed_password");
        assertThat(event.fields())
                .containsEntry(Fields.USER_NAME, "oracle")
                .containsEntry(SshdFields.INVALID_USER, true)
                .containsEntry(Fields.SOURCE_IP, "198.51.100.4")
                .containsEntry(Fields.SOURCE_PORT, 40022);
    }

    @Test
    void invalidUserWithAndWithoutPort()
    {
        Event modern = harness.single(PREFIX + "Invalid user test from 198.51.100.4 port 40022");
        assertThat(outcome(modern)).isEqualTo("auth.login_failed/invalid_user");
        assertThat(modern.fields())
                .containsEntry(Fields.USER_NAME, "test")
                .containsEntry(SshdFields.INVALID_USER, true)
                .containsEntry(Fields.SOURCE_IP, "198.51.100.4")
                .containsEntry(Fields.SOURCE_PORT, 40022);

        Event old = harness.single("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186");
        assertThat(outcome(old)).isEqualTo("auth.login_failed/invalid_user");
        assertThat(old.fields()).containsEntry(Fields.SOURCE_IP, "173.234.31.186").doesNotContainKey(Fields.SOURCE_PORT);
    }

    @Test
    void failedOtherMethods()
    {
        assertThat(outcome(harness.single(PREFIX + "Failed publickey for bob from 192.0.2.1 port 1022 ssh2: RSA SHA256:Xq2lOs8W5d0yZ6kO1l3HkNnI0uQxZQbW3C3lX1m2PZs")))
                .isEqualTo("auth.login_failed/failed_publickey");
        assertThat(outcome(harness.single(PREFIX + "Failed keyboard-interactive/pam for invalid user admin from 192.0.2.2 port 1023 ssh2")))
                .isEqualTo("auth.login_failed/failed_keyboard_interactive");
        assertThat(outcome(harness.single(PREFIX + "Failed none for invalid user 0 from 192.0.2.3 port 1024 ssh2")))
                .isEqualTo("auth.login_failed/failed_none");
    }

    @Test
    void theReasonNamesTheMethodWithoutSubmethodWhateverTheMethod()
    {
        // sshd's own methods are constants in the parser; any other is spelled out the same way
        Map<String, String> reasons = Map.of(
                "password", "password",
                "keyboard-interactive", "keyboard_interactive",
                "keyboard-interactive/bsdauth", "keyboard_interactive",
                "hostbased", "hostbased",
                "gssapi-with-mic", "gssapi_with_mic",
                "gssapi-keyex", "gssapi_keyex",
                "keyboard-interactive-x/pam", "keyboard_interactive_x");
        int port = 2000;
        for (Map.Entry<String, String> method : reasons.entrySet()) {
            assertThat(outcome(harness.single(PREFIX.replace("[4242]", "[" + port + "]") + "Failed " + method.getKey() + " for bob from 192.0.2.9 port " + port + " ssh2")))
                    .isEqualTo("auth.login_failed/failed_" + method.getValue());
            assertThat(outcome(harness.single(PREFIX.replace("[4242]", "[" + (port + 1) + "]") + "Accepted " + method.getKey() + " for bob from 192.0.2.9 port " + port + " ssh2")))
                    .isEqualTo("auth.login_success/accepted_" + method.getValue());
            port += 2;
        }
    }

    @Test
    void acceptedPublickeyCarriesMethodKeyTypeAndFingerprint()
    {
        Event event = harness.single(PREFIX + "Accepted publickey for carol from 2001:db8::17 port 50100 ssh2: ED25519 SHA256:m7Zq4y9qLwW0bR8K0t2x1c3v5b6n7m8q9w0e1r2t3y4");
        assertThat(event.fields())
                .containsEntry(Fields.EVENT_ACTION, "auth.login_success")
                .containsEntry(Fields.EVENT_OUTCOME, "success")
                .containsEntry(Fields.EVENT_REASON, "accepted_publickey")
                .containsEntry(SshdFields.AUTH_METHOD, "publickey")
                .containsEntry(SshdFields.KEY_TYPE, "ED25519")
                .containsEntry(SshdFields.KEY_FINGERPRINT, "SHA256:m7Zq4y9qLwW0bR8K0t2x1c3v5b6n7m8q9w0e1r2t3y4")
                .containsEntry(Fields.SOURCE_IP, "2001:db8::17")
                .containsEntry(Fields.USER_NAME, "carol");
    }

    @Test
    void acceptedOtherMethods()
    {
        assertThat(outcome(harness.single(PREFIX + "Accepted password for dave from 192.0.2.9 port 2200 ssh2"))).isEqualTo("auth.login_success/accepted_password");
        Event interactive = harness.single("Nov 22 14:03:08 web1 sshd[4243]: Accepted keyboard-interactive/pam for erin from 192.0.2.10 port 2201 ssh2");
        assertThat(outcome(interactive)).isEqualTo("auth.login_success/accepted_keyboard_interactive");
        assertThat(interactive.fields()).containsEntry(SshdFields.AUTH_METHOD, "keyboard-interactive/pam");
        Event certificate = harness.single("Nov 22 14:03:09 web1 sshd[4244]: Accepted publickey for ops from 192.0.2.11 port 2202 ssh2: "
                + "RSA-CERT SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG ID ops@corp (serial 12) CA RSA SHA256:ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut");
        assertThat(certificate.fields())
                .containsEntry(SshdFields.KEY_TYPE, "RSA-CERT")
                .containsEntry(SshdFields.KEY_FINGERPRINT, "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
                .containsEntry(Fields.SOURCE_IP, "192.0.2.11");
    }

    @Test
    void acceptedForAnInvalidUserIsNotSshd()
    {
        assertThat(outcome(harness.single(PREFIX + "Accepted password for invalid user x from 192.0.2.9 port 2200 ssh2"))).isEqualTo("other");
    }

    @Test
    void logoutOncePerSession()
    {
        String pid = "Nov 22 15:00:00 web1 sshd[777]: ";
        assertThat(outcome(harness.single(pid + "Accepted password for alice from 192.0.2.5 port 40000 ssh2"))).isEqualTo("auth.login_success/accepted_password");
        assertThat(outcome(harness.single(pid + "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)"))).isEqualTo("other");
        assertThat(outcome(harness.single(pid + "Received disconnect from 192.0.2.5 port 40000:11: disconnected by user"))).isEqualTo("other");
        Event logout = harness.single(pid + "Disconnected from user alice 192.0.2.5 port 40000");
        assertThat(outcome(logout)).isEqualTo("auth.logout/disconnected");
        assertThat(logout.fields())
                .containsEntry(Fields.EVENT_OUTCOME, "success")
                .containsEntry(Fields.USER_NAME, "alice")
                .containsEntry(Fields.SOURCE_IP, "192.0.2.5")
                .containsEntry(Fields.SOURCE_PORT, 40000);
        assertThat(outcome(harness.single(pid + "pam_unix(sshd:session): session closed for user alice"))).isEqualTo("other");
        // the session is remembered until PAM's "session closed"
        assertThat(metrics.gaugeValue("sshd_sessions")).isEqualTo(0.0);
    }

    @Test
    void logoutOncePerSessionWhenTheUsersOwnProcessWritesTheDisconnect()
    {
        // privilege separation: the user's process (another PID) writes the disconnect, the monitor PAM's close
        String monitor = "Dec  7 09:00:00 web1 sshd[1234]: ";
        String user = "Dec  7 09:20:00 web1 sshd[1250]: ";
        assertThat(outcome(harness.single(monitor + "Accepted publickey for bob from 10.0.0.5 port 50022 ssh2: ED25519 SHA256:abc")))
                .isEqualTo("auth.login_success/accepted_publickey");
        assertThat(outcome(harness.single(monitor + "pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)"))).isEqualTo("other");
        assertThat(outcome(harness.single(user + "Received disconnect from 10.0.0.5 port 50022:11: disconnected by user"))).isEqualTo("other");

        Event logout = harness.single(user + "Disconnected from user bob 10.0.0.5 port 50022");
        Event closed = harness.single("Dec  7 09:20:00 web1 sshd[1234]: pam_unix(sshd:session): session closed for user bob");

        assertThat(outcome(logout)).isEqualTo("auth.logout/disconnected");
        assertThat(logout.fields()).containsEntry(Fields.USER_NAME, "bob").containsEntry(Fields.SOURCE_IP, "10.0.0.5").containsEntry(Fields.SOURCE_PORT, 50022);
        assertThat(outcome(closed)).isEqualTo("other");
        // another client's disconnect from the same address is its own
        assertThat(outcome(harness.single("Dec  7 09:21:00 web1 sshd[1260]: Disconnected from user bob 10.0.0.5 port 50023"))).isEqualTo("auth.logout/disconnected");
    }

    /** A process whose session was taken over (its PID reused, as a generated log does) still logs out once. */
    @Test
    void aLogoutAndItsCloseInOneProcessAreOneLogoutThoughTheSessionWasReplaced()
    {
        String pid = "Dec  7 09:30:00 web1 sshd[1300]: ";
        harness.single(pid + "Accepted password for carol from 10.0.0.6 port 50100 ssh2");
        // another connection served by the same PID, as only a generated log has it
        harness.single(pid + "Connection closed by 203.0.113.9 port 4000 [preauth]");
        harness.single(pid + "Received disconnect from 10.0.0.6 port 50100:11: disconnected by user");

        assertThat(outcome(harness.single(pid + "Disconnected from user carol 10.0.0.6 port 50100"))).isEqualTo("auth.logout/disconnected");
        assertThat(outcome(harness.single(pid + "pam_unix(sshd:session): session closed for user carol"))).isEqualTo("other");
    }

    @Test
    void sessionClosedIsTheLogoutOfOldVersionsAndTakesTheAddressFromTheLogin()
    {
        String pid = "Dec 10 09:32:20 LabSZ sshd[24680]: ";
        harness.single(pid + "Accepted password for fztu from 119.137.62.142 port 49116 ssh2");
        assertThat(outcome(harness.single(pid + "pam_unix(sshd:session): session opened for user fztu by (uid=0)"))).isEqualTo("other");
        Event logout = harness.single("Dec 10 09:45:06 LabSZ sshd[24680]: pam_unix(sshd:session): session closed for user fztu");
        assertThat(outcome(logout)).isEqualTo("auth.logout/session_closed");
        assertThat(logout.fields())
                .containsEntry(Fields.USER_NAME, "fztu")
                .containsEntry(Fields.SOURCE_IP, "119.137.62.142")
                .containsEntry(Fields.SOURCE_PORT, 49116);
        // the session is forgotten: a second close is a logout of its own, without an address
        Event again = harness.single(pid + "pam_unix(sshd:session): session closed for user fztu");
        assertThat(outcome(again)).isEqualTo("auth.logout/session_closed");
        assertThat(again.fields()).doesNotContainKey(Fields.SOURCE_IP);
    }

    @Test
    void pamSessionOpenedIsALoginWhenNoAcceptedLineWasSeen()
    {
        Event event = harness.single("Jun 15 12:12:34 combo sshd(pam_unix)[23397]: session opened for user test by (uid=509)");
        assertThat(outcome(event)).isEqualTo("auth.login_success/pam_session_opened");
        assertThat(event.fields()).containsEntry(Fields.USER_NAME, "test").containsEntry(Fields.PROCESS_NAME, "sshd(pam_unix)");
    }

    @Test
    void preauthDisconnectsOfAuthenticatingAndInvalidUsers()
    {
        Event closed = harness.single(PREFIX + "Connection closed by authenticating user root 203.0.113.9 port 41000 [preauth]");
        assertThat(outcome(closed)).isEqualTo("auth.preauth_disconnect/connection_closed");
        assertThat(closed.fields())
                .containsEntry(Fields.USER_NAME, "root")
                .containsEntry(SshdFields.INVALID_USER, false)
                .containsEntry(Fields.SOURCE_IP, "203.0.113.9")
                .containsEntry(Fields.EVENT_OUTCOME, "failure");

        Event disconnected = harness.single("Nov 22 14:03:10 web1 sshd[5000]: Disconnected from invalid user ubuntu 203.0.113.10 port 41001 [preauth]");
        assertThat(outcome(disconnected)).isEqualTo("auth.preauth_disconnect/disconnected");
        assertThat(disconnected.fields()).containsEntry(Fields.USER_NAME, "ubuntu").containsEntry(SshdFields.INVALID_USER, true);

        Event reset = harness.single("Nov 22 14:03:10 web1 sshd[5001]: Connection reset by invalid user pi 203.0.113.11 port 41002 [preauth]");
        assertThat(outcome(reset)).isEqualTo("auth.preauth_disconnect/connection_reset");
    }

    @Test
    void modernReceivedDisconnectLeavesTheEndToDisconnected()
    {
        String pid = "Nov 22 14:04:00 web1 sshd[6000]: ";
        harness.single(pid + "Failed password for root from 203.0.113.12 port 41003 ssh2");
        assertThat(outcome(harness.single(pid + "Received disconnect from 203.0.113.12 port 41003:11: Bye Bye [preauth]"))).isEqualTo("other");
        assertThat(outcome(harness.single(pid + "Disconnected from authenticating user root 203.0.113.12 port 41003 [preauth]")))
                .isEqualTo("auth.preauth_disconnect/disconnected");
    }

    @Test
    void connectionClosedBeforeAnyUserIsAScan()
    {
        Event event = harness.single(PREFIX + "Connection closed by 203.0.113.13 port 41004 [preauth]");
        assertThat(outcome(event)).isEqualTo("auth.scan/closed_before_auth");
        assertThat(event.fields()).containsEntry(Fields.EVENT_CATEGORY, "network").containsEntry(Fields.SOURCE_IP, "203.0.113.13");
    }

    @Test
    void tooManyAuthenticationFailures()
    {
        Event modern = harness.single(PREFIX + "Disconnecting invalid user admin 203.0.113.14 port 41005: Too many authentication failures [preauth]");
        assertThat(outcome(modern)).isEqualTo("auth.preauth_disconnect/too_many_auth_failures");
        assertThat(modern.fields()).containsEntry(Fields.USER_NAME, "admin").containsEntry(Fields.SOURCE_IP, "203.0.113.14").containsEntry(Fields.SOURCE_PORT, 41005);

        Event authenticating = harness.single("Nov 22 14:03:11 web1 sshd[5002]: Disconnecting authenticating user root 203.0.113.15 port 41006: Too many authentication failures [preauth]");
        assertThat(authenticating.fields()).containsEntry(Fields.USER_NAME, "root").containsEntry(SshdFields.INVALID_USER, false);
    }

    @Test
    void linesWithoutAddressTakeItFromEarlierLinesOfTheSameProcess()
    {
        String pid = "Dec 10 07:13:43 LabSZ sshd[24227]: ";
        harness.single(pid + "Failed password for root from 5.36.59.76 port 42393 ssh2");
        Event tooMany = harness.single(pid + "Disconnecting: Too many authentication failures [preauth]");
        assertThat(outcome(tooMany)).isEqualTo("auth.preauth_disconnect/too_many_auth_failures");
        assertThat(tooMany.fields())
                .containsEntry(Fields.SOURCE_IP, "5.36.59.76")
                .containsEntry(Fields.SOURCE_PORT, 42393)
                .containsEntry(Fields.USER_NAME, "root");
        // another host's process with the same PID knows nothing of it
        Event elsewhere = harness.single("Dec 10 07:13:43 other sshd[24227]: Disconnecting: Too many authentication failures for root [preauth]");
        assertThat(elsewhere.fields()).doesNotContainKey(Fields.SOURCE_IP).containsEntry(Fields.USER_NAME, "root");
    }

    @Test
    void maximumAuthenticationAttemptsExceededFollowsTheLastAttemptAndNamesTheClient()
    {
        String pid = "Nov 22 14:03:09 web1 sshd[5016]: ";
        Event event = harness.single(pid + "error: maximum authentication attempts exceeded for invalid user guest from 203.0.113.16 port 41007 ssh2 [preauth]");
        assertThat(outcome(event)).isEqualTo("other");

        Event disconnecting = harness.single(pid + "Disconnecting: Too many authentication failures [preauth]");
        assertThat(outcome(disconnecting)).isEqualTo("auth.preauth_disconnect/too_many_auth_failures");
        assertThat(disconnecting.fields()).containsEntry(Fields.USER_NAME, "guest").containsEntry(SshdFields.INVALID_USER, true)
                .containsEntry(Fields.SOURCE_IP, "203.0.113.16").containsEntry(Fields.SOURCE_PORT, 41007);
    }

    @Test
    void connectionsDroppedForAPenaltyOrMaxStartupsAreScans()
    {
        // OpenSSH 9.8's PerSourcePenalties and MaxStartups, written by the listening sshd
        Event penalty = harness.single("Dec  7 10:00:01 web1 sshd[900]: drop connection #0 from [203.0.113.50]:40010 on [192.0.2.10]:22 penalty: failed authentication");
        assertThat(outcome(penalty)).isEqualTo("auth.scan/dropped_penalty");
        assertThat(penalty.fields()).containsEntry(Fields.SOURCE_IP, "203.0.113.50").containsEntry(Fields.SOURCE_PORT, 40010)
                .containsEntry(Fields.EVENT_OUTCOME, "failure");

        Event startups = harness.single("Dec  7 10:00:02 web1 sshd[900]: drop connection #10 from [2001:db8::7]:40011 on [2001:db8::1]:22 past MaxStartups");
        assertThat(outcome(startups)).isEqualTo("auth.scan/dropped_max_startups");
        assertThat(startups.fields()).containsEntry(Fields.SOURCE_IP, "2001:db8::7").containsEntry(Fields.SOURCE_PORT, 40011);

        // what is not sshd's address stays no event
        assertThat(outcome(harness.single("Dec  7 10:00:03 web1 sshd[900]: drop connection #1 from [not an address]:1 on [192.0.2.10]:22 penalty: x")))
                .isEqualTo("other");
        assertThat(outcome(harness.single("Dec  7 10:00:04 web1 sshd[900]: drop connection #x from [203.0.113.50]:1 on [192.0.2.10]:22 penalty: x")))
                .isEqualTo("other");
    }

    @Test
    void oneFailedAttemptIsOneEventThoughPamReportsItToo()
    {
        // OpenSSH_2k's sshd[24227]: six password attempts, reported by sshd one by one and by PAM as 1 + 5
        String pid = "Dec 10 07:13:43 LabSZ sshd[24227]: ";
        List<String> lines = List.of(
                pid + "reverse mapping checking getaddrinfo for 5.36.59.76.dynamic-dsl-ip.omantel.net.om [5.36.59.76] failed - POSSIBLE BREAK-IN ATTEMPT!",
                pid + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om  user=root",
                pid + "Failed password for root from 5.36.59.76 port 42393 ssh2",
                pid + "message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]",
                pid + "error: maximum authentication attempts exceeded for root from 5.36.59.76 port 42393 ssh2 [preauth]",
                pid + "Disconnecting: Too many authentication failures [preauth]",
                pid + "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om  user=root",
                pid + "PAM service(sshd) ignoring max retries; 6 > 3");

        List<String> outcomes = lines.stream().flatMap(line -> harness.events(line).stream()).map(ParserHarness::outcome).toList();

        assertThat(outcomes).containsExactly("other", "other", "auth.login_failed/failed_password", "auth.login_failed/failed_password",
                "auth.login_failed/failed_password", "auth.login_failed/failed_password", "auth.login_failed/failed_password",
                "auth.login_failed/failed_password", "other", "auth.preauth_disconnect/too_many_auth_failures", "other", "other");
    }

    @Test
    void pamCountsTheAttemptsWhereSshdsOwnLinesDoNotCome()
    {
        // old Red Hat: PAM's lines under sshd(pam_unix) in one file, sshd's own in another that is not read
        List<Event> first = harness.events("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh"
                + " ruser= rhost=218.188.2.4 ");
        List<Event> modern = harness.events("Jun 14 15:17:01 combo sshd[19950]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh"
                + " ruser= rhost=218.188.2.5 ");

        assertThat(first).singleElement().satisfies(event -> {
            assertThat(outcome(event)).isEqualTo("auth.login_failed/pam_auth_failure");
            assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, "218.188.2.4");
        });
        assertThat(modern).hasSize(2).allSatisfy(event -> assertThat(outcome(event)).isEqualTo("auth.login_failed/pam_auth_failure"));
    }

    @Test
    void pamsSummaryAddsTheAttemptsSshdDidNotReport()
    {
        String pid = "Nov 22 14:05:01 web1 sshd[6100]: ";
        harness.single(pid + "Connection from 198.51.100.9 port 50000 on 192.0.2.1 port 22");
        assertThat(outcome(harness.single(pid + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=bob")))
                .isEqualTo("other");
        // keyboard-interactive: sshd reports the first attempts at VERBOSE only
        assertThat(outcome(harness.single(pid + "Failed keyboard-interactive/pam for bob from 198.51.100.9 port 50000 ssh2")))
                .isEqualTo("auth.login_failed/failed_keyboard_interactive");
        assertThat(outcome(harness.single(pid + "Connection closed by authenticating user bob 198.51.100.9 port 50000 [preauth]")))
                .isEqualTo("auth.preauth_disconnect/connection_closed");

        List<Event> summary = harness.events(pid + "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=bob");

        assertThat(summary).hasSize(2).allSatisfy(event -> {
            assertThat(outcome(event)).isEqualTo("auth.login_failed/pam_auth_failure");
            assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, "198.51.100.9").containsEntry(Fields.USER_NAME, "bob");
        });
    }

    @Test
    void aFailedKeyboardInteractiveLineAfterSshdsPamErrorIsTheSameAttempt()
    {
        String pid = "Nov 22 14:06:01 web1 sshd[6200]: ";
        assertThat(outcome(harness.single(pid + "error: PAM: Authentication failure for root from 198.51.100.10")))
                .isEqualTo("auth.login_failed/pam_auth_failure");
        assertThat(outcome(harness.single(pid + "Failed keyboard-interactive/pam for root from 198.51.100.10 port 50001 ssh2"))).isEqualTo("other");
        // a third attempt sshd reported only with its "Failed" line
        assertThat(outcome(harness.single(pid + "Failed keyboard-interactive/pam for root from 198.51.100.10 port 50001 ssh2")))
                .isEqualTo("auth.login_failed/failed_keyboard_interactive");
    }

    @Test
    void pamAuthenticationFailures()
    {
        Event unix = harness.single(PREFIX + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.17  user=root");
        assertThat(outcome(unix)).isEqualTo("auth.login_failed/pam_auth_failure");
        assertThat(unix.fields()).containsEntry(Fields.SOURCE_IP, "203.0.113.17").containsEntry(Fields.USER_NAME, "root");

        Event error = harness.single("Nov 22 14:03:12 web1 sshd[5003]: error: PAM: Authentication failure for illegal user bad guy from scanner.example.net");
        assertThat(outcome(error)).isEqualTo("auth.login_failed/pam_auth_failure");
        assertThat(error.fields())
                .containsEntry(Fields.USER_NAME, "bad guy")
                .containsEntry(SshdFields.INVALID_USER, true)
                .containsEntry(Fields.SOURCE_ADDRESS, "scanner.example.net")
                .containsEntry(SshdFields.SOURCE_DOMAIN, "scanner.example.net")
                .doesNotContainKey(Fields.SOURCE_IP);
    }

    @Test
    void pamHostNameGetsTheAddressFromTheSameProcess()
    {
        String pid = "Dec 10 07:13:31 LabSZ sshd[24227]: ";
        harness.single(pid + "reverse mapping checking getaddrinfo for 5.36.59.76.dynamic-dsl-ip.omantel.net.om [5.36.59.76] failed - POSSIBLE BREAK-IN ATTEMPT!");
        // sshd reported no attempt of its own, so PAM's summary counts them
        Event event = harness.single(pid + "PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om  user=root");
        assertThat(outcome(event)).isEqualTo("auth.login_failed/pam_auth_failure");
        assertThat(event.fields())
                .containsEntry(Fields.SOURCE_IP, "5.36.59.76")
                .containsEntry(Fields.SOURCE_ADDRESS, "5.36.59.76.dynamic-dsl-ip.omantel.net.om")
                .containsEntry(SshdFields.SOURCE_DOMAIN, "5.36.59.76.dynamic-dsl-ip.omantel.net.om");
    }

    @Test
    void pamMoreFailuresCountsAsThatManyFailures()
    {
        List<Event> events = harness.events(PREFIX + "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=106.5.5.195  user=root");
        assertThat(events).hasSize(5).allSatisfy(event -> assertThat(outcome(event)).isEqualTo("auth.login_failed/pam_auth_failure"));
        assertThat(outcome(harness.single(PREFIX + "PAM service(sshd) ignoring max retries; 6 > 3"))).isEqualTo("other");
    }

    @Test
    void usersRefusedByConfiguration()
    {
        assertThat(harness.single(PREFIX + "User bob from 192.0.2.20 not allowed because not listed in AllowUsers").fields())
                .containsEntry(Fields.EVENT_REASON, "policy_denied")
                .containsEntry(SshdFields.DENIED_BY, "AllowUsers")
                .containsEntry(Fields.EVENT_ACTION, "auth.login_failed")
                .containsEntry(Fields.USER_NAME, "bob")
                .containsEntry(Fields.SOURCE_IP, "192.0.2.20");
        assertThat(harness.single(PREFIX + "User bob from 192.0.2.20 not allowed because listed in DenyUsers").field(SshdFields.DENIED_BY))
                .isEqualTo("DenyUsers");
        assertThat(harness.single(PREFIX + "User bob from 192.0.2.20 not allowed because none of user's groups are listed in AllowGroups").field(SshdFields.DENIED_BY))
                .isEqualTo("AllowGroups");
        assertThat(harness.single(PREFIX + "User bob from 192.0.2.20 not allowed because a group is listed in DenyGroups").field(SshdFields.DENIED_BY))
                .isEqualTo("DenyGroups");
        assertThat(harness.single(PREFIX + "User bob from 192.0.2.20 not allowed because not in any group").fields())
                .containsEntry(Fields.EVENT_REASON, "policy_denied")
                .containsEntry(SshdFields.DENIED_BY, "AllowGroups/DenyGroups");
        assertThat(harness.single(PREFIX + "User svc not allowed because account is locked").fields())
                .containsEntry(Fields.EVENT_REASON, "account_locked")
                .doesNotContainKey(SshdFields.DENIED_BY);
        assertThat(harness.single(PREFIX + "User svc not allowed because shell /bin/nologin does not exist").field(Fields.EVENT_REASON)).isEqualTo("shell_does_not_exist");
    }

    @Test
    void rootLoginRefusedAndTcpWrappers()
    {
        Event root = harness.single(PREFIX + "ROOT LOGIN REFUSED FROM 192.0.2.21 port 50000");
        assertThat(outcome(root)).isEqualTo("auth.login_failed/root_login_refused");
        assertThat(root.fields()).containsEntry(Fields.USER_NAME, "root").containsEntry(Fields.SOURCE_PORT, 50000);
        Event wrapped = harness.single(PREFIX + "refused connect from scanner.example.org (192.0.2.22)");
        assertThat(outcome(wrapped)).isEqualTo("auth.login_failed/refused_connect");
        assertThat(wrapped.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.22");
    }

    @Test
    void probesThatNeverAuthenticate()
    {
        assertThat(outcome(harness.single(PREFIX + "Did not receive identification string from 192.0.2.30 port 61000"))).isEqualTo("auth.scan/no_identification_string");
        assertThat(outcome(harness.single(PREFIX + "banner exchange: Connection from 192.0.2.31 port 61001: invalid format"))).isEqualTo("auth.scan/banner_invalid_format");
        Event badVersion = harness.single(PREFIX + "Bad protocol version identification 'GET / HTTP/1.1' from 192.0.2.32 port 61002");
        assertThat(outcome(badVersion)).isEqualTo("auth.scan/bad_protocol_version");
        assertThat(badVersion.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.32");
        Event negotiate = harness.single(PREFIX + "Unable to negotiate with 192.0.2.33 port 61003: no matching key exchange method found. "
                + "Their offer: diffie-hellman-group1-sha1,diffie-hellman-group14-sha1 [preauth]");
        assertThat(outcome(negotiate)).isEqualTo("auth.scan/kex_negotiation_failed");
        assertThat(negotiate.fields()).containsEntry(Fields.SOURCE_PORT, 61003);
    }

    @Test
    void kexExchangeIdentificationTakesTheAddressFromTheLineThatFollows()
    {
        String pid = "Nov 22 14:05:00 web1 sshd[7000]: ";
        assertThat(outcome(harness.single(pid + "error: kex_exchange_identification: Connection closed by remote host"))).isEqualTo("other");
        Event scan = harness.single(pid + "Connection closed by 192.0.2.40 port 62000");
        assertThat(outcome(scan)).isEqualTo("auth.scan/kex_exchange_identification");
        assertThat(scan.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.40").containsEntry(Fields.SOURCE_PORT, 62000);
        // without a pending probe the same line is no event of its own
        assertThat(outcome(harness.single(pid + "Connection closed by 192.0.2.40 port 62000"))).isEqualTo("other");
    }

    @Test
    void kexExchangeIdentificationTakesTheAddressFromVerboseConnectionFrom()
    {
        String pid = "Nov 22 14:05:00 web1 sshd[7001]: ";
        assertThat(outcome(harness.single(pid + "Connection from 192.0.2.41 port 62001 on 10.0.0.1 port 22 rdomain \"\""))).isEqualTo("other");
        Event scan = harness.single(pid + "fatal: Unable to negotiate a key exchange method [preauth]");
        assertThat(outcome(scan)).isEqualTo("auth.scan/kex_negotiation_failed");
        assertThat(scan.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.41");
    }

    @Test
    void connectionResetByPeerIsNotAHostNamedPeer()
    {
        String pid = "Nov 22 14:05:00 web1 sshd[7002]: ";
        harness.single(pid + "Connection from 192.0.2.42 port 62002 on 10.0.0.1 port 22");
        Event scan = harness.single(pid + "Connection reset by peer [preauth]");
        assertThat(outcome(scan)).isEqualTo("auth.scan/closed_before_auth");
        assertThat(scan.fields())
                .containsEntry(Fields.SOURCE_IP, "192.0.2.42")
                .containsEntry(Fields.SOURCE_ADDRESS, "192.0.2.42")
                .containsEntry(Fields.SOURCE_PORT, 62002)
                .doesNotContainKey(SshdFields.SOURCE_DOMAIN);
    }

    @Test
    void messageRepeatedExpandsIntoThatManyEvents()
    {
        List<Event> events = harness.events("Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]");
        assertThat(events).hasSize(5).allSatisfy(event -> {
            assertThat(outcome(event)).isEqualTo("auth.login_failed/failed_password");
            assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, "5.36.59.76").doesNotContainKey(Fields.EVENT_COUNT);
            assertThat(event.message()).isEqualTo("Failed password for root from 5.36.59.76 port 42393 ssh2");
        });
    }

    @Test
    void repeatsBeyondTheLimitGoIntoEventCount()
    {
        ParserHarness limited = SshdHarness.create(new SshdParserConfig(null, "UTC", null, null, null, 3, null, null));
        List<Event> events = limited.events(PREFIX + "message repeated 1000000 times: [ Failed password for root from 192.0.2.50 port 1 ssh2]");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fields()).doesNotContainKey(Fields.EVENT_COUNT);
        assertThat(events.get(1).fields()).doesNotContainKey(Fields.EVENT_COUNT);
        assertThat(events.get(2).fields()).containsEntry(Fields.EVENT_COUNT, 999_998L);
    }

    @Test
    void journaldEventsAreClassifiedTheSameWay()
    {
        Event journal = harness.journalEvent("sshd-session", "31337", "Failed password for invalid user admin from 192.0.2.60 port 40404 ssh2");
        ParseResult result = harness.parse(journal);
        assertThat(result.isMatched()).isTrue();
        Event event = result.events().get(0);
        assertThat(outcome(event)).isEqualTo("auth.login_failed/failed_password");
        assertThat(event.timestamp()).isEqualTo(SshdHarness.READ_AT);
        assertThat(event.message()).isEqualTo("Failed password for invalid user admin from 192.0.2.60 port 40404 ssh2");
        assertThat(event.fields())
                .containsEntry(Fields.PROCESS_NAME, "sshd-session")
                .containsEntry(Fields.PROCESS_PID, 31337L)
                .containsEntry(Fields.HOST_NAME, ParserHarness.HOST_NAME)
                .containsEntry(Fields.SOURCE_IP, "192.0.2.60")
                .containsEntry(Fields.EVENT_ORIGINAL, "Failed password for invalid user admin from 192.0.2.60 port 40404 ssh2")
                .doesNotContainKey(SshdFields.SYSLOG_HOSTNAME);

        // the session table works across journald entries too
        Event tooMany = harness.parse(harness.journalEvent("sshd-session", 31337L, "Disconnecting: Too many authentication failures [preauth]")).events().get(0);
        assertThat(tooMany.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.60").containsEntry(Fields.USER_NAME, "admin");

        assertThat(harness.parse(harness.journalEvent("sshd-auth", 9, "Invalid user x from 192.0.2.61 port 1")).events().get(0).field(Fields.EVENT_ACTION))
                .isEqualTo("auth.login_failed");
        assertThat(harness.parse(harness.journalEvent("sudo", 9, "Failed password for root from 192.0.2.61 port 1 ssh2")).isMatched()).isFalse();
    }

    @Test
    void prefixFormats()
    {
        String text = "Failed password for root from 192.0.2.70 port 2222 ssh2";
        Event rfc3339 = harness.single("2026-03-01T12:34:56.123456+01:00 web2 sshd[101]: " + text);
        assertThat(rfc3339.timestamp()).isEqualTo(Instant.parse("2026-03-01T11:34:56.123456Z"));
        assertThat(rfc3339.fields()).containsEntry(SshdFields.SYSLOG_HOSTNAME, "web2").containsEntry(Fields.PROCESS_PID, 101L);

        Event rfc5424 = harness.single("<38>1 2026-03-01T12:34:56.5Z web3 sshd 102 - [meta sequenceId=\"1\" note=\"a \\] b\"] \uFEFF" + text);
        assertThat(rfc5424.timestamp()).isEqualTo(Instant.parse("2026-03-01T12:34:56.5Z"));
        assertThat(rfc5424.message()).isEqualTo(text);
        assertThat(rfc5424.fields())
                .containsEntry(Fields.LOG_SYSLOG_PRIORITY, 38)
                .containsEntry(Fields.LOG_SYSLOG_FACILITY, 4)
                .containsEntry(Fields.PROCESS_PID, 102L)
                .containsEntry(Fields.EVENT_ACTION, "auth.login_failed");

        Event rfc5424NoStructuredData = harness.single("<38>1 2026-03-01T12:34:56Z web3 sshd-session 103 - - " + text);
        assertThat(rfc5424NoStructuredData.fields()).containsEntry(Fields.PROCESS_NAME, "sshd-session").containsEntry(Fields.SOURCE_IP, "192.0.2.70");

        Event classicWithPriority = harness.single("<86>Jun  9 06:06:20 web4 sshd-session[104]: " + text);
        assertThat(classicWithPriority.timestamp()).isEqualTo(Instant.parse("2026-06-09T06:06:20Z"));
        assertThat(classicWithPriority.fields()).containsEntry(Fields.PROCESS_NAME, "sshd-session");

        Event withoutHost = harness.single("Jun  9 06:06:20 sshd[105]: " + text);
        assertThat(withoutHost.fields()).containsEntry(Fields.PROCESS_PID, 105L).doesNotContainKey(SshdFields.SYSLOG_HOSTNAME);

        Event sshdAuth = harness.single("Jun  9 06:06:21 web4 sshd-auth[106]: " + text);
        assertThat(sshdAuth.fields()).containsEntry(Fields.PROCESS_NAME, "sshd-auth");
    }

    @Test
    void classicTimestampsInTheConfiguredZoneAndYear()
    {
        ParserHarness paris = SshdHarness.create(new SshdParserConfig(2019, "Europe/Paris", null, null, null, null, null, null));
        assertThat(paris.single("Jul  1 12:00:00 h sshd[1]: Invalid user a from 192.0.2.1").timestamp()).isEqualTo(Instant.parse("2019-07-01T10:00:00Z"));
        assertThat(paris.single("Jan  1 12:00:00 h sshd[1]: Invalid user a from 192.0.2.1").timestamp()).isEqualTo(Instant.parse("2019-01-01T11:00:00Z"));
    }

    @Test
    void decemberLinesReadInJanuaryBelongToTheYearBefore()
    {
        Event event = harness.parse(Event.builder()
                .timestamp(Instant.parse("2027-01-01T00:00:05Z"))
                .message("Dec 31 23:59:58 h sshd[1]: Invalid user a from 192.0.2.1")
                .build()).events().get(0);
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-12-31T23:59:58Z"));
    }

    @Test
    void linesOfOtherProgramsAreUnmatched()
    {
        assertThat(harness.parseLine("Nov 22 14:03:07 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart sshd").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 web1 systemd[1]: Started sshd.service - OpenBSD Secure Shell server.").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 web1 sshdfake[1]: Failed password for root from 192.0.2.1 port 1 ssh2").isMatched()).isFalse();
        assertThat(harness.parseLine("Failed password for root from 192.0.2.1 port 1 ssh2 sshd").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 web1 CRON[55]: pam_unix(cron:session): session closed for user root").isMatched()).isFalse();
        assertThat(harness.parseLine("").isMatched()).isFalse();
    }

    @Test
    void theLooserPrefixShapesStillAdmitOnlySshd()
    {
        assertThat(harness.parseLine("Nov 22 14:03:07 alpine authpriv.info sshdfake[1]: Failed password for root from 192.0.2.1 port 1 ssh2").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 alpine authpriv.info cron[1]: sshd restarted").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 fw1 [sshdx]: Failed password for root from 192.0.2.1 port 1 ssh2").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 fw1 [sshd Failed password for root from 192.0.2.1 port 1 ssh2").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 a b sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2").isMatched()).isFalse();
        // busybox' facility.level is one of the names syslog daemons print, not any dotted word (the prefix parser
        // shared with parser-linux-auth, which takes every tag, is strict here)
        assertThat(harness.parseLine("Nov 22 14:03:07 alpine foo.bar sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2").isMatched()).isFalse();
        assertThat(harness.parseLine("Nov 22 14:03:07 alpine authpriv.warning sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2").isMatched()).isTrue();
        // a host that merely starts with "sshd" is a host
        assertThat(harness.single("Nov 22 14:03:07 sshd-gw sshd[1]: Invalid user a from 192.0.2.1").fields())
                .containsEntry(SshdFields.SYSLOG_HOSTNAME, "sshd-gw")
                .containsEntry(Fields.SOURCE_IP, "192.0.2.1");
        // Solaris' message id is skipped only right after the tag, and only when well-formed
        Event notAnId = harness.single("Nov 22 14:03:07 sol sshd[2]: [ID x auth.info] Invalid user a from 192.0.2.2");
        assertThat(outcome(notAnId)).isEqualTo("other");
        assertThat(notAnId.message()).isEqualTo("[ID x auth.info] Invalid user a from 192.0.2.2");
        Event solaris = harness.single("Nov 22 14:03:07 sol sshd[3]: [ID 800047 auth.info] Invalid user a from 192.0.2.3");
        assertThat(solaris.message()).isEqualTo("Invalid user a from 192.0.2.3");
        assertThat(solaris.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.3");
    }

    @Test
    void fractionalClassicAndCompactOffsetTimestamps()
    {
        assertThat(harness.single("Nov 22 14:03:07.250000 h sshd[1]: Invalid user a from 192.0.2.1").timestamp())
                .isEqualTo(Instant.parse("2026-11-22T14:03:07.25Z"));
        assertThat(harness.single("2026-11-22T14:03:07+0100 h sshd[2]: Invalid user a from 192.0.2.2").timestamp())
                .isEqualTo(Instant.parse("2026-11-22T13:03:07Z"));
        assertThat(harness.single("2026-11-22 14:03:07.5-0230  h sshd[3]: Invalid user a from 192.0.2.3").timestamp())
                .isEqualTo(Instant.parse("2026-11-22T16:33:07.5Z"));
    }

    @Test
    void otherSshdLinesFollowTheConfiguredPolicy()
    {
        String line = PREFIX + "Server listening on 0.0.0.0 port 22.";
        Event kept = harness.single(line);
        assertThat(kept.fields())
                .doesNotContainKey(Fields.EVENT_ACTION)
                .containsEntry(Fields.EVENT_MODULE, "sshd")
                .containsEntry(Fields.PROCESS_PID, 4242L)
                .containsEntry(Fields.EVENT_ORIGINAL, line);
        assertThat(kept.timestamp()).isEqualTo(PREFIX_TIME);
        assertThat(kept.message()).isEqualTo("Server listening on 0.0.0.0 port 22.");

        ParserHarness dropping = SshdHarness.create(new SshdParserConfig(null, "UTC", null, null, null, null, OtherLines.DROP, false));
        ParseResult dropped = dropping.parseLine(line);
        assertThat(dropped.isMatched()).isTrue();
        assertThat(dropped.events()).isEmpty();
        assertThat(dropping.single(PREFIX + "Invalid user a from 192.0.2.1").fields()).doesNotContainKey(Fields.EVENT_ORIGINAL);

        ParserHarness passing = SshdHarness.create(new SshdParserConfig(null, "UTC", null, null, null, null, OtherLines.UNMATCHED, null));
        assertThat(passing.parseLine(line).isMatched()).isFalse();
    }

    @Test
    void anAddressThatCannotBeSshdsMakesNoEvent()
    {
        assertThat(outcome(harness.single(PREFIX + "Failed password for root from 999.1.1.1 port 22 ssh2"))).isEqualTo("other");
        assertThat(outcome(harness.single(PREFIX + "Failed password for root from <script> port 22 ssh2"))).isEqualTo("other");
    }

    @Test
    void ipv4MappedAddressesAreReportedAsIpv4()
    {
        Event event = harness.single(PREFIX + "Failed password for root from ::ffff:192.0.2.80 port 22 ssh2");
        assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.80").containsEntry(Fields.SOURCE_ADDRESS, "::ffff:192.0.2.80");
    }

    @Test
    void longValuesAreCut()
    {
        ParserHarness capped = SshdHarness.create(new SshdParserConfig(null, "UTC", null, 16, null, null, null, null));
        Event event = capped.single(PREFIX + "Invalid user " + "x".repeat(100) + " from 192.0.2.90 port 1");
        assertThat((String) event.field(Fields.USER_NAME)).hasSize(16);
    }

    @Test
    void aConnectionSshdEndsForTooManyFailuresLeavesNoSession()
    {
        TestingMetrics metrics = new TestingMetrics();
        ParserHarness parser = SshdHarness.create(new SshdParserConfig(null, "UTC", null, null, null, null, null, null), metrics);
        parser.single("Nov 22 14:03:07 web1 sshd[7]: Failed password for root from 192.0.2.7 port 22 ssh2");
        parser.single("Nov 22 14:03:07 web1 sshd[7]: error: maximum authentication attempts exceeded for root from 192.0.2.7 port 22 ssh2 [preauth]");
        assertThat(metrics.gaugeValue("sshd_sessions")).isEqualTo(1);

        Event disconnecting = parser.single("Nov 22 14:03:08 web1 sshd[7]: Disconnecting: Too many authentication failures [preauth]");

        assertThat(outcome(disconnecting)).isEqualTo("auth.preauth_disconnect/too_many_auth_failures");
        assertThat(disconnecting.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.7").containsEntry(Fields.USER_NAME, "root");
        assertThat(metrics.gaugeValue("sshd_sessions")).isZero();
    }

    @Test
    void sessionTableIsBounded()
    {
        TestingMetrics smallMetrics = new TestingMetrics();
        ParserHarness small = SshdHarness.create(new SshdParserConfig(null, "UTC", 2, null, null, null, null, null), smallMetrics);
        for (int pid = 1; pid <= 3; pid++) {
            small.single("Nov 22 14:03:07 web1 sshd[" + pid + "]: Failed password for root from 192.0.2." + pid + " port 22 ssh2");
        }
        assertThat(smallMetrics.counterValue("sshd_session_evictions_total")).isEqualTo(1);
        // pid 1 was forgotten, pid 3 is remembered
        assertThat(small.single("Nov 22 14:03:08 web1 sshd[1]: Disconnecting: Too many authentication failures [preauth]").fields())
                .doesNotContainKey(Fields.SOURCE_IP);
        assertThat(small.single("Nov 22 14:03:08 web1 sshd[3]: Disconnecting: Too many authentication failures [preauth]").fields())
                .containsEntry(Fields.SOURCE_IP, "192.0.2.3");
    }

    @Test
    void aReusedPidWithAnotherAddressStartsANewSession()
    {
        harness.single(PREFIX + "Failed password for alice from 192.0.2.100 port 1 ssh2");
        harness.single(PREFIX + "Invalid user mallory from 192.0.2.101 port 2");
        Event event = harness.single(PREFIX + "Disconnecting: Too many authentication failures [preauth]");
        assertThat(event.fields()).containsEntry(Fields.SOURCE_IP, "192.0.2.101").containsEntry(Fields.USER_NAME, "mallory");
    }

    @Test
    void unmatchedEventsAreReturnedUntouched()
    {
        Event event = harness.fileEvent("Nov 22 14:03:07 web1 kernel: [42.0] eth0: link up, sshd unaffected");
        assertThat(harness.parse(event)).isSameAs(ParseResult.unmatched());
    }
}
