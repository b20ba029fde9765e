package io.outrider.core.builtin;

import static java.util.Objects.requireNonNull;

/**
 * Makes text that came from outside (log lines, parsed fields) safe to print on a terminal. Event text is written by
 * whoever can write a log line, so an ESC sequence in it could clear the screen, move the cursor over earlier output
 * or set the window title, a CR could overwrite a line with another, and a bidirectional override could show the
 * text reversed. Those characters are printed as visible escapes instead; everything else is left as it is.
 */
public final class TerminalText
{
    private TerminalText() {}

    /**
     * Text for a readable line: C0 controls (U+0000-U+001F), DEL, C1 controls (U+0080-U+009F), the line and paragraph
     * separators and the bidirectional embedding, override and isolate controls become {@code \n}, {@code \r},
     * {@code \t} or {@code \}{@code uXXXX}; e.g. ESC becomes {@code \}{@code u001b}. A backslash stays as it is.
     */
    public static String escape(String text)
    {
        requireNonNull(text, "text is null");
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isUnsafe(c)) {
                escaped.append(c);
            }
            else if (c == '\n') {
                escaped.append("\\n");
            }
            else if (c == '\r') {
                escaped.append("\\r");
            }
            else if (c == '\t') {
                escaped.append("\\t");
            }
            else {
                appendUnicodeEscape(escaped, c);
            }
        }
        return escaped.toString();
    }

    /**
     * A JSON text with its DEL, C1 and bidirectional control characters written as JSON {@code \}{@code uXXXX}
     * escapes: the same JSON value, but nothing in it that a terminal acts on. JSON writers already escape C0
     * controls; the others are legal raw in JSON and appear only inside strings, where an escape means the same.
     */
    public static String escapeJson(String json)
    {
        requireNonNull(json, "json is null");
        int first = firstUnsafe(json);
        if (first < 0) {
            return json;
        }
        StringBuilder escaped = new StringBuilder(json.length() + 16).append(json, 0, first);
        for (int i = first; i < json.length(); i++) {
            char c = json.charAt(i);
            if (isUnsafe(c)) {
                appendUnicodeEscape(escaped, c);
            }
            else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static int firstUnsafe(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUnsafe(char c)
    {
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    private static void appendUnicodeEscape(StringBuilder out, char c)
    {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }
}
