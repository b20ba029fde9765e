package io.outrider.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secret values this agent knows of (values of sensitive properties and of {@code ${file:...}} substitutions),
 * so that its log, status output and error messages can redact them wherever they slip in. Thread-safe.
 */
public class SecretRegistry
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

    private final List<String> secrets = new CopyOnWriteArrayList<>();

    public void register(String value)
    {
        if (value != null && value.length() >= MINIMUM_LENGTH && !secrets.contains(value)) {
            secrets.add(value);
            // longest first, so that a secret containing another is masked whole
            secrets.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    /** {@code text} with every known secret replaced by {@value #MASK}. */
    public String redact(String text)
    {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    public boolean isEmpty()
    {
        return secrets.isEmpty();
    }
}
