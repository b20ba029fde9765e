package io.outrider.plugin.file;

import io.outrider.spi.ComponentContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Reconciles what a scan of the globs finds with the files followed, while the input runs: a file under a new name
 * the globs match was renamed (its position goes with it, and it is drained before newer files); a followed file
 * the globs no longer lead to was rotated away or deleted (an open one is read to its end through its handle, a
 * closed one is looked for beside its old name, else its unread bytes are counted as lost); an orphan under a
 * matching name again is back; any other file is new, and where it starts is decided once it can be told from a copy
 * of a file already read (copytruncate with the copy inside the globs continues where the original was).
 *
 * <p>Created for one run of the input and used on its thread only.
 */
final class ScanReconciler
{
    /** How long a new short file must stay the same size before it counts as a new file rather than a copy being written. */
    private static final long SETTLE_NANOS = 200_000_000L;

    private final ComponentContext context;
    private final System.Logger logger;
    private final FileRegistry registry;
    private final RotatedFiles rotatedFiles;
    private final EventAssembler assembler;
    private final Batch batch;
    private final FileInputMetrics metrics;

    /** Where a file found by the first scan of a run starts: the resume planner's decision. */
    @FunctionalInterface
    interface StartOffset
    {
        long of(Path path, FileStat stat, FileChannel channel)
                throws IOException;
    }

