package io.outrider.plugin.sshd;

import io.outrider.plugin.sshd.SshdLine.Kind;

import java.util.List;
import java.util.regex.Matcher;

/**
 * Classifies one sshd message (the text after the syslog prefix). Dispatches on the first characters to the one or
 * two {@link Template}s that can apply, so a line costs at most a couple of anchored matches; the four commonest
 * templates are first tried by the equivalent hand-written {@link FastPaths}.
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
    private static final String CHANGE_OF_USERNAME = ": Change of username or service not allowed: ";
    private static final int SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE = 14;
    private static final int MAX_METHOD_LENGTH = 64;
    private static final int FROM_LENGTH = " from ".length();
    private static final int MAX_PAM_MESSAGE_LENGTH = 128;
    private static final String USER = "(.*)";
    private static final String ADDRESS = "(\\S++)";
    private static final String PORT = "(\\d{1,5}+)";
    private static final String OPTIONAL_PORT = "(?: port (\\d{1,5}+))?";
    private static final String VALIDITY = "(?:(invalid|illegal) user )?";
    private static final String POLICY_REFUSALS = "|listed in DenyUsers|not listed in AllowUsers|not in any group"
            + "|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups";
    private static final String PAM_FIELDS = "logname=\\S*+ uid=\\d*+ euid=\\d*+ tty=\\S*+ ruser=\\S*+ rhost=(\\S*+)(?: ++user=(\\S*+))? *+";

    static final Template FAILED_OR_ACCEPTED = new Template("failed_or_accepted",
            "(Failed|Accepted) ([a-z][a-z0-9-]*+(?:/[a-z0-9-]++)?) for " + VALIDITY + USER + " from " + ADDRESS + " port " + PORT
                    + " ssh[12](?:: (?:([A-Z][A-Z0-9-]*+) ([A-Za-z0-9+/=:]++))?.*+)?");
    static final Template INVALID_USER = new Template("invalid_user",
            "(?:Invalid|Illegal) user " + USER + " from " + ADDRESS + OPTIONAL_PORT);
    static final Template NOT_ALLOWED_FROM = new Template("not_allowed_from",
            "User " + USER + " from " + ADDRESS + " not allowed because (" + POLICY_REFUSALS.substring(1) + ")");
    static final Template NOT_ALLOWED_ACCOUNT = new Template("not_allowed_account",
            // without "from ADDR": the account checks, and the policy checks of some vendors' builds
            "User (\\S++) not allowed because (account is locked|shell .* (?:does not exist|is not executable)" + POLICY_REFUSALS + ")");
    static final Template ROOT_LOGIN_REFUSED = new Template("root_login_refused",
            "ROOT LOGIN REFUSED FROM " + ADDRESS + OPTIONAL_PORT);
    static final Template REFUSED_CONNECT = new Template("refused_connect",
            "refused connect from (\\S++) \\(([^()\\s]++)\\)");
    static final Template TOO_MANY_FAILURES_WITH_ADDRESS = new Template("too_many_failures_with_address",
            "Disconnecting (authenticating|invalid) user " + USER + " " + ADDRESS + " port " + PORT + ": Too many authentication failures");
    static final Template TOO_MANY_FAILURES = new Template("too_many_failures",
            "Disconnecting: Too many authentication failures(?: for " + VALIDITY + USER + ")?");
    static final Template MAX_AUTH_ATTEMPTS = new Template("max_auth_attempts",
            "maximum authentication attempts exceeded for " + VALIDITY + USER + " from " + ADDRESS + " port " + PORT + " ssh[12]");
    static final Template PAM_AUTH_FAILURE = new Template("pam_auth_failure",
            "(?:pam_[a-z0-9_]++\\(sshd:auth\\): )?authentication failure; " + PAM_FIELDS);
    static final Template PAM_MORE_FAILURES = new Template("pam_more_failures",
            "PAM (\\d{1,9}+) more authentication failures?+; " + PAM_FIELDS);
    static final Template SESSION_OPENED = new Template("session_opened",
            "(?:pam_[a-z0-9_]++\\(sshd:session\\): )?session opened for user ([^\\s(]++)(?:\\(uid=\\d{1,10}+\\))? by .*+");
    static final Template SESSION_CLOSED = new Template("session_closed",
            "(?:pam_[a-z0-9_]++\\(sshd:session\\): )?session closed for user (\\S++)");
    static final Template DISCONNECTED = new Template("disconnected",
            "Disconnected from (?:(user|authenticating user|invalid user) " + USER + " )?" + ADDRESS + " port " + PORT);
    static final Template CONNECTION_CLOSED = new Template("connection_closed",
            "Connection (closed|reset) by (?:(authenticating|invalid) user " + USER + " " + ADDRESS + " port " + PORT
                    + "|(\\S++)" + OPTIONAL_PORT + ")");
    static final Template RECEIVED_DISCONNECT = new Template("received_disconnect",
            // greedy \S+ (not possessive): the old form "from 2001:db8::1: 11: Bye" needs the address to give back ':'
            "Received disconnect from (\\S+)" + OPTIONAL_PORT + ": ?\\d{1,5}+: .*+");
    static final Template TIMEOUT = new Template("timeout",
            "Timeout before authentication for " + ADDRESS + OPTIONAL_PORT);
    static final Template NO_IDENTIFICATION = new Template("no_identification",
            "Did not receive identification string from " + ADDRESS + OPTIONAL_PORT);
    static final Template BANNER_EXCHANGE = new Template("banner_exchange",
            "banner exchange: Connection from " + ADDRESS + " port " + PORT + ": (.++)");
    static final Template BAD_PROTOCOL_VERSION = new Template("bad_protocol_version",
            // the quoted identification is the client's: take the address from the end
            "Bad protocol version identification '(.*)' from " + ADDRESS + OPTIONAL_PORT);
    static final Template UNABLE_TO_NEGOTIATE = new Template("unable_to_negotiate",
            // OpenSSH 7.0-7.2 wrote no port: the address gives back the ':' that follows it
            "Unable to negotiate with (\\S+)" + OPTIONAL_PORT + ": no matching [A-Za-z ]{1,40} found.*+");
    static final Template PROTOCOL_MISMATCH = new Template("protocol_mismatch",
            // "Protocol major versions differ for ADDR[ port N]: SSH-2.0-OpenSSH vs. SSH-1.5-client": the client's
            // identification comes after the address
            "Protocol major versions differ for (\\S+)" + OPTIONAL_PORT + ": .*+");
    static final Template CONNECTION_FROM = new Template("connection_from",
            // OpenSSH before 6.8 named no local address
            "Connection from " + ADDRESS + " port " + PORT + "(?: on \\S++ port \\d{1,5}+(?: rdomain .*+)?)?");
    static final Template INPUT_USERAUTH_INVALID = new Template("input_userauth_invalid",
            "input_userauth_request: (?:invalid|illegal) user (.*+)");
    static final Template REVERSE_MAPPING = new Template("reverse_mapping",
            "reverse mapping checking getaddrinfo for (\\S++) \\[([^\\s\\]]++)\\] failed.*+");
    static final Template ADDRESS_MAPS = new Template("address_maps",
            "Address (\\S++) maps to ([^\\s,]++), but this does not map back to the address.*+");

    /** Every template, for the design checks. */
    static final List<Template> TEMPLATES = List.of(
            FAILED_OR_ACCEPTED, INVALID_USER, NOT_ALLOWED_FROM, NOT_ALLOWED_ACCOUNT, ROOT_LOGIN_REFUSED, REFUSED_CONNECT,
            TOO_MANY_FAILURES_WITH_ADDRESS, TOO_MANY_FAILURES, MAX_AUTH_ATTEMPTS, PAM_AUTH_FAILURE, PAM_MORE_FAILURES,
            SESSION_OPENED, SESSION_CLOSED, DISCONNECTED, CONNECTION_CLOSED, RECEIVED_DISCONNECT, TIMEOUT, NO_IDENTIFICATION,
            BANNER_EXCHANGE, BAD_PROTOCOL_VERSION, UNABLE_TO_NEGOTIATE, CONNECTION_FROM, INPUT_USERAUTH_INVALID,
            REVERSE_MAPPING, ADDRESS_MAPS, PROTOCOL_MISMATCH);

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
                    return socketFailure(text, preauth);
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
                    return tooMany.kind() != Kind.OTHER ? tooMany : changeOfUsername(text, preauth);
                }
                if (text.startsWith("Did not receive identification string ")) {
                    return addressOnly(noIdentification, Kind.PROBE, "no_identification_string", null, text, preauth);
                }
                return SshdLine.of(Kind.OTHER, preauth);
            case 'C':
                if (text.startsWith("Connection reset by peer")) {
                    // the client's address is not on the line: the session table has it
                    return socketFailure(text, preauth);
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
                    return pamError(text, preauth);
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
                    return dispatchFatal(text, preauth);
                }
                return pam(text, preauth);
            case 'p':
            case 'a':
                return pam(text, preauth);
            case 'W':
                return text.startsWith("Write failed: ") ? socketFailure(text, preauth) : SshdLine.of(Kind.OTHER, preauth);
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
                String[] tail = failedOrAcceptedWithoutProtocol(text);
                g = tail != null ? tail : groups(m);
            }
            else {
                g = m != null ? groups(m) : failedOrAcceptedWithoutProtocol(text);
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
        return new SshdLine(accepted ? Kind.ACCEPTED : Kind.FAILED, null, user, invalid, g[5], port(g[6]), g[2], g[7], g[8], 1, preauth);
    }

    /**
     * The groups of {@link #FAILED_OR_ACCEPTED} for the shapes the template does not take: without the protocol
     * ({@code ... from ADDR port N}, old versions and vendor builds) or without port ({@code ... from ADDR}). The
     * address is after the last {@code " from "}, which nothing but sshd's own tail can follow.
     */
    private static String[] failedOrAcceptedWithoutProtocol(String text)
    {
        boolean failed = text.startsWith("Failed ");
        int methodStart = failed ? 7 : 9;
        int forAt = text.indexOf(" for ", methodStart);
        if (forAt <= methodStart || forAt - methodStart > MAX_METHOD_LENGTH || !isMethod(text, methodStart, forAt)) {
            return null;
        }
        int userStart = forAt + 5;
        String validity = null;
        if (text.startsWith("invalid user ", userStart) || text.startsWith("illegal user ", userStart)) {
            validity = text.substring(userStart, userStart + 7);
            userStart += 13;
        }
        FromTail tail = FromTail.parse(text, userStart, false);
        if (tail == null) {
            return null;
        }
        return new String[] {null, failed ? "Failed" : "Accepted", text.substring(methodStart, forAt), validity,
                text.substring(userStart, tail.from()), tail.address(), tail.port(), null, null};
    }

    private static boolean isMethod(String text, int start, int end)
    {
        if (text.charAt(start) < 'a' || text.charAt(start) > 'z') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    private SshdLine invalidUser(String text, boolean preauth)
    {
        String[] g = fastPaths ? FastPaths.invalidUser(text) : null;
        if (g == null) {
            g = groups(Template.match(invalidUser, text));
        }
        return g == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.INVALID_USER, "invalid_user", g[1], Boolean.TRUE, g[2], port(g[3]), preauth);
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
                    m.group(3), port(m.group(4)), preauth);
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
                : SshdLine.of(Kind.MAX_AUTH_ATTEMPTS, "max_auth_attempts_exceeded", m.group(2), m.group(1) != null, m.group(3), port(m.group(4)), preauth);
    }

    /**
     * sshd's report of a PAM error: {@code PAM: MESSAGE for [illegal user ]USER from HOST[ via LOCAL]}, where
     * MESSAGE is PAM's text ({@code Authentication failure}, {@code authentication error} on FreeBSD and macOS,
     * {@code User not known to the underlying authentication module}) and {@code via} names the server's address
     * (macOS). PAM's message has no " for ": the first one ends it; the user name ends at the last " from ".
     */
    private static SshdLine pamError(String text, boolean preauth)
    {
        int messageStart = 5;
        int forAt = text.indexOf(" for ", messageStart);
        if (forAt <= messageStart || forAt - messageStart > MAX_PAM_MESSAGE_LENGTH) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        int userStart = forAt + 5;
        Boolean invalid = null;
        if (text.startsWith("illegal user ", userStart) || text.startsWith("invalid user ", userStart)) {
            invalid = Boolean.TRUE;
            userStart += 13;
        }
        FromTail tail = FromTail.parse(text, userStart, true);
        if (tail == null) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        String message = text.substring(messageStart, forAt);
        String reason;
        Kind kind;
        if (message.equalsIgnoreCase("Authentication failure") || message.equalsIgnoreCase("authentication error")) {
            kind = Kind.PAM_AUTH_FAILURE;
            reason = "pam_auth_failure";
        }
        else if (message.equals("User not known to the underlying authentication module")) {
            kind = Kind.INVALID_USER;
            reason = "invalid_user";
            invalid = Boolean.TRUE;
        }
        else {
            kind = Kind.FAILURE;
            reason = "pam_failure";
        }
        return SshdLine.of(kind, reason, text.substring(userStart, tail.from()), invalid, tail.address(), port(tail.port()), preauth);
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
        return SshdLine.of(Kind.PAM_AUTH_FAILURE, "pam_auth_failure", emptyToNull(m.group(3)), null, emptyToNull(m.group(2)), SshdLine.NO_PORT, preauth)
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
                    : SshdLine.of(Kind.PAM_AUTH_FAILURE, "pam_auth_failure", emptyToNull(m.group(2)), null, emptyToNull(m.group(1)), SshdLine.NO_PORT, preauth);
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
        int port = port(g[4]);
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
            return SshdLine.of(preauth ? Kind.PREAUTH_END : Kind.CONTEXT, how, m.group(3), invalid, m.group(4), port(m.group(5)), preauth);
        }
        return SshdLine.of(preauth ? Kind.PREAUTH_END : Kind.CONNECTION_END, how, null, null, m.group(6), port(m.group(7)), preauth);
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
        if (isClientAuthenticationFailure(text, "Received disconnect from ".length() + g[1].length() + (modern ? 6 + g[2].length() : 0))) {
            return SshdLine.of(Kind.FAILURE, "client_auth_fail", null, null, g[1], port(g[2]), preauth);
        }
        Kind kind = preauth && !modern ? Kind.PREAUTH_END : Kind.CONTEXT;
        return SshdLine.of(kind, "disconnected", null, null, g[1], port(g[2]), preauth);
    }

    /**
     * Whether the disconnect reason the client sent, at {@code i} ({@code :CODE: description} or {@code : CODE:
     * description}), says that it gave up authenticating: code 14 (no more authentication methods) or JSch's
     * {@code Auth fail}. The description is the client's; only the reason depends on it, never the address.
     */
    private static boolean isClientAuthenticationFailure(String text, int i)
    {
        if (i >= text.length() || text.charAt(i) != ':') {
            return false;
        }
        i++;
        if (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        int codeStart = i;
        int code = 0;
        while (i < text.length() && i - codeStart < 5 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            code = code * 10 + (text.charAt(i) - '0');
            i++;
        }
        if (i == codeStart || !text.startsWith(": ", i)) {
            return false;
        }
        return code == SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE || text.indexOf("Auth fail", i) >= 0;
    }

    /**
     * The connection died under sshd ({@code Read from socket failed: Connection reset by peer}, {@code Write
     * failed: ...}, {@code Connection reset by peer}): the end of a connection that never logged in when
     * {@code [preauth]}; the address is on the line only in {@code Read error from remote host ADDR port N: ...}.
     */
    private static SshdLine socketFailure(String text, boolean preauth)
    {
        if (!preauth) {
            return SshdLine.of(Kind.OTHER, false);
        }
        String detail = text.endsWith("Connection reset by peer") ? "connection_reset" : "connection_lost";
        if (text.startsWith("Read error from remote host ")) {
            int addressStart = "Read error from remote host ".length();
            int addressEnd = endOfToken(text, addressStart);
            int i = addressEnd;
            String port = null;
            if (text.startsWith(" port ", i)) {
                int portStart = i + 6;
                i = endOfDigits(text, portStart, 5);
                if (i == portStart) {
                    return SshdLine.of(Kind.OTHER, true);
                }
                port = text.substring(portStart, i);
            }
            if (addressEnd == addressStart || !text.startsWith(": ", i)) {
                return SshdLine.of(Kind.OTHER, true);
            }
            return SshdLine.of(Kind.PREAUTH_END, detail, null, null, text.substring(addressStart, addressEnd), port(port), true);
        }
        return SshdLine.of(Kind.PREAUTH_END, detail, null, null, null, SshdLine.NO_PORT, true);
    }

    /**
     * {@code ssh_dispatch_run_fatal: Connection from [authenticating user U |invalid user U ]ADDR port N: ERROR}:
     * a client that broke the protocol. ERROR is sshd's own text and has no " port ", so the address is before the
     * last one.
     */
    private static SshdLine dispatchFatal(String text, boolean preauth)
    {
        int start = "ssh_dispatch_run_fatal: Connection from ".length();
        int portAt = text.lastIndexOf(" port ");
        if (portAt <= start) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        int portEnd = endOfDigits(text, portAt + 6, 5);
        if (portEnd == portAt + 6 || !text.startsWith(": ", portEnd)) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        int addressStart = text.lastIndexOf(' ', portAt - 1) + 1;
        if (addressStart < start) {
            addressStart = start;
        }
        if (addressStart == portAt) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        String address = text.substring(addressStart, portAt);
        int port = port(text.substring(portAt + 6, portEnd));
        if (addressStart == start) {
            return SshdLine.of(Kind.PROBE, "protocol_error", null, null, address, port, preauth);
        }
        Boolean invalid;
        int userStart;
        if (text.startsWith("authenticating user ", start)) {
            invalid = Boolean.FALSE;
            userStart = start + 20;
        }
        else if (text.startsWith("invalid user ", start)) {
            invalid = Boolean.TRUE;
            userStart = start + 13;
        }
        else {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        if (userStart > addressStart - 1) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        return SshdLine.of(Kind.PREAUTH_END, "protocol_error", text.substring(userStart, addressStart - 1), invalid, address, port, preauth);
    }

    /**
     * {@code Disconnecting [authenticating user U ADDR port N|invalid user U ADDR port N]: Change of username or
     * service not allowed: (U,SERVICE) -> (U2,SERVICE2)}: a client that tries another user name on the same
     * connection, as brute-forcers do. Both user names are the client's, one before and one after the marker, so
     * the address is taken from the line only when the marker occurs once; otherwise the session table has it.
     */
    private static SshdLine changeOfUsername(String text, boolean preauth)
    {
        int marker = text.indexOf(CHANGE_OF_USERNAME);
        if (marker < 0) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        boolean once = text.indexOf(CHANGE_OF_USERNAME, marker + 1) < 0;
        if (text.startsWith("Disconnecting: ") && marker == "Disconnecting: ".length() - 2) {
            return SshdLine.of(Kind.FAILURE, "username_change", null, null, null, SshdLine.NO_PORT, preauth);
        }
        int start = "Disconnecting ".length();
        Boolean invalid;
        int userStart;
        if (text.startsWith("authenticating user ", start)) {
            invalid = Boolean.FALSE;
            userStart = start + 20;
        }
        else if (text.startsWith("invalid user ", start)) {
            invalid = Boolean.TRUE;
            userStart = start + 13;
        }
        else {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        if (!once) {
            return SshdLine.of(Kind.FAILURE, "username_change", null, invalid, null, SshdLine.NO_PORT, preauth);
        }
        // "... U ADDR port N" + marker
        int portAt = text.lastIndexOf(" port ", marker);
        if (portAt < userStart || endOfDigits(text, portAt + 6, 5) != marker || marker == portAt + 6) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        int addressStart = text.lastIndexOf(' ', portAt - 1) + 1;
        if (addressStart <= userStart || addressStart == portAt) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        return SshdLine.of(Kind.FAILURE, "username_change", text.substring(userStart, addressStart - 1), invalid,
                text.substring(addressStart, portAt), port(text.substring(portAt + 6, marker)), preauth);
    }

    private static int endOfToken(String text, int start)
    {
        int i = start;
        while (i < text.length() && text.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    private static int endOfDigits(String text, int start, int maxDigits)
    {
        int i = start;
        while (i < text.length() && i - start < maxDigits && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private SshdLine timeout(String text, boolean preauth)
    {
        Matcher m = Template.match(timeout, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.PREAUTH_END, "login_grace_time_exceeded", null, null, m.group(1), port(m.group(2)), preauth);
    }

    private SshdLine bannerExchange(String text, boolean preauth)
    {
        Matcher m = Template.match(bannerExchange, text);
        if (m == null) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        String reason = m.group(3).equals("invalid format") ? "banner_invalid_format" : "banner_exchange_failed";
        return SshdLine.of(Kind.PROBE, reason, null, null, m.group(1), port(m.group(2)), preauth);
    }

    private SshdLine badProtocolVersion(String text, boolean preauth)
    {
        Matcher m = Template.match(badProtocolVersion, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.PROBE, "bad_protocol_version", null, null, m.group(2), port(m.group(3)), preauth);
    }

    private SshdLine unableToNegotiate(String text, boolean preauth)
    {
        if (text.startsWith("Unable to negotiate a key exchange method")) {
            // OpenSSH before 7.0 named no address
            return SshdLine.of(Kind.PROBE_WITHOUT_ADDRESS, "kex_negotiation_failed", null, null, null, SshdLine.NO_PORT, preauth);
        }
        Matcher m = Template.match(unableToNegotiate, text);
        return m == null ? SshdLine.of(Kind.OTHER, preauth)
                : SshdLine.of(Kind.PROBE, "kex_negotiation_failed", null, null, m.group(1), port(m.group(2)), preauth);
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
                : SshdLine.of(kind, detail, user, user == null ? null : Boolean.FALSE, m.group(1), port(m.group(2)), preauth);
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

    private static int port(String digits)
    {
        if (digits == null) {
            return SshdLine.NO_PORT;
        }
        int port = Integer.parseInt(digits);
        return port <= 65_535 ? port : SshdLine.NO_PORT;
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
