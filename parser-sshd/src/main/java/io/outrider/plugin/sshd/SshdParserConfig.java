package io.outrider.plugin.sshd;

import io.outrider.spi.config.Description;

/**
 * Configuration of the {@code sshd} parser. Every key is optional.
 *
 * @param year the year of classic syslog timestamps ({@code Mon dd HH:MM:SS} has none); {@code null}: the latest
 *        year that does not put the line more than a day after the moment it was read, which handles December
 *        lines read in January
 * @param timezone the zone of classic syslog timestamps (RFC 3339 and RFC 5424 timestamps carry their own offset);
 *        {@code null}: the system zone
 * @param sessionTableSize how many sshd processes (host and PID) to remember, so that lines without an address of
 *        their own ({@code Disconnecting: Too many authentication failures}) get the client's address and user
 * @param maxFieldLength longer user names, host names and other extracted values are cut to this many characters
 * @param maxMessageLength sshd messages longer than this are not classified: sshd itself never writes one
 * @param maxRepeatEvents a line that stands for N occurrences ({@code message repeated N times}, {@code PAM N more
 *        authentication failures}) becomes at most this many events; the last one carries the rest in
 *        {@code event.count}
 * @param otherLines what to do with sshd lines that are not authentication events
 * @param keepOriginal whether to keep the raw line in {@code event.original}
 */
public record SshdParserConfig(
        @Description("Year of classic syslog timestamps; default: inferred from when the line was read")
        Integer year,
        @Description("Time zone of classic syslog timestamps, e.g. Europe/Paris; default: the system zone")
        String timezone,
        @Description("sshd processes remembered to complete lines that carry no address")
        Integer sessionTableSize,
        @Description("Extracted values are cut to this many characters")
        Integer maxFieldLength,
        @Description("sshd messages longer than this are not classified")
        Integer maxMessageLength,
        @Description("Most events one repeated line expands into")
        Integer maxRepeatEvents,
        @Description("sshd lines that are not authentication events: keep (parsed, no event.action), drop, or unmatched")
        OtherLines otherLines,
        @Description("Keep the raw line in event.original")
        Boolean keepOriginal)
{
    public static final int DEFAULT_SESSION_TABLE_SIZE = 10_000;
    public static final int DEFAULT_MAX_FIELD_LENGTH = 256;
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 4096;
    public static final int DEFAULT_MAX_REPEAT_EVENTS = 100;

    public SshdParserConfig
    {
        sessionTableSize = sessionTableSize == null ? DEFAULT_SESSION_TABLE_SIZE : sessionTableSize;
        maxFieldLength = maxFieldLength == null ? DEFAULT_MAX_FIELD_LENGTH : maxFieldLength;
        maxMessageLength = maxMessageLength == null ? DEFAULT_MAX_MESSAGE_LENGTH : maxMessageLength;
        maxRepeatEvents = maxRepeatEvents == null ? DEFAULT_MAX_REPEAT_EVENTS : maxRepeatEvents;
        otherLines = otherLines == null ? OtherLines.KEEP : otherLines;
        keepOriginal = keepOriginal == null ? Boolean.TRUE : keepOriginal;
    }

    /** All defaults. */
    public static SshdParserConfig defaults()
    {
        return new SshdParserConfig(null, null, null, null, null, null, null, null);
    }

    /** What happens to sshd lines that are not authentication events (server start, key exchange details...). */
    public enum OtherLines
    {
        /** Matched: timestamp, host, process and {@code event.original} parsed from the line; no {@code event.action}. */
        KEEP,
        /** Matched and discarded. */
        DROP,
        /** Not matched: the event goes on unchanged and the pipeline's {@code unmatched} policy decides. */
        UNMATCHED
    }
}
