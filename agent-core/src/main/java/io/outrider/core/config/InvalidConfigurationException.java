package io.outrider.core.config;

import java.util.List;

/**
 * The configuration has errors; the message lists all of them, numbered:
 * <pre>
 * Configuration has 2 errors:
 *
 * 1) outrider.yaml:5:9: pipelines.ssh.inputs.auth: unknown input type 'fiel'; did you mean 'file'?
 * 2) ...
 * </pre>
 */
public final class InvalidConfigurationException
        extends Exception
{
    private final List<ConfigProblem> problems;

    public InvalidConfigurationException(List<ConfigProblem> problems)
    {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems()
    {
        return problems;
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
