package io.outrider.config;

import static java.util.Objects.requireNonNull;

/**
 * One configuration error: where (file, line, column), which property (dotted YAML path) and what is wrong.
 * Messages never contain the value of a sensitive property.
 */
public record ConfigProblem(ConfigLocation location, String path, String message)
{
    public ConfigProblem
    {
        requireNonNull(location, "location is null");
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
    }

    /** {@code file:line:column: path: message}. */
    public String describe()
    {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
