package io.outrider.plugin.file;

import io.outrider.plugin.file.FilePositions.SavedPosition;
import io.outrider.spi.ComponentContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.util.Objects.requireNonNull;

/**
 * Finds the files rotated beside a watched name (outside the globs) and follows them as orphans, to be read to their
 * end and released: a followed file renamed beside its old name while it was closed or while the agent was stopped
 * (found by inode), the copy of a file truncated in place (copytruncate: another inode that starts with the same
 * bytes, read from where the original was), and a rotated file modified since positions of rotated files are kept
 * that has none (rotated away before it was read: read from its start). Rotated names are the watched name plus
 * numbers or a date ({@code .1}, {@code .0}, {@code -20260101}, {@code .2026-01-01}), possibly compressed
 * ({@code .1.gz}); compressed files are never read, only measured to count what was lost in them.
 *
 * <p>Created for one run of the input and used on its thread only.
 */
final class RotatedFiles
{
    /** A watched name (group 1) plus a rotation suffix (group 2) and possibly a compressed format's (group 3). */
    private static final Pattern ROTATED_NAME = Pattern.compile("(.+?)((?:[.-]\\d[\\d_-]*)+)(?:\\.(gz|bz2|xz|zst|lz4|lzma|Z))?");

    private final System.Logger logger;
    private final FileScanner scanner;
    private final FileRegistry registry;
    private final EventAssembler assembler;
    private final Batch batch;
    /** Rotated files modified since then (epoch millis) without a position were never read; MAX_VALUE: none is read. */
    private long siblingsKnownSinceMillis = Long.MAX_VALUE;

    /**
     * What a rotated file name says.
     *
     * @param watchedName the name it was rotated from
     * @param compression the compressed format's suffix ({@code gz}, {@code xz}...), null if not compressed
     */
    record RotatedName(String watchedName, String compression) {}

    /**
     * A file beside a watched name under a rotated name of it.
     *
     * @param compression the compressed format's suffix ({@code gz}, {@code xz}...), null if not compressed
     */
    record Sibling(Path path, FileStat stat, String compression) {}

    RotatedFiles(ComponentContext context, FileScanner scanner, FileRegistry registry, EventAssembler assembler, Batch batch)
    {
        this.logger = requireNonNull(context, "context is null").logger();
        this.scanner = requireNonNull(scanner, "scanner is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.assembler = requireNonNull(assembler, "assembler is null");
        this.batch = requireNonNull(batch, "batch is null");
    }

    /** The watched name {@code fileName} was rotated from, and its compression; empty if it is not a rotated name. */
    static Optional<RotatedName> parseName(String fileName)
    {
        Matcher name = ROTATED_NAME.matcher(fileName);
        return name.matches() ? Optional.of(new RotatedName(name.group(1), name.group(3))) : Optional.empty();
    }

    /**
     * Rotated files modified since {@code millis} (epoch) without a position were never read;
     * {@link Long#MAX_VALUE}: nothing tells which were read, so none is read.
     */
    void setKnownSince(long millis)
    {
        siblingsKnownSinceMillis = millis;
    }

    long knownSince()
    {
        return siblingsKnownSinceMillis;
    }

    /** The regular files beside {@code watched} under a rotated name of it, most recently modified first. */
    List<Sibling> rotatedSiblings(Path watched)
    {
        Path directory = watched.getParent();
        Path watchedName = watched.getFileName();
        List<Sibling> siblings = new ArrayList<>();
        if (directory == null || watchedName == null) {
            return siblings;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Optional<RotatedName> name = parseName(entry.getFileName().toString());
                if (name.isEmpty() || !name.get().watchedName().equals(watchedName.toString())) {
                    continue;
                }
                try {
                    FileStat stat = FileStat.of(entry);
                    if (stat.regularFile()) {
                        siblings.add(new Sibling(entry, stat, name.get().compression()));
                    }
                }
                catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        catch (IOException e) {
            logger.log(DEBUG, "cannot list " + directory + ": " + e.getMessage());
        }
        siblings.sort(Comparator.comparing((Sibling sibling) -> sibling.stat().lastModified()).reversed());
        return siblings;
    }

    static void addWatchedName(Map<Path, Set<String>> watchedNames, Path path)
    {
        if (path != null && path.getParent() != null && path.getFileName() != null) {
            watchedNames.computeIfAbsent(path.getParent(), directory -> new HashSet<>()).add(path.getFileName().toString());
        }
    }

    /** After rotations: what their rotated files beside hold that was never read (see {@link #lookBeside}). */
    void lookBesideRotated()
            throws IOException
    {
        Map<Path, Set<String>> watchedNames = new LinkedHashMap<>();
        registry.takeRotatedNames().forEach(path -> addWatchedName(watchedNames, path));
        for (Map.Entry<Path, Set<String>> directory : watchedNames.entrySet()) {
            lookBeside(directory.getKey(), directory.getValue(), List.of());
        }
    }

    /**
     * Looks at the rotated files beside watched names in {@code directory}: one modified since positions of rotated
     * files are kept that has none was rotated away before the input read it (renamed out of the globs twice in a
     * row, say): it is read from the start. Positions kept for files no longer there are forgotten.
     *
     * @param watchedNames names in the directory the globs match or matched
     * @param readIdentities identities of files read, whose copies are not read again
     */
    void lookBeside(Path directory, Set<String> watchedNames, List<FileIdentity> readIdentities)
            throws IOException
    {
        Set<FileIdentity.FileKey> present = new HashSet<>();
        List<Sibling> unread = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                FileStat stat;
                try {
                    stat = FileStat.of(entry);
                }
                catch (IOException e) {
                    continue;
                }
                present.add(stat.fileKey());
                Optional<RotatedName> name = parseName(entry.getFileName().toString());
                if (name.isPresent() && watchedNames.contains(name.get().watchedName()) && name.get().compression() == null && stat.regularFile() && stat.size() > 0
                        && stat.lastModified().toMillis() >= siblingsKnownSinceMillis && !registry.follows(stat.fileKey())
                        && !registry.isKeptBeside(stat.fileKey()) && !scanner.matches(entry)) {
                    unread.add(new Sibling(entry, stat, null));
                }
            }
        }
        catch (IOException e) {
            logger.log(DEBUG, "cannot list " + directory + ": " + e.getMessage());
            return;
        }
        registry.forgetKeptMissing(directory, present);
        // oldest first, as they were written
        unread.sort(Comparator.comparing((Sibling sibling) -> sibling.stat().lastModified()));
        for (Sibling sibling : unread) {
            adoptUnread(sibling, readIdentities);
        }
    }

