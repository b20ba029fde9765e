package io.outrider.plugin.sshd;

/**
 * The tail sshd writes after a user name, {@code " from ADDR[ port N][ ssh2][ via LOCAL]"} up to the end of the
 * message, found by scanning rather than by a regular expression. The user name is the client's and may itself
 * contain {@code " from 1.2.3.4 port 22"}; nothing sshd writes after the address contains {@code " from "}, so the
 * last occurrence is sshd's.
 *
 * @param from where {@code " from "} starts: the user name ends there
 * @param address the client address as logged
 * @param port the client port's digits, or {@code null}
 */
record FromTail(int from, String address, String port)
{
    private static final String FROM = " from ";
    private static final String PORT = " port ";
    private static final String VIA = " via ";
    private static final int MAX_PORT_DIGITS = 5;

    /**
     * The tail at the last {@code " from "} that starts at or after {@code minFrom}, or {@code null} when the message
     * does not end in one. {@code via}: whether {@code " via LOCAL"} (macOS' server address) may follow.
     */
    static FromTail parse(String text, int minFrom, boolean via)
    {
        int from = text.lastIndexOf(FROM);
        if (from < minFrom) {
            return null;
        }
        int addressStart = from + FROM.length();
        int i = endOfToken(text, addressStart);
        if (i == addressStart) {
            return null;
        }
        String address = text.substring(addressStart, i);
        String port = null;
        if (text.startsWith(PORT, i)) {
            int portStart = i + PORT.length();
            i = portStart;
            while (i < text.length() && i - portStart < MAX_PORT_DIGITS && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            if (i == portStart) {
                return null;
            }
            port = text.substring(portStart, i);
        }
        if (text.startsWith(" ssh", i) && i + 5 <= text.length() && (text.charAt(i + 4) == '1' || text.charAt(i + 4) == '2')) {
            i += 5;
        }
        if (via && text.startsWith(VIA, i)) {
            int localStart = i + VIA.length();
            i = endOfToken(text, localStart);
            if (i == localStart) {
                return null;
            }
        }
        return i == text.length() ? new FromTail(from, address, port) : null;
    }

    private static int endOfToken(String text, int start)
    {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B') {
                break;
            }
            i++;
        }
        return i;
    }
}
