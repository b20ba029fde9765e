package io.outrider.core.storage;

import io.outrider.spi.Checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the checkpoint mirror ({@code checkpoints.json}, see {@link CheckpointMirror}) beside the buffer: the input
 * positions whose events were all settled, written within about two seconds of a change; and on open, compares the
 * buffer with the mirror to find a buffer that was lost, and restores the inputs' positions from it.
 */
final class MirrorKeeper
{
    private static final System.Logger LOG = System.getLogger(SqliteBuffer.class.getName());
    /**
     * How often at most the checkpoint mirror is rewritten; a change is written within about twice this even when
     * nothing commits or acknowledges after it, by a timer armed only while the mirror lags (see
     * {@link #markBehind}).
     */
    private static final Duration MIRROR_INTERVAL = Duration.ofSeconds(1);

    private final BufferDatabase database;
    private final BufferCounters counters;
    private final Path bufferFile;
    private final Clock clock;
    private final CheckpointMirror mirror;
    /** This buffer's identity, kept in its meta table and in the mirror: a buffer without it replaced a lost one. */
    private String bufferId = "";
    /** The checkpoints the mirror holds: those whose events were all settled. Guarded by the write lock. */
    private final DeliveredCheckpoints deliveredCheckpoints = new DeliveredCheckpoints();
    /** Whether the mirror lags what it would hold now; set under the write lock, read without it by the mirror's timer. */
    private volatile boolean mirrorBehind;
    /** Whether the mirror's timer has a write pending; at most one is. */
    private final AtomicBoolean timerArmed = new AtomicBoolean();
    /** Writes a lagging mirror when nothing else does: after a burst, inputs commit no more and a collector that is down acknowledges nothing. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "buffer-checkpoint-mirror");
        thread.setDaemon(true);
        return thread;
    });
    private long writtenMillis = Long.MIN_VALUE;
    /**
     * The newest copy taken under the write lock and not yet written: the file is written (and synced) after the
     * lock is released, so that appends and acknowledgements never wait for the disk's sync of the mirror.
     */
    private final AtomicReference<CheckpointMirror.Snapshot> pending = new AtomicReference<>();
    /** Taking the pending copy and writing it happen under it: a copy is never written after a newer one. */
    private final Object fileLock = new Object();
    /** Guarded by {@link #fileLock}. */
    private boolean failing;
    /** Runs just before the file is written (tests that look at what is held then). */
    private volatile Runnable beforeFileWrite = () -> {};
    private volatile boolean closed;

