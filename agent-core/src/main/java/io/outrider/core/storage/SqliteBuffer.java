package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.Event;
import io.outrider.spi.KeyValueStore;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The durable buffer: one SQLite database (WAL) in the data directory holding buffered events, input checkpoints,
 * one delivery cursor per output, dead letters and component key-value state.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #append} writes a batch and the input's checkpoints in one transaction: after any crash the events
 *       and the input's position agree.</li>
 *   <li>Every output of a pipeline has its own cursor over the same events, stored a block per commit ({@link BlockPayload});
 *       an event is removed once every output of its pipeline acknowledged it. Sequence numbers are never reused.</li>
 *   <li>The buffer is bounded by bytes: {@code block} makes {@code append} wait (back-pressure; the input's checkpoint
 *       does not move), {@code drop_oldest} deletes the oldest events and counts them. A full disk is treated as
 *       back-pressure and recovers by itself when space returns.</li>
 *   <li>Delivery can always drain: appends leave {@code min_free_disk} free (scaled to the file system unless
 *       configured), and a preallocated {@value #RESERVE_FILE_NAME} file (1MiB to 4MiB) is deleted when an
 *       acknowledgement finds the disk full (filled by anyone), so that acknowledging and deleting never wait for
 *       space; the buffer does not grow again until the reserve can be made anew. Appends never use the reserve.</li>
 *   <li>A damaged database is moved aside as {@code *.bad} on open, the loss is logged and counted, and a new one is
 *       started.</li>
 *   <li>Input checkpoints whose events were all delivered (or dead-lettered) by every output of their pipeline are
 *       copied to {@code checkpoints.json} beside the buffer (see {@link DeliveredCheckpoints}), within about two
 *       seconds of a change: a buffer found damaged, missing, emptied or without its WAL is reported and counted,
 *       and inputs resume from the copy, not from their configured start, reading again what was not delivered
 *       (at least once: duplicates possible, loss not, as long as the lines are still there).</li>
 * </ul>
 * Writes are serialised through one connection; each delivery loop reads through a {@link Reader} of its own.
 *
 * <p>This class is the facade the rest of the agent uses; the work is done by the parts that share its database
 * ({@link BufferDatabase}: connection, lock, transactions, schema): {@link EventLog}, {@link DeliveryState},
 * {@link SpaceGuard}, {@link DropOldest}, {@link DeadLetterStore}, {@link ComponentStateStore},
 * {@link BufferCounters} and {@link MirrorKeeper}. What takes more than one of them in one transaction (an append,
 * an acknowledgement) is orchestrated here. It runs past 600 lines because it is the buffer's whole public API, each
 * method documented for its callers and holding the write lock and the disk-full retry around one call into the parts:
 * split, the locking protocol would be spread over several files.
 */
public final class SqliteBuffer
        implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(SqliteBuffer.class.getName());

    public static final String FILE_NAME = "buffer.db";
    /** Room kept on the disk for acknowledgements, released when the disk is full (see {@link SpaceGuard#releaseReserve}). */
    public static final String RESERVE_FILE_NAME = "buffer.reserve";
    /** A timeout for {@link #awaitAppend(long, Duration, BooleanSupplier)} that never passes. */
    public static final Duration NO_TIMEOUT = ChronoUnit.FOREVER.getDuration();
    /** Free pages below this are not worth rewriting the file for (see {@link #shrinkIfMostlyFree}). */
    static final long SHRINK_MIN_FREE_BYTES = 32L << 20;
    /**
     * Free pages worth rewriting the file for while the reserve waits for room (see {@link #shrinkIfMostlyFree}): on
     * a small file system the file's free pages can be the room the reserve needs.
     */
    static final long SHRINK_FOR_RESERVE_MIN_FREE_BYTES = 256L << 10;

    /** Why {@link #append} is waiting, for status. */
    public enum WriteState
    {
        OK, BACK_PRESSURE, DISK_FULL
    }

    /**
     * Told of each {@code drop_oldest} transaction once it committed, per pipeline. The agent reports drops through
     * it (rate-limited, see {@code DropReport}); storage itself says nothing about them.
     */
    @FunctionalInterface
    public interface DropListener
    {
        /**
         * {@code events} oldest events of {@code pipeline} were dropped (and counted in {@link #droppedEvents}),
         * {@code alreadySending} of them were in flight to every output still owing them and stop counting as dropped
         * once acknowledged. Called by the appending thread with the buffer's write lock held: it must be quick and
         * must not use the buffer.
         */
        void dropped(String pipeline, long events, long alreadySending);
    }

    private final Path file;
    private final long maxBytes;
    private final AgentSettings.WhenFull whenFull;
    private final AgentSettings.Durability durability;
    private final Clock clock;
    private final BufferDatabase database;
    private final EventCodec codec;
    private final BufferCounters counters;
    private final SpaceGuard space;
    private final ComponentStateStore componentState;
    private final EventLog events;
    private final DeadLetterStore deadLetters;
    private final DeliveryState delivery;
    private final DropOldest dropOldest;
    private final MirrorKeeper mirror;
    private final CutPoints cutPoints = new CutPoints();
    private final Object appended = new Object();
    private volatile DropListener dropListener = this::logDrop;
    private volatile boolean closed;
    /** {@link #changes} at the last look of {@link #shrinkIfMostlyFree} that succeeded; guarded by the write lock. */
    private long changesAtLastShrinkLook = -1;

    private SqliteBuffer(Path file, AgentSettings.BufferSettings settings, Clock clock, Connection writer)
            throws SQLException
    {
        this.file = file;
        this.maxBytes = settings.maxBytes().bytes();
        this.whenFull = settings.whenFull();
        this.durability = settings.durability();
        this.clock = clock;
        this.database = new BufferDatabase(writer);
        FieldNames fieldNames = FieldNames.load(firstId -> database.locked(() -> BufferDatabase.fieldNames(writer, firstId)));
        this.codec = EventCodec.of(fieldNames);
        this.counters = new BufferCounters(database);
        this.space = new SpaceGuard(database, file, settings);
        this.componentState = new ComponentStateStore(database);
        this.events = new EventLog(database, componentState, fieldNames, BufferDatabase.connect(file, durability));
        this.deadLetters = new DeadLetterStore(database, codec);
        this.delivery = new DeliveryState(database, deadLetters, counters, space, cutPoints);
        this.dropOldest = new DropOldest(database, delivery, counters, (pipeline, events, alreadySending) -> dropListener.dropped(pipeline, events, alreadySending));
        this.mirror = new MirrorKeeper(database, counters, file, clock);
    }

    /**
     * Opens (or creates) the buffer in {@code dataDirectory}. A file that fails SQLite's integrity check, is not a
     * database, or cannot be opened is moved aside as {@code buffer.db.<time>.bad} (with its WAL) and a new buffer
     * is started; the loss is logged and counted in {@link #quarantinedFiles()}.
     */
    public static SqliteBuffer open(Path dataDirectory, AgentSettings.BufferSettings settings, Clock clock)
            throws IOException, SQLException
    {
        BufferDatabase.Opened opened = BufferDatabase.openOrReplace(dataDirectory.resolve(FILE_NAME), settings.durability());
        SqliteBuffer buffer;
        try {
            buffer = new SqliteBuffer(opened.file(), settings, clock, opened.connection());
        }
        catch (SQLException | RuntimeException e) {
            BufferDatabase.closeQuietly(opened.connection());
            throw e;
        }
        try {
            buffer.space.keepReserve();
            if (opened.damage().isPresent()) {
                buffer.counters.add(BufferCounters.QUARANTINED, 1);
            }
            buffer.mirror.recover(opened.damage(), opened.found());
            buffer.counters.loadLossCounters();
            return buffer;
        }
        catch (SQLException | RuntimeException e) {
            buffer.close();
            throw e;
        }
    }

    public Path file()
    {
        return file;
    }

    /** The codec of this buffer: its payloads name their fields by the ids of this buffer's {@link FieldNames}. */
    public EventCodec codec()
    {
        return codec;
    }

    /** Creates cursors for a pipeline's outputs (new outputs start at the oldest buffered event) and drops stale ones. */
    public void registerOutputs(String pipeline, Set<String> outputs)
            throws SQLException
    {
        database.writeLock().lock();
        try {
            counters.deleted(space.deletingEvenOnAFullDisk(() -> delivery.registerOutputs(pipeline, outputs)));
            mirror.outputs(pipeline, delivery.cursors(pipeline));
            delivery.removeRestOfDelivered(pipeline);
            mirror.write(false);
        }
        finally {
            database.writeLock().unlock();
            // the mirror's file is written (and synced) without the lock: nothing waits for it
            mirror.flush();
        }
    }

    /** The committed checkpoints of one input. */
    public Map<String, String> checkpoints(String pipeline, String component)
            throws SQLException
    {
        return componentState.checkpoints(pipeline, component);
    }

    /**
     * Commits events and checkpoints of one input together. Blocks while the buffer is full ({@code block}) or the
     * disk is full, until there is room or {@link #close} is called.
     *
     * @throws InterruptedException when interrupted while waiting; nothing was committed
     * @throws IllegalStateException when the buffer is closed; nothing was committed
     */
    public void append(String pipeline, String component, List<Event> events, Collection<Checkpoint> checkpoints)
            throws InterruptedException, SQLException
    {
        append(pipeline, component, codec.encodeBlocks(events), checkpoints);
    }

    /**
     * An encoder of batches for this buffer, for a thread that appends batches one after another: see
     * {@link BatchEncoder}.
     */
    public BatchEncoder newBatchEncoder()
    {
        return codec.newBatchEncoder();
    }

    /**
     * Commits the events added to {@code batch} since it last was, and checkpoints of one input together, as
     * {@link #append(String, String, List, Collection)} does; {@code batch} is empty afterwards, whatever happens.
     *
     * @throws IllegalArgumentException when {@code batch} is another buffer's; nothing was committed
     * @throws InterruptedException when interrupted while waiting; nothing was committed
     * @throws IllegalStateException when the buffer is closed; nothing was committed
     */
    public void append(String pipeline, String component, BatchEncoder batch, Collection<Checkpoint> checkpoints)
            throws InterruptedException, SQLException
    {
        if (batch.names() != codec.names()) {
            batch.clear();
            throw new IllegalArgumentException("the batch was encoded for another buffer");
        }
        append(pipeline, component, batch.finish(), checkpoints);
    }

    private void append(String pipeline, String component, EncodedBlocks blocks, Collection<Checkpoint> checkpoints)
            throws InterruptedException, SQLException
    {
        long batchBytes = blocks.bytes();
        database.writeLock().lockInterruptibly();
        try {
            while (true) {
                ensureOpen();
                long buffered = counters.totalBytes();
                if (buffered + batchBytes > maxBytes && buffered > 0) {
                    if (whenFull == AgentSettings.WhenFull.BLOCK) {
                        space.writeState(WriteState.BACK_PRESSURE);
                        space.awaitSpaceFreed();
                        continue;
                    }
                    dropOldest.drop(buffered + batchBytes - maxBytes);
                }
                try {
                    if (!space.checkFreeDisk(batchBytes)) {
                        space.holdOnFullDisk("inputs are held back");
                        continue;
                    }
                    long last = this.events.append(pipeline, component, blocks, checkpoints, clock.millis());
                    if (blocks.events() > 0) {
                        counters.appendedUpTo(last);
                    }
                    // after the sequence: what inserted() wakes (onNextChange) sees the events appended
                    counters.inserted(blocks.events(), batchBytes);
                    mirror.committed(pipeline, component, checkpoints, blocks.events() > 0, last);
                    space.writeState(WriteState.OK);
                    space.keepWalSmallWhileFrozen();
                    if (blocks.events() > 0) {
                        synchronized (appended) {
                            appended.notifyAll();
                        }
                    }
                    return;
                }
                catch (SQLException e) {
                    if (!BufferDatabase.isDiskFull(e)) {
                        throw e;
                    }
                    space.holdOnFullDisk("inputs are held back");
                }
            }
        }
        finally {
            database.writeLock().unlock();
            // the mirror's file is written (and synced) without the lock: nothing waits for it
            mirror.flush();
        }
    }

    /**
     * Sends what {@code drop_oldest} drops to {@code listener} from now on, instead of a WARN line per drop (what a
     * buffer without a listener says, so that no drop goes unsaid).
     */
    public void reportDropsTo(DropListener listener)
    {
        this.dropListener = requireNonNull(listener, "listener is null");
    }

    private void logDrop(String pipeline, long events, long alreadySending)
    {
        LOG.log(System.Logger.Level.WARNING, "buffer full: dropped the " + events + " oldest undelivered event(s) of pipeline " + pipeline
                + " (buffer.when_full: drop_oldest)" + (alreadySending == 0 ? "" : "; " + alreadySending + " of them were already being sent and are no longer counted once acknowledged"));
    }

    /** A reader with its own connection, for inspection. Not thread-safe; close it when done. */
    public Reader newReader()
            throws SQLException
    {
        ensureOpen();
        return new Reader(BufferDatabase.connect(file, durability), Optional.empty());
    }

    /**
     * The reader of the delivery loop of {@code output}, with its own connection: what it reads of {@code pipeline}
     * is in flight until acknowledged, so that {@code drop_oldest} counts only the events that output never gets.
     * Not thread-safe; close it when the loop ends.
     */
    public Reader newReader(String pipeline, String output)
            throws SQLException
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(output, "output is null");
        ensureOpen();
        return new Reader(BufferDatabase.connect(file, durability), Optional.of(Map.entry(pipeline, output)));
    }

    /** Reads batches through a connection of its own. */
    public final class Reader
            implements AutoCloseable
    {
        private final Connection connection;
        private final EventLog.ReadStatements select;
        /** The pipeline and output whose delivery this reader serves, if any. */
        private final Optional<Map.Entry<String, String>> deliveryOf;

        private Reader(Connection connection, Optional<Map.Entry<String, String>> deliveryOf)
                throws SQLException
        {
            this.connection = connection;
            this.deliveryOf = deliveryOf;
            this.select = EventLog.prepareRead(connection, deliveryOf.map(Map.Entry::getValue), database.legacyEvents());
        }

        /** Up to {@code maxEvents} events after {@code afterSeq}, stopping before {@code maxBytes} (at least one). */
        public List<BufferedEvent> read(String pipeline, long afterSeq, int maxEvents, long maxBytes)
                throws SQLException
        {
            List<BufferedEvent> batch = new ArrayList<>();
            readInto(batch, pipeline, afterSeq, maxEvents, maxBytes);
            return batch;
        }

        /**
         * Adds to {@code batch} up to {@code maxEvents} more events after {@code afterSeq} while the whole batch stays
         * within {@code maxBytes} (an empty batch always takes its first event). A delivery loop filling a batch
         * reads only what was appended since its last read, never the batch again.
         *
         * @return whether it stopped because the next buffered event would take the batch over {@code maxBytes}
         */
        public boolean readInto(List<BufferedEvent> batch, String pipeline, long afterSeq, int maxEvents, long maxBytes)
                throws SQLException
        {
            if (deliveryOf.isEmpty() || !deliveryOf.get().getKey().equals(pipeline)) {
                return EventLog.read(select, codec, batch, pipeline, afterSeq, maxEvents, maxBytes);
            }
            String output = deliveryOf.get().getValue();
            boolean full = dropOldest.readTracked(pipeline, output, afterSeq, batch,
                    () -> EventLog.read(select, codec, batch, pipeline, afterSeq, maxEvents, maxBytes));
            // the acknowledgement of this batch cuts the block it ended in where this read stopped
            cutPoints.stopped(pipeline, output, select.stop());
            return full;
        }

        @Override
        public void close()
        {
            select.close();
            BufferDatabase.closeQuietly(connection);
            deliveryOf.ifPresent(delivery -> {
                dropOldest.forgetInFlight(delivery.getKey(), delivery.getValue());
                cutPoints.forget(delivery.getKey(), delivery.getValue());
            });
        }
    }

    /** The last acknowledged sequence number of an output. */
    public long cursor(String pipeline, String output)
            throws SQLException
    {
        return delivery.cursor(pipeline, output);
    }

    /**
     * Records that {@code output} has everything up to {@code seq}, moving {@code deadLetters} (events refused
     * permanently) to the dead-letter table in the same transaction, and removes the events every output now has. On a
     * full disk it waits and tries again each second until it commits or the buffer is closed.
     *
     * @throws InterruptedException when interrupted while waiting for space; nothing was recorded
     */
    public void acknowledge(String pipeline, String output, long seq, List<DeadLetterRequest> deadLetters)
            throws SQLException, InterruptedException
    {
        database.writeLock().lockInterruptibly();
        try {
            while (true) {
                ensureOpen();
                try {
                    BufferCounters.Deleted deleted = delivery.acknowledge(pipeline, output, seq, deadLetters, dropOldest.deliveredAfterDrop(pipeline, output, seq, false), clock.millis());
                    long deliveredAfterDrop = dropOldest.deliveredAfterDrop(pipeline, output, seq, true);
                    if (deliveredAfterDrop > 0) {
                        counters.dropped(pipeline, -deliveredAfterDrop);
                    }
                    counters.deleted(deleted);
                    mirror.settled(pipeline, output, seq);
                    space.keepWalSmallWhileFrozen();
                    delivery.removeRestOfDelivered(pipeline);
                    mirror.write(false);
                    space.signalSpaceFreed();
                    return;
                }
                catch (SQLException e) {
                    if (!BufferDatabase.isDiskFull(e)) {
                        throw e;
                    }
                    // the events were delivered; until this commits, the cursor stays where it was
                    if (space.releaseReserve()) {
                        database.checkpointWal();
                        continue;
                    }
                    space.holdOnFullDisk("delivery cursors cannot move");
                }
            }
        }
        finally {
            database.writeLock().unlock();
            // the mirror's file is written (and synced) without the lock: nothing waits for it
            mirror.flush();
        }
    }

    /** An event to move to the dead-letter table, with the collector's reason. */
    public record DeadLetterRequest(BufferedEvent event, String reason)
    {
    }

    /** Waits until an event after {@code afterSeq} may exist (any pipeline), the timeout passes, or the buffer closes. */
    public void awaitAppend(long afterSeq, Duration timeout)
            throws InterruptedException
    {
        awaitAppend(afterSeq, timeout, () -> false);
    }

    /**
     * Waits until an event after {@code afterSeq} may exist (any pipeline), the timeout passes ({@link #NO_TIMEOUT}
     * never does), the buffer closes, or {@code stopWaiting} is true. Whoever makes {@code stopWaiting} true calls
     * {@link #wakeAppendWaiters} so that a waiter sees it at once: a waiter that polled its own flag instead would
     * wake an idle agent several times a second.
     */
    public void awaitAppend(long afterSeq, Duration timeout, BooleanSupplier stopWaiting)
            throws InterruptedException
    {
        requireNonNull(stopWaiting, "stopWaiting is null");
        boolean timed = !timeout.equals(NO_TIMEOUT);
        long deadline = timed ? System.nanoTime() + timeout.toNanos() : 0;
        synchronized (appended) {
            while (counters.lastSeq() <= afterSeq && !closed && !stopWaiting.getAsBoolean()) {
                if (!timed) {
                    appended.wait();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(appended, left);
            }
        }
    }

    /**
     * Looks for commits another process made ({@code outrider dead-letters replay} beside a running agent): what it
     * put back is counted, and the outputs waiting for appends are woken to deliver it. Cheap (one pragma) when
     * nothing changed; the agent calls it every {@link #EXTERNAL_CHANGES_INTERVAL}.
     */
    public void noticeChangesElsewhere()
    {
        long before = counters.lastSeq();
        refreshIfOpen();
        if (counters.lastSeq() > before) {
            wakeAppendWaiters();
        }
    }

    /** How often a running agent looks for another process's commits (see {@link #noticeChangesElsewhere}). */
    public static final Duration EXTERNAL_CHANGES_INTERVAL = Duration.ofSeconds(30);

    /** Wakes every {@link #awaitAppend} to test its condition again, for one whose {@code stopWaiting} became true. */
    public void wakeAppendWaiters()
    {
        synchronized (appended) {
            appended.notifyAll();
        }
    }

    /** Whether {@link #close} was called: {@link #awaitAppend} no longer waits. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * How many committed transactions appended or removed events since the buffer opened (only ever grows): whoever
     * looks at the buffer now and then can tell whether anything changed since its last look without asking the
     * database.
     */
    public long changes()
    {
        return counters.changes();
    }

    /**
     * Runs {@code wake} once, on the thread of the next transaction that appends or removes events, right after it
     * committed (with the buffer's write lock held: it must be quick and must not use the buffer), or at once on the
     * calling thread when such a transaction committed after the caller read {@code seenChanges} from
     * {@link #changes}. One wake waits at a time; a later call replaces one that has not run. This is how a task
     * that has nothing to do while the buffer is quiet sleeps until it is not, instead of waking to look.
     */
    public void onNextChange(long seenChanges, Runnable wake)
    {
        counters.onNextChange(seenChanges, wake);
    }

    /** The highest sequence number ever appended. */
    public long lastSeq()
    {
        return counters.lastSeq();
    }

    /** Events of {@code pipeline} after {@code seq}, for every output; an output's backlog is {@link #countAfter(String, String, long)}. */
    public long countAfter(String pipeline, long seq)
            throws SQLException
    {
        return events.countAfter(pipeline, seq);
    }

    /** When the oldest event after {@code seq} was buffered, if any (for delivery lag). */
    public Optional<Long> oldestIngestedAfter(String pipeline, long seq)
            throws SQLException
    {
        return events.oldestIngestedAfter(pipeline, seq);
    }

    /**
     * Events of {@code pipeline} after {@code seq} that {@code output} has to deliver: its backlog, without the dead
     * letters replayed for the other outputs of the pipeline.
     */
    public long countAfter(String pipeline, String output, long seq)
            throws SQLException
    {
        return events.countAfter(pipeline, requireNonNull(output, "output is null"), seq);
    }

    /** When the oldest event after {@code seq} that {@code output} has to deliver was buffered, if any (its delivery lag). */
    public Optional<Long> oldestIngestedAfter(String pipeline, String output, long seq)
            throws SQLException
    {
        return events.oldestIngestedAfter(pipeline, requireNonNull(output, "output is null"), seq);
    }

    /** Bytes of the events in the buffer (encoded), as counted by {@link BufferCounters}: exact, never negative. */
    public long totalBytes()
    {
        refreshIfOpen();
        return counters.totalBytes();
    }

    /** Events in the buffer, every pipeline, as counted by {@link BufferCounters}: exact, never negative. */
    public long totalEvents()
    {
        refreshIfOpen();
        return counters.totalEvents();
    }

    private void refreshIfOpen()
    {
        if (!closed) {
            database.refreshIfChangedElsewhere();
        }
    }

    public long maxBytes()
    {
        return maxBytes;
    }

    /** A size for a person: exact where it is a whole number of a unit (20MiB), else "about 252.0GiB", not 264212084KiB. */
    static String approximateSize(long bytes)
    {
        return SpaceGuard.approximateSize(bytes);
    }

    /** The free space the buffer leaves on its file system: buffer.min_free_disk, or the value scaled to the file system. */
    public long minFreeDisk()
    {
        return space.minFreeDisk();
    }

    public WriteState writeState()
    {
        return space.writeState();
    }

    /** Events dropped by {@code drop_oldest} for a pipeline since the buffer was created. */
    public long droppedEvents(String pipeline)
    {
        return counters.droppedEvents(pipeline);
    }

    /**
     * How many times the buffer was found gone (missing, emptied, or without the write-ahead log that held it) while
     * the checkpoint mirror showed it had existed, or short of commits the mirror saw.
     */
    public long lostBuffers()
    {
        return counters.lost();
    }

    /** How many damaged buffer files were moved aside over this data directory's life. */
    public long quarantinedFiles()
    {
        return counters.quarantined();
    }

    // ---- dead letters -------------------------------------------------------------------------------------------

    public List<DeadLetter> deadLetters(Optional<String> pipeline, Optional<String> output, int limit)
            throws SQLException
    {
        return deadLetters.list(pipeline, output, limit);
    }

    public long deadLetterCount(String pipeline, String output)
            throws SQLException
    {
        return deadLetters.count(pipeline, output);
    }

    /**
     * Puts dead letters back into the buffer as new events of their pipeline, delivered to every output of that
     * pipeline again, and removes them from the dead-letter table; one transaction.
     *
     * @return how many were replayed
     */
    public int replayDeadLetters(Optional<String> pipeline, Optional<String> output)
            throws SQLException
    {
        return replayDeadLetters(pipeline, output, ReplayTo.EVERY_OUTPUT).replayed();
    }

    /** Who gets a replayed dead letter. */
    public enum ReplayTo
    {
        /** The output that refused it, only: the others delivered it already. */
        REFUSING_OUTPUT,
        /** Every output of its pipeline, as a new event. */
        EVERY_OUTPUT
    }

    /**
     * What a replay did: how many dead letters went back into the buffer, and how many were kept because the
     * output that refused them is no longer configured (it has no delivery cursor), per {@code pipeline.output}.
     */
    public record DeadLetterReplay(int replayed, Map<String, Integer> keptForGoneOutputs)
    {
        public DeadLetterReplay
        {
            keptForGoneOutputs = Map.copyOf(keptForGoneOutputs);
        }
    }

    /**
     * Puts dead letters back into the buffer as new events of their pipeline, for the output that refused them or
     * for every output of the pipeline, and removes them from the dead-letter table; one transaction. For
     * {@link ReplayTo#REFUSING_OUTPUT}, a letter whose output is no longer configured stays a dead letter: nobody
     * would deliver it.
     */
    public DeadLetterReplay replayDeadLetters(Optional<String> pipeline, Optional<String> output, ReplayTo replayTo)
            throws SQLException
    {
        requireNonNull(replayTo, "replayTo is null");
        database.writeLock().lock();
        try {
            ensureOpen();
            DeadLetterStore.Replayed replayed = database.inTransaction(() -> deadLetters.replay(pipeline, output, replayTo == ReplayTo.REFUSING_OUTPUT, clock.millis()));
            if (replayed.events() == 0) {
                return new DeadLetterReplay(0, replayed.keptForGoneOutputs());
            }
            counters.appendedUpTo(database.nextSeq() - 1);
            counters.inserted(replayed.events(), replayed.bytes());
            synchronized (appended) {
                appended.notifyAll();
            }
            return new DeadLetterReplay(replayed.events(), replayed.keptForGoneOutputs());
        }
        finally {
            database.writeLock().unlock();
        }
    }

    public int purgeDeadLetters(Optional<String> pipeline, Optional<String> output)
            throws SQLException
    {
        return database.locked(() -> space.deletingEvenOnAFullDisk(() -> deadLetters.purge(pipeline, output)));
    }

    // ---- component state ----------------------------------------------------------------------------------------

    /** The durable key-value store of one component. */
    public KeyValueStore store(String pipeline, String component)
    {
        return componentState.store(pipeline, component);
    }

    // ---- for tests and tools ------------------------------------------------------------------------------------

    /** Writes the checkpoint mirror if it lags and its interval is over (what its timer does). */
    void writeMirrorIfDue()
    {
        mirror.writeIfDue();
    }

    /**
     * Caps the database at {@code pages} pages (SQLite's {@code max_page_count}, never below its current size): growing
     * past the cap fails with {@code SQLITE_FULL} exactly as a full disk does, which is how tests exercise disk-full
     * handling without filling a disk.
     *
     * @return the cap now in effect
     */
    long capPages(long pages)
            throws SQLException
    {
        return database.locked(() -> database.queryLong("PRAGMA max_page_count = " + pages));
    }

    /** Runs {@code hook} just before the checkpoint mirror's file is written (tests of what is held then). */
    void beforeMirrorFileWrite(Runnable hook)
    {
        mirror.beforeFileWrite(hook);
    }

    /** How many acknowledgements cut a block by reading its payload, where no delivery reader had stopped (tests). */
    long payloadsReadToCut()
            throws SQLException
    {
        return delivery.payloadsReadToCut();
    }

    /** The lock every write holds (tests that show what does not wait for it). */
    java.util.concurrent.locks.ReentrantLock writeLock()
    {
        return database.writeLock();
    }

    /** Replaces the file system's free space as the space guard sees it (tests of a nearly full disk). */
    void overrideUsableSpace(LongSupplier bytes)
    {
        space.overrideUsableSpace(bytes);
    }

    /** The database's current size in pages. */
    long pageCount()
            throws SQLException
    {
        return database.locked(() -> database.queryLong("PRAGMA page_count"));
    }

    /**
     * Gives the disk back the room of a burst that has been delivered. The file keeps the pages deleted blocks freed
     * (appends reuse them), so a burst that filled it while the collector was slow or away leaves it at its largest
     * for good. When at least {@link #SHRINK_MIN_FREE_BYTES} and three quarters of the file are free pages, the file is
     * rewritten with what it still holds ({@code VACUUM}, which copies only the used quarter at most, under the write
     * lock: appends and acknowledgements wait for it) and the write-ahead log truncated. While the reserve the disk
     * gave to acknowledgements waits for room ({@link SpaceGuard#releaseReserve}), {@link #SHRINK_FOR_RESERVE_MIN_FREE_BYTES}
     * of free pages are enough: they may be the room it waits for.
     *
     * <p>Called by the agent's timer thread while no events are appended (see {@code Agent}). When this agent has
     * neither appended nor deleted an event since the last look, the file's free pages are what they were and the
     * database is not asked again: an idle agent's look costs two reads of memory, not three queries (which, run
     * every few seconds by a thread the JIT never warms, were most of an idle agent's CPU).
     *
     * @return the bytes the file shrank by; 0 when it was not worth it or the buffer is closed
     */
    public long shrinkIfMostlyFree()
            throws SQLException
    {
        return database.locked(() -> {
            if (closed) {
                return 0L;
            }
            long changes = counters.changes();
            if (changes == changesAtLastShrinkLook) {
                return 0L;
            }
            long shrunk = shrinkNow();
            // only a look that succeeded counts: one that failed is tried again next time
            changesAtLastShrinkLook = changes;
            return shrunk;
        });
    }

    private long shrinkNow()
            throws SQLException
    {
        long pageSize = database.queryLong("PRAGMA page_size");
        long pages = database.queryLong("PRAGMA page_count");
        long free = database.queryLong("PRAGMA freelist_count");
        // Without its reserve the buffer does not grow, and the reserve comes back only when the disk has room for it
        // and min_free_disk. On a small file system the room a delivered backlog left in the file can be all the disk
        // would have: kept as free pages, inputs would wait for it forever.
        boolean forReserve = !space.reserveHeld();
        boolean worthIt = forReserve
                // the rewrite goes through the WAL: the pages still used must fit on the disk, twice over to spare
                ? free * pageSize >= SHRINK_FOR_RESERVE_MIN_FREE_BYTES && 2 * (pages - free) * pageSize < space.usableBytes()
                : free * pageSize >= SHRINK_MIN_FREE_BYTES && free * 4 >= pages * 3;
        if (!worthIt) {
            return 0L;
        }
        long before = pages * pageSize;
        database.vacuum();
        long after = database.queryLong("PRAGMA page_count") * pageSize;
        LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "buffer file %s shrank from %.1f MiB to %.1f MiB: %s",
                file, before / 1048576.0, after / 1048576.0, forReserve
                        ? "its delivered events' room goes back to the disk, which the buffer's reserve needs before the buffer may grow again"
                        : "the burst that grew it was delivered"));
        if (forReserve) {
            space.keepReserve();
        }
        return Math.max(0L, before - after);
    }

    /** Integrity check of the open database: "ok" or SQLite's findings. */
    public String verify()
            throws SQLException
    {
        return database.verify();
    }

    private void ensureOpen()
    {
        if (closed) {
            throw new IllegalStateException("buffer is closed");
        }
    }

    @Override
    public void close()
    {
        closed = true;
        mirror.close();
        database.writeLock().lock();
        try {
            space.signalSpaceFreed();
            mirror.write(true);
            events.close();
            database.close();
        }
        finally {
            database.writeLock().unlock();
            // the mirror's file is written (and synced) without the lock: nothing waits for it
            mirror.flush();
        }
        synchronized (appended) {
            appended.notifyAll();
        }
    }
}
