package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import io.outrider.spi.KeyValueStore;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 *   <li>Every output of a pipeline has its own cursor over the same rows (fan-out without copies); a row is removed
 *       once every output of its pipeline acknowledged it. Sequence numbers are never reused.</li>
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
 */
public final class SqliteBuffer
        implements AutoCloseable
{
    public static final String FILE_NAME = "buffer.db";
    /** Room kept on the disk for acknowledgements, released when the disk is full (see {@link #releaseReserve}). */
    public static final String RESERVE_FILE_NAME = "buffer.reserve";
    private static final System.Logger LOG = System.getLogger(SqliteBuffer.class.getName());
    private static final int SCHEMA_VERSION = 1;
    private static final Duration FULL_RETRY = Duration.ofSeconds(1);
    /**
     * How often at most the checkpoint mirror is rewritten; a change is written within about twice this even when
     * nothing commits or acknowledges after it, by a timer armed only while the mirror lags (see
     * {@link #markMirrorBehind}).
     */
    private static final Duration MIRROR_INTERVAL = Duration.ofSeconds(1);
    /** Free space above min_free_disk beyond which no transaction comes close to filling the disk. */
    private static final long UNLIMITED_HEADROOM = 256L << 20;
    /** WAL room beyond an append's own pages: index, table interior and checkpoint pages. */
    private static final long RESERVE_SLACK = 64L << 10;
    /** Rows deleted per transaction: an acknowledged batch of the default 500 events at once. */
    private static final int DELETE_CHUNK = 1_000;
    /** Rows deleted per transaction while the disk's room is counted: at most 128 pages of WAL, half of the smallest reserve. */
    private static final int TIGHT_DELETE_CHUNK = 128;

    /** Why {@link #append} is waiting, for status. */
    public enum WriteState
    {
        OK, BACK_PRESSURE, DISK_FULL
    }

    private final Path file;
    private final long maxBytes;
    private final long minFreeDisk;
    /** A file of {@link #reserveBytes} zeros beside the buffer, so that a disk filled by anyone still has room to acknowledge and delete. */
    private final Path reserveFile;
    private final long reserveBytes;
    /** Whether the reserve file is there; the write lock guards changes. */
    private volatile boolean reserveHeld;
    /** Whether this buffer released the reserve for an acknowledgement (for the log when it is back). */
    private boolean reserveReleased;
    /** SQLite's own page cap when nothing else limits the file: max_page_count as the database reported it on open. */
    private final long defaultMaxPageCount;
    private final long pageSize;
    /** Free bytes of the buffer's file system; tests substitute a figure (see {@link #overrideUsableSpace}). */
    private volatile LongSupplier usableSpace;
    /** The max_page_count this buffer set for free space (see {@link #checkFreeDisk}); -1 while SQLite's default applies. */
    private long growthLimit = -1;
    /** Whether the file is held at its current size because less than min_free_disk is free (see {@link #checkFreeDisk}). */
    private boolean sizeFrozen;
    private final AgentSettings.WhenFull whenFull;
    private final AgentSettings.Durability durability;
    private final Clock clock;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition spaceFreed = writeLock.newCondition();
    private final Object appended = new Object();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong lastSeq = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final CheckpointMirror mirror;
    /** This buffer's identity, kept in its meta table and in the mirror: a buffer without it replaced a lost one. */
    private String bufferId = "";
    /** The checkpoints the mirror holds: those whose events were all settled. Guarded by the write lock. */
    private final DeliveredCheckpoints deliveredCheckpoints = new DeliveredCheckpoints();
    /** Whether the mirror lags what it would hold now; set under the write lock, read without it by the mirror's timer. */
    private volatile boolean mirrorBehind;
    /** Whether the mirror's timer has a write pending; at most one is. */
    private final java.util.concurrent.atomic.AtomicBoolean mirrorTimerArmed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Writes a lagging mirror when nothing else does: after a burst, inputs commit no more and a collector that is down acknowledges nothing. */
    private final ScheduledExecutorService mirrorTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "buffer-checkpoint-mirror");
        thread.setDaemon(true);
        return thread;
    });
    private long mirrorWrittenMillis = Long.MIN_VALUE;
    private boolean mirrorFailing;
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    /**
     * Per pipeline and output, the highest sequence number its delivery loop's {@link Reader} has handed out: events
     * after the output's cursor up to it are in flight, in memory, and get delivered even if {@code drop_oldest}
     * deletes their rows meanwhile.
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
    private volatile WriteState writeState = WriteState.OK;
    private volatile boolean closed;

    private SqliteBuffer(Path file, AgentSettings.BufferSettings settings, Clock clock, Connection writer, long quarantined)
            throws SQLException
    {
        this.file = file;
        this.mirror = new CheckpointMirror(file.getParent());
        this.maxBytes = settings.maxBytes().bytes();
        // the file system is resolved once: looking it up reads the mount table, too slow for every append
        Optional<FileStore> store = fileStoreOf(file);
        long fileSystemBytes = store.map(SqliteBuffer::totalSpace).orElse(Long.MAX_VALUE);
        this.minFreeDisk = settings.minFreeDiskFor(fileSystemBytes).bytes();
        this.reserveFile = file.resolveSibling(RESERVE_FILE_NAME);
        this.reserveBytes = reserveFor(minFreeDisk);
        this.reserveHeld = Files.exists(reserveFile);
        LOG.log(System.Logger.Level.INFO, settings.minFreeDisk() != null
                ? "buffer.min_free_disk is " + DataSize.ofBytes(minFreeDisk) + " (configured)"
                : "buffer.min_free_disk is " + DataSize.ofBytes(minFreeDisk) + ", scaled to the " + approximateSize(fileSystemBytes) + " file system of " + file
                        + " (5 %, at least " + AgentSettings.BufferSettings.MIN_SCALED_MIN_FREE_DISK + " or a quarter of the file system, at most "
                        + AgentSettings.BufferSettings.MAX_SCALED_MIN_FREE_DISK + "); set it to choose another");
        this.usableSpace = store.<LongSupplier>map(fileStore -> () -> {
            try {
                return fileStore.getUsableSpace();
            }
            catch (IOException e) {
                return Long.MAX_VALUE; // unknown: SQLite's own SQLITE_FULL still protects the buffer
            }
        }).orElse(() -> Long.MAX_VALUE);
        this.whenFull = settings.whenFull();
        this.durability = settings.durability();
        this.clock = clock;
        this.writer = writer;
        this.quarantined.set(quarantined);
        try (Statement statement = writer.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT COALESCE(SUM(bytes), 0), COALESCE(MAX(seq), 0) FROM events")) {
                rows.next();
                totalBytes.set(rows.getLong(1));
                lastSeq.set(rows.getLong(2));
            }
            try (ResultSet rows = statement.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'events'")) {
                if (rows.next()) {
                    lastSeq.set(Math.max(lastSeq.get(), rows.getLong(1)));
                }
            }
            try (ResultSet rows = statement.executeQuery("PRAGMA max_page_count")) {
                rows.next();
                defaultMaxPageCount = rows.getLong(1);
            }
            try (ResultSet rows = statement.executeQuery("PRAGMA page_size")) {
                rows.next();
                pageSize = rows.getLong(1);
            }
        }
    }

    /**
     * Opens (or creates) the buffer in {@code dataDirectory}. A file that fails SQLite's integrity check, is not a
     * database, or cannot be opened is moved aside as {@code buffer.db.<time>.bad} (with its WAL) and a new buffer
     * is started; the loss is logged and counted in {@link #quarantinedFiles()}.
     */
    public static SqliteBuffer open(Path dataDirectory, AgentSettings.BufferSettings settings, Clock clock)
            throws IOException, SQLException
    {
        PrivateFiles.createDirectories(dataDirectory);
        warnIfShared(dataDirectory);
        Path file = dataDirectory.resolve(FILE_NAME);
        Path reserve = dataDirectory.resolve(RESERVE_FILE_NAME);
        if (Files.exists(reserve) && Files.getFileStore(dataDirectory).getUsableSpace() < Files.size(reserve)) {
            // a disk this full may not even have room for SQLite's -wal and -shm: opening comes first
            Files.delete(reserve);
            LOG.log(System.Logger.Level.WARNING, "disk is nearly full: released the buffer's reserve " + reserve + " to open the buffer");
        }
        // what was there before SQLite makes a new file of nothing: a buffer that vanished must not pass for a first start
        String found = !Files.exists(file) ? "missing" : Files.size(file) == 0 ? "empty (0 bytes)" : "there (" + Files.size(file) + " bytes) but held no buffer: its write-ahead log "
                + file.getFileName() + "-wal " + (Files.exists(file.resolveSibling(file.getFileName() + "-wal")) ? "did not hold it either" : "is gone");
        long quarantined = 0;
        Optional<String> damage = Optional.empty();
        Connection connection;
        try {
            PrivateFiles.createFile(file);
            connection = openChecked(file, settings.durability());
        }
        catch (BufferDamagedException e) {
            Path moved = quarantine(file);
            quarantined = 1;
            damage = Optional.of("buffer " + file + " is damaged (" + e.getMessage() + "); moved it aside to " + moved);
            try {
                PrivateFiles.createFile(file);
                connection = openChecked(file, settings.durability());
            }
            catch (BufferDamagedException again) {
                throw new IOException("a new buffer at " + file + " cannot be created: " + again.getMessage(), again);
            }
        }
        // SQLite gives its -wal and -shm the database's mode when it creates them; ones left by an older version are not
        for (String suffix : List.of("-wal", "-shm")) {
            PrivateFiles.restrict(file.resolveSibling(file.getFileName() + suffix));
        }
        SqliteBuffer buffer = new SqliteBuffer(file, settings, clock, connection, quarantined);
        buffer.keepReserve();
        if (quarantined > 0) {
            buffer.addCounter("buffer_quarantined_total", quarantined);
        }
        buffer.quarantined.set(buffer.counter("buffer_quarantined_total"));
        buffer.recoverCheckpoints(damage, found);
        buffer.lost.set(buffer.counter("buffer_lost_total"));
        return buffer;
    }

    /**
     * Compares the buffer with the checkpoint mirror and restores the inputs' positions from the mirror when the
     * buffer that had them is gone: moved aside as damaged, deleted, emptied, or without the WAL that held it (no
     * identity of its own, while the mirror names one), or short of commits the mirror saw (its WAL gone after part of
     * it was copied). Reported as an ERROR and counted ({@code buffer_lost_total}; a damaged file in its own count).
     * Then gives a new buffer its identity and writes the mirror.
     */
    private void recoverCheckpoints(Optional<String> damage, String found)
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
        Optional<String> storedId = meta("buffer_id");
        String resume = snapshot.map(copy -> "inputs resume from the last positions whose events were all delivered, copied to " + mirror.file() + ": lines read since are read again")
                .orElse("no copy of the input positions exists (" + mirror.file() + "): inputs start from their configured start position");
        if (damage.isPresent()) {
            LOG.log(System.Logger.Level.ERROR, damage.get() + "; the events it held that were not yet delivered are lost with it; " + resume);
            snapshot.ifPresent(copy -> restore(copy, true));
        }
        else if (storedId.isEmpty() && snapshot.isPresent()) {
            addCounter("buffer_lost_total", 1);
            LOG.log(System.Logger.Level.ERROR, "buffer " + file + " was " + found + ", although " + mirror.file() + " shows that buffer " + snapshot.get().bufferId()
                    + " was there with events up to " + snapshot.get().lastSeq() + "; a new buffer is started, the events that were not yet delivered are lost with it; " + resume);
            restore(snapshot.get(), true);
        }
        else if (storedId.isPresent() && snapshot.isPresent() && storedId.get().equals(snapshot.get().bufferId()) && lastSeq.get() < snapshot.get().lastSeq()) {
            addCounter("buffer_lost_total", 1);
            LOG.log(System.Logger.Level.ERROR, "buffer " + file + " lost its last commits: its last event is " + lastSeq.get() + ", " + mirror.file() + " saw " + snapshot.get().lastSeq()
                    + " (its write-ahead log " + file.getFileName() + "-wal was lost?); the events after " + lastSeq.get() + " that were not yet delivered are lost with them;"
                    + " inputs resume from the older positions the buffer kept, or where it kept none from the last positions whose events were all delivered, copied to "
                    + mirror.file() + ": lines read since are read again");
            restore(snapshot.get(), false);
        }
        if (storedId.isEmpty() || damage.isPresent()) {
            bufferId = UUID.randomUUID().toString();
            setMeta("buffer_id", bufferId);
        }
        else {
            bufferId = storedId.get();
        }
        writeLock.lock();
        try {
            Map<String, Map<String, Map<String, String>>> committed = new TreeMap<>();
            Map<String, Map<String, Long>> cursors = new TreeMap<>();
            Map<String, Long> lastAppended = new TreeMap<>();
            try (Statement statement = writer.createStatement()) {
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
                try (ResultSet rows = statement.executeQuery("SELECT pipeline, MAX(seq) FROM events GROUP BY pipeline")) {
                    while (rows.next()) {
                        lastAppended.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            // only a mirror of this very buffer says which of its positions had their events delivered
            String id = bufferId;
            deliveredCheckpoints.load(committed, cursors, lastAppended, snapshot.filter(copy -> copy.bufferId().equals(id)).map(CheckpointMirror.Snapshot::checkpoints));
            markMirrorBehind();
            writeMirror(true);
        }
        finally {
            writeLock.unlock();
        }
    }

    /** Puts the mirror's checkpoints into the buffer; {@code replace}: over what the buffer has, else only where it has none. */
    private void restore(CheckpointMirror.Snapshot snapshot, boolean replace)
    {
        writeLock.lock();
        try {
            sql(() -> inTransaction(() -> {
                Set<Map.Entry<String, String>> kept = new HashSet<>();
                if (!replace) {
                    try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("SELECT DISTINCT pipeline, component FROM checkpoints")) {
                        while (rows.next()) {
                            kept.add(Map.entry(rows.getString(1), rows.getString(2)));
                        }
                    }
                }
                try (PreparedStatement insert = writer.prepareStatement("INSERT INTO checkpoints (pipeline, component, key, value) VALUES (?, ?, ?, ?)"
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
            }));
        }
        finally {
            writeLock.unlock();
        }
    }

    private Optional<String> meta(String key)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    private void setMeta(String key, String value)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement upsert = writer.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            upsert.setString(1, key);
            upsert.setString(2, value);
            upsert.executeUpdate();
        }
        finally {
            writeLock.unlock();
        }
    }

    /**
     * Copies the delivered checkpoints (see {@link DeliveredCheckpoints}) and the last sequence number to the mirror
     * when they changed, at most once per {@link #MIRROR_INTERVAL} unless {@code now}. A mirror that cannot be
     * written (a full disk) is reported once; the buffer goes on. The caller holds the write lock.
     */
    private void writeMirror(boolean now)
    {
        if (!mirrorBehind || (!now && mirrorWrittenMillis != Long.MIN_VALUE && clock.millis() - mirrorWrittenMillis < MIRROR_INTERVAL.toMillis())) {
            return;
        }
        try {
            mirror.write(new CheckpointMirror.Snapshot(bufferId, lastSeq.get(), deliveredCheckpoints.mirrorCopy()));
            mirrorBehind = false;
            mirrorWrittenMillis = clock.millis();
            if (mirrorFailing) {
                mirrorFailing = false;
                LOG.log(System.Logger.Level.INFO, "the checkpoint mirror " + mirror.file() + " is written again");
            }
        }
        catch (IOException e) {
            if (!mirrorFailing) {
                mirrorFailing = true;
                LOG.log(System.Logger.Level.WARNING, "cannot write the checkpoint mirror " + mirror.file() + " (" + e.getMessage()
                        + "); input positions are only in the buffer until it can be written, which is tried again with the next commits");
            }
        }
    }

    /**
     * Writes a mirror that lags, if its interval is over. Run by the mirror's own timer every {@link #MIRROR_INTERVAL}
     * (a thread of its own may wait for the write lock: appends waiting for room release it).
     */
    /**
     * Notes that the mirror lags and arms its timer, once: an idle agent whose mirror is current has no timer
     * pending and wakes for nothing. The caller holds the write lock or is the timer.
     */
    private void markMirrorBehind()
    {
        mirrorBehind = true;
        if (closed || !mirrorTimerArmed.compareAndSet(false, true)) {
            return;
        }
        try {
            mirrorTimer.schedule(this::mirrorTimerFired, MIRROR_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: close() writes the mirror itself
            mirrorTimerArmed.set(false);
        }
    }

    private void mirrorTimerFired()
    {
        mirrorTimerArmed.set(false);
        writeMirrorIfDue();
        // written too recently by a commit, or not writable (a full disk): try again in an interval
        if (mirrorBehind && !closed) {
            markMirrorBehind();
        }
    }

    void writeMirrorIfDue()
    {
        if (!mirrorBehind || closed) {
            return;
        }
        writeLock.lock();
        try {
            if (!closed) {
                writeMirror(false);
            }
        }
        catch (RuntimeException e) {
            // an exception would end the timer for good
            LOG.log(System.Logger.Level.WARNING, "cannot write the checkpoint mirror " + mirror.file() + ": " + e);
        }
        finally {
            writeLock.unlock();
        }
    }

    /**
     * Notes a commit for the mirror: its checkpoints, and the last event it appended ({@code last}, if any). Memory
     * only, no SQL: at most a copy of the pipeline's checkpoints once a second. The caller holds the write lock.
     */
    private void mirrorCommitted(String pipeline, String component, Collection<Checkpoint> checkpoints, boolean appendedEvents, long last)
    {
        boolean firstPositions = !appendedEvents && !checkpoints.isEmpty() && !deliveredCheckpoints.hasCommitted(pipeline, component);
        if (deliveredCheckpoints.committed(pipeline, component, checkpoints, appendedEvents, last, clock.millis()) || appendedEvents) {
            // new events move the mirror's last sequence number, which tells a buffer short of commits
            markMirrorBehind();
        }
        // an input's first positions (a file input's "started", committed before it reads) are copied at once: an
        // input the mirror has no positions for starts from its configured start after a loss, which may be the end
        // of lines read in the second after its start
        writeMirror(firstPositions);
    }

    /**
     * A data directory made by an older version or by hand keeps its mode (it may be a directory others need, such
     * as a home directory); the buffer's own files are private regardless, but rotated logs of older versions are not.
     */
    private static void warnIfShared(Path dataDirectory)
    {
        try {
            if (Files.getFileStore(dataDirectory).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dataDirectory);
                if (!PrivateFiles.DIRECTORY.containsAll(mode)) {
                    LOG.log(System.Logger.Level.WARNING, "the data directory " + dataDirectory + " is open to other users ("
                            + PosixFilePermissions.toString(mode) + "); the agent's files in it are private, older ones may not be: chmod 700 " + dataDirectory);
                }
            }
        }
        catch (IOException | UnsupportedOperationException e) {
            // nothing to tell
        }
    }

    private static Connection openChecked(Path file, AgentSettings.Durability durability)
            throws BufferDamagedException, SQLException
    {
        Connection connection = null;
        try {
            connection = connect(file, durability);
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
                    String result = rows.next() ? rows.getString(1) : "no result";
                    if (!"ok".equals(result)) {
                        throw new BufferDamagedException("integrity check: " + result, null);
                    }
                }
                createSchema(statement);
            }
            return connection;
        }
        catch (SQLiteException e) {
            closeQuietly(connection);
            SQLiteErrorCode code = e.getResultCode();
            // only damage the file itself proves; a file we may not open (permissions) or an I/O error of the disk is
            // not the file's fault, and moving it aside would throw away a healthy buffer
            if (code == SQLiteErrorCode.SQLITE_NOTADB || code.name().startsWith("SQLITE_CORRUPT")) {
                throw new BufferDamagedException(code.message, e);
            }
            throw e;
        }
        catch (BufferDamagedException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    static Connection connect(Path file, AgentSettings.Durability durability)
            throws SQLException
    {
        SqliteNativeLibrary.load();
        SqliteNativeLibrary.check();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(durability == AgentSettings.Durability.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    }

    private static void createSchema(Statement statement)
            throws SQLException, BufferDamagedException
    {
        statement.executeUpdate("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        try (ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
            if (rows.next() && !String.valueOf(SCHEMA_VERSION).equals(rows.getString(1))) {
                throw new BufferDamagedException("schema version " + rows.getString(1) + " is not the supported " + SCHEMA_VERSION, null);
            }
        }
        statement.executeUpdate("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
        // AUTOINCREMENT: sequence numbers are never reused, even when every row was deleted, because cursors point at them
        statement.executeUpdate("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, pipeline TEXT NOT NULL, component TEXT NOT NULL,"
                + " ingested INTEGER NOT NULL, bytes INTEGER NOT NULL, payload BLOB NOT NULL)");
        statement.executeUpdate("CREATE INDEX IF NOT EXISTS events_by_pipeline ON events (pipeline, seq)");
        statement.executeUpdate("CREATE TABLE IF NOT EXISTS checkpoints (pipeline TEXT NOT NULL, component TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                + " PRIMARY KEY (pipeline, component, key)) WITHOUT ROWID");
        statement.executeUpdate("CREATE TABLE IF NOT EXISTS cursors (pipeline TEXT NOT NULL, output TEXT NOT NULL, seq INTEGER NOT NULL,"
                + " PRIMARY KEY (pipeline, output)) WITHOUT ROWID");
        statement.executeUpdate("CREATE TABLE IF NOT EXISTS dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, pipeline TEXT NOT NULL, output TEXT NOT NULL,"
                + " seq INTEGER NOT NULL, failed_at INTEGER NOT NULL, reason TEXT NOT NULL, payload BLOB NOT NULL)");
        statement.executeUpdate("CREATE TABLE IF NOT EXISTS kv (pipeline TEXT NOT NULL, component TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                + " PRIMARY KEY (pipeline, component, key)) WITHOUT ROWID");
        statement.executeUpdate("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
    }

    private static Path quarantine(Path file)
            throws IOException
    {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path target = file.resolveSibling(file.getFileName() + "." + stamp + ".bad");
        for (int i = 1; Files.exists(target); i++) {
            target = file.resolveSibling(file.getFileName() + "." + stamp + "-" + i + ".bad");
        }
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
        for (String suffix : List.of("-wal", "-shm")) {
            Path companion = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(companion)) {
                Files.move(companion, target.resolveSibling(target.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    public Path file()
    {
        return file;
    }

    /** Creates cursors for a pipeline's outputs (new outputs start at the oldest buffered event) and drops stale ones. */
    public void registerOutputs(String pipeline, Set<String> outputs)
            throws SQLException
    {
        writeLock.lock();
        try {
            long freed = deletingEvenOnAFullDisk(() -> inTransaction(() -> {
                List<String> existing = new ArrayList<>();
                try (PreparedStatement select = writer.prepareStatement("SELECT output FROM cursors WHERE pipeline = ?")) {
                    select.setString(1, pipeline);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            existing.add(rows.getString(1));
                        }
                    }
                }
                try (PreparedStatement delete = writer.prepareStatement("DELETE FROM cursors WHERE pipeline = ? AND output = ?")) {
                    for (String output : existing) {
                        if (!outputs.contains(output)) {
                            delete.setString(1, pipeline);
                            delete.setString(2, output);
                            delete.executeUpdate();
                            LOG.log(System.Logger.Level.INFO, "output " + pipeline + "." + output + " is no longer configured; its delivery cursor was removed");
                        }
                    }
                }
                try (PreparedStatement insert = writer.prepareStatement("INSERT OR IGNORE INTO cursors (pipeline, output, seq) VALUES (?, ?, 0)")) {
                    for (String output : outputs) {
                        insert.setString(1, pipeline);
                        insert.setString(2, output);
                        insert.executeUpdate();
                    }
                }
                return removeDelivered(pipeline);
            }));
            totalBytes.addAndGet(-freed);
            // an output removed holds the delivered positions back no longer; one added (at 0) does not move them back
            if (deliveredCheckpoints.outputs(pipeline, cursors(pipeline))) {
                markMirrorBehind();
            }
            removeRestOfDelivered(pipeline);
            writeMirror(false);
        }
        finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs a write that only moves cursors or deletes; when the disk is full, releases the reserve and runs it again,
     * since deleting is what gives the room back. The caller holds the write lock.
     */
    private <T> T deletingEvenOnAFullDisk(SqlWork<T> work)
            throws SQLException
    {
        try {
            return work.run();
        }
        catch (SQLException e) {
            if (!isDiskFull(e) || !releaseReserve()) {
                throw e;
            }
            checkpointWal();
            return work.run();
        }
    }

    /** The committed checkpoints of one input. */
    public Map<String, String> checkpoints(String pipeline, String component)
            throws SQLException
    {
        return scoped("checkpoints", pipeline, component, "");
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
        List<byte[]> payloads = new ArrayList<>(events.size());
        long bytes = 0;
        for (Event event : events) {
            byte[] payload = EventCodec.encode(event);
            payloads.add(payload);
            bytes += payload.length;
        }
        long batchBytes = bytes;
        writeLock.lockInterruptibly();
        try {
            while (true) {
                ensureOpen();
                if (totalBytes.get() + batchBytes > maxBytes && totalBytes.get() > 0) {
                    if (whenFull == AgentSettings.WhenFull.BLOCK) {
                        writeState = WriteState.BACK_PRESSURE;
                        spaceFreed.await(FULL_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                        continue;
                    }
                    dropOldest(totalBytes.get() + batchBytes - maxBytes);
                }
                try {
                    if (!checkFreeDisk(batchBytes)) {
                        holdOnFullDisk("inputs are held back");
                        continue;
                    }
                    long now = clock.millis();
                    long last = inTransaction(() -> insert(pipeline, component, payloads, checkpoints, now));
                    totalBytes.addAndGet(batchBytes);
                    if (!payloads.isEmpty()) {
                        lastSeq.set(last);
                    }
                    mirrorCommitted(pipeline, component, checkpoints, !payloads.isEmpty(), last);
                    writeState = WriteState.OK;
                    keepWalSmallWhileFrozen();
                    if (!payloads.isEmpty()) {
                        lastSeq.set(last);
                        synchronized (appended) {
                            appended.notifyAll();
                        }
                    }
                    return;
                }
                catch (SQLException e) {
                    if (!isDiskFull(e)) {
                        throw e;
                    }
                    holdOnFullDisk("inputs are held back");
                }
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    private long insert(String pipeline, String component, List<byte[]> payloads, Collection<Checkpoint> checkpoints, long now)
            throws SQLException
    {
        long last = 0;
        if (!payloads.isEmpty()) {
            try (PreparedStatement insert = writer.prepareStatement("INSERT INTO events (pipeline, component, ingested, bytes, payload) VALUES (?, ?, ?, ?, ?)")) {
                for (byte[] payload : payloads) {
                    insert.setString(1, pipeline);
                    insert.setString(2, component);
                    insert.setLong(3, now);
                    insert.setInt(4, payload.length);
                    insert.setBytes(5, payload);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("SELECT last_insert_rowid()")) {
                rows.next();
                last = rows.getLong(1);
            }
        }
        writeScoped("checkpoints", pipeline, component, checkpoints);
        return last;
    }

    private void writeScoped(String table, String pipeline, String component, Collection<Checkpoint> entries)
            throws SQLException
    {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = writer.prepareStatement("INSERT INTO " + table + " (pipeline, component, key, value) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (pipeline, component, key) DO UPDATE SET value = excluded.value");
                PreparedStatement delete = writer.prepareStatement("DELETE FROM " + table + " WHERE pipeline = ? AND component = ? AND key = ?")) {
            for (Checkpoint entry : entries) {
                PreparedStatement statement = entry.isForget() ? delete : upsert;
                statement.setString(1, pipeline);
                statement.setString(2, component);
                statement.setString(3, entry.key());
                if (!entry.isForget()) {
                    statement.setString(4, entry.value());
                }
                statement.executeUpdate();
            }
        }
    }

    private void dropOldest(long bytesToFree)
            throws SQLException
    {
        Map<String, Long> droppedByPipeline = new TreeMap<>();
        Map<String, TreeMap<Long, Set<String>>> stillInFlight = new TreeMap<>();
        long freed;
        dropGuard.writeLock().lock();
        try {
            freed = inTransaction(() -> {
                droppedByPipeline.clear();
                stillInFlight.clear();
                Map<String, Map<String, Long>> cursorsByPipeline = new HashMap<>();
                long freedBytes = 0;
                long upTo = 0;
                try (PreparedStatement select = writer.prepareStatement("SELECT seq, pipeline, bytes FROM events ORDER BY seq LIMIT 1000")) {
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
                                Map<String, Long> cursors = cursorsByPipeline.get(pipeline);
                                if (cursors == null) {
                                    cursors = cursors(pipeline);
                                    cursorsByPipeline.put(pipeline, cursors);
                                }
                                inFlightToAllOwing(pipeline, seq, cursors).ifPresent(owing -> stillInFlight.computeIfAbsent(pipeline, ignored -> new TreeMap<>()).put(seq, owing));
                            }
                        }
                        try (PreparedStatement delete = writer.prepareStatement("DELETE FROM events WHERE seq <= ?")) {
                            delete.setLong(1, upTo);
                            delete.executeUpdate();
                        }
                        if (!any) {
                            break;
                        }
                    }
                }
                for (Map.Entry<String, Long> entry : droppedByPipeline.entrySet()) {
                    addCounterInTransaction("dropped_total." + entry.getKey(), entry.getValue());
                }
                return freedBytes;
            });
        }
        finally {
            dropGuard.writeLock().unlock();
        }
        // counted only once committed: a transaction that failed (a full disk) dropped nothing
        totalBytes.addAndGet(-freed);
        stillInFlight.forEach((pipeline, events) -> droppedInFlight.computeIfAbsent(pipeline, ignored -> new TreeMap<>()).putAll(events));
        for (Map.Entry<String, Long> entry : droppedByPipeline.entrySet()) {
            dropped.computeIfAbsent(entry.getKey(), ignored -> new AtomicLong()).addAndGet(entry.getValue());
            long inFlight = stillInFlight.getOrDefault(entry.getKey(), new TreeMap<>()).size();
            LOG.log(System.Logger.Level.WARNING, "buffer full: dropped the " + entry.getValue() + " oldest undelivered event(s) of pipeline " + entry.getKey()
                    + " (buffer.when_full: drop_oldest)" + (inFlight == 0 ? "" : "; " + inFlight + " of them were already being sent and are no longer counted once acknowledged"));
        }
    }

    /** The cursor of every output of {@code pipeline}. The caller holds the write lock. */
    private Map<String, Long> cursors(String pipeline)
            throws SQLException
    {
        Map<String, Long> cursors = new TreeMap<>();
        try (PreparedStatement select = writer.prepareStatement("SELECT output, seq FROM cursors WHERE pipeline = ?")) {
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
    private long deliveredAfterDrop(String pipeline, String output, long seq, boolean apply)
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

    /** A delivery loop's reader closed: what it had in flight and was dropped will not be delivered, it stays counted. */
    private void forgetInFlight(String pipeline, String output)
    {
        writeLock.lock();
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
            writeLock.unlock();
        }
    }

    /**
     * Keeps every transaction within the disk's free space less {@code min_free_disk}. A transaction that adds n pages
     * writes them to the WAL and, at the checkpoint, to the database file: 2n pages of disk. So the database may grow
     * by half the free space above {@code min_free_disk} (SQLite's {@code max_page_count}); an append that needs more
     * fails with {@code SQLITE_FULL} and waits, as on a full disk. Below {@code min_free_disk} the file stops growing:
     * appends go on in the pages delivered events freed, and the space still free lets acknowledgements and
     * checkpoints go through, which is what frees pages. Waiting for the disk itself to fill would leave no room to
     * delete anything, ever; and one large append must not take the disk from above the mark to nothing. With more
     * than {@link #UNLIMITED_HEADROOM} to spare no transaction comes close, and nothing is checked. While the reserve
     * is released, appends wait until the disk has its room again besides their own. The caller holds the write lock.
     *
     * @return whether an append of {@code batchBytes} may be tried; false: hold it back as on a full disk
     */
    private boolean checkFreeDisk(long batchBytes)
            throws SQLException
    {
        keepReserve();
        long usable = usableSpace.getAsLong();
        if (!reserveHeld && usable < reserveBytes + 2 * batchBytes + RESERVE_SLACK) {
            // the reserve went to acknowledgements and the disk has not got its room back: the WAL frames of an append
            // (which no page cap limits) would take the room acknowledgements need now
            return false;
        }
        // without its reserve the buffer keeps the reserve's room free too, or it could never be made again
        long headroom = usable - minFreeDisk - (reserveHeld ? 0 : reserveBytes);
        if (headroom >= UNLIMITED_HEADROOM) {
            if (growthLimit >= 0) {
                setMaxPageCount(defaultMaxPageCount);
                growthLimit = -1;
            }
            logFrozen(false);
            return true;
        }
        long pages = pageCount();
        // pages still only in the WAL take room in the database file at the next checkpoint
        long pendingPages = Math.max(0, pages - fileSize(file) / pageSize);
        long limit = pages + Math.max(0, headroom - pendingPages * pageSize) / (2L * pageSize);
        if (limit != growthLimit) {
            setMaxPageCount(limit);
            growthLimit = limit;
        }
        // hysteresis for the log: the free space moves with the WAL's size
        logFrozen(sizeFrozen ? headroom < minFreeDisk : headroom < 0);
        return true;
    }

    private static long fileSize(Path file)
    {
        try {
            return Files.size(file);
        }
        catch (IOException e) {
            return 0;
        }
    }

    private void logFrozen(boolean frozen)
    {
        if (frozen == sizeFrozen) {
            return;
        }
        sizeFrozen = frozen;
        LOG.log(frozen ? System.Logger.Level.WARNING : System.Logger.Level.INFO, frozen
                ? "less than buffer.min_free_disk (" + minFreeDisk + " bytes) is free on the file system of " + file
                        + ": the buffer no longer grows; it reuses the room of delivered events, and inputs wait when there is none"
                : "free space on the file system of " + file + " is back above buffer.min_free_disk: the buffer may grow again");
    }

    private void setMaxPageCount(long pages)
            throws SQLException
    {
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA max_page_count = " + pages)) {
            rows.next();
        }
    }

    private static long totalSpace(FileStore store)
    {
        try {
            return store.getTotalSpace();
        }
        catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Half of min_free_disk, within 1MiB and 4MiB: more than an acknowledgement and the deletion of a batch write to
     * the WAL (the pages that held a batch of up to delivery.max_bytes, 1MiB by default, and a few more), and small
     * enough to be written at every first start without a cost.
     */
    static long reserveFor(long minFreeDisk)
    {
        return Math.max(1L << 20, Math.min(4L << 20, minFreeDisk / 2));
    }

    /**
     * Makes sure the reserve file exists while the disk has room for it and min_free_disk besides; called on open and
     * before appends, with the write lock held or before the buffer is shared.
     */
    private void keepReserve()
    {
        if (reserveHeld || usableSpace.getAsLong() < reserveBytes + minFreeDisk) {
            return;
        }
        Path temporary = reserveFile.resolveSibling(RESERVE_FILE_NAME + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            PrivateFiles.createFile(temporary);
            // written, not sized: a sparse file would hold no room at all
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
                for (long written = 0; written < reserveBytes; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), reserveBytes - written));
                    written += channel.write(zeros);
                }
                // no fsync: the file system allocates (or reserves) the blocks when written, which is all it is for
            }
            Files.move(temporary, reserveFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            reserveHeld = true;
            if (reserveReleased) {
                reserveReleased = false;
                LOG.log(System.Logger.Level.INFO, "the disk has room again: the buffer's reserve " + reserveFile + " is back and the buffer may grow");
            }
        }
        catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            }
            catch (IOException ignored) {
                // the next attempt deletes it first
            }
        }
    }

    /**
     * Gives the reserve's room back to the file system so that an acknowledgement that failed for want of space can
     * commit; the buffer does not grow until the reserve is back. The caller holds the write lock.
     *
     * @return whether there was a reserve to release
     */
    private boolean releaseReserve()
    {
        if (!reserveHeld) {
            return false;
        }
        try {
            Files.deleteIfExists(reserveFile);
        }
        catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot delete " + reserveFile + " to make room for acknowledgements: " + e.getMessage());
            return false;
        }
        reserveHeld = false;
        reserveReleased = true;
        LOG.log(System.Logger.Level.WARNING, "disk is full: released the buffer's " + DataSize.ofBytes(reserveBytes) + " reserve (" + reserveFile
                + ") so that delivered events can be acknowledged and deleted; the buffer grows again once the disk has room for the reserve and min_free_disk");
        return true;
    }

    private static Optional<FileStore> fileStoreOf(Path file)
    {
        try {
            return Optional.of(Files.getFileStore(file));
        }
        catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot tell the free space of the file system of " + file + " (" + e.getMessage()
                    + "); buffer.min_free_disk is not enforced, a full disk still holds inputs back");
            return Optional.empty();
        }
    }

    /**
     * Whether SQLite refused a write because the disk (or the file's page cap) is full. The driver reports it as
     * its own exception type, or wrapped in a batch failure that only carries the message.
     */
    static boolean isDiskFull(SQLException failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException && ((SQLiteException) cause).getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
                return true;
            }
            if (cause instanceof SQLException && ((SQLException) cause).getNextException() != null
                    && isDiskFull(((SQLException) cause).getNextException())) {
                return true;
            }
            if (String.valueOf(cause.getMessage()).contains("[SQLITE_FULL]")) {
                return true;
            }
        }
        return false;
    }

    /** Notes a full disk once, then waits (write lock released) up to a second before the caller tries again. */
    private void holdOnFullDisk(String consequence)
            throws InterruptedException
    {
        if (writeState != WriteState.DISK_FULL) {
            LOG.log(System.Logger.Level.ERROR, "disk is full: the buffer at " + file + " cannot be written; " + consequence
                    + " and every write is retried each second until space returns");
        }
        writeState = WriteState.DISK_FULL;
        // A commit that needs more WAL than the disk has never succeeds by itself, and SQLite checkpoints only after a
        // commit: copy the WAL into the database so that the next transaction writes the WAL from its start, in the
        // file's existing space. (Not TRUNCATE: the space it gave back would go to the next append, not to the WAL.)
        // A reader in the way: the next retry tries again.
        checkpointWal();
        spaceFreed.await(FULL_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * While the database may not grow, its WAL must not grow either (up to SQLite's 1000-page auto-checkpoint, 4 MB):
     * it would eat the room {@code min_free_disk} keeps for acknowledgements. A checkpoint after every commit lets the
     * next transaction restart the WAL from its beginning. The caller holds the write lock.
     */
    private void keepWalSmallWhileFrozen()
    {
        // also while the disk's room is counted at all: WAL pages that pile up between SQLite's own checkpoints need
        // room in the database file when they are copied, room the growth limit did not count
        if (sizeFrozen || growthLimit >= 0 || !reserveHeld) {
            checkpointWal();
        }
    }

    /** A PASSIVE checkpoint: it copies what no reader still needs and waits for nobody. */
    private void checkpointWal()
    {
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rows.next();
        }
        catch (SQLException e) {
            // not fatal: the WAL stays as it is until the next checkpoint
        }
    }

    /** A reader with its own connection, for inspection. Not thread-safe; close it when done. */
    public Reader newReader()
            throws SQLException
    {
        ensureOpen();
        return new Reader(connect(file, durability), Optional.empty());
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
        return new Reader(connect(file, durability), Optional.of(Map.entry(pipeline, output)));
    }

    /** Reads batches through a connection of its own. */
    public final class Reader
            implements AutoCloseable
    {
        private final Connection connection;
        private final PreparedStatement select;
        /** The pipeline and output whose delivery this reader serves, if any. */
        private final Optional<Map.Entry<String, String>> deliveryOf;

        private Reader(Connection connection, Optional<Map.Entry<String, String>> deliveryOf)
                throws SQLException
        {
            this.connection = connection;
            this.deliveryOf = deliveryOf;
            this.select = connection.prepareStatement("SELECT seq, ingested, bytes, payload FROM events WHERE pipeline = ? AND seq > ? ORDER BY seq LIMIT ?");
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
            boolean tracked = deliveryOf.isPresent() && deliveryOf.get().getKey().equals(pipeline);
            if (!tracked) {
                return readRows(batch, pipeline, afterSeq, maxEvents, maxBytes);
            }
            dropGuard.readLock().lock();
            try {
                int before = batch.size();
                boolean full = readRows(batch, pipeline, afterSeq, maxEvents, maxBytes);
                Map<String, Long> horizons = readHorizons.computeIfAbsent(pipeline, ignored -> new ConcurrentHashMap<>());
                // a batch started anew (after an acknowledgement, or from the cursor again) is all that is in flight
                long horizon = before == 0 ? afterSeq : Math.max(afterSeq, horizons.getOrDefault(deliveryOf.get().getValue(), 0L));
                if (batch.size() > before) {
                    horizon = Math.max(horizon, batch.get(batch.size() - 1).seq());
                }
                horizons.put(deliveryOf.get().getValue(), horizon);
                return full;
            }
            finally {
                dropGuard.readLock().unlock();
            }
        }

        private boolean readRows(List<BufferedEvent> batch, String pipeline, long afterSeq, int maxEvents, long maxBytes)
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
                    batch.add(new BufferedEvent(rows.getLong(1), rows.getLong(2), size, rows.getBytes(4)));
                    bytes += size;
                    added++;
                }
            }
            return false;
        }

        @Override
        public void close()
        {
            closeQuietly(connection);
            deliveryOf.ifPresent(delivery -> forgetInFlight(delivery.getKey(), delivery.getValue()));
        }
    }

    /** The last acknowledged sequence number of an output. */
    public long cursor(String pipeline, String output)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT seq FROM cursors WHERE pipeline = ? AND output = ?")) {
            select.setString(1, pipeline);
            select.setString(2, output);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    /**
     * Records that {@code output} has everything up to {@code seq}, moving {@code deadLetters} (events refused
     * permanently) to the dead-letter table in the same transaction, and removes rows every output now has. On a
     * full disk it waits and tries again each second until it commits or the buffer is closed.
     *
     * @throws InterruptedException when interrupted while waiting for space; nothing was recorded
     */
    public void acknowledge(String pipeline, String output, long seq, List<DeadLetterRequest> deadLetters)
            throws SQLException, InterruptedException
    {
        writeLock.lockInterruptibly();
        try {
            while (true) {
                ensureOpen();
                try {
                    long freed = inTransaction(() -> {
                        if (!deadLetters.isEmpty()) {
                            try (PreparedStatement insert = writer.prepareStatement("INSERT INTO dead_letters (pipeline, output, seq, failed_at, reason, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
                                for (DeadLetterRequest request : deadLetters) {
                                    insert.setString(1, pipeline);
                                    insert.setString(2, output);
                                    insert.setLong(3, request.event().seq());
                                    insert.setLong(4, clock.millis());
                                    insert.setString(5, request.reason());
                                    insert.setBytes(6, request.event().payload());
                                    insert.addBatch();
                                }
                                insert.executeBatch();
                            }
                        }
                        try (PreparedStatement update = writer.prepareStatement("UPDATE cursors SET seq = MAX(seq, ?) WHERE pipeline = ? AND output = ?")) {
                            update.setLong(1, seq);
                            update.setString(2, pipeline);
                            update.setString(3, output);
                            update.executeUpdate();
                        }
                        long deliveredAfterDrop = deliveredAfterDrop(pipeline, output, seq, false);
                        if (deliveredAfterDrop > 0) {
                            addCounterInTransaction("dropped_total." + pipeline, -deliveredAfterDrop);
                        }
                        return removeDelivered(pipeline);
                    });
                    long deliveredAfterDrop = deliveredAfterDrop(pipeline, output, seq, true);
                    if (deliveredAfterDrop > 0) {
                        dropped.computeIfAbsent(pipeline, ignored -> new AtomicLong()).addAndGet(-deliveredAfterDrop);
                    }
                    totalBytes.addAndGet(-freed);
                    if (deliveredCheckpoints.settled(pipeline, output, seq)) {
                        markMirrorBehind();
                    }
                    keepWalSmallWhileFrozen();
                    removeRestOfDelivered(pipeline);
                    writeMirror(false);
                    spaceFreed.signalAll();
                    return;
                }
                catch (SQLException e) {
                    if (!isDiskFull(e)) {
                        throw e;
                    }
                    // the events were delivered; until this commits, the cursor stays where it was
                    if (releaseReserve()) {
                        checkpointWal();
                        continue;
                    }
                    holdOnFullDisk("delivery cursors cannot move");
                }
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    /** An event to move to the dead-letter table, with the collector's reason. */
    public record DeadLetterRequest(BufferedEvent event, String reason)
    {
    }

    /**
     * Deletes the oldest rows every output of the pipeline has, a chunk at a time: while the disk's room is counted, a
     * small chunk, so that the WAL one transaction needs stays well within the reserve. Returns the bytes freed, for
     * the caller to count once committed; 0 when nothing is left to delete.
     */
    private long removeDelivered(String pipeline)
            throws SQLException
    {
        long upTo;
        try (PreparedStatement select = writer.prepareStatement("SELECT MIN(seq) FROM cursors WHERE pipeline = ?")) {
            select.setString(1, pipeline);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next() || rows.getObject(1) == null) {
                    return 0;
                }
                upTo = rows.getLong(1);
            }
        }
        // the free space itself, not only what the last append saw: a start on a full disk has appended nothing yet
        boolean tight = growthLimit >= 0 || !reserveHeld || usableSpace.getAsLong() - minFreeDisk < UNLIMITED_HEADROOM;
        int chunk = tight ? TIGHT_DELETE_CHUNK : DELETE_CHUNK;
        long last = 0;
        long freed = 0;
        try (PreparedStatement select = writer.prepareStatement("SELECT seq, bytes FROM events WHERE pipeline = ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            select.setString(1, pipeline);
            select.setLong(2, upTo);
            select.setInt(3, chunk);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    freed += rows.getLong(2);
                }
            }
        }
        if (freed == 0) {
            return 0;
        }
        try (PreparedStatement delete = writer.prepareStatement("DELETE FROM events WHERE pipeline = ? AND seq <= ?")) {
            delete.setString(1, pipeline);
            delete.setLong(2, last);
            delete.executeUpdate();
        }
        return freed;
    }

    /**
     * Deletes, one chunk per transaction, what {@link #removeDelivered} left after the transaction that moved a
     * cursor; a crash in between, or a disk too full for even a chunk, leaves delivered rows that the next
     * acknowledgement or start deletes. It never throws for a full disk: the cursor is committed, and an acknowledgement
     * retried for it would write its dead letters twice. The caller holds the write lock.
     */
    private void removeRestOfDelivered(String pipeline)
            throws SQLException
    {
        while (true) {
            long freed;
            try {
                freed = deletingEvenOnAFullDisk(() -> inTransaction(() -> removeDelivered(pipeline)));
            }
            catch (SQLException e) {
                if (isDiskFull(e)) {
                    // the cursor moved already: what is left goes with the next acknowledgement
                    return;
                }
                throw e;
            }
            if (freed == 0) {
                return;
            }
            totalBytes.addAndGet(-freed);
            keepWalSmallWhileFrozen();
        }
    }

    /** Waits until an event after {@code afterSeq} may exist (any pipeline), the timeout passes, or the buffer closes. */
    public void awaitAppend(long afterSeq, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appended) {
            while (lastSeq.get() <= afterSeq && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(appended, left);
            }
        }
    }

    /** Whether {@link #close} was called: {@link #awaitAppend} no longer waits. */
    public boolean isClosed()
    {
        return closed;
    }

    /** The highest sequence number ever appended. */
    public long lastSeq()
    {
        return lastSeq.get();
    }

    /** Events of {@code pipeline} after {@code seq}: an output's backlog. */
    public long countAfter(String pipeline, long seq)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT COUNT(*) FROM events WHERE pipeline = ? AND seq > ?")) {
            select.setString(1, pipeline);
            select.setLong(2, seq);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    /** When the oldest event after {@code seq} was buffered, if any (for delivery lag). */
    public Optional<Long> oldestIngestedAfter(String pipeline, long seq)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT ingested FROM events WHERE pipeline = ? AND seq > ? ORDER BY seq LIMIT 1")) {
            select.setString(1, pipeline);
            select.setLong(2, seq);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    public long totalBytes()
    {
        return totalBytes.get();
    }

    public long maxBytes()
    {
        return maxBytes;
    }

    /** A size for a person: exact where it is a whole number of a unit (20MiB), else "about 252.0GiB", not 264212084KiB. */
    static String approximateSize(long bytes)
    {
        String exact = DataSize.ofBytes(bytes).toString();
        if (bytes < 1L << 20 || exact.endsWith("MiB") || exact.endsWith("GiB") || exact.endsWith("TiB")) {
            return exact;
        }
        long[] units = {1L << 40, 1L << 30, 1L << 20};
        String[] names = {"TiB", "GiB", "MiB"};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= units[i]) {
                return String.format(java.util.Locale.ROOT, "about %.1f%s", bytes / (double) units[i], names[i]);
            }
        }
        return exact;
    }

    /** The free space the buffer leaves on its file system: buffer.min_free_disk, or the value scaled to the file system. */
    public long minFreeDisk()
    {
        return minFreeDisk;
    }

    public WriteState writeState()
    {
        return writeState;
    }

    /** Events dropped by {@code drop_oldest} for a pipeline since the buffer was created. */
    public long droppedEvents(String pipeline)
    {
        try {
            return counter("dropped_total." + pipeline);
        }
        catch (SQLException e) {
            return dropped.getOrDefault(pipeline, new AtomicLong()).get();
        }
    }

    /**
     * How many times the buffer was found gone (missing, emptied, or without the write-ahead log that held it) while
     * the checkpoint mirror showed it had existed, or short of commits the mirror saw.
     */
    public long lostBuffers()
    {
        return lost.get();
    }

    /** How many damaged buffer files were moved aside over this data directory's life. */
    public long quarantinedFiles()
    {
        return quarantined.get();
    }

    // ---- dead letters -------------------------------------------------------------------------------------------

    public List<DeadLetter> deadLetters(Optional<String> pipeline, Optional<String> output, int limit)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT id, pipeline, output, seq, failed_at, reason, payload FROM dead_letters"
                + " WHERE (? IS NULL OR pipeline = ?) AND (? IS NULL OR output = ?) ORDER BY id LIMIT ?")) {
            select.setString(1, pipeline.orElse(null));
            select.setString(2, pipeline.orElse(null));
            select.setString(3, output.orElse(null));
            select.setString(4, output.orElse(null));
            select.setInt(5, limit);
            List<DeadLetter> letters = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    letters.add(new DeadLetter(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getLong(4), rows.getLong(5), rows.getString(6), rows.getBytes(7)));
                }
            }
            return letters;
        }
        finally {
            writeLock.unlock();
        }
    }

    public long deadLetterCount(String pipeline, String output)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT COUNT(*) FROM dead_letters WHERE pipeline = ? AND output = ?")) {
            select.setString(1, pipeline);
            select.setString(2, output);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
        finally {
            writeLock.unlock();
        }
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
        writeLock.lock();
        try {
            ensureOpen();
            List<DeadLetter> letters = deadLetters(pipeline, output, Integer.MAX_VALUE);
            if (letters.isEmpty()) {
                return 0;
            }
            long added = inTransaction(() -> {
                long bytes = 0;
                try (PreparedStatement insert = writer.prepareStatement("INSERT INTO events (pipeline, component, ingested, bytes, payload) VALUES (?, ?, ?, ?, ?)");
                        PreparedStatement delete = writer.prepareStatement("DELETE FROM dead_letters WHERE id = ?")) {
                    for (DeadLetter letter : letters) {
                        insert.setString(1, letter.pipeline());
                        insert.setString(2, "dead-letter-replay");
                        insert.setLong(3, clock.millis());
                        insert.setInt(4, letter.payload().length);
                        insert.setBytes(5, letter.payload());
                        insert.executeUpdate();
                        delete.setLong(1, letter.id());
                        delete.executeUpdate();
                        bytes += letter.payload().length;
                    }
                }
                return bytes;
            });
            totalBytes.addAndGet(added);
            try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM events")) {
                rows.next();
                lastSeq.set(Math.max(lastSeq.get(), rows.getLong(1)));
            }
            synchronized (appended) {
                appended.notifyAll();
            }
            return letters.size();
        }
        finally {
            writeLock.unlock();
        }
    }

    public int purgeDeadLetters(Optional<String> pipeline, Optional<String> output)
            throws SQLException
    {
        writeLock.lock();
        try {
            return deletingEvenOnAFullDisk(() -> {
                try (PreparedStatement delete = writer.prepareStatement("DELETE FROM dead_letters WHERE (? IS NULL OR pipeline = ?) AND (? IS NULL OR output = ?)")) {
                    delete.setString(1, pipeline.orElse(null));
                    delete.setString(2, pipeline.orElse(null));
                    delete.setString(3, output.orElse(null));
                    delete.setString(4, output.orElse(null));
                    return delete.executeUpdate();
                }
            });
        }
        finally {
            writeLock.unlock();
        }
    }

    // ---- component state ----------------------------------------------------------------------------------------

    /** The durable key-value store of one component. */
    public KeyValueStore store(String pipeline, String component)
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(component, "component is null");
        return new KeyValueStore()
        {
            @Override
            public Optional<String> get(String key)
            {
                return Optional.ofNullable(sql(() -> scoped("kv", pipeline, component, key).get(key)));
            }

            @Override
            public void put(String key, String value)
            {
                writeKv(Checkpoint.of(key, value));
            }

            @Override
            public void remove(String key)
            {
                writeKv(Checkpoint.forget(key));
            }

            @Override
            public Map<String, String> entries(String prefix)
            {
                Map<String, String> all = sql(() -> scoped("kv", pipeline, component, ""));
                Map<String, String> result = new TreeMap<>();
                all.forEach((key, value) -> {
                    if (key.startsWith(prefix)) {
                        result.put(key, value);
                    }
                });
                return result;
            }

            private void writeKv(Checkpoint entry)
            {
                writeLock.lock();
                try {
                    sql(() -> inTransaction(() -> {
                        writeScoped("kv", pipeline, component, List.of(entry));
                        return null;
                    }));
                }
                finally {
                    writeLock.unlock();
                }
            }
        };
    }

    /** All entries of one component in a scoped table; with a non-empty {@code exactKey}, only that key. */
    private Map<String, String> scoped(String table, String pipeline, String component, String exactKey)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT key, value FROM " + table + " WHERE pipeline = ? AND component = ?"
                + (exactKey.isEmpty() ? "" : " AND key = ?") + " ORDER BY key")) {
            select.setString(1, pipeline);
            select.setString(2, component);
            if (!exactKey.isEmpty()) {
                select.setString(3, exactKey);
            }
            Map<String, String> entries = new LinkedHashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.put(rows.getString(1), rows.getString(2));
                }
            }
            return entries;
        }
        finally {
            writeLock.unlock();
        }
    }

    // ---- counters and plumbing ----------------------------------------------------------------------------------

    private long counter(String name)
            throws SQLException
    {
        writeLock.lock();
        try (PreparedStatement select = writer.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    private void addCounter(String name, long amount)
            throws SQLException
    {
        writeLock.lock();
        try {
            inTransaction(() -> {
                addCounterInTransaction(name, amount);
                return null;
            });
        }
        finally {
            writeLock.unlock();
        }
    }

    private void addCounterInTransaction(String name, long amount)
            throws SQLException
    {
        try (PreparedStatement upsert = writer.prepareStatement("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")) {
            upsert.setString(1, name);
            upsert.setLong(2, amount);
            upsert.executeUpdate();
        }
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
        writeLock.lock();
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA max_page_count = " + pages)) {
            rows.next();
            return rows.getLong(1);
        }
        finally {
            writeLock.unlock();
        }
    }

    /** Replaces the file system's free space as {@link #checkFreeDisk} sees it (tests of a nearly full disk). */
    void overrideUsableSpace(LongSupplier bytes)
    {
        this.usableSpace = requireNonNull(bytes, "bytes is null");
    }

    /** The database's current size in pages. */
    long pageCount()
            throws SQLException
    {
        writeLock.lock();
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA page_count")) {
            rows.next();
            return rows.getLong(1);
        }
        finally {
            writeLock.unlock();
        }
    }

    /** Integrity check of the open database: "ok" or SQLite's findings. */
    public String verify()
            throws SQLException
    {
        writeLock.lock();
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            List<String> findings = new ArrayList<>();
            while (rows.next()) {
                findings.add(rows.getString(1));
            }
            return String.join("\n", findings);
        }
        finally {
            writeLock.unlock();
        }
    }

    private interface SqlWork<T>
    {
        T run()
                throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on the writer; the caller holds the write lock. A failure is rethrown as
     * it was: after some errors (SQLITE_FULL among them) SQLite has already rolled the transaction back itself, and
     * the driver's own rollback and its commit on leaving manual mode then fail with "no transaction is active",
     * which must not hide the error that tells what happened.
     */
    private <T> T inTransaction(SqlWork<T> work)
            throws SQLException
    {
        boolean autoCommit = writer.getAutoCommit();
        writer.setAutoCommit(false);
        T result;
        try {
            result = work.run();
            writer.commit();
        }
        catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            }
            catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            try {
                writer.setAutoCommit(autoCommit);
            }
            catch (SQLException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        writer.setAutoCommit(autoCommit);
        return result;
    }

    private static <T> T sql(SqlWork<T> work)
    {
        try {
            return work.run();
        }
        catch (SQLException e) {
            throw new IllegalStateException("state database error: " + e.getMessage(), e);
        }
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
        // not shutdownNow: an interrupt would break off a mirror being written, which is then written below
        mirrorTimer.shutdown();
        writeLock.lock();
        try {
            spaceFreed.signalAll();
            writeMirror(true);
            closeQuietly(writer);
        }
        finally {
            writeLock.unlock();
        }
        synchronized (appended) {
            appended.notifyAll();
        }
    }

    private static void closeQuietly(Connection connection)
    {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // closing: nothing left to protect
        }
    }
}
