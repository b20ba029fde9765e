package io.outrider.plugin.sshd;

/**
 * Hand-written matching of the four templates that make most of an auth.log ({@code Failed/Accepted},
 * {@code Received disconnect}, {@code Disconnected from}, {@code Invalid user}), returning exactly the groups the
 * {@link SshdClassifier} template would capture, or {@code null} whenever the line is not in the plain shape, in
 * which case the template decides. The templates stay the specification: {@code TestFastPaths} and the fuzz test
 * check that both always agree.
 *
 * <p>Like the greedy user group of the templates, the user name ends at the <em>last</em> {@code " from "} (or
 * address before {@code " port N"}): sshd's own tail, never text from the user name.
 */
final class FastPaths
{
    private static final String FAILED = "Failed ";
    private static final String ACCEPTED = "Accepted ";
    private static final String FOR = " for ";
    private static final String FROM = " from ";
    private static final String PORT = " port ";
    private static final int MAX_PORT_DIGITS = 5;

    private FastPaths() {}

    /** Groups 1..8 of {@link SshdTemplates#FAILED_OR_ACCEPTED}, or {@code null}. */
    static String[] failedOrAccepted(String text)
    {
        int length = text.length();
        String verb;
        int i;
        if (text.startsWith(FAILED)) {
            verb = "Failed";
            i = FAILED.length();
        }
        else if (text.startsWith(ACCEPTED)) {
            verb = "Accepted";
            i = ACCEPTED.length();
        }
        else {
            return null;
        }
        int methodStart = i;
        if (i >= length || !isLower(text.charAt(i))) {
            return null;
        }
        i++;
        while (i < length && isMethodChar(text.charAt(i))) {
            i++;
        }
        if (i < length && text.charAt(i) == '/') {
            int submethodStart = ++i;
            while (i < length && isMethodChar(text.charAt(i))) {
                i++;
            }
            if (i == submethodStart) {
                return null;
            }
        }
        String method = text.substring(methodStart, i);
        if (!text.startsWith(FOR, i)) {
            return null;
        }
        i += FOR.length();
        String validity = null;
        if (text.startsWith("invalid user ", i)) {
            validity = "invalid";
            i += 13;
        }
        else if (text.startsWith("illegal user ", i)) {
            validity = "illegal";
            i += 13;
        }
        int from = text.lastIndexOf(FROM);
        if (from < i) {
            return null;
        }
        int addressStart = from + FROM.length();
        int addressEnd = endOfNonSpace(text, addressStart);
        if (addressEnd == addressStart || !text.startsWith(PORT, addressEnd)) {
            return null;
        }
        int portStart = addressEnd + PORT.length();
        int portEnd = endOfPortDigits(text, portStart);
        if (portEnd == portStart || !text.startsWith(" ssh", portEnd) || portEnd + 5 > length) {
            return null;
        }
        char version = text.charAt(portEnd + 4);
        if (version != '1' && version != '2') {
            return null;
        }
        int end = portEnd + 5;
        String keyType = null;
        String fingerprint = null;
        if (end != length) {
            if (!text.startsWith(": ", end)) {
                return null;
            }
            int keyStart = end + 2;
            if (keyStart < length && isUpper(text.charAt(keyStart))) {
                int keyEnd = keyStart + 1;
                while (keyEnd < length && isKeyTypeChar(text.charAt(keyEnd))) {
                    keyEnd++;
                }
                if (keyEnd < length && text.charAt(keyEnd) == ' ') {
                    int fingerprintStart = keyEnd + 1;
                    int fingerprintEnd = fingerprintStart;
                    while (fingerprintEnd < length && isFingerprintChar(text.charAt(fingerprintEnd))) {
                        fingerprintEnd++;
                    }
                    if (fingerprintEnd > fingerprintStart) {
                        keyType = text.substring(keyStart, keyEnd);
                        fingerprint = text.substring(fingerprintStart, fingerprintEnd);
                    }
                }
            }
        }
        return new String[] {null, verb, method, validity, text.substring(i, from), text.substring(addressStart, addressEnd),
                text.substring(portStart, portEnd), keyType, fingerprint};
    }

    /** Groups 1..3 of {@link SshdTemplates#INVALID_USER}, or {@code null}. */
    static String[] invalidUser(String text)
    {
        if (!text.startsWith("Invalid user ") && !text.startsWith("Illegal user ")) {
            return null;
        }
        int userStart = 13;
        int from = text.lastIndexOf(FROM);
        if (from < userStart) {
            return null;
        }
        int addressStart = from + FROM.length();
        int addressEnd = endOfNonSpace(text, addressStart);
        if (addressEnd == addressStart) {
            return null;
        }
        String port = null;
        if (addressEnd != text.length()) {
            if (!text.startsWith(PORT, addressEnd)) {
                return null;
            }
            int portStart = addressEnd + PORT.length();
            int portEnd = endOfPortDigits(text, portStart);
            if (portEnd == portStart || portEnd != text.length()) {
                return null;
            }
            port = text.substring(portStart, portEnd);
        }
        return new String[] {null, text.substring(userStart, from), text.substring(addressStart, addressEnd), port};
    }

