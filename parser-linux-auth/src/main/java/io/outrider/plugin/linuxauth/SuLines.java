package io.outrider.plugin.linuxauth;

import io.outrider.spi.SecurityActions;

/**
 * The lines su and runuser write of their own (PAM's lines are {@link PamLines}'):
 * <ul>
 *   <li>util-linux {@code su-common.c}: {@code (to TARGET) USER on TTY}, {@code FAILED SU (to TARGET) USER on TTY},
 *   {@code FAILED RUNUSER (to TARGET) USER on TTY};</li>
 *   <li>shadow-utils {@code su} (Debian before 10, some others): {@code Successful su for TARGET by USER},
 *   {@code FAILED su for TARGET by USER}, and with {@code SYSLOG_SU_ENAB} also {@code + TTY USER:TARGET} /
 *   {@code - TTY USER:TARGET};</li>
 *   <li>BusyBox {@code su} (Alpine): {@code + TTY USER:TARGET} / {@code - TTY USER:TARGET} only.</li>
 * </ul>
 * Names here come from the password database and the terminal, not from what a user typed.
 */
final class SuLines
{
    static final String DATASET = "su";

    private SuLines() {}

    /** @param sulogStyle whether {@code + TTY USER:TARGET} lines count (not when the same su already logged "Successful su") */
    static AuthLine classify(String text, boolean sulogStyle)
    {
        if (text.startsWith("(to ")) {
            return utilLinux(text, 4, SecurityActions.PRIVILEGE_USE, "su");
        }
        if (text.startsWith("FAILED SU (to ")) {
            return utilLinux(text, 14, SecurityActions.PRIVILEGE_DENIED, "su_failed");
        }
        if (text.startsWith("FAILED RUNUSER (to ")) {
            return utilLinux(text, 19, SecurityActions.PRIVILEGE_DENIED, "runuser_failed");
        }
        if (text.startsWith("Successful su for ")) {
            return forBy(text, 18, SecurityActions.PRIVILEGE_USE, "su");
        }
        if (text.startsWith("FAILED su for ")) {
            return forBy(text, 14, SecurityActions.PRIVILEGE_DENIED, "su_failed");
        }
        if (sulogStyle && text.length() > 2 && (text.charAt(0) == '+' || text.charAt(0) == '-') && text.charAt(1) == ' ') {
            return sulog(text, text.charAt(0) == '+');
        }
        return null;
    }

    /** Whether {@code text} is a {@code + TTY USER:TARGET} line, which shadow's su writes right after "Successful su". */
    static boolean isSulogLine(String text)
    {
        return text.length() > 2 && (text.charAt(0) == '+' || text.charAt(0) == '-') && text.charAt(1) == ' ';
    }

    /** Whether {@code text} is shadow su's own line, after which its {@code + TTY ...} line must not count again. */
    static boolean isShadowSuLine(String text)
    {
        return text.startsWith("Successful su for ") || text.startsWith("FAILED su for ");
    }

    /** {@code TARGET) USER on TTY} from {@code start}. */
    private static AuthLine utilLinux(String text, int start, String action, String reason)
    {
        int close = text.indexOf(") ", start);
        if (close < 0) {
            return null;
        }
        String target = text.substring(start, close);
        String rest = text.substring(close + 2);
        int on = rest.lastIndexOf(" on ");
        if (on < 0 || !Text.isName(target)) {
            return null;
        }
        String user = rest.substring(0, on);
        String tty = rest.substring(on + 4);
        if (!Text.isNameOrEmpty(user) || !Text.isName(tty)) {
            return null;
        }
        return AuthLine.builder(DATASET, action, reason).user(user).target(target).tty(tty.equals("none") ? null : tty).build();
    }

    /** {@code TARGET by USER} from {@code start}. */
    private static AuthLine forBy(String text, int start, String action, String reason)
    {
        int by = text.indexOf(" by ", start);
        if (by < 0) {
            return null;
        }
        String target = text.substring(start, by);
        String user = text.substring(by + 4);
        if (!Text.isName(target) || !Text.isName(user)) {
            return null;
        }
        return AuthLine.builder(DATASET, action, reason).user(user).target(target).build();
    }

    /** {@code + TTY USER:TARGET}. */
    private static AuthLine sulog(String text, boolean success)
    {
        int space = text.indexOf(' ', 2);
        if (space < 0) {
            return null;
        }
        String tty = text.substring(2, space);
        String pair = text.substring(space + 1);
        int colon = pair.indexOf(':');
        if (colon < 0 || pair.indexOf(':', colon + 1) >= 0) {
            return null;
        }
        String user = pair.substring(0, colon);
        String target = pair.substring(colon + 1);
        if (!Text.isName(tty) || !Text.isName(user) || !Text.isName(target)) {
            return null;
        }
        return AuthLine.builder(DATASET, success ? SecurityActions.PRIVILEGE_USE : SecurityActions.PRIVILEGE_DENIED, success ? "su" : "su_failed")
                .user(user.equals("???") ? null : user)
                .target(target.equals("???") ? null : target)
                .tty(tty.equals("???") || tty.equals("none") ? null : tty)
                .build();
    }
}
