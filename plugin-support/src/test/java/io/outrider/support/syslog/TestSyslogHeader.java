package io.outrider.support.syslog;

import org.junit.jupiter.api.Test;

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
}
