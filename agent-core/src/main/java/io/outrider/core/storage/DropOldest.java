package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static java.util.Objects.requireNonNull;

/**
 * The byte cap's {@code drop_oldest}: deletes the oldest blocks and counts their events as dropped one by one, except
 * those every output had (of a block partly delivered), and apart those every output still owing them already read
 * (in flight, in memory): those are delivered although their rows are gone, and are
 * taken off the dropped count once the last of those outputs acknowledges them. Knows what each delivery loop's
 * {@link SqliteBuffer.Reader} handed out (its read horizon) for that.
 */
final class DropOldest
{
    private final BufferDatabase database;
    private final DeliveryState delivery;
    private final BufferCounters counters;
    private final SqliteBuffer.DropListener listener;
    /**
     * Per pipeline and output, the highest sequence number its delivery loop's {@link SqliteBuffer.Reader} has handed
     * out: events after the output's cursor up to it are in flight, in memory, and get delivered even if
     * {@code drop_oldest} deletes their rows meanwhile.
     */
    private final Map<String, Map<String, Long>> readHorizons = new ConcurrentHashMap<>();
    /**
     * Readers take it shared while they read and move their horizon, a drop takes it exclusive: an event is either
     * read before the drop looks at the horizons, or gone from the reader's snapshot.
     */
    private final ReadWriteLock dropGuard = new ReentrantReadWriteLock();
    /**
     * Dropped events that were in flight to every output still owing them, per pipeline, by sequence number, with the
     * outputs that still have to acknowledge them. Counted as dropped when deleted (durably: a crash before the
     * acknowledgement leaves them lost), and taken off the count when the last of those outputs acknowledges them.
     * Guarded by the write lock.
     */
    private final Map<String, TreeMap<Long, Set<String>>> droppedInFlight = new HashMap<>();

