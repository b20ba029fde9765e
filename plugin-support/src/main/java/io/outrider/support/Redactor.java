package io.outrider.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes text from outside (a collector's error message, an exception message) fit for operators: removes the
 * configured secrets should a collector echo them back, flattens control characters and bounds the length.
 */
public final class Redactor
{
    public static final String REDACTED = "[redacted]";
    public static final int MAX_TEXT_LENGTH = 300;

    private final List<String> secrets;

    /** @param secrets values never to print; nulls and empty strings are ignored */
    public Redactor(String... secrets)
    {
        Set<String> values = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                values.add(secret);
                // an echoed Basic header or a base64 copy of the key gives the secret away just as well
                values.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            }
        }
        this.secrets = List.copyOf(values);
    }

    /** Adds {@code user:password} in base64, the form an echoed Basic header has. */
    public static String basicCredentials(String username, String password)
    {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

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
            boolean space = Character.isWhitespace(c) || Character.isISOControl(c);
            if (space) {
                if (!lastWasSpace && out.length() > 0) {
                    out.append(' ');
                }
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
}
