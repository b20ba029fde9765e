package io.outrider.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes text from outside (a collector's error message, an exception message) fit for operators: removes the
 * configured secrets in every form a collector may echo them back in (see {@link #forms}), escapes bytes and
 * characters a terminal would act on, flattens line breaks and bounds the length.
 *
 * <p>The agent's core redacts its log, status and errors with these same forms: its {@code SecretRegistry} calls
 * {@link #forms}.
 */
public final class Redactor
{
    public static final String REDACTED = "[redacted]";
    public static final int MAX_TEXT_LENGTH = 300;
    /** A base64 fragment shorter than this (of a secret of five bytes or fewer) would redact ordinary words. */
    private static final int MIN_BASE64_FRAGMENT = 8;

    private final List<String> secrets;

    /** @param secrets values never to print; nulls and empty strings are ignored */
    public Redactor(String... secrets)
    {
        Set<String> values = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                values.addAll(forms(secret));
            }
        }
        List<String> sorted = new ArrayList<>(values);
        // longest first, so that a form containing another is replaced whole
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(sorted);
    }

    /** {@code user:password} in base64, the form an echoed Basic header has. */
    public static String basicCredentials(String username, String password)
    {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every form in which {@code secret} may come back in a collector's answer or an exception: as it is;
     * URL-encoded (a space as {@code +} or {@code %20}, a plus as {@code %2B} or left as it is, upper- or
     * lower-case hex); JSON-escaped (with or without {@code \/}, non-ASCII as it is or as {@code \}{@code uXXXX}); and
     * base64 (standard and URL-safe), also where the secret is the tail or the middle of a longer encoded text, such
     * as {@code user:secret} in a Basic header: the characters that only the secret's bytes determine, for each of
     * the three positions it can have in base64's groups of three bytes.
     */
    public static Set<String> forms(String secret)
    {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        for (String form : List.of(encoded, encoded.replace("+", "%20"), encoded.replace("%2B", "+"), encoded.replace("%7E", "~"))) {
            forms.add(form);
            forms.add(lowerCaseHex(form));
        }
        for (boolean escapeSlash : new boolean[] {false, true}) {
            forms.add(jsonEscaped(secret, escapeSlash, false));
            String asciiOnly = jsonEscaped(secret, escapeSlash, true);
            forms.add(asciiOnly);
            forms.add(upperCaseUnicodeEscapes(asciiOnly));
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            forms.add(encoder.encodeToString(bytes));
            String unpadded = encoder.withoutPadding().encodeToString(bytes);
            if (unpadded.length() >= MIN_BASE64_FRAGMENT) {
                forms.add(unpadded);
            }
            for (int offset = 0; offset < 3; offset++) {
                String fragment = base64Fragment(encoder, bytes, offset);
                if (fragment.length() >= MIN_BASE64_FRAGMENT) {
                    forms.add(fragment);
                }
            }
        }
        forms.remove("");
        return forms;
    }

    /**
     * The base64 characters that depend on {@code bytes} alone when they follow {@code offset} other bytes: the
     * first characters share bits with the bytes before, the last with those after.
     */
    private static String base64Fragment(Base64.Encoder encoder, byte[] bytes, int offset)
    {
        byte[] shifted = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, shifted, offset, bytes.length);
        String text = encoder.encodeToString(shifted);
        int start = new int[] {0, 2, 3}[offset];
        int total = shifted.length;
        int end = total / 3 * 4 + new int[] {0, 1, 2}[total % 3];
        return end <= start ? "" : text.substring(start, end);
    }

    private static String jsonEscaped(String secret, boolean escapeSlash, boolean asciiOnly)
    {
        StringBuilder out = new StringBuilder(secret.length() + 8);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append(escapeSlash ? "\\/" : "/");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String upperCaseUnicodeEscapes(String escaped)
    {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            out.append(c);
            if (c == '\\' && i + 1 < escaped.length()) {
                char next = escaped.charAt(++i);
                out.append(next);
                if (next == 'u' && i + 4 < escaped.length()) {
                    out.append(escaped.substring(i + 1, i + 5).toUpperCase(Locale.ROOT));
                    i += 4;
                }
            }
        }
        return out.toString();
    }

    private static String lowerCaseHex(String urlEncoded)
    {
        StringBuilder out = new StringBuilder(urlEncoded.length());
        for (int i = 0; i < urlEncoded.length(); i++) {
            char c = urlEncoded.charAt(i);
            out.append(c);
            if (c == '%' && i + 2 < urlEncoded.length()) {
                out.append(urlEncoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
                i += 2;
            }
        }
        return out.toString();
    }

    /**
     * {@link #clean(String)} for an answer's bytes: valid UTF-8 is read as text, every other byte is shown as
     * {@code \xNN}, so a binary answer neither garbles a terminal nor loses what it said.
     */
    public String clean(byte[] bytes)
    {
        if (bytes == null) {
            return "";
        }
        return clean(Utf8Text.escapingMalformed(bytes));
    }

    /**
     * The text without secrets, with every run of white space (line breaks included) as one space, other control
     * and format characters (escape, bell, bidirectional overrides) as {@code \xNN} or {@code \}{@code uNNNN}, cut
     * after {@value #MAX_TEXT_LENGTH} characters.
     */
    public String clean(String text)
    {
        if (text == null) {
            return "";
        }
        String cleaned = text;
        for (String secret : secrets) {
            cleaned = cleaned.replace(secret, REDACTED);
        }
        StringBuilder out = new StringBuilder(Math.min(cleaned.length(), MAX_TEXT_LENGTH + 3));
        boolean lastWasSpace = false;
        int i = 0;
        for (; i < cleaned.length() && out.length() < MAX_TEXT_LENGTH; i++) {
            char c = cleaned.charAt(i);
            boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c);
            if (space) {
                if (!lastWasSpace && out.length() > 0) {
                    out.append(' ');
                }
            }
            else if (Character.isISOControl(c) || isInvisible(c)) {
                out.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
            else {
                out.append(c);
            }
            lastWasSpace = space;
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        if (i < cleaned.length()) {
            out.append("...");
        }
        return out.toString();
    }

    private static boolean isInvisible(char c)
    {
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }
}
