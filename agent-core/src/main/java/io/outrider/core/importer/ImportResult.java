package io.outrider.core.importer;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What an import produced: our YAML (never containing a secret), the secrets it references as {@code ${VAR}} with
 * their values (for a 0600 env file), and, in plain words, everything of the other agent's setup that was not
 * carried over.
 */
public record ImportResult(String yaml, Map<String, String> secrets, List<String> notCarriedOver)
{
    public ImportResult
    {
        requireNonNull(yaml, "yaml is null");
        secrets = Map.copyOf(secrets);
        notCarriedOver = List.copyOf(notCarriedOver);
    }
}
