package io.outrider.config;

/**
 * Where the binder puts the secret values it meets (values of {@code @Sensitive} properties and of
 * {@code ${file:...}} substitutions) and how it keeps them out of its messages. The agent's implementation
 * ({@code SecretRegistry}) also redacts every encoded form of a secret in its log and status output; this module
 * only needs the two operations, so that it does not depend on how the agent redacts.
 */
public interface Secrets
{
    /** Knows no secrets and redacts nothing; refuses to learn one, so it cannot silently drop a secret. */
    Secrets NONE = new Secrets()
    {
        @Override
        public void register(String value)
        {
            throw new UnsupportedOperationException("Secrets.NONE holds no secrets");
        }

        @Override
        public String redact(String text)
        {
            return text;
        }
    };

    /** Remembers {@code value} as a secret; values too short to redact safely may be ignored. */
    void register(String value);

    /** {@code text} with every known secret replaced by a mask. */
    String redact(String text);
}
