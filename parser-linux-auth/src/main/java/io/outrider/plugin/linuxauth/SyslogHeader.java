package io.outrider.plugin.linuxauth;

/**
 * What the syslog prefix of a line says.
 *
 * @param epochSecond when the line was written, or {@link ClassicTimestamps#UNRESOLVED} to keep the event's time
 * @param nanos the fraction of the second (RFC 3339 and RFC 5424)
 * @param host the host name of the prefix, or {@code null}
 * @param program the tag: {@code sudo}, {@code su}, {@code useradd}, {@code CRON}...
 * @param pid the process id, or -1 when the prefix has none
 * @param priority the syslog PRI, or -1 when absent
 * @param messageStart where the program's own text starts in the line
 */
record SyslogHeader(long epochSecond, int nanos, String host, String program, long pid, int priority, int messageStart)
{
    static final int NO_PRIORITY = -1;
    static final long NO_PID = -1;

    boolean hasTimestamp()
    {
        return epochSecond != ClassicTimestamps.UNRESOLVED;
    }
}
