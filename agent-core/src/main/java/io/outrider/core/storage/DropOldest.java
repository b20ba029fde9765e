package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * The byte cap's {@code drop_oldest}: deletes the oldest events and counts them as dropped, except those every output
 * still owing them already read (in flight, in memory): those are delivered although their rows are gone, and are
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

    /** Deletes the oldest events until {@code bytesToFree} bytes are free, in one transaction. The caller holds the write lock. */
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
                Map<String, Map<String, Long>> cursorsByPipeline = new HashMap<>();
                long freedBytes = 0;
                long freedEvents = 0;
                long upTo = 0;
                try (PreparedStatement select = database.writer().prepareStatement("SELECT seq, pipeline, bytes, only_output FROM events ORDER BY seq LIMIT 1000")) {
                    while (freedBytes < bytesToFree) {
                        boolean any = false;
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next() && freedBytes < bytesToFree) {
                                any = true;
                                long seq = rows.getLong(1);
                                upTo = seq;
                                String pipeline = rows.getString(2);
                                droppedByPipeline.merge(pipeline, 1L, Long::sum);
                                freedBytes += rows.getInt(3);
                                freedEvents++;
                                Map<String, Long> cursors = cursorsByPipeline.get(pipeline);
                                if (cursors == null) {
                                    cursors = delivery.cursors(pipeline);
                                    cursorsByPipeline.put(pipeline, cursors);
                                }
                                String onlyOutput = rows.getString(4);
                                // a dead letter replayed for one output is owed to that output alone
                                Map<String, Long> owedBy = onlyOutput == null ? cursors
                                        : cursors.containsKey(onlyOutput) ? Map.of(onlyOutput, cursors.get(onlyOutput)) : Map.of();
                                inFlightToAllOwing(pipeline, seq, owedBy).ifPresent(owing -> stillInFlight.computeIfAbsent(pipeline, ignored -> new TreeMap<>()).put(seq, owing));
                            }
                        }
                        try (PreparedStatement delete = database.writer().prepareStatement("DELETE FROM events WHERE seq <= ?")) {
                            delete.setLong(1, upTo);
                            delete.executeUpdate();
                        }
                        if (!any) {
                            break;
                        }
                    }
                }
                for (Map.Entry<String, Long> entry : droppedByPipeline.entrySet()) {
                    counters.addInTransaction(BufferCounters.droppedName(entry.getKey()), entry.getValue());
                }
                return new BufferCounters.Deleted(freedEvents, freedBytes);
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
