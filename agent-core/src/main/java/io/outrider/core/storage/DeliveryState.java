package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Where each output of a pipeline is: one cursor per output over the same rows (fan-out without copies). An
 * acknowledgement moves the cursor and files the output's dead letters in one transaction; rows every output of
 * their pipeline has are then deleted, a chunk per transaction.
 */
final class DeliveryState
{
    private static final System.Logger LOG = System.getLogger(SqliteBuffer.class.getName());

    private final BufferDatabase database;
    private final DeadLetterStore deadLetters;
    private final BufferCounters counters;
    private final SpaceGuard space;
    /**
     * Pipelines whose last deletion stopped at a full chunk: rows every output has may be left, for
     * {@link #removeRestOfDelivered}. Without it, every acknowledgement would run one more transaction that finds
     * nothing. Guarded by the write lock.
     */
    private final Set<String> chunkLeftBehind = new HashSet<>();

    DeliveryState(BufferDatabase database, DeadLetterStore deadLetters, BufferCounters counters, SpaceGuard space)
    {
        this.database = requireNonNull(database, "database is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.space = requireNonNull(space, "space is null");
    }

    /**
     * Creates cursors for a pipeline's outputs (new outputs start at the oldest buffered event), drops stale ones and
     * deletes what the remaining outputs all have, in one transaction. The caller holds the write lock.
     *
     * @return what was deleted, for the caller to count once committed
     */
    BufferCounters.Deleted registerOutputs(String pipeline, Set<String> outputs)
            throws SQLException
    {
        return database.inTransaction(() -> {
            List<String> existing = new ArrayList<>();
            try (PreparedStatement select = database.writer().prepareStatement("SELECT output FROM cursors WHERE pipeline = ?")) {
                select.setString(1, pipeline);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        existing.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement delete = database.writer().prepareStatement("DELETE FROM cursors WHERE pipeline = ? AND output = ?")) {
                for (String output : existing) {
                    if (!outputs.contains(output)) {
                        delete.setString(1, pipeline);
                        delete.setString(2, output);
                        delete.executeUpdate();
                        LOG.log(System.Logger.Level.INFO, "output " + pipeline + "." + output + " is no longer configured; its delivery cursor was removed");
                    }
                }
            }
            try (PreparedStatement insert = database.writer().prepareStatement("INSERT OR IGNORE INTO cursors (pipeline, output, seq) VALUES (?, ?, 0)")) {
                for (String output : outputs) {
                    insert.setString(1, pipeline);
                    insert.setString(2, output);
                    insert.executeUpdate();
                }
            }
            return removeDelivered(pipeline);
        });
    }

    /**
     * Moves {@code output}'s cursor to {@code seq} (never back), files {@code requests} as its dead letters, takes
     * {@code deliveredAfterDrop} events off the pipeline's dropped count and deletes a first chunk of what every output
     * now has: one transaction. The caller holds the write lock.
     *
     * @return what was deleted, for the caller to count once committed
     */
    BufferCounters.Deleted acknowledge(String pipeline, String output, long seq, List<SqliteBuffer.DeadLetterRequest> requests, long deliveredAfterDrop, long nowMillis)
            throws SQLException
    {
        return database.inTransaction(() -> {
            deadLetters.insert(pipeline, output, requests, nowMillis);
            try (PreparedStatement update = database.writer().prepareStatement("UPDATE cursors SET seq = MAX(seq, ?) WHERE pipeline = ? AND output = ?")) {
                update.setLong(1, seq);
                update.setString(2, pipeline);
                update.setString(3, output);
                update.executeUpdate();
            }
            if (deliveredAfterDrop > 0) {
                counters.addInTransaction(BufferCounters.droppedName(pipeline), -deliveredAfterDrop);
            }
            return removeDelivered(pipeline);
        });
    }

    /** The last acknowledged sequence number of an output. */
    long cursor(String pipeline, String output)
            throws SQLException
    {
        return database.locked(() -> {
            try (PreparedStatement select = database.writer().prepareStatement("SELECT seq FROM cursors WHERE pipeline = ? AND output = ?")) {
                select.setString(1, pipeline);
                select.setString(2, output);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    /** The cursor of every output of {@code pipeline}. The caller holds the write lock. */
    Map<String, Long> cursors(String pipeline)
            throws SQLException
    {
        Map<String, Long> cursors = new TreeMap<>();
        try (PreparedStatement select = database.writer().prepareStatement("SELECT output, seq FROM cursors WHERE pipeline = ?")) {
            select.setString(1, pipeline);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    cursors.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return cursors;
    }

    /**
     * Deletes the oldest rows every output of the pipeline has, a chunk at a time (see {@link SpaceGuard#deleteChunk}),
     * in one statement that returns the bytes of what it deleted: no separate scan, no {@code SUM()}. Returns what was
     * deleted, for the caller to count once committed; nothing when nothing is left to delete.
     */
    private BufferCounters.Deleted removeDelivered(String pipeline)
            throws SQLException
    {
        chunkLeftBehind.remove(pipeline);
        long upTo;
        try (PreparedStatement select = database.writer().prepareStatement("SELECT MIN(seq) FROM cursors WHERE pipeline = ?")) {
            select.setString(1, pipeline);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next() || rows.getObject(1) == null) {
                    return BufferCounters.Deleted.NONE;
                }
                upTo = rows.getLong(1);
            }
        }
        int chunk = space.deleteChunk();
        BufferCounters.Deleted deleted = delete("SELECT seq FROM events WHERE pipeline = ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3", pipeline, upTo, chunk);
        if (deleted.events() < chunk && hasRowsForOneOutput(pipeline)) {
            // dead letters replayed for one output are owed to that output alone (by another that is no longer
            // configured, to nobody): its cursor is what counts, not the slowest output's
            deleted = deleted.plus(delete("SELECT e.seq FROM events e WHERE e.pipeline = ?1 AND e.only_output IS NOT NULL AND e.seq > ?2"
                    + " AND e.seq <= COALESCE((SELECT c.seq FROM cursors c WHERE c.pipeline = e.pipeline AND c.output = e.only_output), e.seq)"
                    + " ORDER BY e.seq LIMIT ?3", pipeline, upTo, chunk - (int) deleted.events()));
        }
        if (deleted.events() == chunk) {
            chunkLeftBehind.add(pipeline);
        }
        return deleted;
    }

    /**
     * Deletes the rows {@code rowsQuery} selects (parameters: pipeline, upTo, limit) and says how many and how many
     * bytes. Counted by SQLite in one aggregate rather than with {@code RETURNING}, which hands every deleted row to
     * Java one step at a time: a chunk is thousands of rows on every acknowledgement. Both statements run in the
     * caller's transaction, so they see the same rows.
     */
    private BufferCounters.Deleted delete(String rowsQuery, String pipeline, long upTo, int limit)
            throws SQLException
    {
        long events;
        long bytes;
        try (PreparedStatement count = database.writer().prepareStatement("SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM events WHERE seq IN (" + rowsQuery + ")")) {
            count.setString(1, pipeline);
            count.setLong(2, upTo);
            count.setInt(3, limit);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                events = rows.getLong(1);
                bytes = rows.getLong(2);
            }
        }
        if (events == 0) {
            return BufferCounters.Deleted.NONE;
        }
        try (PreparedStatement delete = database.writer().prepareStatement("DELETE FROM events WHERE seq IN (" + rowsQuery + ")")) {
            delete.setString(1, pipeline);
            delete.setLong(2, upTo);
            delete.setInt(3, limit);
            int deleted = delete.executeUpdate();
            if (deleted != events) {
                throw new SQLException("deleted " + deleted + " delivered events where " + events + " were counted");
            }
        }
        return new BufferCounters.Deleted(events, bytes);
    }

    /** Whether dead letters replayed for one output wait in {@code pipeline} (the partial index makes this one probe). */
    private boolean hasRowsForOneOutput(String pipeline)
            throws SQLException
    {
        try (PreparedStatement select = database.writer().prepareStatement("SELECT EXISTS (SELECT 1 FROM events WHERE pipeline = ? AND only_output IS NOT NULL)")) {
            select.setString(1, pipeline);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && rows.getInt(1) == 1;
            }
        }
    }

    /**
     * Deletes, one chunk per transaction, what {@link #removeDelivered} left after the transaction that moved a
     * cursor; a crash in between, or a disk too full for even a chunk, leaves delivered rows that the next
     * acknowledgement or start deletes. It never throws for a full disk: the cursor is committed, and an acknowledgement
     * retried for it would write its dead letters twice. The caller holds the write lock.
     */
    void removeRestOfDelivered(String pipeline)
            throws SQLException
    {
        while (chunkLeftBehind.contains(pipeline)) {
            BufferCounters.Deleted deleted;
            try {
                deleted = space.deletingEvenOnAFullDisk(() -> database.inTransaction(() -> removeDelivered(pipeline)));
            }
            catch (SQLException e) {
                if (BufferDatabase.isDiskFull(e)) {
                    // the cursor moved already: what is left goes with the next acknowledgement
                    return;
                }
                throw e;
            }
            counters.deleted(deleted);
            space.keepWalSmallWhileFrozen();
        }
    }
}
