package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.files.PrivateFiles;
import io.outrider.spi.DataSize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The buffer's room on the disk: {@code min_free_disk} (SQLite's page cap follows the free space), the reserve file
 * released so that acknowledgements can commit on a full disk, waiting on a full disk, and the write state status
 * shows. Every method except the constructor runs with the write lock held.
 */
final class SpaceGuard
{
    private static final System.Logger LOG = System.getLogger(SqliteBuffer.class.getName());
    private static final Duration FULL_RETRY = Duration.ofSeconds(1);
    /** Free space above min_free_disk beyond which no transaction comes close to filling the disk. */
    private static final long UNLIMITED_HEADROOM = 256L << 20;
    /** WAL room beyond an append's own pages: index, table interior and checkpoint pages. */
    private static final long RESERVE_SLACK = 64L << 10;
    /** Room for events on the buffer's file system below which it is said to be too small. */
    private static final long SMALLEST_ROOM_FOR_EVENTS = 2L << 20;
    /** Rows (blocks) deleted per transaction. */
    private static final int DELETE_CHUNK = 1_000;
    /**
     * Rows deleted per transaction while the disk's room is counted: a block is two rows (its numbers, and its payload,
     * whose first part fills about a table page; the overflow pages it frees are listed, not written), so about 64
     * blocks, 128 pages of WAL plus the free list's, within half the smallest reserve.
     */
    private static final int TIGHT_DELETE_CHUNK = 64;

    private final BufferDatabase database;
    private final Path file;
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
    /** Signalled when room was freed (an acknowledgement) or the buffer closes; appends waiting for room wait on it. */
    private final Condition spaceFreed;
    private volatile SqliteBuffer.WriteState writeState = SqliteBuffer.WriteState.OK;
    /** At most one ERROR about a full disk in this time; the times it was full in between are counted into the next. */
    private static final Duration FULL_LOG_INTERVAL = Duration.ofMinutes(1);
    private static final long NEVER = Long.MIN_VALUE;
    // the write lock guards these three
    private long fullSaidAtNanos = NEVER;
    private long fullAgainUnsaid;
    /** Whether an ERROR said the disk is full and no INFO has said it has room again. */
    private boolean fullSaid;

    SpaceGuard(BufferDatabase database, Path file, AgentSettings.BufferSettings settings)
            throws SQLException
    {
        this.database = requireNonNull(database, "database is null");
        this.file = requireNonNull(file, "file is null");
        // the file system is resolved once: looking it up reads the mount table, too slow for every append
        Optional<FileStore> store = fileStoreOf(file);
        long fileSystemBytes = store.map(SpaceGuard::totalSpace).orElse(Long.MAX_VALUE);
        this.minFreeDisk = settings.minFreeDiskFor(fileSystemBytes).bytes();
        this.reserveFile = file.resolveSibling(SqliteBuffer.RESERVE_FILE_NAME);
        this.reserveBytes = reserveFor(minFreeDisk);
        this.reserveHeld = Files.exists(reserveFile);
        LOG.log(System.Logger.Level.INFO, settings.minFreeDisk() != null
                ? "buffer.min_free_disk is " + DataSize.ofBytes(minFreeDisk) + " (configured)"
                : "buffer.min_free_disk is " + DataSize.ofBytes(minFreeDisk) + ", scaled to the " + approximateSize(fileSystemBytes) + " file system of " + file
                        + " (5 %, at least " + AgentSettings.BufferSettings.MIN_SCALED_MIN_FREE_DISK + " or a quarter of the file system, at most "
                        + AgentSettings.BufferSettings.MAX_SCALED_MIN_FREE_DISK + "); set it to choose another");
        if (fileSystemBytes - minFreeDisk - reserveBytes < SMALLEST_ROOM_FOR_EVENTS) {
            // appends wait while a transaction's pages do not fit beside both: on such a disk that can be always
            LOG.log(System.Logger.Level.WARNING, "the file system of " + file + " is " + approximateSize(fileSystemBytes) + ": after the "
                    + DataSize.ofBytes(reserveBytes) + " the buffer keeps for acknowledgements and buffer.min_free_disk ("
                    + DataSize.ofBytes(minFreeDisk) + ") less than " + DataSize.ofBytes(SMALLEST_ROOM_FOR_EVENTS)
                    + " is left for events, and inputs may be held back as on a full disk; put agent.data_dir on a larger one");
        }
        this.usableSpace = store.<LongSupplier>map(fileStore -> () -> {
            try {
                return fileStore.getUsableSpace();
            }
            catch (IOException e) {
                return Long.MAX_VALUE; // unknown: SQLite's own SQLITE_FULL still protects the buffer
            }
        }).orElse(() -> Long.MAX_VALUE);
        this.spaceFreed = database.writeLock().newCondition();
        this.defaultMaxPageCount = database.locked(() -> database.queryLong("PRAGMA max_page_count"));
        this.pageSize = database.locked(() -> database.queryLong("PRAGMA page_size"));
    }

    long minFreeDisk()
    {
        return minFreeDisk;
    }

    /** Whether the reserve file is there; false after {@link #releaseReserve} until {@link #keepReserve} made it again. */
    boolean reserveHeld()
    {
        return reserveHeld;
    }

    /** Free bytes of the buffer's file system as appends see them. */
    long usableBytes()
    {
        return usableSpace.getAsLong();
    }

