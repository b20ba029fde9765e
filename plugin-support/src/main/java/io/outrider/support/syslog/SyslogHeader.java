package io.outrider.support.syslog;

/**
 * What the syslog prefix of a line says, as {@link SyslogPrefixParser} read it; parsers also make one for a line whose
 * prefix was split off earlier (journald, an earlier parser), with {@link #messageStart()} 0.
 *
 * @param epochSecond when the line was written, or {@link ClassicTimestamps#UNRESOLVED} to keep the event's time
 * @param nanos the fraction of the second (RFC 3339, RFC 5424 and {@code journalctl -o short-precise})
 * @param host the host name of the prefix, or {@code null}
 * @param program the tag or RFC 5424 APP-NAME without PID or brackets: {@code sshd}, {@code sudo}, {@code CRON}...
 * @param pid the process id, or -1 when the prefix has none
 * @param priority the syslog PRI, or -1 when absent
 * @param messageStart where the program's own text starts in the line
 */
public record SyslogHeader(long epochSecond, int nanos, String host, String program, long pid, int priority, int messageStart)
{
    /** {@link #priority()} of a prefix without {@code <PRI>}. */
    public static final int NO_PRIORITY = -1;
    /** {@link #pid()} of a tag without {@code [pid]}. */
    public static final long NO_PID = -1;

    /** Whether the prefix gave a time; without one the event keeps the time it had. */
    public boolean hasTimestamp()
    {
        return epochSecond != ClassicTimestamps.UNRESOLVED;
    }
}
