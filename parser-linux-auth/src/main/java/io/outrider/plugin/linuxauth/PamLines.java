package io.outrider.plugin.linuxauth;

import io.outrider.spi.SecurityActions;

/**
 * PAM module lines, whatever program loaded the module: {@code MODULE(SERVICE:TYPE): text} from linux-pam's
 * {@code pam_syslog} (pam_unix, pam_faillock, pam_tally2), and pam_unix's {@code PAM N more authentication
 * failures; ...} summary.
 *
 * <p>In {@code authentication failure; logname=L uid=U euid=E tty=T ruser=R rhost=H  user=X} the user name comes last
 * and is what was typed at a login prompt: the address is taken from the first {@code " rhost="} after
 * {@code " ruser="}, so nothing in the user name can change it ({@code ruser} is set by the program from the
 * password database, for su and sudo).
 */
final class PamLines
{
    static final String DATASET = "pam";

    private static final String AUTH_FAILURE = "authentication failure; ";
    private static final String SESSION_OPENED = "session opened for user ";
    private static final String SESSION_CLOSED = "session closed for user ";
    private static final String PASSWORD_CHANGED = "password changed for ";
    private static final String[] EXPIRED_SUFFIXES = {" has expired (account expired)", " has expired (failed to change password)"};
    private static final String FAILLOCK_PREFIX = "Consecutive login failures for user ";
    private static final String FAILLOCK_SUFFIX = " account temporarily locked";
    private static final String MORE_FAILURES = "PAM ";
    private static final String LOGIN_NAME_PLACEHOLDER = "LOGIN";

    private PamLines() {}

    /** The program tag of Linux-PAM before 0.99 (Red Hat 9, RHEL 4): {@code su(pam_unix)[PID]: session opened ...}. */
    static final String LEGACY_PROGRAM_SUFFIX = "(pam_unix)";

    /**
     * A line of pam_unix under its old program tag {@code SERVICE(pam_unix)}: the message without the
     * {@code pam_unix(SERVICE:TYPE): } prefix, which the tag replaced.
     */
    static AuthLine classifyLegacy(String service, String text)
    {
        return Text.isServiceName(service, 0, service.length()) ? pamUnix(service, text) : null;
    }

    /** Whether {@code text} may be a PAM line: the cheap test before any parsing. */
    static boolean mayBePam(String text)
    {
        return text.startsWith("pam_") || text.startsWith(MORE_FAILURES);
    }

    /** @param program the program that logged the line: the service of the {@code PAM N more} summary, which names none */
    static AuthLine classify(String text, String program)
    {
        if (text.startsWith(MORE_FAILURES)) {
            return moreFailures(text, program);
        }
        int open = text.indexOf('(');
        if (open < 0) {
            return null;
        }
        int colon = text.indexOf(':', open + 1);
        if (colon < 0 || !Text.isServiceName(text, open + 1, colon)) {
            return null;
        }
        int close = text.indexOf("): ", colon + 1);
        if (close < 0 || !Text.isServiceName(text, colon + 1, close)) {
            return null;
        }
        String module = text.substring(0, open);
        String service = text.substring(open + 1, colon);
        String message = text.substring(close + 3);
        switch (module) {
            case "pam_unix":
                return pamUnix(service, message);
            case "pam_sss":
                // SSSD (FreeIPA, Active Directory) writes pam_unix's failure line; its other lines differ
                return message.startsWith(AUTH_FAILURE) ? authenticationFailure(service, message, AUTH_FAILURE.length(), 1) : null;
            case "pam_faillock":
                return faillock(service, message);
            case "pam_tally2":
            case "pam_tally":
                return tally(service, message);
            default:
                return null;
        }
    }

