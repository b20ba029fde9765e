package io.outrider.plugin.sshd;

/** The program names sshd logs under: the tags the syslog prefix parser lets through and journald's SYSLOG_IDENTIFIER. */
final class SshdPrograms
{
    private SshdPrograms() {}

    /** {@code sshd}, {@code sshd-session} (OpenSSH 9.8+), {@code sshd-auth} or {@code sshd(pam_unix)} at {@code text[start, end)}. */
    static boolean isSshdProgram(String text, int start, int end)
    {
        int length = end - start;
        if (length < 4 || !text.startsWith("sshd", start)) {
            return false;
        }
        return length == 4
                || (length == 12 && text.startsWith("-session", start + 4))
                || (length == 9 && text.startsWith("-auth", start + 4))
                || (length == 14 && text.startsWith("(pam_unix)", start + 4));
    }

    static boolean isSshdProgram(String program)
    {
        return isSshdProgram(program, 0, program.length());
    }
}
