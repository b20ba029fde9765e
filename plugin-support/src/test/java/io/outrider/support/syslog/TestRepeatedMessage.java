package io.outrider.support.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.ParseResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

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

    private static Event event(long count)
    {
        Event.Builder builder = Event.builder().timestamp(Instant.parse("2026-12-05T16:00:00Z")).message("x");
        if (count > 1) {
            builder.field(Fields.EVENT_COUNT, count);
        }
        return builder.build();
    }

    @Test
    void oneEventPerOccurrence()
    {
        ParseResult single = RepeatedMessage.toEvents(1, 1, 10, TestRepeatedMessage::event);
        assertThat(single.events()).containsExactly(event(1));
        ParseResult three = RepeatedMessage.toEvents(3, 1, 10, TestRepeatedMessage::event);
        assertThat(three.events()).containsExactly(event(1), event(1), event(1));
        // a repeat of a text that itself stands for two
        assertThat(RepeatedMessage.toEvents(3, 2, 10, TestRepeatedMessage::event).events()).hasSize(6);
    }

    @Test
    void beyondTheLimitTheLastEventCountsTheRest()
    {
        List<Event> events = RepeatedMessage.toEvents(25, 1, 10, TestRepeatedMessage::event).events();
        assertThat(events).hasSize(10);
        assertThat(events.subList(0, 9)).allSatisfy(event -> assertThat(event.fields()).doesNotContainKey(Fields.EVENT_COUNT));
        assertThat(events.get(9).fields()).containsEntry(Fields.EVENT_COUNT, 16L);
        // a product that overflows saturates instead of wrapping to a small or negative count
        List<Event> huge = RepeatedMessage.toEvents(999_999_999L, Long.MAX_VALUE / 2, 1, TestRepeatedMessage::event).events();
        assertThat(huge).hasSize(1);
        assertThat(huge.get(0).fields()).containsEntry(Fields.EVENT_COUNT, Long.MAX_VALUE);
    }

    @Test
    void countAndTextAreChecked()
    {
        assertThatThrownBy(() -> new RepeatedMessage(0, "x")).hasMessage("count must be at least 1, not 0");
        assertThatThrownBy(() -> new RepeatedMessage(1, null)).hasMessage("text is null");
        assertThatThrownBy(() -> RepeatedMessage.toEvents(2, 1, 0, TestRepeatedMessage::event)).hasMessage("maxEvents must be at least 1, not 0");
    }
}
