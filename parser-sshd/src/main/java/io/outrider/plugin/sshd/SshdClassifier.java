package io.outrider.plugin.sshd;

import io.outrider.plugin.sshd.SshdLine.Kind;

import java.util.List;
import java.util.regex.Matcher;

import static io.outrider.plugin.sshd.SshdTemplates.ADDRESS_MAPS;
import static io.outrider.plugin.sshd.SshdTemplates.BAD_PROTOCOL_VERSION;
import static io.outrider.plugin.sshd.SshdTemplates.BANNER_EXCHANGE;
import static io.outrider.plugin.sshd.SshdTemplates.CONNECTION_CLOSED;
import static io.outrider.plugin.sshd.SshdTemplates.CONNECTION_FROM;
import static io.outrider.plugin.sshd.SshdTemplates.DISCONNECTED;
import static io.outrider.plugin.sshd.SshdTemplates.FAILED_OR_ACCEPTED;
import static io.outrider.plugin.sshd.SshdTemplates.INPUT_USERAUTH_INVALID;
import static io.outrider.plugin.sshd.SshdTemplates.INVALID_USER;
import static io.outrider.plugin.sshd.SshdTemplates.MAX_AUTH_ATTEMPTS;
import static io.outrider.plugin.sshd.SshdTemplates.NOT_ALLOWED_ACCOUNT;
import static io.outrider.plugin.sshd.SshdTemplates.NOT_ALLOWED_FROM;
import static io.outrider.plugin.sshd.SshdTemplates.NO_IDENTIFICATION;
import static io.outrider.plugin.sshd.SshdTemplates.PAM_AUTH_FAILURE;
import static io.outrider.plugin.sshd.SshdTemplates.PAM_MORE_FAILURES;
import static io.outrider.plugin.sshd.SshdTemplates.PROTOCOL_MISMATCH;
import static io.outrider.plugin.sshd.SshdTemplates.RECEIVED_DISCONNECT;
import static io.outrider.plugin.sshd.SshdTemplates.REFUSED_CONNECT;
import static io.outrider.plugin.sshd.SshdTemplates.REVERSE_MAPPING;
import static io.outrider.plugin.sshd.SshdTemplates.ROOT_LOGIN_REFUSED;
import static io.outrider.plugin.sshd.SshdTemplates.SESSION_CLOSED;
import static io.outrider.plugin.sshd.SshdTemplates.SESSION_OPENED;
import static io.outrider.plugin.sshd.SshdTemplates.TIMEOUT;
import static io.outrider.plugin.sshd.SshdTemplates.TOO_MANY_FAILURES;
import static io.outrider.plugin.sshd.SshdTemplates.TOO_MANY_FAILURES_WITH_ADDRESS;
import static io.outrider.plugin.sshd.SshdTemplates.UNABLE_TO_NEGOTIATE;

/**
 * Classifies one sshd message (the text after the syslog prefix). Dispatches on the first characters to the one or
 * two {@link Template}s that can apply, so a line costs at most a couple of anchored matches; the four commonest
 * templates are first tried by the equivalent hand-written {@link FastPaths}. The templates are in
 * {@link SshdTemplates}; the messages whose client-written part a template cannot anchor are read by hand in
 * {@link ScannedMessages}.
 *
 * <p>Security: user names are attacker-controlled ({@code ssh -l 'root from 1.2.3.4 port 22' host}) and sshd writes
 * them before the client address. Every template matches the whole message and takes the address from the fixed tail
 * that sshd writes after the user name; the user group is the only one that may backtrack, so the address is always
 * the last one on the line. Addresses are validated by the parser. Not thread-safe: it reuses its matchers.
 */
final class SshdClassifier
{
    private static final String PREAUTH_SUFFIX = " [preauth]";
    private static final String INVALID_USERNAME_PLACEHOLDER = "<invalid username>";
    private static final int FROM_LENGTH = " from ".length();

    /** Every template, for the design checks. */
    static final List<Template> TEMPLATES = SshdTemplates.ALL;

    private final boolean fastPaths;

    /** A classifier that uses {@link FastPaths} for the commonest lines. */
    SshdClassifier()
    {
        this(true);
    }

