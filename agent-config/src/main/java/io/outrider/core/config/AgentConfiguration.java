package io.outrider.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A whole, validated configuration. */
public record AgentConfiguration(Optional<Path> file, AgentSettings agent, List<PipelineSpec> pipelines)
{
    public AgentConfiguration
    {
        requireNonNull(file, "file is null");
        requireNonNull(agent, "agent is null");
        pipelines = List.copyOf(pipelines);
    }
}
