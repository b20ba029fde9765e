package io.outrider.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A small durable key-value store private to one component (kept in the agent's state database). Every write is
 * durable when the method returns. Thread-safe. For input positions use {@link Checkpoint}s instead: only they are
 * committed atomically with the events they follow.
 *
 * @see ComponentContext#store()
 */
@Stable
public interface KeyValueStore
{
    Optional<String> get(String key);

    void put(String key, String value);

    void remove(String key);

    /** All entries whose key starts with {@code prefix} (empty prefix: all), sorted by key. */
    Map<String, String> entries(String prefix);
}
