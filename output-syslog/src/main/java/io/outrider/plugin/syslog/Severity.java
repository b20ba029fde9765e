package io.outrider.plugin.syslog;

import java.util.Optional;

/** Syslog severities with their RFC 5424 codes (0 emergency to 7 debug); written in lower case in the configuration. */
public enum Severity
{
    EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG;

    /** The numeric code, 0 to 7. */
    public int code()
    {
        return ordinal();
    }

    /** The severity with this code, if the code is one (0 to 7). */
    public static Optional<Severity> ofCode(long code)
    {
        Severity[] all = values();
        return code >= 0 && code < all.length ? Optional.of(all[(int) code]) : Optional.empty();
    }
}
