package io.outrider.plugin.sshd;

import io.outrider.plugin.sshd.SshdLine.Kind;

/**
 * The sshd messages read by hand instead of by a {@link Template}: those with a client-written part (a user name, a
 * PAM message, the client's disconnect description) where a template could not tell which " from " or " port " is
 * sshd's own, and the fallbacks for the shapes of old versions and vendor builds. Each takes the address from the
 * fixed tail sshd writes after the client's text. Stateless, so every method is static.
 */
final class ScannedMessages
{
    private static final String CHANGE_OF_USERNAME = ": Change of username or service not allowed: ";
    private static final int SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE = 14;
    private static final int MAX_METHOD_LENGTH = 64;
    private static final int MAX_PAM_MESSAGE_LENGTH = 128;

    private ScannedMessages() {}

    /**
     * The groups of {@link SshdTemplates#FAILED_OR_ACCEPTED} for the shapes the template does not take: without the protocol
     * ({@code ... from ADDR port N}, old versions and vendor builds) or without port ({@code ... from ADDR}). The
     * address is after the last {@code " from "}, which nothing but sshd's own tail can follow.
     */
    static String[] failedOrAcceptedWithoutProtocol(String text)
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

    /**
     * sshd's report of a PAM error: {@code PAM: MESSAGE for [illegal user ]USER from HOST[ via LOCAL]}, where
     * MESSAGE is PAM's text ({@code Authentication failure}, {@code authentication error} on FreeBSD and macOS,
     * {@code User not known to the underlying authentication module}) and {@code via} names the server's address
     * (macOS). PAM's message has no " for ": the first one ends it; the user name ends at the last " from ".
     */
    static SshdLine pamError(String text, boolean preauth)
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
        return SshdLine.of(kind, reason, text.substring(userStart, tail.from()), invalid, tail.address(), SshdLine.port(tail.port()), preauth);
    }

    /**
     * Whether the disconnect reason the client sent, at {@code i} ({@code :CODE: description} or {@code : CODE:
     * description}), says that it gave up authenticating: code 14 (no more authentication methods) or JSch's
     * {@code Auth fail}. The description is the client's; only the reason depends on it, never the address.
     */
    static boolean isClientAuthenticationFailure(String text, int i)
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
    static SshdLine socketFailure(String text, boolean preauth)
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
            return SshdLine.of(Kind.PREAUTH_END, detail, null, null, text.substring(addressStart, addressEnd), SshdLine.port(port), true);
        }
        return SshdLine.of(Kind.PREAUTH_END, detail, null, null, null, SshdLine.NO_PORT, true);
    }

    /**
     * {@code ssh_dispatch_run_fatal: Connection from [authenticating user U |invalid user U ]ADDR port N: ERROR}:
     * a client that broke the protocol. ERROR is sshd's own text and has no " port ", so the address is before the
     * last one.
     */
    static SshdLine dispatchFatal(String text, boolean preauth)
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
        int port = SshdLine.port(text.substring(portAt + 6, portEnd));
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
    static SshdLine changeOfUsername(String text, boolean preauth)
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
                text.substring(addressStart, portAt), SshdLine.port(text.substring(portAt + 6, marker)), preauth);
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

    /**
     * OpenSSH 9.8 and later: {@code drop connection #N from [ADDR]:PORT on [LOCAL]:PORT REASON}, a connection sshd
     * refused before it could authenticate, for a penalty the source earned ({@code penalty: failed authentication},
     * PerSourcePenalties) or for MaxStartups ({@code past MaxStartups}). The address is sshd's, between brackets.
     */
    static SshdLine dropConnection(String text, boolean preauth)
    {
        int from = text.indexOf(" from [", "drop connection #".length());
        if (from < 0 || !isDigits(text, "drop connection #".length(), from)) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        int addressStart = from + " from [".length();
        int addressEnd = text.indexOf("]:", addressStart);
        int on = addressEnd < 0 ? -1 : text.indexOf(" on [", addressEnd);
        if (on < 0 || !isDigits(text, addressEnd + 2, on)) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        int localEnd = text.indexOf("]:", on);
        int reasonStart = localEnd < 0 ? -1 : text.indexOf(' ', localEnd);
        if (reasonStart < 0) {
            return SshdLine.of(Kind.OTHER, preauth);
        }
        String reason = text.substring(reasonStart + 1);
        String detail = reason.startsWith("penalty: ") ? "dropped_penalty" : reason.equals("past MaxStartups") ? "dropped_max_startups" : "dropped";
        return SshdLine.of(Kind.PROBE, detail, null, null, text.substring(addressStart, addressEnd), SshdLine.port(text.substring(addressEnd + 2, on)), preauth);
    }

    private static boolean isDigits(String text, int start, int end)
    {
        if (end <= start || end - start > 9) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
