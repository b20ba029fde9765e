package io.outrider.support.syslog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRepeatedMessage
{
    @Test
    void rsyslogRepeat()
    {
        assertThat(RepeatedMessage.parse("message repeated 3 times: [ Failed password for root from 192.0.2.1 port 22 ssh2]"))
                .isEqualTo(new RepeatedMessage(3, "Failed password for root from 192.0.2.1 port 22 ssh2"));
        // syslog-ng writes no space after the bracket
        assertThat(RepeatedMessage.parse("message repeated 2 times: [x]")).isEqualTo(new RepeatedMessage(2, "x"));
        assertThat(RepeatedMessage.parse("message repeated 999999999 times: [ x]").count()).isEqualTo(999_999_999L);
    }

    @Test
    void aSingleMessageOrAMalformedRepeatIsNone()
    {
        assertThat(RepeatedMessage.parse("Failed password for root")).isNull();
        assertThat(RepeatedMessage.parse("message repeated 0 times: [ x]")).isNull();
        assertThat(RepeatedMessage.parse("message repeated 1000000000 times: [ x]")).isNull();
        assertThat(RepeatedMessage.parse("message repeated  times: [ x]")).isNull();
        assertThat(RepeatedMessage.parse("message repeated 3x times: [ x]")).isNull();
        assertThat(RepeatedMessage.parse("message repeated 3 times: [ x")).isNull();
        assertThat(RepeatedMessage.parse("message repeated 3 times: [")).isNull();
        assertThat(RepeatedMessage.parse("message repeated 3 times: []").text()).isEmpty();
    }

    @Test
    void countAndTextAreChecked()
    {
        assertThatThrownBy(() -> new RepeatedMessage(0, "x")).hasMessage("count must be at least 1, not 0");
        assertThatThrownBy(() -> new RepeatedMessage(1, null)).hasMessage("text is null");
    }
}
