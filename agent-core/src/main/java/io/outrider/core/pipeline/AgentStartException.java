package io.outrider.core.pipeline;

/** The agent could not start; the message names the component and the reason, without secrets. */
public final class AgentStartException
        extends Exception
{
    public AgentStartException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
