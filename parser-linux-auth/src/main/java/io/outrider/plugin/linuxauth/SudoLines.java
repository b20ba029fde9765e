package io.outrider.plugin.linuxauth;

import io.outrider.spi.SecurityActions;

/**
 * sudo's own lines (sudo's {@code logging.c} and {@code eventlog.c}): {@code USER : [MESSAGE ; ]TTY=tty ;
 * [CHROOT=dir ; ]PWD=dir ; USER=runas ; [GROUP=g ; ][TSID=id ; ][ENV=... ; ]COMMAND=command args}, where the user
 * name is padded to 8 characters, and MESSAGE says why sudo refused.
 *
 * <p>The invoking user and the message come first and are sudo's own (user names cannot contain {@code " : "}).
 * The working directory and the command are the user's choice and may contain {@code " ; USER=root ; COMMAND="}:
 * the target user is taken only when exactly one {@code " ; USER="} after {@code PWD=} is followed by the fields
 * sudo writes after it; when the line can be read two ways the event keeps its action and invoking user, and leaves
 * the target, directory and command out (the whole line stays in the message).
 */
final class SudoLines
{
    static final String DATASET = "sudo";

    private static final String FIELD_SEPARATOR = " ; ";
    private static final String INCORRECT_PASSWORD = " incorrect password attempt";

    private SudoLines() {}

    static AuthLine classify(String text)
    {
        int separator = text.indexOf(" : ");
        if (separator < 0) {
            return null;
        }
        String user = text.substring(0, separator).strip();
        if (!Text.isName(user)) {
            return null;
        }
        String rest = text.substring(separator + 3);
        String action;
        String reason;
        String fields;
        if (rest.startsWith("TTY=")) {
            action = SecurityActions.PRIVILEGE_USE;
            reason = "sudo";
            fields = rest;
        }
        else {
            int tty = rest.indexOf(" ; TTY=");
            if (tty < 0) {
                return null;
            }
            reason = denialReason(rest.substring(0, tty));
            if (reason == null) {
                return null;
            }
            action = SecurityActions.PRIVILEGE_DENIED;
            fields = rest.substring(tty + FIELD_SEPARATOR.length());
        }
        return parseFields(fields, AuthLine.builder(DATASET, action, reason).user(user));
    }

    /** sudo's words for a refusal, as a reason; {@code null} for anything else (sudo's errors are not refusals). */
    private static String denialReason(String message)
    {
        switch (message) {
            case "user NOT in sudoers":
                return "not_in_sudoers";
            case "user NOT authorized on host":
                return "not_allowed_on_host";
            case "command not allowed":
                return "command_not_allowed";
            case "a password is required":
                return "password_required";
            default:
                // "1 incorrect password attempt", "3 incorrect password attempts"
                int words = message.indexOf(INCORRECT_PASSWORD);
                if (words > 0 && Text.digits(message, 0, words) > 0) {
                    int end = words + INCORRECT_PASSWORD.length();
                    if (end == message.length() || (end + 1 == message.length() && message.charAt(end) == 's')) {
                        return "incorrect_password";
                    }
                }
                return null;
        }
    }

    /** {@code TTY=...} onwards. */
    private static AuthLine parseFields(String fields, AuthLine.Builder line)
    {
        int ttyEnd = fields.indexOf(FIELD_SEPARATOR);
        if (ttyEnd < 0) {
            return null;
        }
        String tty = fields.substring(4, ttyEnd);
        if (!Text.isName(tty)) {
            return null;
        }
        line.tty(tty);
        int position = ttyEnd + FIELD_SEPARATOR.length();
        if (fields.startsWith("CHROOT=", position)) {
            int end = fields.indexOf(FIELD_SEPARATOR, position);
            if (end < 0) {
                return null;
            }
            position = end + FIELD_SEPARATOR.length();
        }
        if (!fields.startsWith("PWD=", position)) {
            return null;
        }
        int directoryStart = position + 4;
        // readings with a command win over readings that end at the target user (a command may end in " ; USER=x")
        Reading withCommand = new Reading();
        Reading withoutCommand = new Reading();
        for (int at = fields.indexOf(" ; USER=", directoryStart); at >= 0; at = fields.indexOf(" ; USER=", at + 1)) {
            Tail candidate = tail(fields, at + FIELD_SEPARATOR.length());
            if (candidate != null) {
                (candidate.command() != null ? withCommand : withoutCommand).add(at, candidate);
            }
        }
        Reading reading = withCommand.count > 0 ? withCommand : withoutCommand;
        if (reading.count == 0) {
            return null;
        }
        if (reading.count == 1) {
            line.workingDirectory(fields.substring(directoryStart, reading.at))
                    .target(reading.tail.user())
                    .commandLine(reading.tail.command());
        }
        return line.build();
    }

    /** How many ways the text after {@code PWD=} reads, and the first. */
    private static final class Reading
    {
        int count;
        int at;
        Tail tail;

        void add(int position, Tail candidate)
        {
            if (count++ == 0) {
                at = position;
                tail = candidate;
            }
        }
    }

    /**
     * {@code USER=name[ ; GROUP=g][ ; TSID=id][ ; CWD=dir][ ; ENV=...][ ; COMMAND=...]} at {@code start}, up to the
     * end of the line; {@code null} when the text there is not that.
     */
    private static Tail tail(String fields, int start)
    {
        int length = fields.length();
        int nameStart = start + "USER=".length();
        int nameEnd = fields.indexOf(FIELD_SEPARATOR, nameStart);
        if (nameEnd < 0) {
            // a refusal may end at the target user, or with a dangling " ;"
            nameEnd = fields.endsWith(" ;") && length - 2 > nameStart ? length - 2 : length;
            String user = fields.substring(nameStart, nameEnd);
            return Text.isName(user) ? new Tail(user, null) : null;
        }
        String user = fields.substring(nameStart, nameEnd);
        if (!Text.isName(user)) {
            return null;
        }
        int position = nameEnd + FIELD_SEPARATOR.length();
        for (String name : new String[] {"GROUP=", "TSID="}) {
            if (fields.startsWith(name, position)) {
                int end = fields.indexOf(FIELD_SEPARATOR, position);
                if (end < 0 || !Text.isName(fields.substring(position + name.length(), end))) {
                    return null;
                }
                position = end + FIELD_SEPARATOR.length();
            }
        }
        if (fields.startsWith("CWD=", position)) {
            int end = fields.indexOf(FIELD_SEPARATOR, position);
            if (end < 0) {
                return null;
            }
            position = end + FIELD_SEPARATOR.length();
        }
        if (fields.startsWith("ENV=", position)) {
            int end = fields.indexOf(" ; COMMAND=", position);
            if (end < 0) {
                return null;
            }
            position = end + FIELD_SEPARATOR.length();
        }
        if (!fields.startsWith("COMMAND=", position)) {
            return null;
        }
        return new Tail(user, fields.substring(position + "COMMAND=".length()));
    }

    private record Tail(String user, String command) {}
}
