package io.outrider.plugin.winevent;

/**
 * Removes what XML 1.0 forbids from event XML before it is parsed: control characters other than tab, line feed
 * and carriage return, U+FFFE and U+FFFF, unpaired surrogates, and character references to any of those
 * ({@code &#3;}). Event data is arbitrary text written by applications, and renderers copy it verbatim, so without
 * this one bad character would make a whole event unreadable.
 */
public final class XmlSanitizer
{
    private XmlSanitizer() {}

    /** The text without XML-1.0-illegal characters; the same instance when there is nothing to remove. */
    public static String sanitize(String xml)
    {
        int length = xml.length();
        int i = 0;
        while (i < length) {
            char c = xml.charAt(i);
            if (isIllegal(xml, i) || (c == '&' && illegalReferenceEnd(xml, i) > 0)) {
                break;
            }
            i++;
        }
        if (i == length) {
            return xml;
        }
        StringBuilder clean = new StringBuilder(length);
        clean.append(xml, 0, i);
        while (i < length) {
            char c = xml.charAt(i);
            int referenceEnd = c == '&' ? illegalReferenceEnd(xml, i) : -1;
            if (referenceEnd > 0) {
                i = referenceEnd;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(xml.charAt(i + 1))) {
                clean.append(c).append(xml.charAt(i + 1));
                i += 2;
            }
            else {
                if (!isIllegal(xml, i)) {
                    clean.append(c);
                }
                i++;
            }
        }
        return clean.toString();
    }

    /** If a character reference to an illegal character starts at {@code index}, the index just after it; else -1. */
    private static int illegalReferenceEnd(String xml, int index)
    {
        if (index + 2 >= xml.length() || xml.charAt(index + 1) != '#') {
            return -1;
        }
        int end = xml.indexOf(';', index + 2);
        if (end < 0 || end - index > 12) {
            return -1;
        }
        int codePoint = characterReference(xml.substring(index + 2, end));
        return codePoint >= 0 && !isLegal(codePoint) ? end + 1 : -1;
    }

    private static boolean isIllegal(String text, int index)
    {
        char c = text.charAt(index);
        if (c < 0x20) {
            return c != '\t' && c != '\n' && c != '\r';
        }
        if (c < 0xD800) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return index + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(index + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return index == 0 || !Character.isHighSurrogate(text.charAt(index - 1));
        }
        return c == 0xFFFE || c == 0xFFFF;
    }

    private static boolean isLegal(int codePoint)
    {
        return codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD
                || (codePoint >= 0x20 && codePoint <= 0xD7FF)
                || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
                || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
    }

    /** The code point of a character reference body ({@code 3}, {@code x1F}), or -1 when it is not one. */
    private static int characterReference(String body)
    {
        try {
            if (body.startsWith("x") || body.startsWith("X")) {
                return Integer.parseInt(body.substring(1), 16);
            }
            return Integer.parseInt(body);
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }
}
