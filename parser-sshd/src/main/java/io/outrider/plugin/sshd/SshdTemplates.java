package io.outrider.plugin.sshd;

import java.util.List;

/**
 * The {@link Template}s of the sshd messages {@link SshdClassifier} recognises, one per message family. Each matches
 * the whole message; the user group ({@code USER}) is the only one that may backtrack, so the address and port are
 * always those of sshd's own tail after the attacker-controlled user name.
 */
final class SshdTemplates
{
    private SshdTemplates() {}

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

    /** Every template. */
    static final List<Template> ALL = List.of(
            FAILED_OR_ACCEPTED, INVALID_USER, NOT_ALLOWED_FROM, NOT_ALLOWED_ACCOUNT, ROOT_LOGIN_REFUSED, REFUSED_CONNECT,
            TOO_MANY_FAILURES_WITH_ADDRESS, TOO_MANY_FAILURES, MAX_AUTH_ATTEMPTS, PAM_AUTH_FAILURE, PAM_MORE_FAILURES,
            SESSION_OPENED, SESSION_CLOSED, DISCONNECTED, CONNECTION_CLOSED, RECEIVED_DISCONNECT, TIMEOUT, NO_IDENTIFICATION,
            BANNER_EXCHANGE, BAD_PROTOCOL_VERSION, UNABLE_TO_NEGOTIATE, CONNECTION_FROM, INPUT_USERAUTH_INVALID,
            REVERSE_MAPPING, ADDRESS_MAPS, PROTOCOL_MISMATCH);
}
