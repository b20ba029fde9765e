package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Where each output of a pipeline is: one cursor per output over the same blocks (fan-out without copies). An
 * acknowledgement moves the cursor and files the output's dead letters in one transaction; blocks every output of
 * their pipeline has are then deleted, a chunk per transaction, and a block partly delivered by all loses its
 * delivered head.
 */
final class DeliveryState
{
    private static final System.Logger LOG = System.getLogger(SqliteBuffer.class.getName());

    private final BufferDatabase database;
    private final DeadLetterStore deadLetters;
    private final BufferCounters counters;
    private final SpaceGuard space;
    private final CutPoints cutPoints;
    /**
     * Pipelines whose last deletion stopped at a full chunk: rows every output has may be left, for
     * {@link #removeRestOfDelivered}. Without it, every acknowledgement would run one more transaction that finds
     * nothing. Guarded by the write lock.
     */
    private final Set<String> chunkLeftBehind = new HashSet<>();
    /** Cuts that read the block's payload, as no delivery reader had stopped there (tests). Guarded by the write lock. */
    private long payloadsReadToCut;

    DeliveryState(BufferDatabase database, DeadLetterStore deadLetters, BufferCounters counters, SpaceGuard space, CutPoints cutPoints)
    {
        this.database = requireNonNull(database, "database is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.space = requireNonNull(space, "space is null");
        this.cutPoints = requireNonNull(cutPoints, "cutPoints is null");
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
            PreparedStatement update = database.prepared("UPDATE cursors SET seq = MAX(seq, ?) WHERE pipeline = ? AND output = ?");
            update.setLong(1, seq);
            update.setString(2, pipeline);
            update.setString(3, output);
            update.executeUpdate();
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
        PreparedStatement select = database.prepared("SELECT output, seq FROM cursors WHERE pipeline = ?");
        select.setString(1, pipeline);
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                cursors.put(rows.getString(1), rows.getLong(2));
            }
        }
        return cursors;
    }

    /**
     * Deletes what every output of the pipeline has, a chunk of rows at a time (see {@link SpaceGuard#deleteChunk}):
     * the blocks whose last event every output owing it has, counted from their own columns (no {@code SUM()} over
     * events), and cuts off the delivered head of the block an acknowledgement ended inside (its row says where in the
     * payload it now starts; the payload is not rewritten), so that the buffer holds and counts exactly the events
     * some output still owes. Returns what was deleted, for the caller to count once committed; nothing when nothing
     * is left to delete.
     */
    private BufferCounters.Deleted removeDelivered(String pipeline)
            throws SQLException
    {
        chunkLeftBehind.remove(pipeline);
        Map<String, Long> cursors = cursors(pipeline);
        if (cursors.isEmpty()) {
            return BufferCounters.Deleted.NONE;
        }
        long upTo = Collections.min(cursors.values());
        Removal removal = new Removal(space.deleteChunk());
        if (database.legacyEvents()) {
            // rows of a buffer written before blocks, blocks of one, all older than any block
            removal.add(delete("events", "seq", "bytes", "1", "SELECT seq FROM events WHERE pipeline = ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3", pipeline, upTo, removal.left()));
        }
        removal.add(delete("blocks", "first_seq", "bytes", "last_seq - first_seq + 1",
                "SELECT first_seq FROM blocks WHERE pipeline = ?1 AND last_seq <= ?2 ORDER BY last_seq LIMIT ?3", pipeline, upTo, removal.left()));
        if (removal.left() > 0) {
            removal.add(cutHead(pipeline, upTo, null));
        }
        if (removal.left() > 0 && hasRowsForOneOutput(pipeline)) {
            // dead letters replayed for one output are owed to that output alone (by another that is no longer
            // configured, to nobody): its cursor is what counts, not the slowest output's
            if (database.legacyEvents()) {
                removal.add(delete("events", "seq", "bytes", "1", "SELECT e.seq FROM events e WHERE e.pipeline = ?1 AND e.only_output IS NOT NULL AND e.seq > ?2"
                        + " AND e.seq <= COALESCE((SELECT c.seq FROM cursors c WHERE c.pipeline = e.pipeline AND c.output = e.only_output), e.seq)"
                        + " ORDER BY e.seq LIMIT ?3", pipeline, upTo, removal.left()));
            }
            removal.add(delete("blocks", "first_seq", "bytes", "last_seq - first_seq + 1", "SELECT b.first_seq FROM blocks b WHERE b.pipeline = ?1 AND b.only_output IS NOT NULL"
                    + " AND b.last_seq > ?2 AND b.last_seq <= COALESCE((SELECT c.seq FROM cursors c WHERE c.pipeline = b.pipeline AND c.output = b.only_output), b.last_seq)"
                    + " ORDER BY b.last_seq LIMIT ?3", pipeline, upTo, removal.left()));
            for (Map.Entry<String, Long> cursor : cursors.entrySet()) {
                if (removal.left() > 0 && cursor.getValue() > upTo) {
                    removal.add(cutHead(pipeline, cursor.getValue(), cursor.getKey()));
                }
            }
        }
        if (removal.left() == 0) {
            chunkLeftBehind.add(pipeline);
        }
        return removal.deleted;
    }

    /** Rows deleted within one transaction, up to a chunk. */
    private static final class Removal
    {
        private int left;
        private BufferCounters.Deleted deleted = BufferCounters.Deleted.NONE;

        Removal(int chunk)
        {
            this.left = chunk;
        }

        int left()
        {
            return left;
        }

        void add(Rows rows)
        {
            left -= rows.rows();
            deleted = deleted.plus(rows.deleted());
        }
    }

    /** Rows a statement deleted or rewrote, and the events and bytes that went with them. */
    private record Rows(int rows, BufferCounters.Deleted deleted)
    {
        static final Rows NONE = new Rows(0, BufferCounters.Deleted.NONE);
    }

    /**
     * Deletes the rows of {@code table} that {@code rowsQuery} selects by {@code key} (parameters: pipeline, upTo,
     * limit) and says how many events ({@code events}, an expression over a row) and bytes went with them. Counted by
     * SQLite in one aggregate over the rows (a block is one row); both statements run in the caller's transaction, so
     * they see the same rows.
     */
    private Rows delete(String table, String key, String bytesColumn, String events, String rowsQuery, String pipeline, long upTo, int limit)
            throws SQLException
    {
        if (limit <= 0) {
            return Rows.NONE;
        }
        int rows;
        long deletedEvents;
        long bytes;
        String where = " FROM " + table + " WHERE " + key + " IN (" + rowsQuery + ")";
        PreparedStatement count = database.prepared("SELECT COUNT(*), COALESCE(SUM(" + events + "), 0), COALESCE(SUM(" + bytesColumn + "), 0)" + where);
        count.setString(1, pipeline);
        count.setLong(2, upTo);
        count.setInt(3, limit);
        try (ResultSet result = count.executeQuery()) {
            result.next();
            rows = result.getInt(1);
            deletedEvents = result.getLong(2);
            bytes = result.getLong(3);
        }
        if (rows == 0) {
            return Rows.NONE;
        }
        if (table.equals("blocks")) {
            // their payloads first, while the rows still say which they are
            PreparedStatement deletePayloads = database.prepared("DELETE FROM block_payloads WHERE id IN (SELECT payload_id" + where + ")");
            deletePayloads.setString(1, pipeline);
            deletePayloads.setLong(2, upTo);
            deletePayloads.setInt(3, limit);
            deletePayloads.executeUpdate();
        }
        PreparedStatement delete = database.prepared("DELETE" + where);
        delete.setString(1, pipeline);
        delete.setLong(2, upTo);
        delete.setInt(3, limit);
        int deleted = delete.executeUpdate();
        if (deleted != rows) {
            throw new SQLException("deleted " + deleted + " delivered rows of " + table + " where " + rows + " were counted");
        }
        return new Rows(rows, new BufferCounters.Deleted(deletedEvents, bytes));
    }

    /**
     * Cuts the events up to {@code upTo} off the block of {@code pipeline} that holds {@code upTo} and more, if there is
     * one: with {@code onlyOutput} null, whichever block that is (every output has {@code upTo}), else only a block of
     * dead letters replayed for that output. The block keeps the events still owed, under the number of the first of
     * them; its delivered head is what is deleted.
     */
    private Rows cutHead(String pipeline, long upTo, String onlyOutput)
            throws SQLException
    {
        long first;
        long last;
        int start;
        long bytes;
        // the block's numbers first: the payload is read only when no delivery reader stopped where the block is cut
        PreparedStatement select = database.prepared(onlyOutput == null
                ? "SELECT first_seq, last_seq, payload_offset, bytes FROM blocks WHERE pipeline = ?1 AND last_seq > ?2 ORDER BY last_seq LIMIT 1"
                : "SELECT first_seq, last_seq, payload_offset, bytes FROM blocks WHERE pipeline = ?1 AND last_seq > ?2 AND only_output IS NOT NULL AND only_output = ?3 ORDER BY last_seq LIMIT 1");
        select.setString(1, pipeline);
        select.setLong(2, upTo);
        if (onlyOutput != null) {
            select.setString(3, onlyOutput);
        }
        try (ResultSet rows = select.executeQuery()) {
            if (!rows.next() || rows.getLong(1) > upTo) {
                return Rows.NONE;
            }
            first = rows.getLong(1);
            last = rows.getLong(2);
            start = rows.getInt(3);
            bytes = rows.getLong(4);
        }
        Optional<BlockPayload.Cut> known = cutPoints.cut(pipeline, last, upTo, start, bytes);
        BlockPayload.Cut cut;
        if (known.isPresent()) {
            cut = known.get();
            BlockPayload.store(database, first, upTo, cut);
        }
        else {
            payloadsReadToCut++;
            try {
                cut = BlockPayload.cut(database, first, last, upTo);
            }
            catch (IllegalStateException e) {
                // a block whose framing is damaged cannot be cut: it goes whole once delivered, counted whole until then
                return Rows.NONE;
            }
        }
        return new Rows(1, new BufferCounters.Deleted(upTo - first + 1, cut.headBytes()));
    }

    /** How many cuts read the block's payload: no delivery reader had stopped where the block was cut. */
    long payloadsReadToCut()
            throws SQLException
    {
        return database.locked(() -> payloadsReadToCut);
    }

    /** Whether dead letters replayed for one output wait in {@code pipeline} (the partial indexes make this one probe each). */
    private boolean hasRowsForOneOutput(String pipeline)
            throws SQLException
    {
        String sql = "SELECT EXISTS (SELECT 1 FROM blocks WHERE pipeline = ?1 AND only_output IS NOT NULL)"
                + (database.legacyEvents() ? " OR EXISTS (SELECT 1 FROM events WHERE pipeline = ?1 AND only_output IS NOT NULL)" : "");
        PreparedStatement select = database.prepared(sql);
        select.setString(1, pipeline);
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() && rows.getInt(1) == 1;
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