    /** Groups 1..4 of {@link SshdTemplates#DISCONNECTED}, or {@code null}. */
    static String[] disconnected(String text)
    {
        int start = "Disconnected from ".length();
        if (!text.startsWith("Disconnected from ")) {
            return null;
        }
        int portAt = text.lastIndexOf(PORT);
        if (portAt < start) {
            return null;
        }
        int portStart = portAt + PORT.length();
        int portEnd = endOfPortDigits(text, portStart);
        if (portEnd == portStart || portEnd != text.length()) {
            return null;
        }
        int addressStart = portAt;
        while (addressStart > start && !isRegexSpace(text.charAt(addressStart - 1))) {
            addressStart--;
        }
        if (addressStart == portAt) {
            return null;
        }
        String port = text.substring(portStart, portEnd);
        String address = text.substring(addressStart, portAt);
        if (addressStart == start) {
            return new String[] {null, null, null, address, port};
        }
        if (text.charAt(addressStart - 1) != ' ') {
            return null;
        }
        String who;
        int userStart;
        if (text.startsWith("user ", start)) {
            who = "user";
            userStart = start + 5;
        }
        else if (text.startsWith("authenticating user ", start)) {
            who = "authenticating user";
            userStart = start + 20;
        }
        else if (text.startsWith("invalid user ", start)) {
            who = "invalid user";
            userStart = start + 13;
        }
        else {
            return null;
        }
        if (userStart > addressStart - 1) {
            return null;
        }
        return new String[] {null, who, text.substring(userStart, addressStart - 1), address, port};
    }

    /** Groups 1..2 of {@link SshdTemplates#RECEIVED_DISCONNECT}, or {@code null}. */
    static String[] receivedDisconnect(String text)
    {
        int start = "Received disconnect from ".length();
        if (!text.startsWith("Received disconnect from ")) {
            return null;
        }
        int tokenEnd = endOfNonSpace(text, start);
        if (tokenEnd == start) {
            return null;
        }
        if (text.startsWith(PORT, tokenEnd)) {
            // "from ADDR port N:CODE: description" (OpenSSH 7.2 and later)
            int portStart = tokenEnd + PORT.length();
            int portEnd = endOfPortDigits(text, portStart);
            if (portEnd == portStart || portEnd >= text.length() || text.charAt(portEnd) != ':') {
                return null;
            }
            if (!codeAndDescriptionFollow(text, portEnd + 1)) {
                return null;
            }
            return new String[] {null, text.substring(start, tokenEnd), text.substring(portStart, portEnd)};
        }
        // "from ADDR: CODE: description" (older): the address gives back its trailing ':'
        if (tokenEnd - start < 2 || text.charAt(tokenEnd - 1) != ':' || !codeAndDescriptionFollow(text, tokenEnd)) {
            return null;
        }
        return new String[] {null, text.substring(start, tokenEnd - 1), null};
    }

    /** At {@code i}: an optional space, 1..5 digits (possessively), then ": ". */
    private static boolean codeAndDescriptionFollow(String text, int i)
    {
        if (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        int codeEnd = endOfPortDigits(text, i);
        return codeEnd > i && text.startsWith(": ", codeEnd);
    }

    /** End of a run of 1..5 digits at {@code start}, taken possessively like {@code \d{1,5}+}. */
    private static int endOfPortDigits(String text, int start)
    {
        int i = start;
        while (i < text.length() && i - start < MAX_PORT_DIGITS && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** End of the run of characters that {@code \S} matches, from {@code start}. */
    private static int endOfNonSpace(String text, int start)
    {
        int i = start;
        while (i < text.length() && !isRegexSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** What {@code \s} matches without UNICODE_CHARACTER_CLASS. */
    private static boolean isRegexSpace(char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static boolean isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isLower(char c)
    {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isUpper(char c)
    {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isMethodChar(char c)
    {
        return isLower(c) || isDigit(c) || c == '-';
    }

    private static boolean isKeyTypeChar(char c)
    {
        return isUpper(c) || isDigit(c) || c == '-';
    }

    private static boolean isFingerprintChar(char c)
    {
        return isUpper(c) || isLower(c) || isDigit(c) || c == '+' || c == '/' || c == '=' || c == ':';
    }
}
