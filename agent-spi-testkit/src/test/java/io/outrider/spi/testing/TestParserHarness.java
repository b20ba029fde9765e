package io.outrider.spi.testing;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestParserHarness
{
    private static final Instant READ_AT = Instant.parse("2026-11-23T10:00:00Z");

    /** Matches "fail REASON" (one event), "twice" (two events), "drop" (none); leaves the rest unmatched. */
    private static final Parser WORDS = event -> {
        String message = event.message();
        if (message.startsWith("fail ")) {
            return ParseResult.matched(event.toBuilder().field(Fields.EVENT_ACTION, "auth.login_failed").field(Fields.EVENT_REASON, message.substring(5)).build());
        }
        return switch (message) {
            case "twice" -> ParseResult.matched(List.of(event, event));
            case "drop" -> ParseResult.matched(List.of());
            default -> ParseResult.unmatched();
        };
    };

    private final ParserHarness harness = new ParserHarness(WORDS, READ_AT);

    @Test
    void makesTheEventsTheFileAndJournaldInputsMake()
    {
        Event file = harness.fileEvent("a line");
        assertThat(file.timestamp()).isEqualTo(READ_AT);
        assertThat(file.message()).isEqualTo("a line");
        assertThat(file.fields()).isEqualTo(Map.of(Fields.LOG_FILE_PATH, "/var/log/auth.log", Fields.HOST_NAME, "agent-host"));

        Event journal = harness.journalEvent("sshd", "42", "the text");
        assertThat(journal.timestamp()).isEqualTo(READ_AT);
        assertThat(journal.message()).isEqualTo("the text");
        assertThat(journal.fields()).isEqualTo(Map.of(Fields.HOST_NAME, "agent-host", Fields.PROCESS_NAME, "sshd", Fields.PROCESS_PID, "42"));
        assertThat(ParserHarness.journalEvent(READ_AT, "sshd", 42L, "x").field(Fields.PROCESS_PID)).isEqualTo(42L);
    }

    @Test
    void singleReturnsTheOneEventAndRefusesAnythingElse()
    {
        Event event = harness.single("fail invalid_user");
        assertThat(ParserHarness.outcome(event)).isEqualTo("auth.login_failed/invalid_user");
        assertThat(event.field(Fields.LOG_FILE_PATH)).isEqualTo(ParserHarness.LOG_FILE_PATH);

        assertThatThrownBy(() -> harness.single("twice")).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected one event from <twice> but got matched[");
        assertThatThrownBy(() -> harness.single("drop")).isInstanceOf(AssertionError.class).hasMessage("expected one event from <drop> but got matched[]");
        assertThatThrownBy(() -> harness.single(harness.journalEvent("sshd", 1, "noise"))).isInstanceOf(AssertionError.class)
                .hasMessage("expected one event from <noise> but got unmatched");
    }

    @Test
    void parsesLinesAsTheFileInputDeliversThem()
    {
        assertThat(harness.parseLine("noise").isMatched()).isFalse();
        assertThat(harness.events("noise")).isEmpty();
        assertThat(harness.events("twice")).hasSize(2);
        assertThat(harness.parse(harness.fileEvent("drop")).isMatched()).isTrue();
        assertThat(ParserHarness.outcome(harness.fileEvent("plain"))).isEqualTo("other");
    }
}