    /** Follows a rotated file no position knows from its start, unless it is a copy of a file read. */
    private void adoptUnread(Sibling sibling, List<FileIdentity> readIdentities)
            throws IOException
    {
        FileChannel channel;
        FileIdentity identity;
        try {
            channel = FileChannel.open(sibling.path(), StandardOpenOption.READ);
        }
        catch (IOException e) {
            return;
        }
        try {
            identity = FileIdentity.of(sibling.stat().fileKey(), channel, sibling.stat().size());
            List<FileIdentity> read = new ArrayList<>(readIdentities);
            registry.files().forEach(file -> read.add(file.identity()));
            registry.retired().forEach(file -> read.add(file.identity()));
            // read once, fingerprinted once per length, compared with every file read
            byte[] head = FileIdentity.readHead(channel, FileIdentity.FINGERPRINT_BYTES);
            Map<Integer, Long> fingerprints = new HashMap<>();
            for (FileIdentity other : read) {
                int length = other.fingerprintLength();
                if (length > 0 && length <= head.length
                        && fingerprints.computeIfAbsent(length, ignored -> FileIdentity.fingerprint(head, length)) == other.fingerprint()) {
                    logger.log(DEBUG, sibling.path() + " starts like a file already read; taking it for a copy of it and leaving it alone");
                    channel.close();
                    return;
                }
            }
        }
        catch (IOException e) {
            // gone or unreadable since it was listed: the next rotation looks again
            logger.log(DEBUG, "cannot read " + sibling.path() + ": " + e.getMessage());
            channel.close();
            return;
        }
        catch (RuntimeException e) {
            channel.close();
            throw e;
        }
        Optional<RotatedName> name = parseName(sibling.path().getFileName().toString());
        Path watched = name.isPresent() ? sibling.path().resolveSibling(name.get().watchedName()) : sibling.path();
        logger.log(INFO, sibling.path() + " was rotated from " + watched + " before the input read it; reading it from the start");
        TrackedFile file = assembler.newFile(identity, watched, watched, 0);
        file.sequence = registry.nextSequence();
        file.openPath = sibling.path();
        file.orphaned = true;
        file.needsCheck = true;
        file.size = sibling.stat().size();
        file.setLastModified(sibling.stat().lastModified().toMillis());
        registry.adopt(file, channel);
        batch.moved(file);
    }

