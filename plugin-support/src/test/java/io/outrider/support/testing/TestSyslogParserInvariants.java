package io.outrider.support.testing;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSyslogParserInvariants
{
    private static final Event INPUT = Event.builder().timestamp(Instant.parse("2026-12-05T16:00:00Z")).message("line")
            .field(Fields.HOST_NAME, "agent-host").field(Fields.PROCESS_PID, "42").build();

    @Test
    void returnsTheEventsOfAWellFormedResult()
    {
        Event event = INPUT.toBuilder().field(Fields.PROCESS_PID, 42L).field(Fields.SOURCE_IP, "2001:db8::17").field(Fields.SOURCE_DOMAIN, "host.example.net").build();

        assertThat(SyslogParserInvariants.check(INPUT, ParseResult.matched(event), 1)).containsExactly(event);
        assertThat(SyslogParserInvariants.check(INPUT, ParseResult.unmatched(), 1)).isEmpty();
        assertThat(SyslogParserInvariants.check(INPUT, ParseResult.matched(List.of()), 1)).isEmpty();
    }

    @Test
    void failsOnEachBrokenInvariant()
    {
        assertThatThrownBy(() -> SyslogParserInvariants.check(INPUT, null, 1)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> SyslogParserInvariants.check(INPUT, ParseResult.matched(List.of(INPUT, INPUT)), 1)).isInstanceOf(AssertionError.class);
        Event lostHost = Event.builder().timestamp(INPUT.timestamp()).message("line").build();
        assertThatThrownBy(() -> SyslogParserInvariants.check(INPUT, ParseResult.matched(lostHost), 1)).isInstanceOf(AssertionError.class);
        Event longIp = INPUT.toBuilder().field(Fields.SOURCE_IP, "2001:0db8::17").build();
        assertThatThrownBy(() -> SyslogParserInvariants.check(INPUT, ParseResult.matched(longIp), 1)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("source.ip is a valid, normalized address");
        Event badDomain = INPUT.toBuilder().field(Fields.SOURCE_DOMAIN, "a..b").build();
        assertThatThrownBy(() -> SyslogParserInvariants.check(INPUT, ParseResult.matched(badDomain), 1)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("source.domain a..b is a host name");
    }
}
