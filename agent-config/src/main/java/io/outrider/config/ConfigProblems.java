package io.outrider.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects configuration problems so that all of them are reported at once. Not thread-safe. */
public final class ConfigProblems
{
    private final List<ConfigProblem> problems = new ArrayList<>();

    public void add(ConfigLocation location, String path, String message)
    {
        problems.add(new ConfigProblem(location, path, message));
    }

    public boolean isEmpty()
    {
        return problems.isEmpty();
    }

    public int size()
    {
        return problems.size();
    }

    /** The problems in file order (line, then column), stable for equal positions. */
    public List<ConfigProblem> sorted()
    {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing((ConfigProblem p) -> p.location().file())
                .thenComparingInt(p -> p.location().line())
                .thenComparingInt(p -> p.location().column()));
        return List.copyOf(sorted);
    }

    /** @throws InvalidConfigurationException when any problem was collected */
    public void throwIfAny()
            throws InvalidConfigurationException
    {
        throwIfAny(Secrets.NONE);
    }

    /**
     * @param secrets redacts the messages: applied last, because a secret may be learnt (bound) after a message
     *        that echoes the same value was written
     * @throws InvalidConfigurationException when any problem was collected
     */
    public void throwIfAny(Secrets secrets)
            throws InvalidConfigurationException
    {
        throwIfAny(secrets, List::of);
    }

    /**
     * @param warnings asked only when there are problems, to be reported with them
     * @throws InvalidConfigurationException when any problem was collected
     */
    public void throwIfAny(Secrets secrets, java.util.function.Supplier<List<ConfigProblem>> warnings)
            throws InvalidConfigurationException
    {
        if (!problems.isEmpty()) {
            List<ConfigProblem> redacted = new ArrayList<>();
            for (ConfigProblem problem : sorted()) {
                redacted.add(new ConfigProblem(problem.location(), problem.path(), secrets.redact(problem.message())));
            }
            throw new InvalidConfigurationException(redacted, warnings.get());
        }
    }
}
