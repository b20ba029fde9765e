package io.outrider.core.config;

import io.outrider.config.Secrets;
import io.outrider.support.Redactor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The secret values this agent knows of (values of sensitive properties and of {@code ${file:...}} substitutions),
 * so that its log, status output and error messages can redact them wherever they slip in: the one redaction path
 * of the log's formatter, {@code /status}, {@code outrider status} and the errors the core reports. Thread-safe.
 *
 * <p>A secret is redacted in every form it may come back in (see {@link #forms}), the forms plugin-support's
 * {@link Redactor} knows, so that the core and the plugins redact alike.
 */
public class SecretRegistry
        implements Secrets
{
    /** Shorter values would redact ordinary words; such secrets are too weak to matter for redaction. */
    private static final int MINIMUM_LENGTH = 4;
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

    @Override
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
    @Override
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
     * Every form in which {@code secret} may come back in a collector's answer or an exception: the plugins'
     * {@link Redactor#forms} (as it is, URL-encoded, JSON-escaped, base64 alone and inside a longer encoded text),
     * one list for the core and every plugin.
     */
    public static Set<String> forms(String secret)
    {
        return Redactor.forms(secret);
    }
}
