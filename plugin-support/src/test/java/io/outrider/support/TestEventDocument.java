package io.outrider.support;

import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestEventDocument
{
    private static final Event EVENT = Event.builder()
            .timestamp(Instant.parse("2026-03-01T12:00:00.250Z"))
            .message("Failed \"password\"\n")
            .field("source.ip", "203.0.113.7")
            .field("source.port", 52144)
            .field("user.name", "root")
            .field("user", "shadowed")
            .field("tags", List.of("ssh", 1.5))
            .field("winlog", Map.of("event_id", 4625))
            .field("winlog.channel", "Security")
            .field("message", "duplicate")
            .build();

    @Test
    void jsonOfABatchThatIsNotAVisitorSourceIsWalkedFromItsEvents()
    {
        Event other = Event.builder().timestamp(Instant.parse("2026-03-01T12:00:00Z")).message("caf\u00e9 \ud800").field("@timestamp", "dup")
                .field("nested", Map.of("@timestamp", List.of(Map.of(), List.of()))).field("count", 3L).build();
        List<Event> batch = List.of(EVENT, other);
        for (int i = 0; i < batch.size(); i++) {
            JsonByteWriter walked = new JsonByteWriter(16);
            EventDocument.JSON.write(walked, batch, i);
            assertThat(new String(walked.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(EventDocument.JSON.toJson(batch.get(i)));
        }
        JsonByteWriter walked = new JsonByteWriter(16);
        EventDocument.JSON.write(walked, batch, 1);
        assertThat(new String(walked.toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo("{\"@timestamp\":\"2026-03-01T12:00:00Z\",\"message\":\"caf\u00e9 \\ufffd\",\"nested\":{\"@timestamp\":[{},[]]},\"count\":3}");
    }

    @Test
    void json()
    {
        assertThat(encode(EventDocument.JSON)).isEqualTo("{\"@timestamp\":\"2026-03-01T12:00:00.250Z\",\"message\":\"Failed \\\"password\\\"\\n\","
                + "\"source.ip\":\"203.0.113.7\",\"source.port\":52144,\"user.name\":\"root\",\"user\":\"shadowed\",\"tags\":[\"ssh\",1.5],"
                + "\"winlog\":{\"event_id\":4625},\"winlog.channel\":\"Security\"}");
    }

    @Test
    void ecsNestsDottedNamesWhereTheyFit()
    {
        assertThat(encode(EventDocument.ECS)).isEqualTo("{\"@timestamp\":\"2026-03-01T12:00:00.250Z\",\"message\":\"Failed \\\"password\\\"\\n\","
                + "\"source\":{\"ip\":\"203.0.113.7\",\"port\":52144},\"user\":\"shadowed\",\"user.name\":\"root\",\"tags\":[\"ssh\",1.5],"
                + "\"winlog\":{\"event_id\":4625},\"winlog.channel\":\"Security\"}");
    }

    @Test
    void ecsDeeperConflictsAndEmptySegments()
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-03-01T12:00:00Z"))
                .field("a.b", 1)
                .field("a.b.c", 2)
                .field("a.d", 3)
                .field("x..y", 4)
                .build();

        assertThat(new String(EventDocument.ECS.encode(event), StandardCharsets.UTF_8))
                .isEqualTo("{\"@timestamp\":\"2026-03-01T12:00:00Z\",\"message\":\"\",\"a\":{\"b\":1,\"b.c\":2,\"d\":3},\"x..y\":4}");
    }

    private static String encode(EventDocument encoding)
    {
        return new String(encoding.encode(EVENT), StandardCharsets.UTF_8);
    }
}
