package io.outrider.plugin.linuxauth;

import io.outrider.spi.SecurityActions;

/**
 * polkit's pkexec, which runs a command as another user ({@code root} by default) once polkit allowed it:
 * {@code NAME: Executing command [USER=T] [TTY=t] [CWD=d] [COMMAND=c]} and, refused, {@code NAME: Error executing
 * command as another user: Not authorized [USER=T] [TTY=t] [CWD=d] [COMMAND=c]} (pkexec.c's {@code log_message}).
 */
final class PkexecLines
{
    static final String DATASET = "pkexec";
    private static final String EXECUTING = "Executing command [USER=";
    private static final String NOT_AUTHORIZED = "Error executing command as another user: Not authorized [USER=";
    private static final String TTY = "] [TTY=";
    private static final String CWD = "] [CWD=";
    private static final String COMMAND = "] [COMMAND=";

    private PkexecLines() {}

    static AuthLine classify(String text)
    {
        int colon = text.indexOf(": ");
        if (colon <= 0) {
            return null;
        }
        String user = text.substring(0, colon);
        if (!Text.isName(user)) {
            return null;
        }
        int fields;
        AuthLine.Builder line;
        if (text.startsWith(EXECUTING, colon + 2)) {
            fields = colon + 2 + EXECUTING.length();
            line = AuthLine.builder(DATASET, SecurityActions.PRIVILEGE_USE, "pkexec");
        }
        else if (text.startsWith(NOT_AUTHORIZED, colon + 2)) {
            fields = colon + 2 + NOT_AUTHORIZED.length();
            line = AuthLine.builder(DATASET, SecurityActions.PRIVILEGE_DENIED, "not_authorized");
        }
        else {
            return null;
        }
        // the target and the terminal come from the system and contain none of the separators; the directory and the
        // command are the user's: read only where they cannot be read two ways
        int tty = text.indexOf(TTY, fields);
        int cwd = tty < 0 ? -1 : text.indexOf(CWD, tty);
        int command = cwd < 0 ? -1 : text.indexOf(COMMAND, cwd);
        if (command < 0 || !text.endsWith("]")) {
            return null;
        }
        String target = text.substring(fields, tty);
        if (!Text.isName(target)) {
            return null;
        }
        line.user(user).target(target).tty(PamLines.terminal(text.substring(tty + TTY.length(), cwd)));
        if (text.indexOf(COMMAND, command + 1) < 0 && text.indexOf(CWD, cwd + 1) < 0) {
            line.workingDirectory(text.substring(cwd + CWD.length(), command)).commandLine(text.substring(command + COMMAND.length(), text.length() - 1));
        }
        return line.service("pkexec").build();
    }
}
