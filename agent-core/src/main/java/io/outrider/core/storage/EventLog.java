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
 * The buffered events themselves, in blocks (see {@link BlockPayload}): an append writes a batch and the input's
 * checkpoints in one transaction; reads go through a connection of the reader's own, and the figures status and
 * metrics ask for (an output's backlog and lag) through one of this log's own, so that counting a backlog never holds
 * the writer's lock against appends.
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
     * Inserts the events as blocks (see {@link BlockPayload}: a batch of up to {@link BlockPayload#MAX_EVENTS} events
     * and {@link BlockPayload#MAX_BYTES} is one row) and writes the checkpoints in one transaction, with the field
     * names learned for them (the payloads were encoded before, so the names they use are among those not yet
     * stored); the caller holds the write lock.
     *
     * @return the sequence number of the last event inserted; 0 when there were none
     */
    long append(String pipeline, String component, EncodedBlocks blocks, Collection<Checkpoint> checkpoints, long nowMillis)
            throws SQLException
    {
        FieldNames.Unstored unstored = fieldNames.unstored();
        long appended = database.inTransaction(() -> {
            database.storeFieldNames(unstored);
            long last = 0;
            if (blocks.events() > 0) {
                long first = database.takeSequenceNumbers(blocks.events());
                insertBlocks(database, pipeline, component, nowMillis, null, blocks, first);
                last = first + blocks.events() - 1;
            }
            componentState.writeScoped(ComponentStateStore.CHECKPOINTS, pipeline, component, checkpoints);
            return last;
        });
        fieldNames.stored(unstored);
        return appended;
    }

    /**
     * Inserts {@code payloads} as the events {@code firstSeq ..} of {@code pipeline}, a block per
     * {@link BlockPayload#blockEnd}, within the caller's transaction (the numbers taken already); the caller holds
     * the write lock. {@code onlyOutput}: the output they are for alone (replayed dead letters), else null.
     */
    static void insertBlocks(BufferDatabase database, String pipeline, String component, long nowMillis, String onlyOutput, List<byte[]> payloads, long firstSeq)
            throws SQLException
    {
        insertBlocks(database, pipeline, component, nowMillis, onlyOutput, EncodedBlocks.join(payloads), firstSeq);
    }

    /** Inserts the blocks as the events {@code firstSeq ..}, as {@link #insertBlocks(BufferDatabase, String, String, long, String, List, long)} does. */
    static void insertBlocks(BufferDatabase database, String pipeline, String component, long nowMillis, String onlyOutput, EncodedBlocks blocks, long firstSeq)
            throws SQLException
    {
        // prepared once per database: preparing both anew was a good part of an append's time in SQLite
        PreparedStatement insert = database.prepared("INSERT INTO blocks (first_seq, last_seq, pipeline, component, ingested, bytes, only_output, payload_id,"
                + " payload_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1, 0)");
        PreparedStatement insertPayload = database.prepared("INSERT INTO block_payloads (id, payload, codec) VALUES (?, ?, ?)");
        long blockFirst = firstSeq;
        for (EncodedBlocks.Block block : blocks.blocks()) {
            insert.setLong(1, blockFirst);
            insert.setLong(2, blockFirst + block.events() - 1);
            insert.setString(3, pipeline);
            insert.setString(4, component);
            insert.setLong(5, nowMillis);
            insert.setLong(6, block.bytes());
            insert.setString(7, onlyOutput);
            insert.executeUpdate();
            insertPayload.setLong(1, blockFirst);
            insertPayload.setBytes(2, block.payload());
            insertPayload.setInt(3, block.codec());
            insertPayload.executeUpdate();
            blockFirst += block.events();
        }
        // the statement lives on: it must not keep the last block's array (up to a MiB) reachable until the next
        // append. (One that failed is not kept: see BufferDatabase#inTransaction.)
        insertPayload.clearParameters();
    }

    /**
     * What a reader runs on its own connection (see {@link #read}), and where in a block its last read stopped. Used by
     * one thread at a time.
     */
    static final class ReadStatements
            implements AutoCloseable
    {
        private final PreparedStatement blocks;
        private final Optional<PreparedStatement> legacyEvents;
        private CutPoints.Point stop;
        /**
         * The payload of the block the last read stopped in, and its id, or null: the next read starts in that block,
         * and takes it from here instead of reading it again (a batch seldom ends where a block does). One block at
         * most (a megabyte or so, see {@link BlockPayload#MAX_BYTES}); a payload is never changed once stored, and
         * its id (the first number of the block as inserted) is never used again.
         */
        private byte[] keptPayload;
        private long keptPayloadId = -1;

        ReadStatements(PreparedStatement blocks, Optional<PreparedStatement> legacyEvents)
        {
            this.blocks = requireNonNull(blocks, "blocks is null");
            this.legacyEvents = requireNonNull(legacyEvents, "legacyEvents is null");
        }

        /** Where the last read stopped inside a block, after at least one of its events: the cut an acknowledgement up to there makes. */
        Optional<CutPoints.Point> stop()
        {
            return Optional.ofNullable(stop);
        }

        @Override
        public void close()
        {
            try {
                blocks.close();
                if (legacyEvents.isPresent()) {
                    legacyEvents.get().close();
                }
            }
            catch (SQLException e) {
                // closing: nothing left to protect
            }
        }
    }

    /**
     * The statements a reader runs on its own connection; see {@link #read}. The reader of one output's delivery
     * skips the dead letters replayed for other outputs only; an inspecting reader ({@code output} empty) sees all.
     * {@code legacyEvents}: the rows of a buffer written before blocks are read first (their numbers are all lower).
     */
    static ReadStatements prepareRead(Connection connection, Optional<String> output, boolean legacyEvents)
            throws SQLException
    {
        String forOutput = output.isEmpty() ? "" : " AND (only_output IS NULL OR only_output = ?4)";
        // ?5: the payload the reader kept (see ReadStatements#keptPayload) is not read again
        PreparedStatement blocks = connection.prepareStatement("SELECT b.first_seq, b.last_seq, b.ingested, b.payload_offset, b.bytes,"
                + " CASE WHEN b.payload_id = ?5 THEN NULL ELSE p.payload END, b.payload_id, p.codec FROM blocks b"
                + " JOIN block_payloads p ON p.id = b.payload_id WHERE b.pipeline = ?1 AND b.last_seq > ?2" + forOutput.replace("only_output", "b.only_output")
                + " ORDER BY b.last_seq LIMIT ?3");
        Optional<PreparedStatement> legacy = Optional.empty();
        if (legacyEvents) {
            legacy = Optional.of(connection.prepareStatement("SELECT seq, ingested, bytes, payload FROM events WHERE pipeline = ?1 AND seq > ?2" + forOutput + " ORDER BY seq LIMIT ?3"));
        }
        if (output.isPresent()) {
            blocks.setString(4, output.get());
            if (legacy.isPresent()) {
                legacy.get().setString(4, output.get());
            }
        }
        return new ReadStatements(blocks, legacy);
    }

    /**
     * Adds to {@code batch} up to {@code maxEvents} more events after {@code afterSeq} while the whole batch stays
     * within {@code maxBytes} (an empty batch always takes its first event), through the statements of
     * {@link #prepareRead}: the blocks holding them are split, and the events of a block up to {@code afterSeq}
     * skipped. Where it stops inside a block, it says where ({@link ReadStatements#stop()}).
     *
     * @return whether it stopped because the next buffered event would take the batch over {@code maxBytes}
     */
    static boolean read(ReadStatements statements, EventCodec codec, List<BufferedEvent> batch, String pipeline, long afterSeq, int maxEvents, long maxBytes)
            throws SQLException
    {
        long bytes = 0;
        for (BufferedEvent event : batch) {
            bytes += event.bytes();
        }
        ReadState state = new ReadState(codec, batch, maxEvents, maxBytes, bytes);
        statements.stop = null;
        long after = afterSeq;
        if (statements.legacyEvents.isPresent()) {
            PreparedStatement select = statements.legacyEvents.get();
            bind(select, pipeline, after, maxEvents);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byte[] payload = rows.getBytes(4);
                    if (!state.take(rows.getLong(1), rows.getLong(2), payload, 0, payload.length)) {
                        return state.overBytes;
                    }
                    after = rows.getLong(1);
                }
            }
        }
        PreparedStatement select = statements.blocks;
        bind(select, pipeline, after, maxEvents - state.added);
        select.setLong(5, statements.keptPayloadId);
        long skipUpTo = after;
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long firstSeq = rows.getLong(1);
                long lastSeq = rows.getLong(2);
                long ingested = rows.getLong(3);
                int start = rows.getInt(4);
                long payloadId = rows.getLong(7);
                byte[] payload = rows.getBytes(6);
                payload = payload == null ? statements.keptPayload : BlockPayload.readable(payload, rows.getInt(8));
                BlockWalk walk = new BlockWalk(payload, start);
                BlockPayload.forEachReadable(payload, start, firstSeq, lastSeq, (seq, block, offset, length) -> {
                    if (seq <= skipUpTo || state.take(seq, ingested, block, offset, length)) {
                        walk.consumed(seq, block, offset, length);
                        return true;
                    }
                    walk.refused(block);
                    return false;
                });
                if (state.stopped) {
                    statements.keptPayload = payload;
                    statements.keptPayloadId = payloadId;
                    // not where the framing was damaged: then each event reads as undecodable, and a cut is left to
                    // the payload's own framing
                    if (walk.intact && walk.consumedUpTo >= firstSeq) {
                        statements.stop = new CutPoints.Point(lastSeq, walk.consumedUpTo, walk.end, rows.getLong(5) - walk.consumedBytes);
                    }
                    return state.overBytes;
                }
            }
        }
        statements.keptPayload = null;
        statements.keptPayloadId = -1;
        return false;
    }

    /** A read's way through one block: how far it consumed (taken or skipped) the events, and whether the framing held. */
    private static final class BlockWalk
    {
        private final byte[] payload;
        private long consumedUpTo = Long.MIN_VALUE;
        private long consumedBytes;
        private int end;
        private boolean intact = true;

        BlockWalk(byte[] payload, int start)
        {
            this.payload = payload;
            this.end = start;
        }

        void consumed(long seq, byte[] block, int offset, int length)
        {
            intact &= block == payload;
            consumedUpTo = seq;
            consumedBytes += length;
            end = offset + length;
        }

        void refused(byte[] block)
        {
            intact &= block == payload;
        }
    }

    private static void bind(PreparedStatement select, String pipeline, long afterSeq, int maxEvents)
            throws SQLException
    {
        select.setString(1, pipeline);
        select.setLong(2, afterSeq);
        // one row more than wanted: it tells a full batch from a buffer with nothing more in it
        select.setInt(3, maxEvents >= Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE : maxEvents + 1);
    }

    /** A read in progress: what it added, and why it stopped. */
    private static final class ReadState
    {
        private final EventCodec codec;
        private final List<BufferedEvent> batch;
        private final int maxEvents;
        private final long maxBytes;
        private long bytes;
        private int added;
        private boolean stopped;
        private boolean overBytes;

        ReadState(EventCodec codec, List<BufferedEvent> batch, int maxEvents, long maxBytes, long bytes)
        {
            this.codec = codec;
            this.batch = batch;
            this.maxEvents = maxEvents;
            this.maxBytes = maxBytes;
            this.bytes = bytes;
        }

        /** Adds the event if it fits; false (and stopped) when it does not. */
        boolean take(long seq, long ingested, byte[] source, int offset, int length)
        {
            if (!batch.isEmpty() && bytes + length > maxBytes) {
                stopped = true;
                overBytes = true;
                return false;
            }
            if (added == maxEvents) {
                stopped = true;
                return false;
            }
            // a slice of the block: the batch's events share its array instead of each copying its part
            batch.add(new BufferedEvent(seq, ingested, length, source, offset, length, codec));
            bytes += length;
            added++;
            return true;
        }
    }

    /** Events of {@code pipeline} after {@code seq}: an output's backlog. */
    long countAfter(String pipeline, long seq)
            throws SQLException
    {
        return countAfter(pipeline, Optional.empty(), seq);
    }

    /**
     * Events of {@code pipeline} after {@code seq} that {@code output} has to deliver: an output's backlog. Dead
     * letters replayed for another output are not in it, the same rule as {@link #prepareRead} and
     * {@link BufferInspector#stats()}. Counted per block, not per event.
     */
    long countAfter(String pipeline, String output, long seq)
            throws SQLException
    {
        return countAfter(pipeline, Optional.of(output), seq);
    }

    private long countAfter(String pipeline, Optional<String> output, long seq)
            throws SQLException
    {
        String forOutput = output.isEmpty() ? "" : " AND (only_output IS NULL OR only_output = ?3)";
        synchronized (statusReader) {
            long count = 0;
            if (database.legacyEvents()) {
                count += queryStatus("SELECT COUNT(*) FROM events WHERE pipeline = ?1 AND seq > ?2" + forOutput, pipeline, output, seq).orElse(0L);
            }
            return count + queryStatus("SELECT COALESCE(SUM(last_seq - MAX(first_seq, ?2 + 1) + 1), 0) FROM blocks WHERE pipeline = ?1 AND last_seq > ?2" + forOutput,
                    pipeline, output, seq).orElse(0L);
        }
    }

    /** When the oldest event after {@code seq} that {@code output} has to deliver was buffered, if any (its delivery lag). */
    Optional<Long> oldestIngestedAfter(String pipeline, String output, long seq)
            throws SQLException
    {
        return oldestIngestedAfter(pipeline, Optional.of(output), seq);
    }

    /** When the oldest event after {@code seq} was buffered, if any (for delivery lag). */
    Optional<Long> oldestIngestedAfter(String pipeline, long seq)
            throws SQLException
    {
        return oldestIngestedAfter(pipeline, Optional.empty(), seq);
    }

    private Optional<Long> oldestIngestedAfter(String pipeline, Optional<String> output, long seq)
            throws SQLException
    {
        String forOutput = output.isEmpty() ? "" : " AND (only_output IS NULL OR only_output = ?3)";
        synchronized (statusReader) {
            Optional<Long> oldest = Optional.empty();
            if (database.legacyEvents()) {
                oldest = queryStatus("SELECT ingested FROM events WHERE pipeline = ?1 AND seq > ?2" + forOutput + " ORDER BY seq LIMIT 1", pipeline, output, seq);
            }
            if (oldest.isEmpty()) {
                oldest = queryStatus("SELECT ingested FROM blocks WHERE pipeline = ?1 AND last_seq > ?2" + forOutput + " ORDER BY last_seq LIMIT 1", pipeline, output, seq);
            }
            return oldest;
        }
    }

    /** The first column of the first row of {@code sql} (parameters: pipeline, seq, output) on the status connection; the caller synchronizes on it. */
    private Optional<Long> queryStatus(String sql, String pipeline, Optional<String> output, long seq)
            throws SQLException
    {
        try (PreparedStatement select = statusReader.prepareStatement(sql)) {
            select.setString(1, pipeline);
            select.setLong(2, seq);
            if (output.isPresent()) {
                select.setString(3, output.get());
            }
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
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
