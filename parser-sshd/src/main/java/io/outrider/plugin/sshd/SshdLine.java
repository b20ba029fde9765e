package io.outrider.plugin.sshd;

/**
 * What one sshd message says, before the session table completes it.
 *
 * @param kind the kind of message
 * @param detail the reason that refines {@code kind} ({@code not_listed_in_allow_users}, {@code
 *        banner_invalid_format}...), or {@code null}
 * @param user the user name as logged, or {@code null}
 * @param invalidUser {@code TRUE} when sshd said the user does not exist, {@code FALSE} when it said the user exists
 *        ("authenticating user", a successful login), {@code null} when the line does not say
 * @param address the client address as logged (IP or host name), or {@code null}
 * @param port the client port, or -1
 * @param method the authentication method ({@code password}, {@code publickey}, {@code keyboard-interactive/pam})
 * @param keyType the key type of a public key authentication ({@code ED25519}, {@code RSA-CERT})
 * @param fingerprint the key fingerprint ({@code SHA256:...})
 * @param count how many occurrences the line stands for (PAM's "N more authentication failures")
 * @param preauth whether sshd marked the line {@code [preauth]}
 */
record SshdLine(
        Kind kind,
        String detail,
        String user,
        Boolean invalidUser,
        String address,
        int port,
        String method,
        String keyType,
        String fingerprint,
        long count,
        boolean preauth)
{
    static final int NO_PORT = -1;

    /** The port written on the line, or {@link #NO_PORT} when there is none or it is over 65535. */
    static int port(String digits)
    {
        if (digits == null) {
            return NO_PORT;
        }
        int port = Integer.parseInt(digits);
        return port <= 65_535 ? port : NO_PORT;
    }

    static SshdLine of(Kind kind, boolean preauth)
    {
        return new SshdLine(kind, null, null, null, null, NO_PORT, null, null, null, 1, preauth);
    }

    static SshdLine of(Kind kind, String detail, String user, Boolean invalidUser, String address, int port, boolean preauth)
    {
        return new SshdLine(kind, detail, user, invalidUser, address, port, null, null, null, 1, preauth);
    }

    SshdLine withCount(long newCount)
    {
        return new SshdLine(kind, detail, user, invalidUser, address, port, method, keyType, fingerprint, newCount, preauth);
    }

    /** The kinds of sshd message the parser tells apart. */
    enum Kind
    {
        /** {@code Failed METHOD for [invalid user ]USER from ADDR port N ssh2[: KEY]}. */
        FAILED,
        /** {@code Accepted METHOD for USER from ADDR port N ssh2[: KEY]}. */
        ACCEPTED,
        /** {@code Invalid user USER from ADDR [port N]}. */
        INVALID_USER,
        /** AllowUsers/DenyUsers/AllowGroups/DenyGroups, locked account, missing shell; the reason in {@code detail}. */
        NOT_ALLOWED,
        /** {@code ROOT LOGIN REFUSED FROM ADDR [port N]}. */
        ROOT_LOGIN_REFUSED,
        /** TCP wrappers: {@code refused connect from HOST (ADDR)}. */
        REFUSED_CONNECT,
        /** {@code Disconnecting...: Too many authentication failures}. */
        TOO_MANY_AUTH_FAILURES,
        /** {@code error: maximum authentication attempts exceeded for USER from ADDR port N ssh2}. */
        MAX_AUTH_ATTEMPTS,
        /** sshd's own report of a failed PAM conversation (keyboard-interactive): {@code PAM: Authentication failure for USER from ADDR}. */
        PAM_AUTH_FAILURE,
        /**
         * A PAM module's first report of a connection's failures: {@code pam_unix(sshd:auth): authentication failure;
         * ... rhost=ADDR [user=USER]} (or under the program {@code sshd(pam_unix)}). Later failures it sums up in a
         * {@link #PAM_SUMMARY} when the connection ends.
         */
        PAM_MODULE_FAILURE,
        /** {@code PAM N more authentication failures; ... rhost=ADDR [user=USER]}: N in {@code count}. */
        PAM_SUMMARY,
        /**
         * Another failed attempt, the reason in {@code detail}: the client gave up ({@code client_auth_fail}), changed
         * user name mid-connection ({@code username_change}), or PAM refused ({@code pam_failure}).
         */
        FAILURE,
        /** {@code pam_unix(sshd:session): session opened for user USER}. */
        SESSION_OPENED,
        /** {@code pam_unix(sshd:session): session closed for user USER}. */
        SESSION_CLOSED,
        /** {@code Disconnected from user USER ADDR port N}: the end of a logged-in session. */
        DISCONNECTED_USER,
        /**
         * The end of a connection that never logged in: closed, reset, disconnected or timed out {@code [preauth]};
         * how in {@code detail}.
         */
        PREAUTH_END,
        /** {@code Connection closed by ADDR port N} outside privilege separation: ends a pending probe. */
        CONNECTION_END,
        /** A probe that never authenticates, with the client's address; which in {@code detail}. */
        PROBE,
        /** A probe whose address comes later or earlier ({@code kex_exchange_identification: ...}). */
        PROBE_WITHOUT_ADDRESS,
        /** Not an authentication event, but it tells the session table the client's address or user. */
        CONTEXT,
        /** Any other sshd message. */
        OTHER
    }
}