    private static AuthLine pamUnix(String service, String message)
    {
        if (message.startsWith(AUTH_FAILURE)) {
            return authenticationFailure(service, message, AUTH_FAILURE.length(), 1);
        }
        if (message.startsWith(SESSION_OPENED)) {
            return sessionOpened(service, message.substring(SESSION_OPENED.length()));
        }
        if (message.startsWith(SESSION_CLOSED)) {
            String user = message.substring(SESSION_CLOSED.length()).strip();
            if (!Text.isName(user)) {
                return null;
            }
            return AuthLine.builder(DATASET, SecurityActions.SESSION_CLOSED, "session_closed").service(service).user(user).target(user).build();
        }
        if (message.startsWith(PASSWORD_CHANGED)) {
            String user = message.substring(PASSWORD_CHANGED.length()).strip();
            if (!Text.isName(user)) {
                return null;
            }
            return AuthLine.builder(DATASET, SecurityActions.PASSWORD_CHANGED, "changed").service(service).target(user).build();
        }
        if (message.startsWith("account ")) {
            for (String suffix : EXPIRED_SUFFIXES) {
                if (message.endsWith(suffix) && message.length() > "account ".length() + suffix.length()) {
                    // the name is between fixed words at both ends, whatever it contains
                    String user = message.substring("account ".length(), message.length() - suffix.length());
                    return AuthLine.builder(DATASET, SecurityActions.LOGIN_FAILED, "account_expired").service(service).user(user).build();
                }
            }
        }
        return null;
    }

    /** {@code PAM 3 more authentication failures; logname=...}. */
    private static AuthLine moreFailures(String text, String program)
    {
        int space = text.indexOf(' ', MORE_FAILURES.length());
        if (space < 0 || space - MORE_FAILURES.length() > 9) {
            return null;
        }
        long count = Text.digits(text, MORE_FAILURES.length(), space);
        if (count < 1) {
            return null;
        }
        String words = count == 1 ? " more authentication failure; " : " more authentication failures; ";
        if (!text.startsWith(words, space)) {
            return null;
        }
        if (program == null || !Text.isServiceName(program, 0, program.length())) {
            return null;
        }
        return authenticationFailure(program, text, space + words.length(), count);
    }

    /** {@code logname=L uid=U euid=E tty=T ruser=R rhost=H[  user=X]} from {@code start}. */
    private static AuthLine authenticationFailure(String service, String text, int start, long count)
    {
        if (!text.startsWith("logname=", start)) {
            return null;
        }
        int uid = text.indexOf(" uid=", start);
        int euid = uid < 0 ? -1 : text.indexOf(" euid=", uid);
        int tty = euid < 0 ? -1 : text.indexOf(" tty=", euid);
        int ruser = tty < 0 ? -1 : text.indexOf(" ruser=", tty);
        int rhost = ruser < 0 ? -1 : text.indexOf(" rhost=", ruser);
        if (rhost < 0) {
            return null;
        }
        String loginName = text.substring(start + "logname=".length(), uid);
        String userId = text.substring(uid + " uid=".length(), euid);
        String terminal = text.substring(tty + " tty=".length(), ruser);
        String requestingUser = text.substring(ruser + " ruser=".length(), rhost);
        int hostStart = rhost + " rhost=".length();
        int hostEnd = text.indexOf(' ', hostStart);
        if (hostEnd < 0) {
            hostEnd = text.length();
        }
        String remoteHost = text.substring(hostStart, hostEnd);
        int rest = hostEnd;
        while (rest < text.length() && text.charAt(rest) == ' ') {
            rest++;
        }
        String user = null;
        if (rest < text.length()) {
            if (!text.startsWith("user=", rest)) {
                return null;
            }
            user = text.substring(rest + "user=".length()).stripTrailing();
        }
        if (!Text.isDigits(userId) || !Text.isNameOrEmpty(loginName) || !Text.isNameOrEmpty(terminal)) {
            return null;
        }
        String invoker = !requestingUser.isEmpty() ? requestingUser : loginName;
        AuthLine.Builder line;
        if (isSwitchUser(service)) {
            // su: the one who ran it, and the account asked for
            line = AuthLine.builder(DATASET, SecurityActions.PRIVILEGE_DENIED, "auth_failure").user(invoker).userId(userId).target(user);
        }
        else if (isSudo(service)) {
            // sudo asks for the invoking user's own password: the target is in sudo's own line
            line = AuthLine.builder(DATASET, SecurityActions.PRIVILEGE_DENIED, "auth_failure").user(user != null ? user : invoker).userId(userId);
        }
        else {
            line = AuthLine.builder(DATASET, SecurityActions.LOGIN_FAILED, "pam_auth_failure").user(user).remoteHost(remoteHost);
        }
        return line.service(service).tty(terminal(terminal)).count(count).build();
    }

