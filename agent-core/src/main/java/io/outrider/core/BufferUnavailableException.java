package io.outrider.core;

/**
 * The buffer cannot be opened (a file written by a newer version, a data directory that cannot be written): the
 * message says what and where, so the agent reports it in one line, without a trace.
 */
public final class BufferUnavailableException
        extends RuntimeException
{
    public BufferUnavailableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
