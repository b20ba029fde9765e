package io.outrider.core.config;

import java.util.List;

/**
 * The configuration has errors; the message lists all of them, numbered, then the warnings of the components that
 * were valid (see {@link ConfigWarnings}), so that one round of fixes can address both:
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
        super(format(problems) + (warnings.isEmpty() ? "" : "\n\n" + ConfigWarnings.format(warnings)));
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

    public static String format(List<ConfigProblem> problems)
    {
        StringBuilder text = new StringBuilder();
        text.append("Configuration has ").append(problems.size()).append(problems.size() == 1 ? " error:" : " errors:").append("\n");
        for (int i = 0; i < problems.size(); i++) {
            text.append("\n").append(i + 1).append(") ").append(problems.get(i).describe());
        }
        return text.toString();
    }
}
