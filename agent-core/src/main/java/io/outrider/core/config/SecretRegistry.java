package io.outrider.core.config;

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
 * The secret values this agent knows of (values of sensitive properties and of {@code ${file:...}} substitutions),
 * so that its log, status output and error messages can redact them wherever they slip in: the one redaction path
 * of the log's formatter, {@code /status}, {@code outrider status} and the errors the core reports. Thread-safe.
 *
 * <p>A secret is redacted in every form it may come back in (see {@link #forms}); the plugins' {@code Redactor}
 * (plugin-support) knows the same forms, and the two lists must stay equal.
 */
public class SecretRegistry
{
    /** Shorter values would redact ordinary words; such secrets are too weak to matter for redaction. */
    private static final int MINIMUM_LENGTH = 4;
    /** A base64 fragment shorter than this (of a secret of five bytes or fewer) would redact ordinary words. */
    private static final int MIN_BASE64_FRAGMENT = 8;
    public static final String MASK = "******";
    /** Knows no secrets; redacts nothing. */
    public static final SecretRegistry NONE = new SecretRegistry()
    {
        @Override
        public void register(String value)
        {
            throw new UnsupportedOperationException("SecretRegistry.NONE holds no secrets");
        }
    };

    /** Every form of every secret, longest first; replaced as a whole list so readers never see it half sorted. */
    private volatile List<String> forms = List.of();
    private final Set<String> registered = new LinkedHashSet<>();

    public void register(String value)
    {
        if (value == null || value.length() < MINIMUM_LENGTH) {
            return;
        }
        synchronized (registered) {
            if (!registered.add(value)) {
                return;
            }
            Set<String> all = new LinkedHashSet<>(forms);
            for (String form : forms(value)) {
                if (form.length() >= MINIMUM_LENGTH) {
                    all.add(form);
                }
            }
            List<String> sorted = new ArrayList<>(all);
            // longest first, so that a secret containing another is masked whole
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            forms = List.copyOf(sorted);
        }
    }

    /** {@code text} with every known secret, in every form, replaced by {@value #MASK}. */
    public String redact(String text)
    {
        List<String> current = forms;
        if (text == null || current.isEmpty()) {
            return text;
        }
        String result = text;
        for (String form : current) {
            if (result.contains(form)) {
                result = result.replace(form, MASK);
            }
        }
        return result;
    }

    public boolean isEmpty()
    {
        return forms.isEmpty();
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
}
