package io.outrider.core.pipeline;

import io.outrider.spi.KeyValueStore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The {@link KeyValueStore} of a component that runs without the agent's state database (a trial by
 * {@code validate}, a probe by {@code test output}, a parser under {@code outrider parse}): kept in memory and gone
 * with the component, so the agent's own state is never touched. Thread-safe, like the real one.
 */
public final class MemoryKeyValueStore
        implements KeyValueStore
{
    private final NavigableMap<String, String> entries = new TreeMap<>();

    @Override
    public synchronized Optional<String> get(String key)
    {
        return Optional.ofNullable(entries.get(requireNonNull(key, "key is null")));
    }

    @Override
    public synchronized void put(String key, String value)
    {
        entries.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
    }

    @Override
    public synchronized void remove(String key)
    {
        entries.remove(requireNonNull(key, "key is null"));
    }

    @Override
    public synchronized Map<String, String> entries(String prefix)
    {
        requireNonNull(prefix, "prefix is null");
        Map<String, String> matching = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries.tailMap(prefix, true).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            matching.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(matching);
    }
}
