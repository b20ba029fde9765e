package io.outrider.core.cli;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestParseTally
{
    private static final Instant NOW = Instant.parse("2026-12-05T17:00:00Z");

    @Test
    void tellsSecurityLinesFromPlainAndDroppedOnesAndCountsTheRest()
    {
        ParseTally tally = new ParseTally();
        assertThat(tally.line(false)).isEqualTo(1);
        tally.matched(List.of(event("auth.login_failed", "invalid_password")));
        assertThat(tally.line(true)).isEqualTo(2);
        tally.matched(List.of(event(null, "kept")));
        tally.line(false);
        tally.matched(List.of());
        tally.line(false);
        tally.unmatched();
        tally.line(true);
        tally.error();
        tally.line(false);
        tally.matched(List.of(event("auth.scan", null)));

        assertThat(tally.summary()).isEqualTo("6 lines: 2 became security events (2 events: auth.login_failed 1, auth.scan 1), 1 kept as plain events (1 event), "
                + "1 dropped by the parser, 1 unmatched, 1 error; 2 longer than --max-line-bytes were cut (flagged truncated)");
        assertThat(tally.statistics()).isEqualTo("""
                action             reason              events
                (none)             kept                     1
                auth.login_failed  invalid_password         1
                auth.scan          (none)                   1
                total                                       3
                """);
    }

    @Test
    void anEmptyRunSaysSoInPlurals()
    {
        ParseTally tally = new ParseTally();

        assertThat(tally.summary()).isEqualTo("0 lines: 0 became security events, 0 kept as plain events, 0 unmatched, 0 errors");
        assertThat(tally.statistics()).isEqualTo("""
                action  reason    events
                total                  0
                """);
    }

    @Test
    void actionsAndReasonsFromTheLogCannotActOnTheTerminal()
    {
        ParseTally tally = new ParseTally();
        tally.line(false);
        tally.matched(List.of(event("evil\u001b[2J", "why\rnot")));

        assertThat(tally.summary()).isEqualTo("1 line: 1 became security events (1 event: evil\\u001b[2J 1), 0 kept as plain events, 0 unmatched, 0 errors");
        assertThat(tally.statistics()).contains("evil\\u001b[2J  why\\rnot   ").doesNotContain("\u001b", "\r");
    }

    private static Event event(String action, String reason)
    {
        Event.Builder event = Event.builder().timestamp(NOW).message("line");
        if (action != null) {
            event.field(Fields.EVENT_ACTION, action);
        }
        if (reason != null) {
            event.field(Fields.EVENT_REASON, reason);
        }
        return event.build();
    }
}
