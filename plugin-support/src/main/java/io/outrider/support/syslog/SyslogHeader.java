package io.outrider.support.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import static java.util.Objects.requireNonNull;

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

    /**
     * The header of a line whose prefix an input or an earlier parser split off (journald, a syslog input): no time,
     * host or priority, the text from the start.
     *
     * @param program the program name ({@code process.name})
     * @param pid {@code process.pid} as inputs give it: a number, or text as journald's {@code _PID}; anything else,
     *        negative or not a decimal of at most 10 digits is {@link #NO_PID}
     */
    public static SyslogHeader withoutPrefix(String program, Object pid)
    {
        requireNonNull(program, "program is null");
        return new SyslogHeader(ClassicTimestamps.UNRESOLVED, 0, null, program, pidOf(pid), NO_PRIORITY, 0);
    }

    private static long pidOf(Object value)
    {
        if (value instanceof Number number) {
            long pid = number.longValue();
            return pid >= 0 ? pid : NO_PID;
        }
        if (value instanceof String text) {
            if (text.isEmpty() || text.length() > 10) {
                return NO_PID;
            }
            long pid = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return NO_PID;
                }
                pid = pid * 10 + (c - '0');
            }
            return pid;
        }
        return NO_PID;
    }

    /**
     * Adds what the prefix says to an event: {@code log.syslog.hostname} and, unless the input set them,
     * {@code host.name} and {@code process.name}; {@code process.pid}; {@code log.syslog.priority} and
     * {@code log.syslog.facility}. The time is the caller's to set (see {@link #hasTimestamp()}).
     */
    public Event.Builder addTo(Event.Builder builder)
    {
        if (host != null) {
            builder.field(Fields.LOG_SYSLOG_HOSTNAME, host);
            if (builder.field(Fields.HOST_NAME) == null) {
                builder.field(Fields.HOST_NAME, host);
            }
        }
        if (builder.field(Fields.PROCESS_NAME) == null) {
            builder.field(Fields.PROCESS_NAME, program);
        }
        if (pid >= 0) {
            builder.field(Fields.PROCESS_PID, pid);
        }
        if (priority != NO_PRIORITY) {
            builder.field(Fields.LOG_SYSLOG_PRIORITY, priority);
            builder.field(Fields.LOG_SYSLOG_FACILITY, priority >> 3);
        }
        return builder;
    }

    /** Whether the prefix gave a time; without one the event keeps the time it had. */
    public boolean hasTimestamp()
    {
        return epochSecond != ClassicTimestamps.UNRESOLVED;
    }
}