    ScanReconciler(ComponentContext context, FileRegistry registry, RotatedFiles rotatedFiles, EventAssembler assembler, Batch batch, FileInputMetrics metrics)
    {
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.registry = requireNonNull(registry, "registry is null");
        this.rotatedFiles = requireNonNull(rotatedFiles, "rotatedFiles is null");
        this.assembler = requireNonNull(assembler, "assembler is null");
        this.batch = requireNonNull(batch, "batch is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /**
     * Applies what a scan found (after the first one of the run, which the resume planner applies).
     *
     * @return whether the scan found what no notification had reported: a file new, gone or renamed, or one whose size
     *         changed while nothing had marked it to be read (see {@link SafetyScanInterval}); a new modification time
     *         alone does not count
     */
    boolean apply(FileScanner.ScanResult scan)
            throws IOException, InterruptedException
    {
        return apply(scan, file -> true);
    }

    /**
     * Applies what a scan of part of the tree found (see {@link FileScanner#scan(Set, Set)}): a followed file it did
     * not find is gone only if {@code covered} says the scan looked where it was.
     *
     * @return as {@link #apply(FileScanner.ScanResult)}
     */
    boolean apply(FileScanner.ScanResult scan, Predicate<TrackedFile> covered)
            throws IOException, InterruptedException
    {
        boolean unreported = false;
        Set<TrackedFile> seen = new HashSet<>();
        List<FileScanner.ScannedFile> newFiles = new ArrayList<>();
        for (FileScanner.ScannedFile scanned : scan.files().values()) {
            TrackedFile file = registry.byFileKey(scanned.stat().fileKey());
            if (file == null) {
                newFiles.add(scanned);
                continue;
            }
            seen.add(file);
            if (!file.orphaned && !file.path.equals(scanned.path()) && !covered.test(file) && stillAt(file)) {
                // a second name (a symbolic or hard link) in a directory a partial scan looked at, while the name
                // followed, elsewhere, still leads to it: a full scan would keep that name, so this one does too
                continue;
            }
            if (file.orphaned) {
                // back under a matching name
                unreported = true;
                file.orphaned = false;
                if (file.deleted) {
                    file.deleted = false;
                    batch.moved(file);
                }
            }
            if (!file.path.equals(scanned.path())) {
                unreported = true;
                logger.log(DEBUG, file.pathText + " was renamed to " + scanned.path());
                file.renamed = true;
                metrics.rotations.increment();
                file.setPath(scanned.path());
                batch.moved(file);
            }
            file.openPath = scanned.path();
            file.realPath = scanned.realPath();
            // the scan doubles as the safety net for missed notifications: anything that changed is read
            long lastModified = scanned.stat().lastModified().toMillis();
            if (scanned.stat().size() != file.splitter.position() || lastModified != file.lastModifiedMillis) {
                // data no notification announced; a new time alone is not (a write of what was there, a touch: the
                // reader refreshes the time only when there is data to read)
                unreported |= !file.needsCheck && scanned.stat().size() != file.splitter.position();
                file.needsCheck = true;
            }
            file.size = scanned.stat().size();
            file.setLastModified(lastModified);
        }
        Map<Path, Set<FileIdentity.FileKey>> inodesByDirectory = new HashMap<>();
        for (TrackedFile file : List.copyOf(registry.files())) {
            if (!seen.contains(file) && !file.orphaned && covered.test(file)) {
                unreported = true;
                orphan(file, inodesByDirectory);
            }
        }
        rotatedFiles.lookBesideRotated();
        for (FileScanner.ScannedFile scanned : newFiles) {
            trackNew(scanned, null);
        }
        registry.indexPaths();
        return unreported || !newFiles.isEmpty();
    }

    private static boolean stillAt(TrackedFile file)
    {
        try {
            return FileStat.of(file.path).fileKey().equals(file.identity().fileKey());
        }
        catch (IOException e) {
            return false;
        }
    }

    /** The globs no longer lead to this file: it was deleted or renamed away. */
    private void orphan(TrackedFile file, Map<Path, Set<FileIdentity.FileKey>> inodesByDirectory)
            throws InterruptedException
    {
        metrics.rotations.increment();
        file.orphaned = true;
        file.needsCheck = true;
        registry.rotated(file.path);
        if (file.isOpen()) {
            logger.log(DEBUG, file.pathText + " was deleted or renamed away; reading it to its end");
            if (!FileRegistry.linkedBeside(file, inodesByDirectory)) {
                registry.forgetPosition(file);
            }
            return;
        }
        // closed while inactive: it can still be found if it was only renamed in its directory
        registry.untrack(file);
        TrackedFile found = null;
        try {
            found = rotatedFiles.findBeside(file.path, file.identity(), file.offset(), file.sequence, new HashMap<>());
        }
        catch (IOException e) {
            logger.log(DEBUG, "cannot look for " + file.pathText + ": " + e.getMessage());
        }
        if (found == null) {
            if (file.size > file.splitter.position()) {
                logger.log(WARNING, file.pathText + " disappeared while closed with " + (file.size - file.splitter.position()) + " bytes unread");
                metrics.lostBytes.add(file.size - file.splitter.position());
            }
            file.deleted = true;
            registry.release(file);
        }
        else if (found.key().equals(file.key())) {
            found.committedKey = file.committedKey;
            found.committedValue = file.committedValue;
        }
        else {
            batch.forget(file.key());
            batch.moved(found);
        }
    }

    /**
     * Starts following a file no checkpoint knows.
     *
     * @param initialOffset for a file found by the first scan of this run, where it starts; null for a file that
     * appeared while running, which may be a copy still being written (copytruncate): see {@link #decideStart}
     */
    void trackNew(FileScanner.ScannedFile scanned, StartOffset initialOffset)
            throws IOException
    {
        FileChannel channel;
        FileStat stat;
        FileIdentity identity;
        try {
            channel = FileChannel.open(scanned.path(), StandardOpenOption.READ);
            stat = FileStat.of(scanned.path());
            identity = FileIdentity.of(stat.fileKey(), channel, stat.size());
        }
        catch (IOException e) {
            logger.log(DEBUG, "cannot open " + scanned.path() + ": " + e.getMessage());
            return;
        }
        if (!stat.fileKey().equals(scanned.stat().fileKey())) {
            // replaced since the scan; the next scan sees the new one
            channel.close();
            registry.requestRescan();
            return;
        }
        long offset = initialOffset != null ? initialOffset.of(scanned.path(), stat, channel) : 0;
        TrackedFile file = assembler.newFile(identity, scanned.path(), scanned.realPath(), offset);
        file.sequence = registry.nextSequence();
        file.size = stat.size();
        file.setLastModified(stat.lastModified().toMillis());
        file.needsCheck = true;
        // a file that appears while running may be a copy still being written (copytruncate)
        file.undecided = initialOffset == null;
        registry.adopt(file, channel);
        if (!file.undecided) {
            batch.moved(file);
        }
    }

    /** When an undecided file may have stopped growing long enough to be decided. */
    long settleDeadline(TrackedFile file)
    {
        return file.settleSinceNanos + SETTLE_NANOS;
    }

    /**
     * For a file that appeared while running: decides where it starts, once it can tell a copy of a file already
     * read (which continues where the original was) from a new file (read from the start). A file shorter than a
     * fingerprint, or a copy shorter than the original's position, is given time to stop growing.
     *
     * @return whether it may be read now
     */
    boolean decideStart(TrackedFile file, long size)
            throws IOException
    {
        long now = context.nanoTime();
        boolean settled = size == file.settleSize && now - file.settleSinceNanos >= SETTLE_NANOS;
        if (size != file.settleSize) {
            file.settleSize = size;
            file.settleSinceNanos = now;
        }
        long start = 0;
        if (size >= FileIdentity.FINGERPRINT_BYTES) {
            file.setIdentity(FileIdentity.of(file.identity().fileKey(), file.channel, size));
            Long copied = copiedOffset(file.identity(), file.channel, size);
            if (copied != null) {
                if (copied > size && !settled) {
                    return false;
                }
                start = Math.min(copied, size);
                logger.log(INFO, file.pathText + " is a copy of a file already read; continuing it at " + start);
            }
        }
        else if (!settled) {
            return false;
        }
        if (start == 0) {
            logger.log(DEBUG, "new file " + file.pathText + ": reading it from the beginning");
        }
        file.splitter.reset(start);
        file.undecided = false;
        batch.moved(file);
        return true;
    }

    /**
     * Where a new file continues a file already read, because it is a copy of it (copytruncate with the copy inside
     * the globs): it starts with the same {@value FileIdentity#FINGERPRINT_BYTES} bytes as a followed file that was
     * truncated or that agrees with it just before its position, or as a file recently truncated.
     *
     * @return the original's position, possibly beyond the copy's current size; null: a new file
     */
    private Long copiedOffset(FileIdentity identity, FileChannel channel, long size)
    {
        if (!identity.hasFullFingerprint()) {
            return null;
        }
        for (TrackedFile file : registry.files()) {
            FileIdentity original = file.identity();
            if (original.hasFullFingerprint() && original.fingerprint() == identity.fingerprint()
                    && !original.fileKey().equals(identity.fileKey()) && file.isOpen() && !file.undecided) {
                // the original already shorter than its position, or written again from the start (to as many bytes as
                // before, say) before the input looked: the other half of a copytruncate
                if (originalTruncatedOrRewritten(file) || sameBytesBefore(file.channel, channel, Math.min(file.offset(), size))) {
                    return file.offset();
                }
            }
        }
        Long offset = null;
        for (FileRegistry.RetiredFile file : registry.retired()) {
            if (file.identity().fingerprint() == identity.fingerprint() && !file.identity().fileKey().equals(identity.fileKey())) {
                offset = file.offset();
            }
        }
        return offset;
    }

    private static boolean originalTruncatedOrRewritten(TrackedFile file)
    {
        try {
            return file.channel.size() < file.splitter.position() || !file.identity().sameStart(file.channel);
        }
        catch (IOException e) {
            return false;
        }
    }

    private static boolean sameBytesBefore(FileChannel first, FileChannel second, long end)
    {
        int length = (int) Math.min(end, 4096);
        ByteBuffer a = ByteBuffer.allocate(length);
        ByteBuffer b = ByteBuffer.allocate(length);
        try {
            while (a.hasRemaining() && first.read(a, end - length + a.position()) > 0) {
                // reading
            }
            while (b.hasRemaining() && second.read(b, end - length + b.position()) > 0) {
                // reading
            }
        }
        catch (IOException e) {
            return false;
        }
        return !a.hasRemaining() && !b.hasRemaining() && a.flip().equals(b.flip());
    }
}
