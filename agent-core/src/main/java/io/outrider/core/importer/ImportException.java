package io.outrider.core.importer;

import java.util.List;

/** The other agent's configuration cannot be imported; every reason is listed. */
public final class ImportException
        extends Exception
{
    private final List<String> problems;

    public ImportException(List<String> problems)
    {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems()
    {
        return problems;
    }
}
