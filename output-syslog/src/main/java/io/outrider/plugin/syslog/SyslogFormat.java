package io.outrider.plugin.syslog;

/** The message format. */
public enum SyslogFormat
{
    /** RFC 5424, with structured data built from event fields. */
    RFC5424,
    /** RFC 3164 (BSD syslog), for old receivers: {@code <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG}. */
    RFC3164
}
