package io.outrider.plugin.linuxauth;

import io.outrider.spi.config.Description;

/**
 * Configuration of the {@code linux_auth} parser. Every key is optional.
 *
 * @param year the year of classic syslog timestamps ({@code Mon dd HH:MM:SS} has none); {@code null}: the latest
 *        year that does not put the line more than a day after the moment it was read
 * @param timezone the zone of classic syslog timestamps; {@code null}: the system zone
 * @param maxFieldLength longer user, group and host names are cut to this many characters
 * @param maxMessageLength messages longer than this are not classified (sudo splits its own lines near 1000)
 * @param maxRepeatEvents a line that stands for N occurrences ({@code message repeated N times}, {@code PAM N more
 *        authentication failures}) becomes at most this many events; the last one carries the rest in
 *        {@code event.count}
 * @param keepOriginal whether to keep the raw line in {@code event.original}
 */
public record LinuxAuthParserConfig(
        @Description("Year of classic syslog timestamps; default: inferred from when the line was read")
        Integer year,
        @Description("Time zone of classic syslog timestamps, e.g. Europe/Paris; default: the system zone")
        String timezone,
        @Description("User, group and host names are cut to this many characters")
        Integer maxFieldLength,
        @Description("Messages longer than this are not classified")
        Integer maxMessageLength,
        @Description("Most events one repeated line expands into")
        Integer maxRepeatEvents,
        @Description("Keep the raw line in event.original")
        Boolean keepOriginal)
{
    public static final int DEFAULT_MAX_FIELD_LENGTH = 256;
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 8192;
    public static final int DEFAULT_MAX_REPEAT_EVENTS = 100;

    public LinuxAuthParserConfig
    {
        maxFieldLength = maxFieldLength == null ? DEFAULT_MAX_FIELD_LENGTH : maxFieldLength;
        maxMessageLength = maxMessageLength == null ? DEFAULT_MAX_MESSAGE_LENGTH : maxMessageLength;
        maxRepeatEvents = maxRepeatEvents == null ? DEFAULT_MAX_REPEAT_EVENTS : maxRepeatEvents;
        keepOriginal = keepOriginal == null ? Boolean.TRUE : keepOriginal;
    }

    /** All defaults. */
    public static LinuxAuthParserConfig defaults()
    {
        return new LinuxAuthParserConfig(null, null, null, null, null, null);
    }
}
