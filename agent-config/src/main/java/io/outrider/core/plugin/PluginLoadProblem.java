package io.outrider.core.plugin;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** A plugin that could not be loaded and was skipped: where it is and one sentence on why and what to do. */
public record PluginLoadProblem(Path location, String message)
{
    public PluginLoadProblem
    {
        requireNonNull(location, "location is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString()
    {
        return location + ": " + message;
    }
}