    MirrorKeeper(BufferDatabase database, BufferCounters counters, Path bufferFile, Clock clock)
    {
        this.database = requireNonNull(database, "database is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.bufferFile = requireNonNull(bufferFile, "bufferFile is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.mirror = new CheckpointMirror(bufferFile.getParent());
    }

    /**
     * Compares the buffer with the checkpoint mirror and restores the inputs' positions from the mirror when the
     * buffer that had them is gone: moved aside as damaged, deleted, emptied, or without the WAL that held it (no
     * identity of its own, while the mirror names one), or short of commits the mirror saw (its WAL gone after part of
     * it was copied). Reported as an ERROR and counted ({@code buffer_lost_total}; a damaged file in its own count).
     * Then gives a new buffer its identity and writes the mirror.
     */
    void recover(Optional<String> damage, String found)
            throws SQLException
    {
        Optional<CheckpointMirror.Snapshot> snapshot;
        try {
            snapshot = mirror.read();
        }
        catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the checkpoint mirror cannot be read (" + e.getMessage() + "); it is rewritten from the buffer");
            snapshot = Optional.empty();
        }
        Optional<String> storedId = database.meta("buffer_id");
        long lastSeq = counters.lastSeq();
        String resume = snapshot.map(copy -> "inputs resume from the last positions whose events were all delivered, copied to " + mirror.file() + ": lines read since are read again")
                .orElse("no copy of the input positions exists (" + mirror.file() + "): inputs start from their configured start position");
        if (damage.isPresent()) {
            LOG.log(System.Logger.Level.ERROR, damage.get() + "; the events it held that were not yet delivered are lost with it; " + resume);
            snapshot.ifPresent(copy -> restore(copy, true));
        }
        else if (storedId.isEmpty() && snapshot.isPresent()) {
            counters.add(BufferCounters.LOST, 1);
            LOG.log(System.Logger.Level.ERROR, "buffer " + bufferFile + " was " + found + ", although " + mirror.file() + " shows that buffer " + snapshot.get().bufferId()
                    + " was there with events up to " + snapshot.get().lastSeq() + "; a new buffer is started, the events that were not yet delivered are lost with it; " + resume);
            restore(snapshot.get(), true);
        }
        else if (storedId.isPresent() && snapshot.isPresent() && storedId.get().equals(snapshot.get().bufferId()) && lastSeq < snapshot.get().lastSeq()) {
            counters.add(BufferCounters.LOST, 1);
            LOG.log(System.Logger.Level.ERROR, "buffer " + bufferFile + " lost its last commits: its last event is " + lastSeq + ", " + mirror.file() + " saw " + snapshot.get().lastSeq()
                    + " (its write-ahead log " + bufferFile.getFileName() + "-wal was lost?); the events after " + lastSeq + " that were not yet delivered are lost with them;"
                    + " inputs resume from the older positions the buffer kept, or where it kept none from the last positions whose events were all delivered, copied to "
                    + mirror.file() + ": lines read since are read again");
            restore(snapshot.get(), false);
        }
        if (storedId.isEmpty() || damage.isPresent()) {
            bufferId = UUID.randomUUID().toString();
            database.setMeta("buffer_id", bufferId);
        }
        else {
            bufferId = storedId.get();
        }
        Optional<CheckpointMirror.Snapshot> mirrorSnapshot = snapshot;
        database.locked(() -> {
            Map<String, Map<String, Map<String, String>>> committed = new TreeMap<>();
            Map<String, Map<String, Long>> cursors = new TreeMap<>();
            Map<String, Long> lastAppended = new TreeMap<>();
            try (Statement statement = database.writer().createStatement()) {
                try (ResultSet rows = statement.executeQuery("SELECT pipeline, component, key, value FROM checkpoints")) {
                    while (rows.next()) {
                        committed.computeIfAbsent(rows.getString(1), ignored -> new TreeMap<>())
                                .computeIfAbsent(rows.getString(2), ignored -> new TreeMap<>())
                                .put(rows.getString(3), rows.getString(4));
                    }
                }
                try (ResultSet rows = statement.executeQuery("SELECT pipeline, output, seq FROM cursors")) {
                    while (rows.next()) {
                        cursors.computeIfAbsent(rows.getString(1), ignored -> new TreeMap<>()).put(rows.getString(2), rows.getLong(3));
                    }
                }
                // the rows of a buffer written before blocks are all older than any block
                for (String sql : List.of("SELECT pipeline, MAX(seq) FROM events GROUP BY pipeline", "SELECT pipeline, MAX(last_seq) FROM blocks GROUP BY pipeline")) {
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        while (rows.next()) {
                            lastAppended.merge(rows.getString(1), rows.getLong(2), Math::max);
                        }
                    }
                }
            }
            // only a mirror of this very buffer says which of its positions had their events delivered
            String id = bufferId;
            deliveredCheckpoints.load(committed, cursors, lastAppended, mirrorSnapshot.filter(copy -> copy.bufferId().equals(id)).map(CheckpointMirror.Snapshot::checkpoints));
            markBehind();
            write(true);
            return null;
        });
        flush();
    }

    /** Puts the mirror's checkpoints into the buffer; {@code replace}: over what the buffer has, else only where it has none. */
    private void restore(CheckpointMirror.Snapshot snapshot, boolean replace)
    {
        BufferDatabase.sql(() -> database.locked(() -> database.inTransaction(() -> {
            Set<Map.Entry<String, String>> kept = new HashSet<>();
            if (!replace) {
                try (Statement statement = database.writer().createStatement(); ResultSet rows = statement.executeQuery("SELECT DISTINCT pipeline, component FROM checkpoints")) {
                    while (rows.next()) {
                        kept.add(Map.entry(rows.getString(1), rows.getString(2)));
                    }
                }
            }
            try (PreparedStatement insert = database.writer().prepareStatement("INSERT INTO checkpoints (pipeline, component, key, value) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (pipeline, component, key) DO UPDATE SET value = excluded.value")) {
                for (Map.Entry<String, Map<String, Map<String, String>>> pipeline : snapshot.checkpoints().entrySet()) {
                    for (Map.Entry<String, Map<String, String>> component : pipeline.getValue().entrySet()) {
                        if (kept.contains(Map.entry(pipeline.getKey(), component.getKey()))) {
                            continue;
                        }
                        for (Map.Entry<String, String> entry : component.getValue().entrySet()) {
                            insert.setString(1, pipeline.getKey());
                            insert.setString(2, component.getKey());
                            insert.setString(3, entry.getKey());
                            insert.setString(4, entry.getValue());
                            insert.executeUpdate();
                        }
                    }
                }
            }
            return null;
        })));
    }

    /**
     * Takes a copy of the delivered checkpoints (see {@link DeliveredCheckpoints}) and the last sequence number for
     * the mirror when they changed, at most once per {@link #MIRROR_INTERVAL} unless {@code now}; the caller holds
     * the write lock, and calls {@link #flush} once it released it.
     */
    void write(boolean now)
    {
        if (!mirrorBehind || (!now && writtenMillis != Long.MIN_VALUE && clock.millis() - writtenMillis < MIRROR_INTERVAL.toMillis())) {
            return;
        }
        pending.set(new CheckpointMirror.Snapshot(bufferId, counters.lastSeq(), deliveredCheckpoints.mirrorCopy()));
        mirrorBehind = false;
        writtenMillis = clock.millis();
    }

    /**
     * Writes the copy {@link #write} took, if no one wrote it (or a newer one) yet; without the write lock. A mirror
     * that cannot be written (a full disk) is reported once and marked as lagging, so that it is tried again; the
     * buffer goes on.
     */
    void flush()
    {
        synchronized (fileLock) {
            CheckpointMirror.Snapshot snapshot = pending.getAndSet(null);
            if (snapshot == null) {
                return;
            }
            try {
                beforeFileWrite.run();
                mirror.write(snapshot);
                if (failing) {
                    failing = false;
                    LOG.log(System.Logger.Level.INFO, "the checkpoint mirror " + mirror.file() + " is written again");
                }
            }
            catch (IOException e) {
                if (!failing) {
                    failing = true;
                    LOG.log(System.Logger.Level.WARNING, "cannot write the checkpoint mirror " + mirror.file() + " (" + e.getMessage()
                            + "); input positions are only in the buffer until it can be written, which is tried again with the next commits");
                }
                markBehind();
            }
        }
    }

    /**
     * Notes that the mirror lags and arms its timer, once: an idle agent whose mirror is current has no timer
     * pending and wakes for nothing. The caller holds the write lock or is the timer.
     */
    void markBehind()
    {
        mirrorBehind = true;
        if (closed || !timerArmed.compareAndSet(false, true)) {
            return;
        }
        try {
            timer.schedule(this::timerFired, MIRROR_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException e) {
            // closed meanwhile: close() writes the mirror itself
            timerArmed.set(false);
        }
    }

    private void timerFired()
    {
        timerArmed.set(false);
        writeIfDue();
        // written too recently by a commit, or not writable (a full disk): try again in an interval
        if (mirrorBehind && !closed) {
            markBehind();
        }
    }

    /** Writes a lagging mirror if its interval is over; the timer's work (it may wait for the write lock: appends waiting for room release it). */
    void writeIfDue()
    {
        if (!mirrorBehind || closed) {
            return;
        }
        database.writeLock().lock();
        try {
            if (!closed) {
                write(false);
            }
        }
        catch (RuntimeException e) {
            // an exception would end the timer for good
            LOG.log(System.Logger.Level.WARNING, "cannot write the checkpoint mirror " + mirror.file() + ": " + e);
        }
        finally {
            database.writeLock().unlock();
        }
        flush();
    }

    /**
     * Notes a commit for the mirror: its checkpoints, and the last event it appended ({@code last}, if any). Memory
     * only, no SQL: at most a copy of the pipeline's checkpoints once a second. The caller holds the write lock, and
     * calls {@link #flush} once it released it.
     */
    void committed(String pipeline, String component, Collection<Checkpoint> checkpoints, boolean appendedEvents, long last)
    {
        boolean firstPositions = !appendedEvents && !checkpoints.isEmpty() && !deliveredCheckpoints.hasCommitted(pipeline, component);
        if (deliveredCheckpoints.committed(pipeline, component, checkpoints, appendedEvents, last, clock.millis()) || appendedEvents) {
            // new events move the mirror's last sequence number, which tells a buffer short of commits
            markBehind();
        }
        // an input's first positions (a file input's "started", committed before it reads) are copied at once: an
        // input the mirror has no positions for starts from its configured start after a loss, which may be the end
        // of lines read in the second after its start
        write(firstPositions);
    }

    void beforeFileWrite(Runnable hook)
    {
        beforeFileWrite = requireNonNull(hook, "hook is null");
    }

    /** An output acknowledged up to {@code seq}; the caller holds the write lock. */
    void settled(String pipeline, String output, long seq)
    {
        if (deliveredCheckpoints.settled(pipeline, output, seq)) {
            markBehind();
        }
    }

    /** A pipeline's outputs are now those of {@code cursors}; the caller holds the write lock. */
    void outputs(String pipeline, Map<String, Long> cursors)
    {
        // an output removed holds the delivered positions back no longer; one added (at 0) does not move them back
        if (deliveredCheckpoints.outputs(pipeline, cursors)) {
            markBehind();
        }
    }

    /**
     * Stops the timer; the caller then takes the last copy with {@code write(true)} under the write lock and writes
     * it with {@link #flush}.
     */
    void close()
    {
        closed = true;
        // not shutdownNow: an interrupt would break off a mirror being written, which is then written below
        timer.shutdown();
    }
}