    /** {@code fastPaths == false}: templates only, the reference the fast paths are tested against. */
    SshdClassifier(boolean fastPaths)
    {
        this.fastPaths = fastPaths;
    }

    // reused for every line: matching allocates no matcher (this makes the classifier single-threaded, like a parser)
    private final Matcher failedOrAccepted = FAILED_OR_ACCEPTED.newMatcher();
    private final Matcher invalidUser = INVALID_USER.newMatcher();
    private final Matcher notAllowedFrom = NOT_ALLOWED_FROM.newMatcher();
    private final Matcher notAllowedAccount = NOT_ALLOWED_ACCOUNT.newMatcher();
    private final Matcher rootLoginRefused = ROOT_LOGIN_REFUSED.newMatcher();
    private final Matcher refusedConnect = REFUSED_CONNECT.newMatcher();
    private final Matcher tooManyFailuresWithAddress = TOO_MANY_FAILURES_WITH_ADDRESS.newMatcher();
    private final Matcher tooManyFailures = TOO_MANY_FAILURES.newMatcher();
    private final Matcher maxAuthAttempts = MAX_AUTH_ATTEMPTS.newMatcher();
    private final Matcher pamAuthFailure = PAM_AUTH_FAILURE.newMatcher();
    private final Matcher pamMoreFailures = PAM_MORE_FAILURES.newMatcher();
    private final Matcher protocolMismatch = PROTOCOL_MISMATCH.newMatcher();
    private final Matcher sessionOpened = SESSION_OPENED.newMatcher();
    private final Matcher sessionClosed = SESSION_CLOSED.newMatcher();
    private final Matcher disconnected = DISCONNECTED.newMatcher();
    private final Matcher connectionClosed = CONNECTION_CLOSED.newMatcher();
    private final Matcher receivedDisconnect = RECEIVED_DISCONNECT.newMatcher();
    private final Matcher timeout = TIMEOUT.newMatcher();
    private final Matcher noIdentification = NO_IDENTIFICATION.newMatcher();
    private final Matcher bannerExchange = BANNER_EXCHANGE.newMatcher();
    private final Matcher badProtocolVersion = BAD_PROTOCOL_VERSION.newMatcher();
    private final Matcher unableToNegotiate = UNABLE_TO_NEGOTIATE.newMatcher();
    private final Matcher connectionFrom = CONNECTION_FROM.newMatcher();
    private final Matcher inputUserauthInvalid = INPUT_USERAUTH_INVALID.newMatcher();
    private final Matcher reverseMapping = REVERSE_MAPPING.newMatcher();
    private final Matcher addressMaps = ADDRESS_MAPS.newMatcher();

