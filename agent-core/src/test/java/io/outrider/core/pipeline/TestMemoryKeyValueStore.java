package io.outrider.core.pipeline;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestMemoryKeyValueStore
{
    @Test
    void keepsReplacesAndRemovesEntries()
    {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        store.put("position", "1");
        store.put("position", "2");
        store.put("gone", "x");
        store.remove("gone");
        store.remove("never there");

        assertThat(store.get("position")).isEqualTo(Optional.of("2"));
        assertThat(store.get("gone")).isEmpty();
        assertThat(store.entries("")).isEqualTo(Map.of("position", "2"));
    }

    @Test
    void entriesAreThoseStartingWithThePrefixSortedByKey()
    {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        store.put("session.b", "2");
        store.put("session", "bare");
        store.put("session.a", "1");
        store.put("session.\uFFFF", "last");
        store.put("sessions", "other");
        store.put("s", "short");

        assertThat(store.entries("session.")).containsExactly(
                Map.entry("session.a", "1"), Map.entry("session.b", "2"), Map.entry("session.\uFFFF", "last"));
        assertThat(store.entries("")).hasSize(6);
        assertThat(store.entries("z")).isEmpty();
        assertThatThrownBy(() -> store.entries("session.").put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesNullKeysAndValues()
    {
        MemoryKeyValueStore store = new MemoryKeyValueStore();

        assertThatThrownBy(() -> store.put(null, "v")).isInstanceOf(NullPointerException.class).hasMessage("key is null");
        assertThatThrownBy(() -> store.put("k", null)).isInstanceOf(NullPointerException.class).hasMessage("value is null");
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class).hasMessage("key is null");
    }
}
