package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * What the buffer counts: the durable counters of the {@code counters} table (drops per pipeline, damaged and lost
 * buffers) and, in memory, the events and bytes buffered and the last sequence number appended.
 *
 * <p>The totals are derived from the rows, never kept as a running figure that could drift: counted once when the
 * buffer opens from the blocks' own columns (one aggregate over the blocks, not over events), then moved by exactly
 * what each committed transaction inserted or deleted (an insert knows its bytes, a delete counts the blocks it
 * removes, and cutting the delivered head off a block counts the events and bytes it cut). Another process writing the same database (the
 * {@code dead-letters replay} command next to a running agent) is noticed by SQLite's {@code data_version} at the
 * start of the next write transaction, and the totals are counted again from the rows in that transaction: they
 * cannot go negative or drift, and the hot path runs no {@code SUM()}.
 */
final class BufferCounters
{
    static final String QUARANTINED = "buffer_quarantined_total";
    static final String LOST = "buffer_lost_total";

    private final BufferDatabase database;
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong totalEvents = new AtomicLong();
    private final AtomicLong lastSeq = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    /** Committed transactions that inserted or deleted events (or found the rows changed elsewhere). */
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<Runnable> nextChange = new AtomicReference<>();

    BufferCounters(BufferDatabase database)
            throws SQLException
    {
        this.database = requireNonNull(database, "database is null");
        database.locked(() -> {
            derive();
            return null;
        });
        database.onChangedElsewhere(this::derive);
    }

    /**
     * Counts the totals from the rows: on open, and when another connection committed (see the class comment). The
     * caller holds the write lock; within a transaction, what it counts is that transaction's view.
     */
    private void derive()
            throws SQLException
    {
        // one aggregate over the blocks (a row per block, not per event), and one over what is left of the rows of a
        // buffer written before blocks (read as blocks of one until none are left)
        long events = 0;
        long bytes = 0;
        long last = 0;
        for (String sql : List.of("SELECT COALESCE(SUM(last_seq - first_seq + 1), 0), COALESCE(SUM(bytes), 0), COALESCE(MAX(last_seq), 0) FROM blocks",
                "SELECT COUNT(*), COALESCE(SUM(bytes), 0), COALESCE(MAX(seq), 0) FROM events")) {
            try (Statement statement = database.writer().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                events += rows.getLong(1);
                bytes += rows.getLong(2);
                last = Math.max(last, rows.getLong(3));
            }
        }
        totalEvents.set(events);
        totalBytes.set(bytes);
        lastSeq.accumulateAndGet(last, Math::max);
        // the next number outlives the rows: every block may have been delivered and deleted
        lastSeq.accumulateAndGet(database.nextSeq() - 1, Math::max);
        // counted, but it wakes nobody: it runs at the start of a transaction, before what it commits; a change made
        // elsewhere is seen by whoever looks next
        changes.incrementAndGet();
    }

    long totalBytes()
    {
        return totalBytes.get();
    }

    long totalEvents()
    {
        return totalEvents.get();
    }

    /** Counts what a committed transaction inserted. */
    void inserted(long events, long bytes)
    {
        totalEvents.addAndGet(events);
        totalBytes.addAndGet(bytes);
        if (events != 0 || bytes != 0) {
            changed();
        }
    }

    /** Counts what a committed transaction deleted. */
    void deleted(Deleted deleted)
    {
        totalEvents.addAndGet(-deleted.events());
        totalBytes.addAndGet(-deleted.bytes());
        if (deleted.events() != 0 || deleted.bytes() != 0) {
            changed();
        }
    }

    /** How many committed transactions changed what the buffer holds; only ever grows. */
    long changes()
    {
        return changes.get();
    }

    /**
     * Runs {@code wake} once, on the thread of the next transaction that changes what the buffer holds, or at once on
     * this one when a change came after the caller saw {@code seenChanges}: a change between the caller's look and
     * this call is never missed. One waiting at a time: a later call replaces an earlier one that has not run.
     */
    void onNextChange(long seenChanges, Runnable wake)
    {
        nextChange.set(requireNonNull(wake, "wake is null"));
        // the count after the registration: a change that counted before it is seen here, one after it sees the wake
        if (changes.get() != seenChanges) {
            runNextChange();
        }
    }

    private void changed()
    {
        changes.incrementAndGet();
        // one volatile read per commit while nobody waits
        if (nextChange.get() != null) {
            runNextChange();
        }
    }

    private void runNextChange()
    {
        Runnable wake = nextChange.getAndSet(null);
        if (wake != null) {
            wake.run();
        }
    }

    /** Rows a transaction deleted and their bytes, for the caller to count once it committed. */
    record Deleted(long events, long bytes)
    {
        static final Deleted NONE = new Deleted(0, 0);

        Deleted plus(Deleted other)
        {
            return new Deleted(events + other.events, bytes + other.bytes);
        }

        boolean isEmpty()
        {
            return events == 0;
        }
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
