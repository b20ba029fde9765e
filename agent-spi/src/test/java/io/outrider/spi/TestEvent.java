package io.outrider.spi;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestEvent
{
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void fieldsKeepInsertionOrderAndNullRemoves()
    {
        Event event = Event.builder().timestamp(T).message("m")
                .field("z", 1).field("a", "x").field("m", true).field("a", "y").field("m", null)
                .build();
        assertThat(event.fields()).containsExactly(Map.entry("z", 1), Map.entry("a", "y"));
        assertThat(event.fieldAsString("z")).isEqualTo("1");
        assertThat(event.field("missing")).isNull();
    }

    @Test
    void nestedValuesAreCopiedAndImmutable()
    {
        List<Object> list = new ArrayList<>(List.of("a"));
        Event event = Event.builder().timestamp(T).field("l", list).build();
        list.add("b");
        assertThat(event.field("l")).isEqualTo(List.of("a"));
        assertThatThrownBy(() -> ((List<Object>) event.field("l")).add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> event.fields().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nonJsonValuesAreRefusedWithTheFieldName()
    {
        assertThatThrownBy(() -> Event.builder().field("bad", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'bad' has a value that is not JSON-compatible: java.lang.Object");
        assertThatThrownBy(() -> Event.builder().field("m", Map.of(1, "x")))
                .hasMessage("field 'm' has a map key that is not a string: 1");
    }

    @Test
    void timestampIsRequired()
    {
        assertThatThrownBy(() -> Event.builder().build()).hasMessage("event timestamp is not set");
    }

    @Test
    void writingToABuilderAfterBuildNeverChangesTheBuiltEvent()
    {
        Event.Builder builder = Event.builder(2).timestamp(T).message("m").field("a", 1);
        Event first = builder.build();
        builder.field("b", 2).removeField("a");
        Event second = builder.build();
        builder.field("c", 3);

        assertThat(first.fields()).containsExactly(Map.entry("a", 1));
        assertThat(second.fields()).containsExactly(Map.entry("b", 2));
        assertThat(builder.build().fields()).containsExactly(Map.entry("b", 2), Map.entry("c", 3));
    }

    @Test
    void toBuilderRoundTrips()
    {
        Event event = Event.builder().timestamp(T).message("m").field("a", 1L).build();
        assertThat(event.toBuilder().build()).isEqualTo(event);
        assertThat(event.toBuilder().field("b", 2).build()).isNotEqualTo(event);
    }
}