    /** Classifies one sshd message (no syslog prefix, no {@code message repeated} wrapper). */
    SshdLine classify(String message)
    {
        String text = stripTrailingWhitespace(message);
        boolean preauth = text.endsWith(PREAUTH_SUFFIX);
        if (preauth) {
            text = text.substring(0, text.length() - PREAUTH_SUFFIX.length());
        }
        if (text.startsWith("error: ") || text.startsWith("fatal: ")) {
            text = text.substring(7);
        }
        if (text.isEmpty()) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        switch (text.charAt(0)) {
            case 'F':
            case 'A':
                if (text.startsWith("Failed ") || text.startsWith("Accepted ")) {
                    return failedOrAccepted(text, preauth);
                }
                if (text.startsWith("Address ")) {
                    return addressMaps(text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 'I':
                return text.startsWith("Invalid user ") || text.startsWith("Illegal user ") ? invalidUser(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'U':
                if (text.startsWith("User ")) {
                    return notAllowed(text, preauth);
                }
                if (text.startsWith("Unable to negotiate ")) {
                    return unableToNegotiate(text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 'R':
                if (text.startsWith("Received disconnect from ")) {
                    return receivedDisconnect(text, preauth);
                }
                if (text.startsWith("Read from socket failed: ") || text.startsWith("Read error from remote host ")) {
                    return ScannedMessages.socketFailure(text, preauth);
                }
                if (text.startsWith("ROOT LOGIN REFUSED FROM ")) {
                    return addressOnly(rootLoginRefused, Kind.ROOT_LOGIN_REFUSED, "root_login_refused", "root", text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 'r':
                if (text.startsWith("refused connect from ")) {
                    return refusedConnect(text, preauth);
                }
                if (text.startsWith("reverse mapping checking ")) {
                    return reverseMapping(text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 'D':
                if (text.startsWith("Disconnected from ")) {
                    return disconnected(text, preauth);
                }
                if (text.startsWith("Disconnecting")) {
                    SshdLine tooMany = tooManyFailures(text, preauth);
                    return tooMany.kind() != Kind.OTHER ? tooMany : ScannedMessages.changeOfUsername(text, preauth);
                }
                if (text.startsWith("Did not receive identification string ")) {
                    return addressOnly(noIdentification, Kind.PROBE, "no_identification_string", null, text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 'C':
                if (text.startsWith("Connection reset by peer")) {
                    // the client's address is not on the line: the session table has it
                    return ScannedMessages.socketFailure(text, preauth);
                }
                if (text.startsWith("Connection closed by ") || text.startsWith("Connection reset by ")) {
                    return connectionClosed(text, preauth);
                }
                if (text.startsWith("Connection from ")) {
                    return addressOnly(connectionFrom, Kind.CONTEXT, null, null, text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 'm':
                return text.startsWith("maximum authentication attempts exceeded ") ? maxAuthAttempts(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'P':
                if (text.startsWith("PAM: ")) {
                    return ScannedMessages.pamError(text, preauth);
                }
                if (text.startsWith("Protocol major versions differ: ")) {
                    // OpenSSH 8.x and later name no address here: the line that ends the connection does
                    return SshdLine.of(Kind.PROBE_WITHOUT_ADDRESS, "protocol_mismatch", null, null, null, SshdLine.NO_PORT, preauth);
                }
                if (text.startsWith("Protocol major versions differ for ")) {
                    return addressOnly(protocolMismatch, Kind.PROBE, "protocol_mismatch", null, text, preauth);
                }
                if (text.startsWith("PAM ")) {
                    return pamMoreFailures(text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 's':
                if (text.startsWith("ssh_dispatch_run_fatal: Connection from ")) {
                    return ScannedMessages.dispatchFatal(text, preauth);
                }
                return pam(text, preauth);
            case 'p':
            case 'a':
                return pam(text, preauth);
            case 'W':
                return text.startsWith("Write failed: ") ? ScannedMessages.socketFailure(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'd':
                return text.startsWith("drop connection #") ? ScannedMessages.dropConnection(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'k':
                return text.startsWith("kex_exchange_identification: ")
                        ? SshdLine.of(Kind.PROBE_WITHOUT_ADDRESS, "kex_exchange_identification", null, null, null, SshdLine.NO_PORT, preauth)
                        : SshdLine.of(Kind.OTHER, preauth);
            case 'b':
                return text.startsWith("banner exchange: ") ? bannerExchange(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'B':
                return text.startsWith("Bad protocol version identification ") ? badProtocolVersion(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'T':
                return text.startsWith("Timeout before authentication ") ? timeout(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'i':
                return text.startsWith("input_userauth_request: ") ? inputUserauth(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
            case 'n':
                // OpenSSH before 7.0: "fatal: no matching cipher found: client ... server ... [preauth]"
                return text.startsWith("no matching ") && text.contains(" found")
                        ? SshdLine.of(Kind.PROBE_WITHOUT_ADDRESS, "kex_negotiation_failed", null, null, null, SshdLine.NO_PORT, preauth)
                        : SshdLine.of(Kind.OTHER, preauth);
            default:
                return SshdLine.of(Kind.OTHER, preauth);
        }
    }

    private SshdLine failedOrAccepted(String text, boolean preauth)
    {
        String[] g = fastPaths ? FastPaths.failedOrAccepted(text) : null;
        if (g == null) {
            Matcher m = Template.match(failedOrAccepted, text);
            if (m != null && m.start(5) - FROM_LENGTH != text.lastIndexOf(" from ")) {
                // the template took the address after a " from " in the user name: on a line whose own tail does
                // not end in " ssh2" the template can, so the tail at the last " from " wins when there is one
                String[] tail = ScannedMessages.failedOrAcceptedWithoutProtocol(text);
                g = tail != null ? tail : groups(m);
            }
            else {
                g = m != null ? groups(m) : ScannedMessages.failedOrAcceptedWithoutProtocol(text);
            }
            if (g == null) {
                return SshdLine.of(Kind.OTHER, preauth);
            }
        }
        boolean accepted = g[1].charAt(0) == 'A';
        boolean invalid = g[3] != null;
        String user = g[4];
        if (user.equals(INVALID_USERNAME_PLACEHOLDER)) {
            // Solaris' SunSSH names no user it does not know
            invalid = true;
            user = null;
        }
        if (accepted && invalid) {
            // sshd never accepts an invalid user: this is not sshd's line
            return SshdLine.of(Kind.OTHER, preauth);
        }
        return new SshdLine(accepted ? Kind.ACCEPTED : Kind.FAILED, null, user, invalid, g[5], SshdLine.port(g[6]), g[2], g[7], g[8], 1, preauth);
    }

    private SshdLine invalidUser(String text, boolean preauth)
    {
        String[] g = fastPaths ? FastPaths.invalidUser(text) : null;
        if (g == null) {
            g = groups(Template.match(invalidUser, text));
        }
        return g == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.INVALID_USER, "invalid_user", g[1], Boolean.TRUE, g[2], SshdLine.port(g[3]), preauth);
    }

    private SshdLine notAllowed(String text, boolean preauth)
    {
        Matcher m = Template.match(notAllowedFrom, text);
        if (m != null) {
            return SshdLine.of(Kind.NOT_ALLOWED, notAllowedReason(m.group(3)), m.group(1), Boolean.FALSE, m.group(2), SshdLine.NO_PORT, preauth);
        }
        m = Template.match(notAllowedAccount, text);
        if (m != null) {
            String because = m.group(2);
            String reason = because.startsWith("account") ? "account_locked"
                    : because.startsWith("shell ") ? (because.endsWith("does not exist") ? "shell_does_not_exist" : "shell_not_executable")
                    : notAllowedReason(because);
            return SshdLine.of(Kind.NOT_ALLOWED, reason, m.group(1), Boolean.FALSE, null, SshdLine.NO_PORT, preauth);
        }
        return SshdLine.of(Kind.OTHER, preauth);
    }

    private static String notAllowedReason(String because)
    {
        switch (because) {
            case "listed in DenyUsers":
                return "listed_in_deny_users";
            case "not listed in AllowUsers":
                return "not_listed_in_allow_users";
            case "not in any group":
                return "not_in_any_group";
            case "a group is listed in DenyGroups":
                return "group_listed_in_deny_groups";
            default:
                return "no_group_listed_in_allow_groups";
        }
    }

    private SshdLine refusedConnect(String text, boolean preauth)
    {
        Matcher m = Template.match(refusedConnect, text);
        // the address in parentheses is the numeric one; the first may be a host name
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.REFUSED_CONNECT, "refused_connect", null, null, m.group(2), SshdLine.NO_PORT, preauth);
    }

    private SshdLine tooManyFailures(String text, boolean preauth)
    {
        Matcher m = Template.match(tooManyFailuresWithAddress, text);
        if (m != null) {
            return SshdLine.of(Kind.TOO_MANY_AUTH_FAILURES, "too_many_auth_failures", m.group(2), m.group(1).equals("invalid"),
                    m.group(3), SshdLine.port(m.group(4)), preauth);
        }
        m = Template.match(tooManyFailures, text);
        if (m != null) {
            Boolean invalid = m.group(2) == null ? null : m.group(1) != null;
            return SshdLine.of(Kind.TOO_MANY_AUTH_FAILURES, "too_many_auth_failures", m.group(2), invalid, null, SshdLine.NO_PORT, preauth);
        }
        return SshdLine.of(Kind.OTHER, preauth);
    }

    private SshdLine maxAuthAttempts(String text, boolean preauth)
    {
        Matcher m = Template.match(maxAuthAttempts, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.MAX_AUTH_ATTEMPTS, "max_auth_attempts_exceeded", m.group(2), m.group(1) != null, m.group(3), SshdLine.port(m.group(4)), preauth);
    }

    private SshdLine pamMoreFailures(String text, boolean preauth)
    {
        Matcher m = Template.match(pamMoreFailures, text);
        if (m == null) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        long count = Long.parseLong(m.group(1));
        if (count == 0) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        return SshdLine.of(Kind.PAM_SUMMARY, "pam_auth_failure", emptyToNull(m.group(3)), null, emptyToNull(m.group(2)), SshdLine.NO_PORT, preauth)
                .withCount(count);
    }

    private SshdLine pam(String text, boolean preauth)
    {
        // "pam_unix(sshd:auth): ..." from sshd, or the bare PAM text under the program sshd(pam_unix)
        int start = 0;
        if (text.startsWith("pam_")) {
            start = text.indexOf("): ");
            if (start < 0) {
                return SshdLine.of(Kind.OTHER, preauth);
            }
            start += 3;
        }
        if (text.startsWith("authentication failure; ", start)) {
            Matcher m = Template.match(pamAuthFailure, text);
            return m == null ? SshdLine.of(Kind.OTHER, preauth)
                    : SshdLine.of(Kind.PAM_MODULE_FAILURE, "pam_auth_failure", emptyToNull(m.group(2)), null, emptyToNull(m.group(1)), SshdLine.NO_PORT, preauth);
        }
        if (text.startsWith("session opened for user ", start)) {
            Matcher m = Template.match(sessionOpened, text);
            return m == null ? SshdLine.of(Kind.OTHER, preauth)
                    : SshdLine.of(Kind.SESSION_OPENED, "pam_session_opened", m.group(1), Boolean.FALSE, null, SshdLine.NO_PORT, preauth);
        }
        if (text.startsWith("session closed for user ", start)) {
            Matcher m = Template.match(sessionClosed, text);
            return m == null ? SshdLine.of(Kind.OTHER, preauth)
                    : SshdLine.of(Kind.SESSION_CLOSED, "session_closed", m.group(1), Boolean.FALSE, null, SshdLine.NO_PORT, preauth);
        }
        return SshdLine.of(Kind.OTHER, preauth);
    }

    private SshdLine disconnected(String text, boolean preauth)
    {
        String[] g = fastPaths ? FastPaths.disconnected(text) : null;
        if (g == null) {
            g = groups(Template.match(disconnected, text));
            if (g == null) {
                return SshdLine.of(Kind.OTHER, preauth);
            }
        }
        String who = g[1];
        String user = g[2];
        String address = g[3];
        int port = SshdLine.port(g[4]);
        if (preauth) {
            if ("user".equals(who)) {
                // a logged-in user is never [preauth]
                return SshdLine.of(Kind.OTHER, true);
            }
            return SshdLine.of(Kind.PREAUTH_END, "disconnected", user, who == null ? null : who.startsWith("invalid"), address, port, true);
        }
        if ("user".equals(who)) {
            return SshdLine.of(Kind.DISCONNECTED_USER, "disconnected", user, Boolean.FALSE, address, port, false);
        }
        return SshdLine.of(Kind.CONTEXT, null, user, who == null ? null : who.startsWith("invalid"), address, port, false);
    }

    private SshdLine connectionClosed(String text, boolean preauth)
    {
        Matcher m = Template.match(connectionClosed, text);
        if (m == null) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        String how = m.group(1).equals("closed") ? "connection_closed" : "connection_reset";
        if (m.group(2) != null) {
            Boolean invalid = m.group(2).equals("invalid");
            return SshdLine.of(preauth ? Kind.PREAUTH_END : Kind.CONTEXT, how, m.group(3), invalid, m.group(4), SshdLine.port(m.group(5)), preauth);
        }
        return SshdLine.of(preauth ? Kind.PREAUTH_END : Kind.CONNECTION_END, how, null, null, m.group(6), SshdLine.port(m.group(7)), preauth);
    }

    private SshdLine receivedDisconnect(String text, boolean preauth)
    {
        String[] g = fastPaths ? FastPaths.receivedDisconnect(text) : null;
        if (g == null) {
            g = groups(Template.match(receivedDisconnect, text));
            if (g == null) {
                return SshdLine.of(Kind.OTHER, preauth);
            }
        }
        // OpenSSH 7.2 and later write "from ADDR port N:CODE:" and always follow with "Disconnected from ...", which
        // is the line that ends the session; the older "from ADDR: CODE:" is the last line of the connection
        boolean modern = g[2] != null;
        if (ScannedMessages.isClientAuthenticationFailure(text, "Received disconnect from ".length() + g[1].length() + (modern ? 6 + g[2].length() : 0))) {
            return SshdLine.of(Kind.FAILURE, "client_auth_fail", null, null, g[1], SshdLine.port(g[2]), preauth);
        }
        Kind kind = preauth && !modern ? Kind.PREAUTH_END : Kind.CONTEXT;
        return SshdLine.of(kind, "disconnected", null, null, g[1], SshdLine.port(g[2]), preauth);
    }

    private SshdLine timeout(String text, boolean preauth)
    {
        Matcher m = Template.match(timeout, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.PREAUTH_END, "login_grace_time_exceeded", null, null, m.group(1), SshdLine.port(m.group(2)), preauth);
    }

    private SshdLine bannerExchange(String text, boolean preauth)
    {
        Matcher m = Template.match(bannerExchange, text);
        if (m == null) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        String reason = m.group(3).equals("invalid format") ? "banner_invalid_format" : "banner_exchange_failed";
        return SshdLine.of(Kind.PROBE, reason, null, null, m.group(1), SshdLine.port(m.group(2)), preauth);
    }

    private SshdLine badProtocolVersion(String text, boolean preauth)
    {
        Matcher m = Template.match(badProtocolVersion, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.PROBE, "bad_protocol_version", null, null, m.group(2), SshdLine.port(m.group(3)), preauth);
    }

    private SshdLine unableToNegotiate(String text, boolean preauth)
    {
        if (text.startsWith("Unable to negotiate a key exchange method")) {
            // OpenSSH before 7.0 named no address
            return SshdLine.of(Kind.PROBE_WITHOUT_ADDRESS, "kex_negotiation_failed", null, null, null, SshdLine.NO_PORT, preauth);
        }
        Matcher m = Template.match(unableToNegotiate, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.PROBE, "kex_negotiation_failed", null, null, m.group(1), SshdLine.port(m.group(2)), preauth);
    }

    private SshdLine inputUserauth(String text, boolean preauth)
    {
        Matcher m = Template.match(inputUserauthInvalid, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.CONTEXT, null, m.group(1), Boolean.TRUE, null, SshdLine.NO_PORT, preauth);
    }

    private SshdLine reverseMapping(String text, boolean preauth)
    {
        Matcher m = Template.match(reverseMapping, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.CONTEXT, null, null, null, m.group(2), SshdLine.NO_PORT, preauth);
    }

    private SshdLine addressMaps(String text, boolean preauth)
    {
        Matcher m = Template.match(addressMaps, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.CONTEXT, null, null, null, m.group(1), SshdLine.NO_PORT, preauth);
    }

    private SshdLine addressOnly(Matcher matcher, Kind kind, String detail, String user, String text, boolean preauth)
    {
        Matcher m = Template.match(matcher, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(kind, detail, user, user == null ? null : Boolean.FALSE, m.group(1), SshdLine.port(m.group(2)), preauth);
    }

    /** The groups of a match as an array indexed like {@link Matcher#group(int)}, or {@code null} for no match. */
    private static String[] groups(Matcher matcher)
    {
        if (matcher == null) {
            return null;
        }
        String[] groups = new String[matcher.groupCount() + 1];
        for (int i = 1; i < groups.length; i++) {
            groups[i] = matcher.group(i);
        }
        return groups;
    }

    private static String emptyToNull(String text)
    {
        return text == null || text.isEmpty() ? null : text;
    }

    private static String stripTrailingWhitespace(String text)
    {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return end == text.length() ? text : text.substring(0, end);
    }
}
