package io.outrider.plugin.kafka;

import io.outrider.spi.Event;
import io.outrider.support.EventDocument;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TestEventEncoding
{
    @Test
    void recordValuesAreTheSharedEventDocuments()
    {
        // the documents themselves are pinned in plugin-support's TestEventDocument
        Event event = Event.builder().timestamp(Instant.parse("2026-03-01T12:00:00Z")).message("m").field("source.ip", "203.0.113.7").build();

        assertThat(EventEncoding.JSON.encode(event)).isEqualTo(EventDocument.JSON.encode(event));
        assertThat(EventEncoding.ECS.encode(event)).isEqualTo(EventDocument.ECS.encode(event));
        assertThat(new String(EventEncoding.ECS.encode(event), java.nio.charset.StandardCharsets.UTF_8)).contains("\"source\":{\"ip\":");
    }
}
