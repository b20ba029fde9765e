package io.outrider.plugin.syslog;

import java.util.Locale;
import java.util.Optional;

/** Syslog facilities with their RFC 5424 codes; written in lower case in the configuration ({@code authpriv}). */
public enum Facility
{
    KERN, USER, MAIL, DAEMON, AUTH, SYSLOG, LPR, NEWS, UUCP, CRON, AUTHPRIV, FTP, NTP, SECURITY, CONSOLE, SOLARIS_CRON,
    LOCAL0, LOCAL1, LOCAL2, LOCAL3, LOCAL4, LOCAL5, LOCAL6, LOCAL7;

    /** The numeric code, 0 to 23. */
    public int code()
    {
        return ordinal();
    }

    /** The facility with this code, if the code is one (0 to 23). */
    public static Optional<Facility> ofCode(long code)
    {
        Facility[] all = values();
        return code >= 0 && code < all.length ? Optional.of(all[(int) code]) : Optional.empty();
    }

    /** The facility named {@code name} ({@code authpriv}, {@code LOCAL3}) or numbered ({@code "10"}), if any. */
    public static Optional<Facility> parse(String name)
    {
        String trimmed = name.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
            return trimmed.length() > 2 ? Optional.empty() : ofCode(Integer.parseInt(trimmed));
        }
        try {
            return Optional.of(valueOf(trimmed.toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
