package io.outrider.plugin.syslog;

import java.util.Arrays;

/** Text rules shared by the encoders: PRINTUSASCII header fields, SD escaping, UTF-8-safe truncation. */
final class SyslogText
{
    /** RFC 5424 NILVALUE. */
    static final String NIL = "-";

    private SyslogText() {}

    /**
     * {@code value} as RFC 5424 PRINTUSASCII (33 to 126) of at most {@code maxLength} characters: every other
     * character (space, control, non-ASCII) becomes {@code _}; null or empty becomes {@link #NIL}.
     */
    static String printableAscii(String value, int maxLength)
    {
        return printableAscii(value, maxLength, "");
    }

    /** As {@link #printableAscii(String, int)}, also replacing the characters in {@code forbidden}. */
    static String printableAscii(String value, int maxLength, String forbidden)
    {
        if (value == null || value.isEmpty()) {
            return NIL;
        }
        // host names, app names and field names are valid as they are nearly always: return them without a copy
        int length = value.length();
        if (length <= maxLength) {
            int i = 0;
            while (i < length && isAllowed(value.charAt(i), forbidden)) {
                i++;
            }
            if (i == length) {
                return value;
            }
        }
        StringBuilder out = new StringBuilder(Math.min(length, maxLength));
        int written = 0;
        for (int i = 0; i < length && written < maxLength; written++) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            out.append(isAllowed(c, forbidden) ? (char) c : '_');
        }
        return out.toString();
    }

    private static boolean isAllowed(int c, String forbidden)
    {
        return c >= 33 && c <= 126 && (forbidden.isEmpty() || forbidden.indexOf(c) < 0);
    }

    /** Escapes an SD-PARAM value as RFC 5424 section 6.3.3 says: {@code "}, {@code \} and {@code ]} get a backslash. */
    static void appendParamValue(StringBuilder out, String value)
    {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
    }

    /**
     * Replaces CR and LF with {@code #015} and {@code #012}, the way rsyslog itself shows control characters, so a
     * message reads the same at the server whether it came LF-framed (where a raw LF would end it) or octet-counted.
     */
    static String escapeLineBreaks(String value)
    {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return value.replace("\r", "#015").replace("\n", "#012");
    }

    /**
     * The longest prefix of the UTF-8 text {@code bytes} that has at most {@code maxBytes} bytes and ends on a
     * character boundary (a multi-byte character is dropped whole, never split).
     */
    static byte[] truncateUtf8(byte[] bytes, int maxBytes)
    {
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        int end = Math.max(maxBytes, 0);
        // step back over continuation bytes (10xxxxxx) so that the cut falls before a character's lead byte
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }
}
