package io.outrider.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the agent offers one component (an input, parser or output of one pipeline). Passed to
 * {@link ComponentFactory#create}; valid for the component's lifetime; all methods are thread-safe.
 *
 * <p>This interface only grows, and only by default methods, so a plugin built against an older minor SPI version
 * keeps working.
 */
@Stable
public interface ComponentContext
{
    /** The id of the pipeline, as written in the configuration. */
    String pipelineId();

    /** The id of the component within its pipeline; it keys the component's checkpoints and state. */
    String componentId();

    /** The component's type, e.g. {@code file}. */
    String componentType();

    /**
     * The logger for this component, named {@code outrider.<pipeline>.<component>}. Goes to the agent's log,
     * where configured secret values are redacted; still, never log a secret yourself.
     */
    System.Logger logger();

    /**
     * The checkpoints this component committed last (inputs only; empty for others and on a first start), as an
     * unmodifiable snapshot taken when the component was created.
     */
    Map<String, String> checkpoints();

    /** A directory private to this component, created on demand, kept across restarts. */
    Path dataDirectory();

    /** A small durable key-value store private to this component (state that is not a checkpoint). */
    KeyValueStore store();

    /** Counters and gauges of this component, published on the agent's metrics endpoint and status. */
    ComponentMetrics metrics();

    /** The wall clock; tests substitute it. For measuring intervals use {@link #nanoTime()}. */
    Clock clock();

    /** Monotonic time in nanoseconds, for timeouts and intervals. */
    default long nanoTime()
    {
        return System.nanoTime();
    }

    /** The host name the agent reports (configured override, else the machine's). */
    String hostName();

    /** The agent's version, e.g. {@code 0.1.0}. */
    String agentVersion();

    /** The agent's configuration file, if it was started from one (inputs that watch it use this). */
    default java.util.Optional<Path> agentConfigFile()
    {
        return java.util.Optional.empty();
    }

    /** The agent's plugins directory, if any. */
    default java.util.Optional<Path> pluginsDirectory()
    {
        return java.util.Optional.empty();
    }
}
