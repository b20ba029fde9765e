package io.outrider.spi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A component's configuration cannot work. Thrown by {@link ComponentFactory#validate} and
 * {@link ComponentFactory#create}; the agent reports every {@link Problem} with the YAML location of the property,
 * together with all other configuration errors, and starts nothing. Never put a secret value in a message.
 */
@Stable
public class InvalidConfigException
        extends Exception
{
    private final List<Problem> problems;

    /** One problem with one property ({@code null} or empty property: the component as a whole). */
    public InvalidConfigException(String property, String message)
    {
        this(List.of(new Problem(property, message)));
    }

    /** Several problems at once. */
    public InvalidConfigException(List<Problem> problems)
    {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems()
    {
        return problems;
    }

    private static String summary(List<Problem> problems)
    {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems is empty");
        }
        StringBuilder text = new StringBuilder();
        for (Problem problem : problems) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(problem.property().isEmpty() ? "" : problem.property() + ": ").append(problem.message());
        }
        return text.toString();
    }

    /**
     * One problem.
     *
     * @param property the YAML name of the property, dotted for nested ones ({@code tls.ca_file}); empty for the
     *        component as a whole
     * @param message what is wrong and, where possible, what to do; a sentence without a trailing period
     */
    public record Problem(String property, String message)
    {
        public Problem
        {
            property = property == null ? "" : property;
            requireNonNull(message, "message is null");
        }
    }
}
