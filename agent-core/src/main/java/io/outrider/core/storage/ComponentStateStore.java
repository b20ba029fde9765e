package io.outrider.core.storage;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.KeyValueStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What components keep in the buffer's database: input checkpoints ({@code checkpoints}, written with the events in
 * the append's transaction) and every component's key-value state ({@code kv}), both scoped by pipeline and component.
 */
final class ComponentStateStore
{
    static final String CHECKPOINTS = "checkpoints";
    static final String KEY_VALUES = "kv";

    private final BufferDatabase database;

    ComponentStateStore(BufferDatabase database)
    {
        this.database = requireNonNull(database, "database is null");
    }

    /** The committed checkpoints of one input. */
    Map<String, String> checkpoints(String pipeline, String component)
            throws SQLException
    {
        return scoped(CHECKPOINTS, pipeline, component, "");
    }

    /** The durable key-value store of one component. */
    KeyValueStore store(String pipeline, String component)
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(component, "component is null");
        return new KeyValueStore()
        {
            @Override
            public Optional<String> get(String key)
            {
                return Optional.ofNullable(BufferDatabase.sql(() -> scoped(KEY_VALUES, pipeline, component, key).get(key)));
            }

            @Override
            public void put(String key, String value)
            {
                write(Checkpoint.of(key, value));
            }

            @Override
            public void remove(String key)
            {
                write(Checkpoint.forget(key));
            }

            @Override
            public Map<String, String> entries(String prefix)
            {
                Map<String, String> all = BufferDatabase.sql(() -> scoped(KEY_VALUES, pipeline, component, ""));
                Map<String, String> result = new TreeMap<>();
                all.forEach((key, value) -> {
                    if (key.startsWith(prefix)) {
                        result.put(key, value);
                    }
                });
                return result;
            }

            private void write(Checkpoint entry)
            {
                BufferDatabase.sql(() -> database.locked(() -> database.inTransaction(() -> {
                    writeScoped(KEY_VALUES, pipeline, component, List.of(entry));
                    return null;
                })));
            }
        };
    }

    /** Writes (or, for a forget, deletes) entries within the caller's transaction; the caller holds the write lock. */
    void writeScoped(String table, String pipeline, String component, Collection<Checkpoint> entries)
            throws SQLException
    {
        if (entries.isEmpty()) {
            return;
        }
        // prepared once per database: every append writes its input's checkpoints here
        PreparedStatement upsert = database.prepared("INSERT INTO " + table + " (pipeline, component, key, value) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (pipeline, component, key) DO UPDATE SET value = excluded.value");
        PreparedStatement delete = database.prepared("DELETE FROM " + table + " WHERE pipeline = ? AND component = ? AND key = ?");
        for (Checkpoint entry : entries) {
            PreparedStatement statement = entry.isForget() ? delete : upsert;
            statement.setString(1, pipeline);
            statement.setString(2, component);
            statement.setString(3, entry.key());
            if (!entry.isForget()) {
                statement.setString(4, entry.value());
            }
            statement.executeUpdate();
        }
    }

    /** All entries of one component in a scoped table; with a non-empty {@code exactKey}, only that key. */
    private Map<String, String> scoped(String table, String pipeline, String component, String exactKey)
            throws SQLException
    {
        return database.locked(() -> {
            try (PreparedStatement select = database.writer().prepareStatement("SELECT key, value FROM " + table + " WHERE pipeline = ? AND component = ?"
                    + (exactKey.isEmpty() ? "" : " AND key = ?") + " ORDER BY key")) {
                select.setString(1, pipeline);
                select.setString(2, component);
                if (!exactKey.isEmpty()) {
                    select.setString(3, exactKey);
                }
                Map<String, String> entries = new LinkedHashMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.put(rows.getString(1), rows.getString(2));
                    }
                }
                return entries;
            }
        });
    }
}
