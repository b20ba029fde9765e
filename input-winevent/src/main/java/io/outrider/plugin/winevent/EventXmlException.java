package io.outrider.plugin.winevent;

/** Event XML that cannot be read: not well-formed, not an {@code <Event>}, or carrying a DOCTYPE. */
public final class EventXmlException
        extends Exception
{
    public EventXmlException(String message)
    {
        super(message);
    }

    public EventXmlException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
