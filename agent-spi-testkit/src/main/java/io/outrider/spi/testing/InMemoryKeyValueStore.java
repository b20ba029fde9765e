package io.outrider.spi.testing;

import io.outrider.spi.KeyValueStore;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import static java.util.Objects.requireNonNull;

/** A {@link KeyValueStore} in memory, for tests. Thread-safe. */
public final class InMemoryKeyValueStore
        implements KeyValueStore
{
    private final ConcurrentSkipListMap<String, String> entries = new ConcurrentSkipListMap<>();

    @Override
    public Optional<String> get(String key)
    {
        return Optional.ofNullable(entries.get(requireNonNull(key, "key is null")));
    }

    @Override
    public void put(String key, String value)
    {
        entries.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
    }

    @Override
    public void remove(String key)
    {
        entries.remove(requireNonNull(key, "key is null"));
    }

    @Override
    public Map<String, String> entries(String prefix)
    {
        Map<String, String> result = new TreeMap<>();
        entries.tailMap(prefix, true).entrySet().stream()
                .takeWhile(entry -> entry.getKey().startsWith(prefix))
                .forEach(entry -> result.put(entry.getKey(), entry.getValue()));
        return result;
    }
}
