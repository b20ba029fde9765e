package io.outrider.support.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TestSyslogHeader
{
    @Test
    void aLineWhosePrefixWasSplitOff()
    {
        SyslogHeader header = SyslogHeader.withoutPrefix("sudo", "3301");
        assertThat(header).isEqualTo(new SyslogHeader(ClassicTimestamps.UNRESOLVED, 0, null, "sudo", 3301, SyslogHeader.NO_PRIORITY, 0));
        assertThat(header.hasTimestamp()).isFalse();
    }

    @Test
    void pidAsJournaldAndOtherInputsGiveIt()
    {
        assertThat(SyslogHeader.withoutPrefix("su", 42L).pid()).isEqualTo(42);
        assertThat(SyslogHeader.withoutPrefix("su", 42).pid()).isEqualTo(42);
        assertThat(SyslogHeader.withoutPrefix("su", "4294967295").pid()).isEqualTo(4_294_967_295L);
        assertThat(SyslogHeader.withoutPrefix("su", -1L).pid()).isEqualTo(SyslogHeader.NO_PID);
        assertThat(SyslogHeader.withoutPrefix("su", "").pid()).isEqualTo(SyslogHeader.NO_PID);
        assertThat(SyslogHeader.withoutPrefix("su", "12345678901").pid()).isEqualTo(SyslogHeader.NO_PID);
        assertThat(SyslogHeader.withoutPrefix("su", "-1").pid()).isEqualTo(SyslogHeader.NO_PID);
        assertThat(SyslogHeader.withoutPrefix("su", "12a").pid()).isEqualTo(SyslogHeader.NO_PID);
        assertThat(SyslogHeader.withoutPrefix("su", null).pid()).isEqualTo(SyslogHeader.NO_PID);
        assertThat(SyslogHeader.withoutPrefix("su", true).pid()).isEqualTo(SyslogHeader.NO_PID);
    }

    @Test
    void whatThePrefixSaysGoesIntoTheEvent()
    {
        Event.Builder builder = Event.builder().timestamp(Instant.parse("2026-12-05T16:00:00Z")).message("x");
        Event event = new SyslogHeader(0, 0, "web-01", "sudo", 3301, 86, 0).addTo(builder).build();
        assertThat(event.fields())
                .containsEntry(Fields.LOG_SYSLOG_HOSTNAME, "web-01")
                .containsEntry(Fields.HOST_NAME, "web-01")
                .containsEntry(Fields.PROCESS_NAME, "sudo")
                .containsEntry(Fields.PROCESS_PID, 3301L)
                .containsEntry(Fields.LOG_SYSLOG_PRIORITY, 86)
                .containsEntry(Fields.LOG_SYSLOG_FACILITY, 10);
    }

    @Test
    void whatTheInputSetIsKept()
    {
        Event.Builder builder = Event.builder().timestamp(Instant.parse("2026-12-05T16:00:00Z")).message("x")
                .field(Fields.HOST_NAME, "agent-host")
                .field(Fields.PROCESS_NAME, "sudo-from-journald");
        Event event = new SyslogHeader(0, 0, "web-01", "sudo", SyslogHeader.NO_PID, SyslogHeader.NO_PRIORITY, 0).addTo(builder).build();
        assertThat(event.fields())
                .containsEntry(Fields.LOG_SYSLOG_HOSTNAME, "web-01")
                .containsEntry(Fields.HOST_NAME, "agent-host")
                .containsEntry(Fields.PROCESS_NAME, "sudo-from-journald")
                .doesNotContainKeys(Fields.PROCESS_PID, Fields.LOG_SYSLOG_PRIORITY, Fields.LOG_SYSLOG_FACILITY);
        Event withoutHost = SyslogHeader.withoutPrefix("su", "7").addTo(Event.builder().timestamp(Instant.EPOCH).message("x")).build();
        assertThat(withoutHost.fields()).doesNotContainKeys(Fields.LOG_SYSLOG_HOSTNAME, Fields.HOST_NAME).containsEntry(Fields.PROCESS_PID, 7L);
    }
}
