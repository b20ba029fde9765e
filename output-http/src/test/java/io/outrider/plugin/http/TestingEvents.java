package io.outrider.plugin.http;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.time.Instant;

/** Events as the agent's inputs and parsers produce them. */
final class TestingEvents
{
    static final Instant TIME = Instant.parse("2026-11-23T10:15:30.123Z");

    private TestingEvents() {}

    /** An sshd failed login as parser-sshd produces it from a file input's line. */
    static Event sshdFailedLogin()
    {
        return Event.builder()
                .timestamp(TIME)
                .message("Nov 23 10:15:30 web1 sshd[4242]: Failed password for root from 203.0.113.42 port 22 ssh2")
                .field(Fields.HOST_NAME, "web1")
                .field(Fields.LOG_FILE_PATH, "/var/log/auth.log")
                .field(Fields.LOG_OFFSET, 1024L)
                .field(Fields.EVENT_ACTION, "auth.login_failed")
                .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                .field(Fields.EVENT_REASON, "failed_password")
                .field(Fields.SOURCE_IP, "203.0.113.42")
                .field(Fields.SOURCE_PORT, 22L)
                .field(Fields.USER_NAME, "root")
                .field(Fields.PROCESS_NAME, "sshd")
                .field(Fields.PROCESS_PID, 4242L)
                .build();
    }

    /** A raw line of a file input, no security meaning. */
    static Event fileLine(String message)
    {
        return Event.builder()
                .timestamp(TIME)
                .message(message)
                .field(Fields.HOST_NAME, "web1")
                .field(Fields.LOG_FILE_PATH, "/var/log/syslog")
                .field(Fields.LOG_FILE_SIZE, 52431L)
                .field(Fields.LOG_FILE_MTIME, "2026-11-23T10:15:29Z")
                .build();
    }

    static Event loginFailedFrom(String ip)
    {
        return sshdFailedLogin().toBuilder().field(Fields.SOURCE_IP, ip).build();
    }
}
