package io.outrider.config;

import java.util.List;

/**
 * The configuration has errors; the message lists all of them, numbered, then the warnings of the components that
 * were valid (the agent's {@code ConfigWarnings}), so that one round of fixes can address both:
 * <pre>
 * Configuration has 2 errors:
 *
 * 1) outrider.yaml:5:9: pipelines.ssh.inputs.auth: unknown input type 'fiel'; did you mean 'file'?
 * 2) ...
 *
 * Configuration has 1 warning:
 *
 * 1) outrider.yaml:9:7: pipelines.ssh.inputs.app: path "/var/log/app/*.log" matches no file yet; ...
 * </pre>
 */
public final class InvalidConfigurationException
        extends Exception
{
    private final List<ConfigProblem> problems;
    private final List<ConfigProblem> warnings;

    public InvalidConfigurationException(List<ConfigProblem> problems)
    {
        this(problems, List.of());
    }

    public InvalidConfigurationException(List<ConfigProblem> problems, List<ConfigProblem> warnings)
    {
        super(format(problems) + (warnings.isEmpty() ? "" : "\n\n" + formatWarnings(warnings)));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public List<ConfigProblem> problems()
    {
        return problems;
    }

    public List<ConfigProblem> warnings()
    {
        return warnings;
    }

    /** {@code Configuration has N errors:} and the problems, numbered from 1, one per line. */
    public static String format(List<ConfigProblem> problems)
    {
        return numbered(problems, "error");
    }

    /** {@code Configuration has N warnings:} and the warnings, numbered from 1 like the errors. */
    public static String formatWarnings(List<ConfigProblem> warnings)
    {
        return numbered(warnings, "warning");
    }

    private static String numbered(List<ConfigProblem> problems, String noun)
    {
        StringBuilder text = new StringBuilder();
        text.append("Configuration has ").append(problems.size()).append(" ").append(noun).append(problems.size() == 1 ? ":" : "s:").append("\n");
        for (int i = 0; i < problems.size(); i++) {
            text.append("\n").append(i + 1).append(") ").append(problems.get(i).describe());
        }
        return text.toString();
    }
}
