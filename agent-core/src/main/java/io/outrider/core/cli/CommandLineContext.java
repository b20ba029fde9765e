package io.outrider.core.cli;

import io.outrider.core.AgentVersion;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.pipeline.MemoryKeyValueStore;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The context of a parser that {@code outrider parse} runs: memory-only state that ends with the command, no
 * checkpoints, a temporary data directory deleted when the command ends; the logger is {@code outrider.parse.TYPE}. Metrics are the agent's own, never exported: a metric name the agent refuses fails
 * the parser here too.
 */
final class CommandLineContext
        implements ComponentContext, AutoCloseable
{
    private static final String PIPELINE_ID = "parse";

    private final String type;
    private final String hostName;
    private final KeyValueStore store = new MemoryKeyValueStore();
    private final ComponentMetrics metrics;
    private Path dataDirectory;

    CommandLineContext(String type, String hostName)
    {
        this.type = requireNonNull(type, "type is null");
        this.hostName = requireNonNull(hostName, "hostName is null");
        this.metrics = new AgentMetrics().forComponent(PIPELINE_ID, type, type);
    }

    @Override
    public String pipelineId()
    {
        return PIPELINE_ID;
    }

    @Override
    public String componentId()
    {
        return type;
    }

    @Override
    public String componentType()
    {
        return type;
    }

    @Override
    public System.Logger logger()
    {
        return System.getLogger("outrider.parse." + type);
    }

    @Override
    public Map<String, String> checkpoints()
    {
        return Map.of();
    }

    /** One temporary directory for the whole run, made on the first call and deleted by {@link #close()}. */
    @Override
    public synchronized Path dataDirectory()
    {
        if (dataDirectory == null) {
            try {
                dataDirectory = Files.createTempDirectory("outrider-parse-");
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot create a data directory for parser " + type, e);
            }
        }
        return dataDirectory;
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
        return Clock.systemUTC();
    }

    @Override
    public String hostName()
    {
        return hostName;
    }

    @Override
    public String agentVersion()
    {
        return AgentVersion.get();
    }

    /** Deletes the data directory, if the parser asked for one: nothing of a parse run outlives the command. */
    @Override
    public synchronized void close()
    {
        if (dataDirectory == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dataDirectory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException | UncheckedIOException ignored) {
            // a temporary directory: the system cleans it up eventually
        }
        dataDirectory = null;
    }
}
