package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * What the buffer counts: the durable counters of the {@code counters} table (drops per pipeline, damaged and lost
 * buffers) and, in memory, the bytes buffered and the last sequence number appended.
 */
final class BufferCounters
{
    static final String QUARANTINED = "buffer_quarantined_total";
    static final String LOST = "buffer_lost_total";

    private final BufferDatabase database;
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong lastSeq = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();

    BufferCounters(BufferDatabase database)
            throws SQLException
    {
        this.database = requireNonNull(database, "database is null");
        database.locked(() -> {
            totalBytes.set(database.queryLong("SELECT COALESCE(SUM(bytes), 0) FROM events"));
            // AUTOINCREMENT's own record outlives the rows: every row may have been delivered and deleted
            lastSeq.set(Math.max(database.queryLong("SELECT COALESCE(MAX(seq), 0) FROM events"),
                    database.queryLong("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'events'")));
            return null;
        });
    }

    long totalBytes()
    {
        return totalBytes.get();
    }

    /** Counts bytes a committed transaction added (positive) or removed (negative). */
    void addBytes(long bytes)
    {
        totalBytes.addAndGet(bytes);
    }

    long lastSeq()
    {
        return lastSeq.get();
    }

    void appendedUpTo(long seq)
    {
        lastSeq.accumulateAndGet(seq, Math::max);
    }

    long quarantined()
    {
        return quarantined.get();
    }

    long lost()
    {
        return lost.get();
    }

    /** Reads the durable counters of damaged and lost buffers into memory, after open has counted what it found. */
    void loadLossCounters()
            throws SQLException
    {
        quarantined.set(counter(QUARANTINED));
        lost.set(counter(LOST));
    }

    /** Events dropped by {@code drop_oldest} for a pipeline since the buffer was created. */
    long droppedEvents(String pipeline)
    {
        try {
            return counter(droppedName(pipeline));
        }
        catch (SQLException e) {
            return dropped.getOrDefault(pipeline, new AtomicLong()).get();
        }
    }

    /** Counts in memory what a committed transaction counted with {@link #addInTransaction} under {@link #droppedName}. */
    void dropped(String pipeline, long events)
    {
        dropped.computeIfAbsent(pipeline, ignored -> new AtomicLong()).addAndGet(events);
    }

    static String droppedName(String pipeline)
    {
        return "dropped_total." + pipeline;
    }

    long counter(String name)
            throws SQLException
    {
        return database.locked(() -> {
            try (PreparedStatement select = database.writer().prepareStatement("SELECT value FROM counters WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0;
                }
            }
        });
    }

    void add(String name, long amount)
            throws SQLException
    {
        database.locked(() -> database.inTransaction(() -> {
            addInTransaction(name, amount);
            return null;
        }));
    }

    /** Adds to a durable counter within the caller's transaction; the caller holds the write lock. */
    void addInTransaction(String name, long amount)
            throws SQLException
    {
        try (PreparedStatement upsert = database.writer().prepareStatement("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")) {
            upsert.setString(1, name);
            upsert.setLong(2, amount);
            upsert.executeUpdate();
        }
    }
}
