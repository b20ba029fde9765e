package io.outrider.core.storage;

import io.outrider.spi.Checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The buffered events themselves: an append writes a batch and the input's checkpoints in one transaction; reads go
 * through a connection of the reader's own, and the figures status and metrics ask for (an output's backlog and lag)
 * through one of this log's own, so that counting a backlog never holds the writer's lock against appends.
 */
final class EventLog
{
    private final BufferDatabase database;
    private final ComponentStateStore componentState;
    private final FieldNames fieldNames;
    /** For status and metrics; used by one thread at a time (synchronized on it). */
    private final Connection statusReader;

    EventLog(BufferDatabase database, ComponentStateStore componentState, FieldNames fieldNames, Connection statusReader)
    {
        this.database = requireNonNull(database, "database is null");
        this.componentState = requireNonNull(componentState, "componentState is null");
        this.fieldNames = requireNonNull(fieldNames, "fieldNames is null");
        this.statusReader = requireNonNull(statusReader, "statusReader is null");
    }

    /**
     * Inserts the events and writes the checkpoints in one transaction, with the field names learned for them (the
     * payloads were encoded before, so the names they use are among those not yet stored); the caller holds the
     * write lock.
     *
     * @return the sequence number of the last event inserted; 0 when there were none
     */
    long append(String pipeline, String component, List<byte[]> payloads, Collection<Checkpoint> checkpoints, long nowMillis)
            throws SQLException
    {
        FieldNames.Unstored unstored = fieldNames.unstored();
        long appended = database.inTransaction(() -> {
            database.storeFieldNames(unstored);
            long last = 0;
            if (!payloads.isEmpty()) {
                try (PreparedStatement insert = database.writer().prepareStatement("INSERT INTO events (pipeline, component, ingested, bytes, payload) VALUES (?, ?, ?, ?, ?)")) {
                    for (byte[] payload : payloads) {
                        insert.setString(1, pipeline);
                        insert.setString(2, component);
                        insert.setLong(3, nowMillis);
                        insert.setInt(4, payload.length);
                        insert.setBytes(5, payload);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                last = database.queryLong("SELECT last_insert_rowid()");
            }
            componentState.writeScoped(ComponentStateStore.CHECKPOINTS, pipeline, component, checkpoints);
            return last;
        });
        fieldNames.stored(unstored);
        return appended;
    }

    /**
     * The statement a reader runs on its own connection; see {@link #read}. The reader of one output's delivery
     * skips the dead letters replayed for other outputs only; an inspecting reader ({@code output} empty) sees all.
     */
    static PreparedStatement prepareRead(Connection connection, Optional<String> output)
            throws SQLException
    {
        if (output.isEmpty()) {
            return connection.prepareStatement("SELECT seq, ingested, bytes, payload FROM events WHERE pipeline = ? AND seq > ? ORDER BY seq LIMIT ?");
        }
        PreparedStatement select = connection.prepareStatement("SELECT seq, ingested, bytes, payload FROM events WHERE pipeline = ?1 AND seq > ?2"
                + " AND (only_output IS NULL OR only_output = ?4) ORDER BY seq LIMIT ?3");
        select.setString(4, output.get());
        return select;
    }

    /**
     * Adds to {@code batch} up to {@code maxEvents} more events after {@code afterSeq} while the whole batch stays
     * within {@code maxBytes} (an empty batch always takes its first event), through {@code select} from
     * {@link #prepareRead}.
     *
     * @return whether it stopped because the next buffered event would take the batch over {@code maxBytes}
     */
    static boolean read(PreparedStatement select, EventCodec codec, List<BufferedEvent> batch, String pipeline, long afterSeq, int maxEvents, long maxBytes)
            throws SQLException
    {
        long bytes = 0;
        for (BufferedEvent event : batch) {
            bytes += event.bytes();
        }
        select.setString(1, pipeline);
        select.setLong(2, afterSeq);
        // one row more than wanted: it tells a full batch from a buffer with nothing more in it
        select.setInt(3, maxEvents == Integer.MAX_VALUE ? maxEvents : maxEvents + 1);
        int added = 0;
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                int size = rows.getInt(3);
                if (!batch.isEmpty() && bytes + size > maxBytes) {
                    return true;
                }
                if (added == maxEvents) {
                    return false;
                }
                batch.add(new BufferedEvent(rows.getLong(1), rows.getLong(2), size, rows.getBytes(4), codec));
                bytes += size;
                added++;
            }
        }
        return false;
    }

    /** Events of {@code pipeline} after {@code seq}: an output's backlog. */
    long countAfter(String pipeline, long seq)
            throws SQLException
    {
        synchronized (statusReader) {
            try (PreparedStatement select = statusReader.prepareStatement("SELECT COUNT(*) FROM events WHERE pipeline = ? AND seq > ?")) {
                select.setString(1, pipeline);
                select.setLong(2, seq);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }
    }

    /**
     * Events of {@code pipeline} after {@code seq} that {@code output} has to deliver: an output's backlog. Dead
     * letters replayed for another output are not in it, the same rule as {@link #prepareRead} and
     * {@link BufferInspector#stats()}.
     */
    long countAfter(String pipeline, String output, long seq)
            throws SQLException
    {
        synchronized (statusReader) {
            try (PreparedStatement select = statusReader.prepareStatement("SELECT COUNT(*) FROM events WHERE pipeline = ? AND seq > ?"
                    + " AND (only_output IS NULL OR only_output = ?)")) {
                select.setString(1, pipeline);
                select.setLong(2, seq);
                select.setString(3, output);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }
    }

    /** When the oldest event after {@code seq} that {@code output} has to deliver was buffered, if any (its delivery lag). */
    Optional<Long> oldestIngestedAfter(String pipeline, String output, long seq)
            throws SQLException
    {
        synchronized (statusReader) {
            try (PreparedStatement select = statusReader.prepareStatement("SELECT ingested FROM events WHERE pipeline = ? AND seq > ?"
                    + " AND (only_output IS NULL OR only_output = ?) ORDER BY seq LIMIT 1")) {
                select.setString(1, pipeline);
                select.setLong(2, seq);
                select.setString(3, output);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
                }
            }
        }
    }

    /** When the oldest event after {@code seq} was buffered, if any (for delivery lag). */
    Optional<Long> oldestIngestedAfter(String pipeline, long seq)
            throws SQLException
    {
        synchronized (statusReader) {
            try (PreparedStatement select = statusReader.prepareStatement("SELECT ingested FROM events WHERE pipeline = ? AND seq > ? ORDER BY seq LIMIT 1")) {
                select.setString(1, pipeline);
                select.setLong(2, seq);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
                }
            }
        }
    }

    void close()
    {
        synchronized (statusReader) {
            BufferDatabase.closeQuietly(statusReader);
        }
    }
}