    DropOldest(BufferDatabase database, DeliveryState delivery, BufferCounters counters, SqliteBuffer.DropListener listener)
    {
        this.database = requireNonNull(database, "database is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /**
     * Deletes the oldest events (of any pipeline) until {@code bytesToFree} bytes are free, in one transaction: whole
     * blocks, and of the last block needed its oldest events only. Counts as dropped, one by one, the events that some
     * output still owed; the caller holds the write lock.
     */
    void drop(long bytesToFree)
            throws SQLException
    {
        Map<String, Long> droppedByPipeline = new TreeMap<>();
        Map<String, TreeMap<Long, Set<String>>> stillInFlight = new TreeMap<>();
        BufferCounters.Deleted deleted;
        dropGuard.writeLock().lock();
        try {
            deleted = database.inTransaction(() -> {
                droppedByPipeline.clear();
                stillInFlight.clear();
                Dropping dropping = new Dropping(bytesToFree, droppedByPipeline, stillInFlight);
                if (database.legacyEvents()) {
                    // rows of a buffer written before blocks: blocks of one, older than any block
                    dropOldest(dropping, "events", "seq", "seq");
                }
                dropOldest(dropping, "blocks", "first_seq", "last_seq");
                for (Map.Entry<String, Long> entry : droppedByPipeline.entrySet()) {
                    counters.addInTransaction(BufferCounters.droppedName(entry.getKey()), entry.getValue());
                }
                return new BufferCounters.Deleted(dropping.freedEvents, dropping.freedBytes);
            });
        }
        finally {
            dropGuard.writeLock().unlock();
        }
        // counted only once committed: a transaction that failed (a full disk) dropped nothing
        counters.deleted(deleted);
        stillInFlight.forEach((pipeline, events) -> droppedInFlight.computeIfAbsent(pipeline, ignored -> new TreeMap<>()).putAll(events));
        for (Map.Entry<String, Long> entry : droppedByPipeline.entrySet()) {
            counters.dropped(entry.getKey(), entry.getValue());
            long inFlight = stillInFlight.getOrDefault(entry.getKey(), new TreeMap<>()).size();
            // said by the listener, not here: one line per transaction would flood the log while the buffer stays full
            listener.dropped(entry.getKey(), entry.getValue(), inFlight);
        }
    }

    /** What one drop transaction freed and counted so far. */
    private static final class Dropping
    {
        private final long bytesToFree;
        private final Map<String, Long> droppedByPipeline;
        private final Map<String, TreeMap<Long, Set<String>>> stillInFlight;
        private final Map<String, Map<String, Long>> cursorsByPipeline = new HashMap<>();
        private long freedBytes;
        private long freedEvents;

        Dropping(long bytesToFree, Map<String, Long> droppedByPipeline, Map<String, TreeMap<Long, Set<String>>> stillInFlight)
        {
            this.bytesToFree = bytesToFree;
            this.droppedByPipeline = droppedByPipeline;
            this.stillInFlight = stillInFlight;
        }

        boolean done()
        {
            return freedBytes >= bytesToFree;
        }
    }

    /** A row {@code drop_oldest} considers: a block, or a row of a buffer written before blocks. */
    private record OldestRow(long first, long last, String pipeline, long bytes, String onlyOutput)
    {
    }

    /**
     * Deletes the oldest rows of {@code table} (any pipeline) until enough is freed. Of the last block it needs, only
     * the events it needs go (oldest first): the rest stays, as the block of the events after them.
     */
    private void dropOldest(Dropping dropping, String table, String firstColumn, String lastColumn)
            throws SQLException
    {
        try (PreparedStatement oldest = database.writer().prepareStatement("SELECT " + firstColumn + ", " + lastColumn + ", pipeline, bytes, only_output FROM " + table
                + " ORDER BY " + firstColumn + " LIMIT 100");
                PreparedStatement delete = database.writer().prepareStatement("DELETE FROM " + table + " WHERE " + firstColumn + " = ?");
                // a block's payload goes with it; the rows of a buffer written before blocks hold their own
                PreparedStatement deletePayload = table.equals("blocks")
                        ? database.writer().prepareStatement("DELETE FROM block_payloads WHERE id = (SELECT payload_id FROM blocks WHERE first_seq = ?)") : null) {
            while (!dropping.done()) {
                // listed before anything is deleted: a statement still stepping over rows being deleted may skip some
                List<OldestRow> rows = new ArrayList<>();
                try (ResultSet result = oldest.executeQuery()) {
                    while (result.next()) {
                        rows.add(new OldestRow(result.getLong(1), result.getLong(2), result.getString(3), result.getLong(4), result.getString(5)));
                    }
                }
                if (rows.isEmpty()) {
                    return;
                }
                for (OldestRow row : rows) {
                    if (dropping.done()) {
                        return;
                    }
                    if (row.first() < row.last() && dropping.freedBytes + row.bytes() > dropping.bytesToFree && cutHead(dropping, row)) {
                        return;
                    }
                    dropBlock(dropping, row.pipeline(), row.first(), row.last(), row.onlyOutput());
                    dropping.freedBytes += row.bytes();
                    if (deletePayload != null) {
                        deletePayload.setLong(1, row.first());
                        deletePayload.executeUpdate();
                    }
                    delete.setLong(1, row.first());
                    delete.executeUpdate();
                }
            }
        }
    }

    /**
     * Drops the oldest events of a block that are enough to free what is left to free, keeping the rest in the block;
     * false when it takes them all (the caller deletes the block).
     */
    private boolean cutHead(Dropping dropping, OldestRow row)
            throws SQLException
    {
        long upTo;
        BlockPayload.Cut cut;
        try {
            BlockPayload.Stored stored = BlockPayload.stored(database, row.first());
            int events = BlockPayload.eventsToFree(stored.payload(), stored.start(), row.first(), row.last(), dropping.bytesToFree - dropping.freedBytes);
            if (row.first() + events > row.last()) {
                return false;
            }
            upTo = row.first() + events - 1;
            cut = BlockPayload.cut(database, stored, row.first(), row.last(), upTo);
        }
        catch (IllegalStateException e) {
            // a block whose framing is damaged cannot be cut: it is dropped whole
            return false;
        }
        dropBlock(dropping, row.pipeline(), row.first(), upTo, row.onlyOutput());
        dropping.freedBytes += cut.headBytes();
        return true;
    }

    /**
     * Counts the events {@code first .. last} of {@code pipeline} being deleted: as dropped those some output still
     * owed (every one, when the pipeline has no output), and of those, the ones in flight to every output owing them
     * apart (see {@link #droppedInFlight}).
     */
    private void dropBlock(Dropping dropping, String pipeline, long first, long last, String onlyOutput)
            throws SQLException
    {
        Map<String, Long> cursors = dropping.cursorsByPipeline.get(pipeline);
        if (cursors == null) {
            cursors = delivery.cursors(pipeline);
            dropping.cursorsByPipeline.put(pipeline, cursors);
        }
        // a dead letter replayed for one output is owed to that output alone
        Map<String, Long> owedBy = onlyOutput == null ? cursors
                : cursors.containsKey(onlyOutput) ? Map.of(onlyOutput, cursors.get(onlyOutput)) : Map.of();
        long everyOutputHas = owedBy.isEmpty() ? 0 : Collections.min(owedBy.values());
        long dropped = 0;
        for (long seq = Math.max(first, everyOutputHas + 1); seq <= last; seq++) {
            dropped++;
            long owed = seq;
            inFlightToAllOwing(pipeline, seq, owedBy).ifPresent(owing -> dropping.stillInFlight.computeIfAbsent(pipeline, ignored -> new TreeMap<>()).put(owed, owing));
        }
        if (dropped > 0) {
            dropping.droppedByPipeline.merge(pipeline, dropped, Long::sum);
        }
        dropping.freedEvents += last - first + 1;
    }

    /**
     * The outputs that have yet to acknowledge event {@code seq}, when every one of them has it in flight (so it will
     * be delivered although its row is deleted); empty when some output will never see it, or no output exists.
     */
    private Optional<Set<String>> inFlightToAllOwing(String pipeline, long seq, Map<String, Long> cursors)
    {
        Map<String, Long> horizons = readHorizons.getOrDefault(pipeline, Map.of());
        Set<String> owing = new TreeSet<>();
        for (Map.Entry<String, Long> cursor : cursors.entrySet()) {
            if (cursor.getValue() >= seq) {
                continue;
            }
            if (horizons.getOrDefault(cursor.getKey(), 0L) < seq) {
                return Optional.empty();
            }
            owing.add(cursor.getKey());
        }
        return owing.isEmpty() ? Optional.empty() : Optional.of(owing);
    }

    /**
     * How many events dropped while in flight become delivered to every output with this acknowledgement, and
     * removes them from {@link #droppedInFlight} when {@code apply}. The caller holds the write lock.
     */
    long deliveredAfterDrop(String pipeline, String output, long seq, boolean apply)
    {
        TreeMap<Long, Set<String>> inFlight = droppedInFlight.get(pipeline);
        if (inFlight == null) {
            return 0;
        }
        long delivered = 0;
        for (Iterator<Map.Entry<Long, Set<String>>> entries = inFlight.headMap(seq, true).entrySet().iterator(); entries.hasNext(); ) {
            Set<String> owing = entries.next().getValue();
            if (!owing.contains(output)) {
                continue;
            }
            if (owing.size() == 1) {
                delivered++;
            }
            if (apply) {
                owing.remove(output);
                if (owing.isEmpty()) {
                    entries.remove();
                }
            }
        }
        if (apply && inFlight.isEmpty()) {
            droppedInFlight.remove(pipeline);
        }
        return delivered;
    }

    /**
     * Runs a delivery loop's read and moves its horizon to what the batch now holds, shared with other readers and
     * exclusive of a drop.
     */
    boolean readTracked(String pipeline, String output, long afterSeq, List<BufferedEvent> batch, BufferDatabase.SqlWork<Boolean> read)
            throws SQLException
    {
        dropGuard.readLock().lock();
        try {
            int before = batch.size();
            boolean full = read.run();
            Map<String, Long> horizons = readHorizons.computeIfAbsent(pipeline, ignored -> new ConcurrentHashMap<>());
            // a batch started anew (after an acknowledgement, or from the cursor again) is all that is in flight
            long horizon = before == 0 ? afterSeq : Math.max(afterSeq, horizons.getOrDefault(output, 0L));
            if (batch.size() > before) {
                horizon = Math.max(horizon, batch.get(batch.size() - 1).seq());
            }
            horizons.put(output, horizon);
            return full;
        }
        finally {
            dropGuard.readLock().unlock();
        }
    }

    /** A delivery loop's reader closed: what it had in flight and was dropped will not be delivered, it stays counted. */
    void forgetInFlight(String pipeline, String output)
    {
        database.writeLock().lock();
        try {
            readHorizons.getOrDefault(pipeline, new ConcurrentHashMap<>()).remove(output);
            TreeMap<Long, Set<String>> inFlight = droppedInFlight.get(pipeline);
            if (inFlight != null) {
                inFlight.values().removeIf(owing -> owing.contains(output));
                if (inFlight.isEmpty()) {
                    droppedInFlight.remove(pipeline);
                }
            }
        }
        finally {
            database.writeLock().unlock();
        }
    }
}
