package io.outrider.plugin.file;

import io.outrider.plugin.file.FilePositions.SavedPosition;
import io.outrider.spi.ComponentContext;
import io.outrider.support.LineEncoding;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Decides, at the start of a run, where each file is read from, and says why: matches the committed positions with
 * the files the globs find, in this order: (1) the same file, by device, inode and first bytes; (2) a copy made while
 * the agent was stopped (copytruncate: another inode that starts with the same bytes); (3) a file rotated beside its
 * old name while stopped (found by inode: read to its end, or, if it was, its position kept); a position none of these
 * finds is a file deleted, truncated or rewritten while stopped (its copy beside it is read from the position, a gzip
 * copy is measured and what it holds unread counted as lost); (4) rotated files beside watched names that have no
 * position though they were modified since positions of rotated files are kept (read from their start); (5) every
 * other file is new: {@code read_from} applies at the input's very first start only, and later every new file is read
 * from the beginning.
 *
 * <p>{@link #endsOfFiles} runs when the input is created, on the agent's thread; {@link #resume} at the start of
 * {@link FileInput#run}, on the input's thread.
 */
final class ResumePlanner
{
    private final FileInputConfig config;
    private final ComponentContext context;
    private final System.Logger logger;
    private final FileScanner scanner;
    private final Map<FileIdentity.FileKey, EndOfFile> endsAtCreation;
    private final FileRegistry registry;
    private final RotatedFiles rotatedFiles;
    private final ScanReconciler reconciler;
    private final EventAssembler assembler;
    private final Batch batch;
    private final FileInputMetrics metrics;

    /** Where a file found when the input was created ended: {@code read_from: end} starts it there. */
    record EndOfFile(FileIdentity identity, long offset) {}

    /**
     * @param endsAtCreation see {@link #endsOfFiles}; empty unless this is a first start with {@code read_from: end}
     */
    ResumePlanner(FileInputConfig config, ComponentContext context, FileScanner scanner, Map<FileIdentity.FileKey, EndOfFile> endsAtCreation,
            FileRegistry registry, RotatedFiles rotatedFiles, ScanReconciler reconciler, EventAssembler assembler, Batch batch, FileInputMetrics metrics)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.scanner = requireNonNull(scanner, "scanner is null");
        this.endsAtCreation = Map.copyOf(requireNonNull(endsAtCreation, "endsAtCreation is null"));
        this.registry = requireNonNull(registry, "registry is null");
        this.rotatedFiles = requireNonNull(rotatedFiles, "rotatedFiles is null");
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.assembler = requireNonNull(assembler, "assembler is null");
        this.batch = requireNonNull(batch, "batch is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /**
     * At a first start with {@code read_from: end}, where each file ends when the input is created. The agent creates
     * inputs before it reports that it started, and runs them after: a position taken when the input runs would skip
     * the lines written in between.
     */
    static Map<FileIdentity.FileKey, EndOfFile> endsOfFiles(FileScanner.ScanResult scan, LineEncoding encoding)
    {
        Map<FileIdentity.FileKey, EndOfFile> ends = new HashMap<>();
        for (FileScanner.ScannedFile scanned : scan.files().values()) {
            try (FileChannel channel = FileChannel.open(scanned.path(), StandardOpenOption.READ)) {
                FileStat stat = FileStat.of(scanned.path());
                if (stat.fileKey().equals(scanned.stat().fileKey())) {
                    FileIdentity identity = FileIdentity.of(stat.fileKey(), channel, stat.size());
                    ends.put(stat.fileKey(), new EndOfFile(identity, endOfLastLine(channel, stat.size(), encoding)));
                }
            }
            catch (IOException e) {
                // gone or unreadable: run sees it again, and reads it from the beginning if it appears
            }
        }
        return Map.copyOf(ends);
    }

    /** Where to start a file read from its end: after its last complete line. */
    private static long endOfLastLine(FileChannel channel, long size, LineEncoding encoding)
            throws IOException
    {
        if (encoding.unitWidth() != 1) {
            return size - size % encoding.unitWidth();
        }
        int length = (int) Math.min(size, 64 << 10);
        ByteBuffer tail = ByteBuffer.allocate(length);
        while (tail.hasRemaining()) {
            if (channel.read(tail, size - length + tail.position()) < 0) {
                break;
            }
        }
        byte[] bytes = tail.array();
        for (int i = tail.position() - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return size - length + i + 1;
            }
        }
        return size;
    }

    /** Follows the files the globs find, and those rotated beside them, from where they were; watches their directories. */
    void resume(ChangeSource source)
            throws IOException, InterruptedException
    {
        Map<String, String> committed = context.checkpoints();
        boolean firstStart = !committed.containsKey(FilePositions.STARTED_KEY);
        List<SavedPosition> saved = new ArrayList<>();
        for (Map.Entry<String, String> entry : committed.entrySet()) {
            if (FilePositions.isInputKey(entry.getKey())) {
                continue;
            }
            Optional<SavedPosition> position = FilePositions.parse(entry.getKey(), entry.getValue());
            if (position.isEmpty()) {
                logger.log(WARNING, "ignoring unreadable checkpoint " + entry.getKey() + "=" + entry.getValue());
                batch.forget(entry.getKey());
                continue;
            }
            saved.add(position.get());
            registry.sequenceUsed(position.get().sequence());
        }
        // most specific first: where two positions name the same inode (one of them left by a deleted file whose inode
        // was reused), the one that checks more of the file's first bytes claims it
        saved.sort(Comparator.comparingInt((SavedPosition position) -> position.identity().fingerprintLength()).reversed()
                .thenComparing(SavedPosition::key));

        FileScanner.ScanResult scan = scanner.scan();
        source.watch(scan.directories());
        announceMatches(scan);
        Map<FileIdentity.FileKey, FileScanner.ScannedFile> unclaimed = new LinkedHashMap<>(scan.files());

        // 1. the same file, by device, inode and first bytes
        List<SavedPosition> unresolved = new ArrayList<>();
        for (SavedPosition position : saved) {
            FileScanner.ScannedFile candidate = unclaimed.get(position.identity().fileKey());
            if (candidate != null && resume(candidate.path(), candidate.realPath(), position, false) != null) {
                unclaimed.remove(candidate.stat().fileKey());
                logger.log(INFO, "resuming " + candidate.path() + " at byte " + position.offset() + " (saved position)");
            }
            else {
                unresolved.add(position);
            }
        }
        // 2. a copy (copytruncate while stopped): another inode that starts with the same bytes
        Iterator<SavedPosition> remaining = unresolved.iterator();
        while (remaining.hasNext()) {
            SavedPosition position = remaining.next();
            if (!position.identity().hasFullFingerprint()) {
                continue;
            }
            for (FileScanner.ScannedFile candidate : List.copyOf(unclaimed.values())) {
                if (candidate.stat().size() < FileIdentity.FINGERPRINT_BYTES || registry.follows(candidate.stat().fileKey())) {
                    continue;
                }
                TrackedFile file = resume(candidate.path(), candidate.realPath(), position, true);
                if (file != null) {
                    logger.log(INFO, "resuming " + candidate.path() + " at byte " + position.offset() + ": it starts like the file last seen as "
                            + position.path() + ", of which it is a copy made while the agent was stopped");
                    unclaimed.remove(candidate.stat().fileKey());
                    batch.forget(position.key());
                    batch.moved(file);
                    remaining.remove();
                    break;
                }
            }
        }
        // 3. renamed out of the globs while stopped (rotation): look beside its old path, drain it, then let go
        Map<Path, Map<FileIdentity.FileKey, List<Path>>> listings = new HashMap<>();
        for (SavedPosition position : unresolved) {
            TrackedFile file = position.path() == null ? null : rotatedFiles.findBeside(position.path(), position.identity(), position.offset(), position.sequence(), listings);
            if (file != null && file.key().equals(position.key()) && file.splitter.position() >= file.size) {
                // read to its end before, and kept because it is still there
                logger.log(DEBUG, file.openPath + " (rotated from " + file.pathText + ") was read to its end before");
                registry.untrack(file);
                registry.closeFile(file);
                registry.keepBeside(file.identity().fileKey(), position.key(), file.openPath.getParent());
            }
            else if (file != null) {
                logger.log(INFO, file.pathText + " was rotated while the agent was stopped; reading the rest of it from " + file.openPath + " at byte " + file.offset());
                metrics.rotations.increment();
                file.committedKey = position.key();
                file.committedValue = position.value();
                if (!file.key().equals(position.key())) {
                    batch.forget(position.key());
                    batch.moved(file);
                }
            }
            else {
                recoverLostPosition(position, unclaimed.containsKey(position.identity().fileKey()));
            }
        }
        // 4. rotated beside a watched name before they were read (renamed twice while the agent was stopped, say)
        String knownSince = committed.get(FilePositions.SIBLINGS_KEY);
        long knownSinceMillis = Long.MAX_VALUE;
        try {
            knownSinceMillis = knownSince == null ? Long.MAX_VALUE : Instant.parse(knownSince).toEpochMilli();
        }
        catch (RuntimeException e) {
            logger.log(WARNING, "ignoring unreadable checkpoint " + FilePositions.SIBLINGS_KEY + "=" + knownSince);
        }
        rotatedFiles.setKnownSince(knownSinceMillis);
        if (knownSinceMillis == Long.MAX_VALUE) {
            // from now on; before, positions of rotated files were forgotten once they were read, so nothing tells
            // which of the files rotated earlier were read. Compared with the kernel's file times, hence the system clock
            batch.put(FilePositions.SIBLINGS_KEY, Instant.ofEpochMilli(System.currentTimeMillis()).toString());
        }
        Map<Path, Set<String>> watchedNames = new LinkedHashMap<>();
        scan.files().values().forEach(scanned -> RotatedFiles.addWatchedName(watchedNames, scanned.path()));
        saved.forEach(position -> RotatedFiles.addWatchedName(watchedNames, position.path()));
        for (Map.Entry<Path, Set<String>> directory : watchedNames.entrySet()) {
            rotatedFiles.lookBeside(directory.getKey(), directory.getValue(), saved.stream().map(SavedPosition::identity).toList());
        }
        // 5. everything else is new
        for (FileScanner.ScannedFile candidate : unclaimed.values()) {
            reconciler.trackNew(candidate, (path, stat, channel) -> initialOffset(path, stat, channel, firstStart));
        }
        registry.indexPaths();
        if (firstStart) {
            batch.put(FilePositions.STARTED_KEY, context.clock().instant().toString());
        }
        batch.flush();
    }

    /**
     * A saved position whose file is neither where it was nor beside it under its inode: it was deleted, or truncated
     * (copytruncate) or rewritten, while the agent was stopped. A copy beside the old name (app.log.1, whether the
     * globs match it or not) that starts with the same bytes holds what was not read yet: it is read from the saved
     * position to its end. A compressed copy is not read; its unread bytes are counted as lost.
     *
     * @param truncatedInPlace the file's inode is still under a name the globs match, with other first bytes
     */
    private void recoverLostPosition(SavedPosition position, boolean truncatedInPlace)
            throws IOException
    {
        batch.forget(position.key());
        if (truncatedInPlace) {
            metrics.truncations.increment();
        }
        Path formerPath = position.path();
        // a position saved while its file was empty checks no bytes: any sibling would pass for its copy
        List<RotatedFiles.Sibling> siblings = formerPath == null || position.identity().fingerprintLength() == 0 ? List.of() : rotatedFiles.rotatedSiblings(formerPath);
        for (RotatedFiles.Sibling sibling : siblings) {
            if (sibling.compression() == null && rotatedFiles.adoptCopy(position, sibling)) {
                logger.log(INFO, formerPath + (truncatedInPlace ? " was truncated" : " is gone") + " since the agent stopped; its copy " + sibling.path()
                        + " holds " + (sibling.stat().size() - position.offset()) + " bytes not read yet: reading them from byte " + position.offset());
                return;
            }
        }
        for (RotatedFiles.Sibling sibling : siblings) {
            if ("gz".equals(sibling.compression())) {
                OptionalLong size = rotatedFiles.uncompressedSizeIfCopy(sibling.path(), position.identity());
                if (size.isPresent()) {
                    long unread = size.getAsLong() - position.offset();
                    if (unread > 0) {
                        metrics.lostBytes.add(unread);
                        logger.log(WARNING, formerPath + " was rotated into the compressed file " + sibling.path() + " with " + unread
                                + " bytes not read yet (after byte " + position.offset() + "); compressed files are not read, so they are lost");
                    }
                    return;
                }
            }
        }
        if (truncatedInPlace) {
            logger.log(WARNING, formerPath + " was truncated or rewritten while the agent was stopped and no copy of it is beside it: "
                    + "whatever was written to it after byte " + position.offset() + " before that is lost; reading it from the start");
        }
        else {
            logger.log(INFO, "the file last seen as " + formerPath + " is gone or was rewritten while the agent was stopped; forgetting its position");
        }
    }

    /**
     * Follows the file at {@code path} from a saved position if it is the saved file ({@code asCopy}: if it starts
     * with the same bytes, whatever its inode). @return the tracked file, or null if it is another file
     */
    private TrackedFile resume(Path path, Path realPath, SavedPosition position, boolean asCopy)
            throws IOException
    {
        FileChannel channel;
        FileStat stat;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            stat = FileStat.of(path);
        }
        catch (IOException e) {
            return null;
        }
        boolean same;
        FileIdentity identity = position.identity();
        try {
            same = (asCopy || stat.fileKey().equals(identity.fileKey())) && identity.sameStart(channel);
            if (same && asCopy) {
                identity = FileIdentity.of(stat.fileKey(), channel, stat.size());
            }
        }
        catch (IOException e) {
            same = false;
        }
        if (!same) {
            channel.close();
            return null;
        }
        TrackedFile file = assembler.newFile(identity, path, realPath, position.offset());
        file.sequence = registry.sequenceOrNext(position.sequence());
        file.committedKey = position.key();
        file.committedValue = position.value();
        file.setLastModified(stat.lastModified().toMillis());
        file.size = stat.size();
        // what was written while the agent was stopped sends no notification: read it now, not at the next scan
        file.needsCheck = true;
        registry.adopt(file, channel);
        return file;
    }

    /**
     * Says what each glob matches: an operator's first question is whether the input reads the right files. A glob
     * that matches nothing is said at INFO: globs are often alternatives across distributions, and the WARN for an
     * input none of whose globs matches comes from {@link FileInputFactory#warnings}, at validate and at start.
     */
    private void announceMatches(FileScanner.ScanResult scan)
    {
        for (Map.Entry<String, List<Path>> glob : scan.matchesByGlob().entrySet()) {
            List<Path> matched = glob.getValue();
            if (matched.isEmpty()) {
                logger.log(INFO, "path " + glob.getKey() + " matches no file yet; it will be picked up when it appears");
                continue;
            }
            logger.log(INFO, "path " + glob.getKey() + " matches " + matched.size() + (matched.size() == 1 ? " file" : " files"));
            logger.log(DEBUG, () -> "path " + glob.getKey() + " matches " + matched.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /** Where a file found by the first scan of a run starts, logged with the reason. */
    private long initialOffset(Path path, FileStat stat, FileChannel channel, boolean firstStart)
            throws IOException
    {
        if (!firstStart) {
            logger.log(INFO, "reading " + path + " from the beginning: it has no saved position (new since the last run)");
            return 0;
        }
        if (config.readFrom() == FileInputConfig.ReadFrom.BEGINNING) {
            logger.log(INFO, "reading " + path + " from the beginning (read_from: beginning, first start)");
            return 0;
        }
        EndOfFile end = endsAtCreation.get(stat.fileKey());
        if (end == null || stat.size() < end.offset() || !end.identity().sameStart(channel)) {
            logger.log(INFO, "reading " + path + " from the beginning: it appeared (or was rewritten) after the input started");
            return 0;
        }
        logger.log(INFO, "reading " + path + " from its end, byte " + end.offset() + " (read_from: end, first start)");
        return end.offset();
    }
}