    /** {@code X(uid=N) by Y(uid=M)}, or before linux-pam 1.5.2 {@code X by Y(uid=M)}; Y may be empty. */
    private static AuthLine sessionOpened(String service, String text)
    {
        int by = text.indexOf(" by ");
        if (by < 0 || !text.endsWith(")")) {
            return null;
        }
        String account = text.substring(0, by);
        String accountId = null;
        int accountUid = account.lastIndexOf("(uid=");
        if (accountUid >= 0 && account.endsWith(")")) {
            accountId = account.substring(accountUid + 5, account.length() - 1);
            account = account.substring(0, accountUid);
            if (!Text.isDigits(accountId)) {
                return null;
            }
        }
        String opener = text.substring(by + 4);
        int openerUid = opener.lastIndexOf("(uid=");
        if (openerUid < 0) {
            return null;
        }
        String openerId = opener.substring(openerUid + 5, opener.length() - 1);
        opener = opener.substring(0, openerUid);
        if (!Text.isName(account) || !Text.isNameOrEmpty(opener) || !Text.isDigits(openerId)) {
            return null;
        }
        // the opener is the login name of who asked (su, sudo); without one ("by (uid=0)", or getty's LOGIN) it is the
        // account itself. Its uid is the process's real uid, not the opener's: "sudo su -" logs "by bob(uid=0)"
        boolean openedBySomeoneElse = !opener.isEmpty() && !opener.equals(LOGIN_NAME_PLACEHOLDER);
        return AuthLine.builder(DATASET, SecurityActions.SESSION_OPENED, "session_opened")
                .service(service)
                .user(openedBySomeoneElse ? opener : account)
                .userId(openedBySomeoneElse ? null : accountId)
                .realUserId(openerId)
                .target(account)
                .targetId(accountId)
                .build();
    }

    private static AuthLine faillock(String service, String message)
    {
        if (message.startsWith(FAILLOCK_PREFIX) && message.endsWith(FAILLOCK_SUFFIX) && message.length() > FAILLOCK_PREFIX.length() + FAILLOCK_SUFFIX.length()) {
            String user = message.substring(FAILLOCK_PREFIX.length(), message.length() - FAILLOCK_SUFFIX.length());
            return AuthLine.builder(DATASET, SecurityActions.ACCOUNT_LOCKED, "consecutive_failures").service(service).target(user).build();
        }
        return null;
    }

    /** {@code user X (UID) tally T, deny D}: pam_tally2 writes it when it refuses because the tally reached deny. */
    private static AuthLine tally(String service, String message)
    {
        if (!message.startsWith("user ")) {
            return null;
        }
        int deny = message.lastIndexOf(", deny ");
        int tally = deny < 0 ? -1 : message.lastIndexOf(" tally ", deny);
        int uidOpen = tally < 0 ? -1 : message.lastIndexOf(" (", tally);
        if (uidOpen < "user ".length() || message.charAt(tally - 1) != ')') {
            return null;
        }
        long denyCount = Text.digits(message, deny + ", deny ".length(), message.length());
        long tallyCount = Text.digits(message, tally + " tally ".length(), deny);
        String uid = message.substring(uidOpen + 2, tally - 1);
        String user = message.substring("user ".length(), uidOpen);
        if (denyCount < 1 || tallyCount < denyCount || !Text.isDigits(uid) || !Text.isName(user)) {
            return null;
        }
        return AuthLine.builder(DATASET, SecurityActions.ACCOUNT_LOCKED, "tally_exceeded").service(service).target(user).targetId(uid).build();
    }

    /** su, runuser, and polkit (pkexec and desktop prompts): the caller asks to act as another account. */
    static boolean isSwitchUser(String service)
    {
        return service.equals("su") || service.equals("su-l") || service.equals("runuser") || service.equals("runuser-l") || service.equals("polkit-1");
    }

    static boolean isSudo(String service)
    {
        return service.equals("sudo") || service.equals("sudo-i");
    }

    /** PAM's tty is a device path ({@code /dev/pts/1}) where sudo and su print {@code pts/1}. */
    static String terminal(String tty)
    {
        return tty.startsWith("/dev/") ? tty.substring(5) : tty;
    }
}
