package io.outrider.core.pipeline;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The {@link ComponentContext} the running agent gives one component. */
final class RuntimeComponentContext
        implements ComponentContext
{
    private final String pipelineId;
    private final String componentId;
    private final String componentType;
    private final Map<String, String> checkpoints;
    private final Path dataDirectory;
    private final KeyValueStore store;
    private final ComponentMetrics metrics;
    private final Clock clock;
    private final String hostName;
    private final String agentVersion;
    private final Optional<Path> configFile;
    private final Optional<Path> pluginsDirectory;
    private final ComponentProblems problems;

    RuntimeComponentContext(String pipelineId, String componentId, String componentType, Map<String, String> checkpoints, Path dataDirectory,
            KeyValueStore store, ComponentMetrics metrics, Clock clock, String hostName, String agentVersion, Optional<Path> configFile, Optional<Path> pluginsDirectory,
            ComponentProblems problems)
    {
        this.pipelineId = requireNonNull(pipelineId, "pipelineId is null");
        this.componentId = requireNonNull(componentId, "componentId is null");
        this.componentType = requireNonNull(componentType, "componentType is null");
        this.checkpoints = Map.copyOf(checkpoints);
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.store = requireNonNull(store, "store is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.hostName = requireNonNull(hostName, "hostName is null");
        this.agentVersion = requireNonNull(agentVersion, "agentVersion is null");
        this.configFile = requireNonNull(configFile, "configFile is null");
        this.pluginsDirectory = requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        this.problems = requireNonNull(problems, "problems is null");
    }

    @Override
    public String pipelineId()
    {
        return pipelineId;
    }

    @Override
    public String componentId()
    {
        return componentId;
    }

    @Override
    public String componentType()
    {
        return componentType;
    }

    @Override
    public System.Logger logger()
    {
        return System.getLogger("outrider." + pipelineId + "." + componentId);
    }

    @Override
    public Map<String, String> checkpoints()
    {
        return checkpoints;
    }

    @Override
    public Path dataDirectory()
    {
        try {
            return io.outrider.core.files.PrivateFiles.createDirectories(dataDirectory);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create component data directory " + dataDirectory, e);
        }
    }

    @Override
    public KeyValueStore store()
    {
        return store;
    }

    @Override
    public ComponentMetrics metrics()
    {
        return metrics;
    }

    @Override
    public Clock clock()
    {
        return clock;
    }

    @Override
    public String hostName()
    {
        return hostName;
    }

    @Override
    public String agentVersion()
    {
        return agentVersion;
    }

    @Override
    public Optional<Path> agentConfigFile()
    {
        return configFile;
    }

    @Override
    public Optional<Path> pluginsDirectory()
    {
        return pluginsDirectory;
    }

    @Override
    public void reportProblem(String key, String detail)
    {
        ComponentContext.super.reportProblem(key, detail);
        problems.report(key, detail);
    }

    @Override
    public void clearProblem(String key)
    {
        ComponentContext.super.clearProblem(key);
        problems.clear(key);
    }
}
