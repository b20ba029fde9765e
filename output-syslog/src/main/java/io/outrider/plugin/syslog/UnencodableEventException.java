package io.outrider.plugin.syslog;

/** An event that cannot become a syslog message within the configured limits; it is rejected, not retried. */
final class UnencodableEventException
        extends Exception
{
    UnencodableEventException(String message)
    {
        super(message);
    }
}
