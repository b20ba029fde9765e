package io.outrider.plugin.sshd;

import io.outrider.spi.Fields;
import io.outrider.spi.SecurityActions;

/**
 * Field names and values this parser adds beyond {@link io.outrider.spi.Fields}: ECS names where ECS has one, the
 * {@code sshd.} prefix for what is specific to OpenSSH.
 */
public final class SshdFields
{
    /** {@code true} when sshd said the user does not exist, {@code false} when it said the user exists. */
    public static final String INVALID_USER = "sshd.invalid_user";
    /** The authentication method: {@code password}, {@code publickey}, {@code keyboard-interactive/pam}... */
    public static final String AUTH_METHOD = "sshd.auth_method";
    /** The key type of a public key or host-based authentication: {@code ED25519}, {@code RSA}, {@code RSA-CERT}... */
    public static final String KEY_TYPE = "sshd.key_type";
    /** The key fingerprint as logged: {@code SHA256:...} (or the MD5 hex form of old versions). */
    public static final String KEY_FINGERPRINT = "sshd.key_fingerprint";
    /**
     * The sshd_config directive that refused the user ({@code AllowUsers}, {@code DenyUsers}, {@code AllowGroups},
     * {@code DenyGroups}) when {@code event.reason} is {@code policy_denied}.
     */
    public static final String DENIED_BY = "sshd.denied_by";
    /** The client's host name where sshd logged one instead of an address (ECS). */
    public static final String SOURCE_DOMAIN = Fields.SOURCE_DOMAIN;
    /** The host name in the syslog prefix: the machine sshd runs on. */
    public static final String SYSLOG_HOSTNAME = Fields.LOG_SYSLOG_HOSTNAME;

    public static final String ACTION_LOGIN_FAILED = SecurityActions.LOGIN_FAILED;
    public static final String ACTION_LOGIN_SUCCESS = SecurityActions.LOGIN_SUCCESS;
    public static final String ACTION_LOGOUT = SecurityActions.LOGOUT;
    /** A connection that named a user but ended before authenticating: closed, reset, disconnected, timed out. */
    public static final String ACTION_PREAUTH_DISCONNECT = SecurityActions.PREAUTH_DISCONNECT;
    /** A probe that never tried to authenticate: no identification, bad banner, no common key exchange... */
    public static final String ACTION_SCAN = SecurityActions.SCAN;

    public static final String MODULE = "sshd";
    public static final String CATEGORY_AUTHENTICATION = "authentication";
    public static final String CATEGORY_NETWORK = "network";

    private SshdFields() {}
}
