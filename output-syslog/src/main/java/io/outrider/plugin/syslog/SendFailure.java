package io.outrider.plugin.syslog;

import java.time.Duration;
import java.util.Optional;

/** A batch could not be handed to the server; the message says why, for operators (never a secret). */
final class SendFailure
        extends Exception
{
    private final boolean certificateProblem;
    private final Duration retryAfter;

    SendFailure(String message, boolean certificateProblem, Duration retryAfter, Throwable cause)
    {
        super(message, cause);
        this.certificateProblem = certificateProblem;
        this.retryAfter = retryAfter;
    }

    /**
     * The server refused this agent's certificate (or its absence): an operator has to act, retrying soon will not
     * help. A server certificate this agent refused is a failure to retry like any other, its reason says what to set.
     */
    boolean certificateProblem()
    {
        return certificateProblem;
    }

    /** When to try again, if the transport knows (it is backing off its reconnection attempts). */
    Optional<Duration> retryAfter()
    {
        return Optional.ofNullable(retryAfter);
    }
}