    /**
     * Follows {@code sibling} from the saved position if it is a copy of that position's file: another inode that
     * starts with the same bytes and reaches at least as far. @return whether it is
     */
    boolean adoptCopy(SavedPosition position, Sibling sibling)
            throws IOException
    {
        FileStat stat = sibling.stat();
        if (stat.fileKey().equals(position.identity().fileKey()) || registry.follows(stat.fileKey()) || scanner.matches(sibling.path())
                || stat.size() < position.offset()) {
            return false;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(sibling.path(), StandardOpenOption.READ);
        }
        catch (IOException e) {
            return false;
        }
        try {
            if (!position.identity().sameStart(channel)) {
                channel.close();
                return false;
            }
            TrackedFile file = assembler.newFile(FileIdentity.of(stat.fileKey(), channel, stat.size()), position.path(), position.path(), position.offset());
            file.sequence = registry.sequenceOrNext(position.sequence());
            file.openPath = sibling.path();
            file.orphaned = true;
            file.size = stat.size();
            file.setLastModified(stat.lastModified().toMillis());
            registry.adopt(file, channel);
            batch.moved(file);
            return true;
        }
        catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The size of a gzip file's content if it starts with the bytes {@code identity} fingerprinted; empty if not. */
    OptionalLong uncompressedSizeIfCopy(Path path, FileIdentity identity)
    {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            byte[] head = in.readNBytes(identity.fingerprintLength());
            if (head.length != identity.fingerprintLength() || FileIdentity.fingerprint(head, head.length) != identity.fingerprint()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(head.length + in.transferTo(OutputStream.nullOutputStream()));
        }
        catch (IOException e) {
            logger.log(DEBUG, "cannot read the compressed file " + path + ": " + e.getMessage());
            return OptionalLong.empty();
        }
    }

    /**
     * Looks for a file with this identity in the directory of {@code formerPath}, among those the globs do not match,
     * and follows it as an orphan.
     *
     * @param listings the directories listed by inode in this pass, each listed once however many positions look in it
     * @return the file followed, null if none
     */
    TrackedFile findBeside(Path formerPath, FileIdentity identity, long offset, long sequence, Map<Path, Map<FileIdentity.FileKey, List<Path>>> listings)
            throws IOException
    {
        Path directory = formerPath.getParent();
        if (directory == null) {
            return null;
        }
        for (Path entry : listings.computeIfAbsent(directory, this::regularFilesByInode).getOrDefault(identity.fileKey(), List.of())) {
            FileStat stat;
            try {
                stat = FileStat.of(entry);
            }
            catch (IOException e) {
                continue;
            }
            if (!stat.regularFile() || !stat.fileKey().equals(identity.fileKey()) || registry.follows(stat.fileKey()) || scanner.matches(entry)) {
                continue;
            }
            FileChannel channel = FileChannel.open(entry, StandardOpenOption.READ);
            try {
                TrackedFile file = adoptBeside(formerPath, identity, offset, sequence, entry, stat, channel);
                if (file != null) {
                    return file;
                }
            }
            catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            channel.close();
            return null;
        }
        return null;
    }

    /**
     * The regular files of {@code directory} by inode; none if it cannot be listed. Listed once per pass however many
     * positions look in it: a directory of rotated files holds as many positions as files.
     */
    private Map<FileIdentity.FileKey, List<Path>> regularFilesByInode(Path directory)
    {
        Map<FileIdentity.FileKey, List<Path>> files = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                try {
                    FileStat stat = FileStat.of(entry);
                    if (stat.regularFile()) {
                        files.computeIfAbsent(stat.fileKey(), key -> new ArrayList<>()).add(entry);
                    }
                }
                catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        catch (IOException e) {
            logger.log(DEBUG, "cannot list " + directory + ": " + e.getMessage());
        }
        return files;
    }

    /** Follows {@code entry}, a file with the identity's inode found beside its former path. @return null: another file */
    private TrackedFile adoptBeside(Path formerPath, FileIdentity identity, long offset, long sequence, Path entry, FileStat stat, FileChannel channel)
            throws IOException
    {
        FileIdentity foundIdentity = identity;
        long foundOffset = offset;
        Path name = entry.getFileName();
        Path formerName = formerPath.getFileName();
        boolean nameContinues = name != null && formerName != null && name.toString().startsWith(formerName.toString());
        if (identity.fingerprintLength() == 0 && !nameContinues) {
            // no bytes to compare (the file was empty, e.g. just truncated): the inode alone could be another file's,
            // reused after this one was deleted; only a name that continues the old one (app.log.1) makes it this file
            return null;
        }
        if (!identity.sameStart(channel)) {
            // the same inode with other first bytes: truncated and written again, then rotated, while we were not
            // looking; under a name that continues the old one (app.log.1) it is that file
            if (!nameContinues) {
                return null;
            }
            logger.log(INFO, entry + " was rewritten before it was rotated; reading it from the start");
            foundIdentity = FileIdentity.of(stat.fileKey(), channel, stat.size());
            foundOffset = 0;
        }
        TrackedFile file = assembler.newFile(foundIdentity, formerPath, formerPath, foundOffset);
        file.sequence = registry.sequenceOrNext(sequence);
        file.openPath = entry;
        file.orphaned = true;
        file.size = stat.size();
        file.setLastModified(stat.lastModified().toMillis());
        registry.adopt(file, channel);
        return file;
    }
}
