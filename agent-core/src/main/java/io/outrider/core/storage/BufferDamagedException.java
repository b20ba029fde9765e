package io.outrider.core.storage;

/** The buffer file failed its integrity check. */
public final class BufferDamagedException
        extends Exception
{
    public BufferDamagedException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
