package io.outrider.plugin.linuxauth;

/** Small checks on delimited values, without regular expressions. */
final class Text
{
    private Text() {}

    /** A user, group or terminal name as the tools print one: not empty, no white space, no control characters, no ';'. */
    static boolean isName(String text)
    {
        int length = text.length();
        if (length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == ';' || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** {@link #isName} or empty: PAM and su print an empty string for a login name they do not know. */
    static boolean isNameOrEmpty(String text)
    {
        return text.isEmpty() || isName(text);
    }

    /** The non-negative decimal of 1..18 digits in {@code text[start, end)}, or -1. */
    static long digits(String text, int start, int end)
    {
        if (end <= start || end - start > 18) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static boolean isDigits(String text)
    {
        return digits(text, 0, text.length()) >= 0;
    }

    /** A PAM service name as {@code pam_start} takes it from the program: letters, digits, {@code - _ .}, 1..64. */
    static boolean isServiceName(String text, int start, int end)
    {
        if (end <= start || end - start > 64) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