    SqliteBuffer.WriteState writeState()
    {
        return writeState;
    }

    void writeState(SqliteBuffer.WriteState state)
    {
        if (state == SqliteBuffer.WriteState.OK && writeState == SqliteBuffer.WriteState.DISK_FULL && fullSaid) {
            // once per ERROR: a disk at its limit goes back and forth, and the next ERROR counts the times
            fullSaid = false;
            LOG.log(System.Logger.Level.INFO, "the disk has room again: the buffer at " + file + " is written again and inputs go on");
        }
        writeState = state;
    }

    /** Waits (write lock released) up to a second for room to be freed, as the buffer does while full ({@code block}). */
    void awaitSpaceFreed()
            throws InterruptedException
    {
        spaceFreed.await(FULL_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void signalSpaceFreed()
    {
        spaceFreed.signalAll();
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
     * is released, appends wait until the disk has its room again besides their own.
     *
     * @return whether an append of {@code batchBytes} may be tried; false: hold it back as on a full disk
     */
    boolean checkFreeDisk(long batchBytes)
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
        long pages = database.queryLong("PRAGMA page_count");
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

    /** Rows to delete per transaction: while the disk's room is counted, few, so that one transaction's WAL stays well within the reserve. */
    int deleteChunk()
    {
        // the free space itself, not only what the last append saw: a start on a full disk has appended nothing yet
        boolean tight = growthLimit >= 0 || !reserveHeld || usableSpace.getAsLong() - minFreeDisk < UNLIMITED_HEADROOM;
        return tight ? TIGHT_DELETE_CHUNK : DELETE_CHUNK;
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
        database.queryLong("PRAGMA max_page_count = " + pages);
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
    void keepReserve()
    {
        if (reserveHeld || usableSpace.getAsLong() < reserveBytes + minFreeDisk) {
            return;
        }
        Path temporary = reserveFile.resolveSibling(SqliteBuffer.RESERVE_FILE_NAME + ".tmp");
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
     * commit; the buffer does not grow until the reserve is back.
     *
     * @return whether there was a reserve to release
     */
    boolean releaseReserve()
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

    /**
     * Runs a write that only moves cursors or deletes; when the disk is full, releases the reserve and runs it again,
     * since deleting is what gives the room back.
     */
    <T> T deletingEvenOnAFullDisk(BufferDatabase.SqlWork<T> work)
            throws SQLException
    {
        try {
            return work.run();
        }
        catch (SQLException e) {
            if (!BufferDatabase.isDiskFull(e) || !releaseReserve()) {
                throw e;
            }
            database.checkpointWal();
            return work.run();
        }
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
     * Notes a full disk, then waits (write lock released) up to a second before the caller tries again. Said at ERROR
     * when it starts, and again at most every {@link #FULL_LOG_INTERVAL} with how often the disk was full in between: a
     * disk at its limit fills and frees with every append, and a line each time was dozens a second.
     */
    void holdOnFullDisk(String consequence)
            throws InterruptedException
    {
        if (writeState != SqliteBuffer.WriteState.DISK_FULL) {
            long now = System.nanoTime();
            if (fullSaidAtNanos == NEVER || now - fullSaidAtNanos >= FULL_LOG_INTERVAL.toNanos()) {
                LOG.log(System.Logger.Level.ERROR, "disk is full: the buffer at " + file + " cannot be written; " + consequence
                        + " and every write is retried each second until space returns"
                        + (fullAgainUnsaid == 0 ? "" : " (it was full " + fullAgainUnsaid + " more time(s) since the last such message)")
                        + "; " + usableSpace.getAsLong() / 1024 + " KiB are free, and the buffer keeps " + minFreeDisk / 1024
                        + " KiB free (buffer.min_free_disk)" + (reserveHeld ? "" : " and needs " + reserveBytes / 1024 + " KiB for its reserve") + " besides an append's own room");
                fullSaidAtNanos = now;
                fullAgainUnsaid = 0;
                fullSaid = true;
            }
            else {
                fullAgainUnsaid++;
            }
        }
        writeState = SqliteBuffer.WriteState.DISK_FULL;
        // A commit that needs more WAL than the disk has never succeeds by itself, and SQLite checkpoints only after a
        // commit: copy the WAL into the database so that the next transaction writes the WAL from its start, in the
        // file's existing space. (Not TRUNCATE: the space it gave back would go to the next append, not to the WAL.)
        // A reader in the way: the next retry tries again.
        database.checkpointWal();
        awaitSpaceFreed();
    }

    /**
     * While the database may not grow, its WAL must not grow either (up to SQLite's 1000-page auto-checkpoint, 4 MB):
     * it would eat the room {@code min_free_disk} keeps for acknowledgements. A checkpoint after every commit lets the
     * next transaction restart the WAL from its beginning.
     */
    void keepWalSmallWhileFrozen()
    {
        // also while the disk's room is counted at all: WAL pages that pile up between SQLite's own checkpoints need
        // room in the database file when they are copied, room the growth limit did not count
        if (sizeFrozen || growthLimit >= 0 || !reserveHeld) {
            database.checkpointWal();
        }
    }

    /** Replaces the file system's free space as {@link #checkFreeDisk} sees it (tests of a nearly full disk). */
    void overrideUsableSpace(LongSupplier bytes)
    {
        this.usableSpace = requireNonNull(bytes, "bytes is null");
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
}
