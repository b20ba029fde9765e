package io.outrider.core.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * What readiness ({@code /ready}) is decided from, for one output: its state, its last error (redacted) and when it
 * last delivered and last dead-lettered events (epoch milliseconds, 0 for never since the start).
 */
public record OutputHealth(
        String pipeline,
        String output,
        String type,
        ComponentState state,
        String lastError,
        long lastDeliveredMillis,
        long lastDeadLetteredMillis,
        String lastDeadLetterReason)
{
    public OutputHealth
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(output, "output is null");
        requireNonNull(type, "type is null");
        requireNonNull(state, "state is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(lastDeadLetterReason, "lastDeadLetterReason is null");
    }
}
