package io.outrider.plugin.file;

import io.outrider.spi.ComponentContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * The files the input follows and what it remembers of files it let go of: followed files by inode and by path,
 * their open handles (at most {@code max_open_files}, the least recently active closed beyond), identities recently
 * retired (released or rewritten, with their last offset: how a copy or a returning file is recognised), positions
 * kept for files rotated beside a watched name, and the sequence that orders files seen for the first time. It also
 * lets go of files: {@link #release} once a file rotated away is read to its end, and the positions of files no
 * directory entry leads to any more (their inode numbers go to the next new files).
 *
 * <p>Created for one run of the input and used on its thread only.
 */
final class FileRegistry
{
    private static final int RETIRED_CAPACITY = 512;

    private final ComponentContext context;
    private final System.Logger logger;
    private final int maxOpenFiles;
    private final FileInputMetrics metrics;
    private final EventAssembler assembler;
    private final Batch batch;

    private final Set<TrackedFile> tracked = new LinkedHashSet<>();
    private final Set<TrackedFile> trackedView = Collections.unmodifiableSet(tracked);
    private final Map<FileIdentity.FileKey, TrackedFile> byFileKey = new HashMap<>();
    private final Map<Path, TrackedFile> byPath = new HashMap<>();
    /** Identities recently released or rewritten, with their last offset: recognises copies and returning files. */
    private final LinkedHashMap<String, RetiredFile> retired = new LinkedHashMap<>(16, 0.75f, false)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RetiredFile> eldest)
        {
            return size() > RETIRED_CAPACITY;
        }
    };
    /** Files rotated beside a watched name, read to their end and released, by inode. */
    private final Map<FileIdentity.FileKey, KeptPosition> keptBeside = new HashMap<>();
    /** Watched names rotated (renamed away, deleted, truncated) since their rotated files were last looked at. */
    private final Set<Path> rotatedNames = new LinkedHashSet<>();
    /** The {@link TrackedFile#sequence} of the next file seen for the first time. */
    private long nextSequence = 1;
    private boolean rescanRequested;

    /** An identity let go of, with the offset it was read to. */
    record RetiredFile(FileIdentity identity, long offset) {}

    /** The position of a file read to its end and released, kept while it stays in {@code directory}. */
    private record KeptPosition(String key, Path directory) {}

    FileRegistry(ComponentContext context, int maxOpenFiles, FileInputMetrics metrics, EventAssembler assembler, Batch batch)
    {
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.maxOpenFiles = maxOpenFiles;
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.assembler = requireNonNull(assembler, "assembler is null");
        this.batch = requireNonNull(batch, "batch is null");
    }

    // ---------------------------------------------------------------- followed files

    /** The followed files, in the order they were adopted; a live view: iterate over a copy to change the registry. */
    Set<TrackedFile> files()
    {
        return trackedView;
    }

    /** The followed file with this inode, null if none. */
    TrackedFile byFileKey(FileIdentity.FileKey fileKey)
    {
        return byFileKey.get(fileKey);
    }

    boolean follows(FileIdentity.FileKey fileKey)
    {
        return byFileKey.containsKey(fileKey);
    }

    /** The followed file the globs lead to by this path (or the path a symbolic link leads to), as of {@link #indexPaths}. */
    TrackedFile byPath(Path path)
    {
        return byPath.get(path);
    }

    boolean hasPath(Path path)
    {
        return byPath.containsKey(path);
    }

    /** Starts following {@code file}, open as {@code channel}; closes the least active file beyond max_open_files. */
    void adopt(TrackedFile file, FileChannel channel)
    {
        KeptPosition kept = keptBeside.remove(file.identity().fileKey());
        if (kept != null && !kept.key().equals(file.key())) {
            batch.forget(kept.key());
        }
        tracked.add(file);
        byFileKey.put(file.identity().fileKey(), file);
        file.channel = channel;
        metrics.openFiles.incrementAndGet();
        enforceOpenLimit(file);
    }

    /** Stops following {@code file} without a word: its position is the caller's business. */
    void untrack(TrackedFile file)
    {
        byFileKey.remove(file.identity().fileKey());
        tracked.remove(file);
        metrics.trackedFiles.set(tracked.size());
    }

    /** Indexes the followed files the globs lead to by path, after a scan. */
    void indexPaths()
    {
        byPath.clear();
        for (TrackedFile file : tracked) {
            if (!file.orphaned) {
                byPath.put(file.path, file);
                byPath.put(file.realPath, file);
            }
        }
        metrics.trackedFiles.set(tracked.size());
    }

    // ---------------------------------------------------------------- open handles

    /** Opens a file closed for inactivity or the open-file limit, if it changed. @return whether it is open */
    boolean reopen(TrackedFile file)
            throws IOException
    {
        FileStat stat;
        try {
            stat = FileStat.of(file.openPath);
        }
        catch (NoSuchFileException e) {
            rescanRequested = true;
            return false;
        }
        if (!stat.fileKey().equals(file.identity().fileKey())) {
            rescanRequested = true;
            return false;
        }
        if (stat.size() == file.splitter.position() && stat.lastModified().toMillis() == file.lastModifiedMillis) {
            return false;
        }
        FileChannel channel = FileChannel.open(file.openPath, StandardOpenOption.READ);
        file.channel = channel;
        metrics.openFiles.incrementAndGet();
        file.setLastModified(stat.lastModified().toMillis());
        file.lastDataNanos = context.nanoTime();
        enforceOpenLimit(file);
        return true;
    }

    private void enforceOpenLimit(TrackedFile keep)
    {
        while (metrics.openFiles.get() > maxOpenFiles) {
            TrackedFile victim = null;
            for (TrackedFile candidate : tracked) {
                if (candidate != keep && candidate.isOpen() && !candidate.orphaned
                        && (victim == null || candidate.lastDataNanos < victim.lastDataNanos)) {
                    victim = candidate;
                }
            }
            if (victim == null) {
                return;
            }
            closeFile(victim);
        }
    }

    void closeFile(TrackedFile file)
    {
        if (file.isOpen()) {
            file.closeChannel();
            metrics.openFiles.decrementAndGet();
        }
    }

    /** Closes every file: the run is over. */
    void closeAll()
    {
        for (TrackedFile file : tracked) {
            closeFile(file);
        }
    }

    // ---------------------------------------------------------------- what is remembered of files let go of

    void retire(FileIdentity identity, long offset)
    {
        retired.put(identity.key(), new RetiredFile(identity, offset));
    }

    /** The identities recently retired, oldest first. */
    Collection<RetiredFile> retired()
    {
        return Collections.unmodifiableCollection(retired.values());
    }

    /** Keeps the position {@code key} of a file read to its end while it stays in {@code directory}. */
    void keepBeside(FileIdentity.FileKey fileKey, String key, Path directory)
    {
        keptBeside.put(fileKey, new KeptPosition(key, directory));
    }

    boolean isKeptBeside(FileIdentity.FileKey fileKey)
    {
        return keptBeside.containsKey(fileKey);
    }

    /** Forgets the positions kept for files of {@code directory} whose inode is not among {@code present}. */
    void forgetKeptMissing(Path directory, Set<FileIdentity.FileKey> present)
    {
        for (Iterator<KeptPosition> kept = keptBeside.values().iterator(); kept.hasNext(); ) {
            KeptPosition position = kept.next();
            if (position.directory().equals(directory) && !present.contains(FileIdentity.parseKey(position.key()).map(FileIdentity::fileKey).orElse(null))) {
                batch.forget(position.key());
                kept.remove();
            }
        }
    }

    /** The sequence of the next file seen for the first time. */
    long nextSequence()
    {
        return nextSequence++;
    }

    /** A saved sequence, or the next one for a position saved before sequences existed (0). */
    long sequenceOrNext(long saved)
    {
        return saved > 0 ? saved : nextSequence++;
    }

    /** A saved position used {@code sequence}: files seen for the first time from now on come after it. */
    void sequenceUsed(long sequence)
    {
        nextSequence = Math.max(nextSequence, sequence + 1);
    }

    // ---------------------------------------------------------------- requests to the loop

    /** What the last scan found may be out of date (a file replaced or gone): the loop scans again right away. */
    void requestRescan()
    {
        rescanRequested = true;
    }

    boolean rescanRequested()
    {
        return rescanRequested;
    }

    void clearRescanRequest()
    {
        rescanRequested = false;
    }

    /** {@code path}, a watched name, was rotated (renamed away, deleted, truncated): look at its rotated files. */
    void rotated(Path path)
    {
        rotatedNames.add(path);
    }

    /** The watched names rotated since the last call. */
    List<Path> takeRotatedNames()
    {
        List<Path> names = List.copyOf(rotatedNames);
        rotatedNames.clear();
        return names;
    }

    // ---------------------------------------------------------------- letting go

    /**
     * Lets go of a file that no glob leads to any more, once read to its end. Its position is kept while it is beside
     * its watched name (renamed there: that it was read is what tells it from a rotated file never read), else
     * forgotten.
     */
    void release(TrackedFile file)
            throws InterruptedException
    {
        logger.log(DEBUG, "releasing " + file.pathText + ": rotated away or deleted, and read to its end");
        // nobody will finish its last line any more
        file.readTime = context.clock().instant();
        assembler.flushPending(file);
        tracked.remove(file);
        if (byFileKey.get(file.identity().fileKey()) == file) {
            byFileKey.remove(file.identity().fileKey());
        }
        closeFile(file);
        metrics.released.increment();
        // seen beside its old name when it was rotated, but it may have been deleted since: its inode would be reused
        if (file.deleted || file.openPath.getParent() == null || !linkedBeside(file, new HashMap<>())) {
            batch.forget(file.key());
        }
        else {
            batch.moved(file);
            keptBeside.put(file.identity().fileKey(), new KeptPosition(file.key(), file.openPath.getParent()));
        }
        if (file.committedKey != null && !file.committedKey.equals(file.key())) {
            batch.forget(file.committedKey);
        }
        metrics.trackedFiles.set(tracked.size());
    }

    /**
     * On close: a file deleted while followed cannot be opened again once its handle is closed, so its position is
     * let go now (most were already when their deletion was noticed).
     */
    void letGoOfDeletedFiles()
            throws InterruptedException
    {
        Map<Path, Set<FileIdentity.FileKey>> inodesByDirectory = new HashMap<>();
        for (TrackedFile file : List.copyOf(tracked)) {
            if (!file.isOpen() || linkedBeside(file, inodesByDirectory)) {
                continue;
            }
            long unread = 0;
            try {
                unread = Math.max(0, file.channel.size() - file.splitter.position());
            }
            catch (IOException e) {
                // the size is only for the warning and the count
            }
            if (unread > 0) {
                logger.log(WARNING, file.pathText + " was deleted (or moved out of its directory) and is closed with " + unread
                        + " bytes unread: the input stopped before reading them");
                metrics.lostBytes.add(unread);
            }
            file.deleted = true;
            release(file);
        }
        batch.flush();
    }

    /**
     * A file no directory entry leads to any more keeps being read through its handle, but its position is not kept:
     * after a restart it cannot be found, and its inode number will be given to another file, which a restart could
     * take for this one.
     */
    void forgetPosition(TrackedFile file)
    {
        file.deleted = true;
        batch.forget(file.key());
        if (file.committedKey != null && !file.committedKey.equals(file.key())) {
            batch.forget(file.committedKey);
        }
    }

    /**
     * Whether an entry of the directory where the file was last seen still leads to its inode (it was renamed beside
     * it, say). {@code inodesByDirectory} lists each directory once per pass, however many of its files are asked about.
     */
    static boolean linkedBeside(TrackedFile file, Map<Path, Set<FileIdentity.FileKey>> inodesByDirectory)
    {
        return inodesByDirectory.computeIfAbsent(file.openPath.getParent(), FileRegistry::inodesIn).contains(file.identity().fileKey());
    }

    /** The inodes of the entries of {@code directory}; none if it cannot be listed (e.g. it is gone). */
    private static Set<FileIdentity.FileKey> inodesIn(Path directory)
    {
        Set<FileIdentity.FileKey> inodes = new HashSet<>();
        if (directory == null) {
            return inodes;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                try {
                    inodes.add(FileStat.of(entry).fileKey());
                }
                catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        catch (IOException e) {
            // the directory itself is gone, and every entry with it
        }
        return inodes;
    }
}
