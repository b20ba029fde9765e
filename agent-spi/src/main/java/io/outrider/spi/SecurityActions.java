package io.outrider.spi;

/**
 * The one vocabulary of {@link Fields#EVENT_ACTION} values for security events, whatever the operating system or log
 * wrote them: a failed OpenSSH password, a PAM authentication failure and a Windows 4625 are all
 * {@link #LOGIN_FAILED}; a Linux {@code useradd} and a Windows 4720 are both {@link #ACCOUNT_CREATED}. Parsers and
 * inputs that classify events use these values so that one query works across hosts, and output formats that map
 * actions onto a collector's own names (LiteSOC's {@code event}) read them from here.
 *
 * <p>The subject of an action is {@link Fields#USER_NAME} (who acted, or who tried to log on); the object is
 * {@link Fields#USER_TARGET_NAME} (the account sudo ran as, the account created), {@link Fields#GROUP_NAME} or
 * {@link Fields#SERVICE_NAME}. {@link Fields#EVENT_OUTCOME} says success or failure and {@link Fields#EVENT_REASON}
 * a short machine-readable why ({@code invalid_password}, {@code policy_denied}, ...).
 *
 * <p>The table in {@code docs/security-events.md} lists, per action, what each plugin maps onto it.
 *
 * @since SPI 1.3
 */
@Experimental
public final class SecurityActions
{
    /** A logon or authentication that succeeded (OpenSSH accepted, PAM session for a remote login, Windows 4624). */
    public static final String LOGIN_SUCCESS = "auth.login_success";
    /** A logon or authentication that failed (wrong password, unknown user, refused by policy, Windows 4625). */
    public static final String LOGIN_FAILED = "auth.login_failed";
    /** A session ended (OpenSSH disconnect after authentication, Windows 4634/4647). */
    public static final String LOGOUT = "auth.logout";
    /** A connection that named a user but ended before authenticating. */
    public static final String PREAUTH_DISCONNECT = "auth.preauth_disconnect";
    /** A probe that never tried to authenticate: no identification, bad banner, no common key exchange. */
    public static final String SCAN = "auth.scan";
    /** A logon with explicitly supplied credentials (Windows 4648, {@code runas}). */
    public static final String EXPLICIT_CREDENTIALS = "auth.explicit_credentials";
    /** A session opened for a user by a local service (PAM {@code session opened}: login, su, cron, systemd-user). */
    public static final String SESSION_OPENED = "session.opened";
    /** A session closed (PAM {@code session closed}). */
    public static final String SESSION_CLOSED = "session.closed";

    /** A privilege used: a command run through sudo, a switch of user through su, special privileges at logon (Windows 4672). */
    public static final String PRIVILEGE_USE = "privilege.use";
    /** A privilege refused: not in sudoers, a command not allowed, su or sudo authentication failed. */
    public static final String PRIVILEGE_DENIED = "privilege.denied";

    /** An account created ({@code useradd}, Windows 4720). */
    public static final String ACCOUNT_CREATED = "account.created";
    /** An account deleted ({@code userdel}, Windows 4726). */
    public static final String ACCOUNT_DELETED = "account.deleted";
    /** An account changed (shell, home, name, {@code usermod}, Windows 4738). */
    public static final String ACCOUNT_MODIFIED = "account.modified";
    /** An account enabled (Windows 4722). */
    public static final String ACCOUNT_ENABLED = "account.enabled";
    /** An account disabled (Windows 4725). */
    public static final String ACCOUNT_DISABLED = "account.disabled";
    /** An account locked out or locked ({@code usermod -L}, {@code pam_faillock}, {@code pam_tally2}, Windows 4740). */
    public static final String ACCOUNT_LOCKED = "account.locked";
    /** An account unlocked ({@code usermod -U}, {@code faillock --reset}, Windows 4767). */
    public static final String ACCOUNT_UNLOCKED = "account.unlocked";
    /** A password changed or reset ({@code passwd}, {@code chpasswd}, Windows 4723/4724). */
    public static final String PASSWORD_CHANGED = "password.changed";

    /** A group created ({@code groupadd}, Windows 4727/4731/4754). */
    public static final String GROUP_CREATED = "group.created";
    /** A group deleted ({@code groupdel}, Windows 4730/4734/4758). */
    public static final String GROUP_DELETED = "group.deleted";
    /** A member added to a group ({@code usermod -aG}, {@code gpasswd -a}, Windows 4728/4732/4756). */
    public static final String GROUP_MEMBER_ADDED = "group.member_added";
    /** A member removed from a group ({@code gpasswd -d}, Windows 4729/4733/4757). */
    public static final String GROUP_MEMBER_REMOVED = "group.member_removed";

    /** An audit or event log cleared (Windows 1102, 104). */
    public static final String LOG_CLEARED = "log.cleared";
    /** A service installed (Windows 7045, 4697). */
    public static final String SERVICE_INSTALLED = "service.installed";
    /** A process created (Windows 4688). */
    public static final String PROCESS_STARTED = "process.started";
    /** A scheduled task created, changed or removed (Windows 4698-4702). */
    public static final String TASK_CHANGED = "task.changed";

    private SecurityActions() {}
}
