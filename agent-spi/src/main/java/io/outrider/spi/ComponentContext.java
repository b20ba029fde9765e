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

    /**
     * Reports a problem of this component that the agent cannot see from its own calls into it: an output whose events
     * are delivered while its heartbeat fails, an input that reads nothing because a source it depends on is away. The
     * agent shows it under the component in {@code /status} and {@code outrider status}, and {@code /ready} answers
     * 503 naming it, until {@link #clearProblem} with the same key (or until the component is closed, as at a
     * reload). Problems the agent already sees need no report: an output's failed deliveries and an input's exceptions
     * are shown by themselves.
     *
     * <p>Called by the component, on any of its threads, as often as it likes: a report with the key of a standing
     * problem replaces its detail and keeps its start time. Log the problem too (once, not at every report): this is
     * the component's state, not its history. Secrets in the detail are redacted as in the agent's log; still, never
     * put one there. A context that shows no state (as in {@code outrider parse}) ignores reports.
     *
     * @param key names the problem within this component, such as {@code heartbeat}: lower case, digits and
     *        underscores, at most 64 characters
     * @param detail one sentence for an operator: what fails and what it means, such as {@code heartbeats to
     *        https://collector.example fail (HTTP 404): the collector shows this agent offline; events are still
     *        delivered}
     * @throws IllegalArgumentException when the key is not of that form or the detail is blank
     * @since SPI 1.7
     */
    default void reportProblem(String key, String detail)
    {
        ComponentProblemKeys.check(key);
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("the detail of problem '" + key + "' is blank; say what fails and what it means");
        }
    }

    /**
     * Ends the problem {@link #reportProblem} reported under {@code key}; nothing happens when there is none. Called
     * by the component, on any of its threads.
     *
     * @throws IllegalArgumentException when the key is not of the form {@link #reportProblem} takes
     * @since SPI 1.7
     */
    default void clearProblem(String key)
    {
        ComponentProblemKeys.check(key);
    }
}
