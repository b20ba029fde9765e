package io.outrider.spi;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    void fieldsBehaveAsAnInsertionOrderedMapAtEverySize()
    {
        // past a few dozen fields lookups go through an index: the same answers either way
        for (int count : List.of(0, 1, 31, 32, 33, 64, 65, 300)) {
            Event.Builder builder = Event.builder().timestamp(T);
            Map<String, Object> expected = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                builder.field("f" + i, (long) i);
                expected.put("f" + i, (long) i);
            }
            for (int i = 0; i < count; i += 3) {
                builder.removeField("f" + i);
                expected.remove("f" + i);
            }
            for (int i = 0; i < count; i += 6) {
                // removed, then set again: it goes last, as in a LinkedHashMap
                builder.field("f" + i, "again");
                expected.put("f" + i, "again");
            }
            builder.field("f1", "replaced in place");
            expected.put("f1", "replaced in place");
            Map<String, Object> fields = builder.build().fields();

            assertThat(fields).as("%d fields", count).containsExactlyEntriesOf(expected);
            assertThat(new ArrayList<>(fields.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
            assertThat(fields).isEqualTo(expected);
            assertThat(expected).isEqualTo(fields);
            assertThat(fields.hashCode()).isEqualTo(expected.hashCode());
            assertThat(fields.toString()).isEqualTo(expected.toString());
            for (int i = 0; i < count + 2; i++) {
                assertThat(fields.get("f" + i)).isEqualTo(expected.get("f" + i));
                assertThat(fields.containsKey("f" + i)).isEqualTo(expected.containsKey("f" + i));
            }
            assertThat(fields.get(42)).isNull();
            assertThat(fields.containsKey(null)).isFalse();
        }
    }

    @Test
    void fieldsAreReadOnlyThroughEveryView()
    {
        Event event = Event.builder().timestamp(T).field("a", 1L).field("b", "x").build();
        Map<String, Object> fields = event.fields();

        assertThatThrownBy(() -> fields.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(fields::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.putIfAbsent("c", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.computeIfAbsent("c", name -> null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.keySet().remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.entrySet().iterator().next().setValue(2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.values().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(event.fields()).containsExactly(Map.entry("a", 1L), Map.entry("b", "x"));
    }

    @Test
    void eventsWithTheSameFieldsInAnotherOrderAreEqual()
    {
        Event one = Event.builder().timestamp(T).field("a", 1L).field("b", "x").build();
        Event other = Event.builder().timestamp(T).field("b", "x").field("a", 1L).build();

        assertThat(one).isEqualTo(other);
        assertThat(one.hashCode()).isEqualTo(other.hashCode());
        assertThat(one).isNotEqualTo(Event.builder().timestamp(T).field("a", 1L).field("b", "y").build());
        assertThat(one).isNotEqualTo(Event.builder().timestamp(T).field("a", 1L).build());
    }

    @Test
    void toBuilderRoundTrips()
    {
        Event event = Event.builder().timestamp(T).message("m").field("a", 1L).build();
        assertThat(event.toBuilder().build()).isEqualTo(event);
        assertThat(event.toBuilder().field("b", 2).build()).isNotEqualTo(event);
    }

    @Test
    void forEachFieldHandsOutWhatFieldsHolds()
    {
        // "Aa" and "BB" share a hash; "f" comes and goes again: lookups of absent names must still find nothing
        Event event = Event.builder().timestamp(T).field("Aa", 1L).field("f", "gone").field("BB", "x").removeField("f").field("c", true).build();
        Map<String, Object> handedOut = new LinkedHashMap<>();

        event.forEachField(handedOut::put);

        assertThat(event.fieldCount()).isEqualTo(3);
        assertThat(handedOut).containsExactlyEntriesOf(event.fields());
        assertThat(handedOut).containsExactly(Map.entry("Aa", 1L), Map.entry("BB", "x"), Map.entry("c", true));
        assertThat(event.field("f")).isNull();
        assertThat(event.toBuilder().field("f", 2L).build().field("f")).isEqualTo(2L);
        assertThat(Event.of(T, "m").fieldCount()).isZero();
        assertThatThrownBy(() -> event.forEachField(null)).isInstanceOf(NullPointerException.class).hasMessage("action is null");
    }
}
