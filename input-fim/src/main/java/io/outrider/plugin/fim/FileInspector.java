package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileState.FileType;
import io.outrider.plugin.fim.FileState.HashState;
import io.outrider.spi.ComponentMetrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Reads the attributes of a path and hashes regular files. Thread-safe: the hash threads share one inspector.
 *
 * <p>Only a path that {@code lstat} (or {@code stat}, when links are followed) reported as a regular file is ever
 * opened, with {@code O_NOFOLLOW} unless links are followed, so FIFOs, sockets and devices are never opened.
 * A file is hashed between two {@code lstat}s; when size, mtime, ctime or inode moved meanwhile, or fewer or more
 * bytes were read than the size said, the hash is of no particular version and the file is hashed again, up to
 * {@value #HASH_ATTEMPTS} times, after which it is reported {@linkplain HashState#UNSTABLE unstable}.
 *
 * <p>Between that {@code lstat} and the {@code open} a regular file may be replaced by a FIFO (anyone who may write
 * to the directory can do it), and Java cannot open with {@code O_NONBLOCK}: the open would block until a writer
 * came. A watchdog therefore looks at opens pending for more than a second and, when a FIFO is now at the path,
 * opens it read-write itself (which never blocks), releasing the stuck open; the hash that follows is discarded by
 * the re-check, which finds a FIFO. Creating device nodes needs root, so only FIFOs are handled this way.
 */
final class FileInspector
        implements AutoCloseable
{
    static final int HASH_ATTEMPTS = 3;
    private static final String UNIX_ATTRIBUTES = "unix:mode,ino,dev,uid,gid,size,lastModifiedTime,ctime";
    // large reads keep the per-call overhead small next to the SHA-256 intrinsic
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    private static final AtomicBoolean WARMED_UP = new AtomicBoolean();
    private static final long STUCK_OPEN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long maxHashBytes;
    private final boolean followSymlinks;
    private final ComponentMetrics.Counter bytesHashed;
    private final Map<Integer, String> ownerNames = new ConcurrentHashMap<>();
    private final Map<Integer, String> groupNames = new ConcurrentHashMap<>();
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(FileInspector::newDigest);
    private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER_BYTES));
    private final Map<Thread, PendingOpen> pendingOpens = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;

    /** Starts the watchdog thread: create it where threads may start, and close it. */
    FileInspector(long maxHashBytes, boolean followSymlinks, ComponentMetrics.Counter bytesHashed)
    {
        this.maxHashBytes = maxHashBytes;
        this.followSymlinks = followSymlinks;
        this.bytesHashed = requireNonNull(bytesHashed, "bytesHashed is null");
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fim-open-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        this.watchdog.scheduleWithFixedDelay(this::releaseStuckOpens, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close()
    {
        watchdog.shutdownNow();
    }

    /**
     * Runs SHA-256 over a little data in small steps, once per JVM, so that the JIT compiles the digest with the
     * CPU's SHA instructions before the first scan: until then hashing runs at a fraction of the speed, which the
     * few but large updates of a real scan take long to get past.
     */
    static void warmUp()
    {
        if (!WARMED_UP.compareAndSet(false, true)) {
            return;
        }
        MessageDigest digest = newDigest();
        byte[] block = new byte[256];
        for (int i = 0; i < 6_000; i++) {
            digest.update(block, 0, block.length);
        }
        digest.digest();
    }

    /**
     * The attributes of {@code path} without content ({@code lstat}; {@code stat} for a link when links are
     * followed and the target exists).
     *
     * @return null when nothing is at {@code path}
     * @throws IOException when the attributes cannot be read
     */
    FileState stat(Path path)
            throws IOException
    {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, UNIX_ATTRIBUTES, NO_FOLLOW);
        }
        catch (NoSuchFileException e) {
            return null;
        }
        LinkOption[] options = NO_FOLLOW;
        if (followSymlinks && FileType.fromMode((Integer) attributes.get("mode")) == FileType.SYMLINK) {
            try {
                attributes = Files.readAttributes(path, UNIX_ATTRIBUTES);
                options = FOLLOW;
            }
            catch (FileSystemException e) {
                // a dangling link or a loop of links: the link itself is what there is
            }
        }
        int mode = (Integer) attributes.get("mode");
        int uid = (Integer) attributes.get("uid");
        int gid = (Integer) attributes.get("gid");
        FileType type = FileType.fromMode(mode);
        return new FileState(
                path.toString(),
                type,
                (Long) attributes.get("size"),
                nanos((FileTime) attributes.get("lastModifiedTime")),
                nanos((FileTime) attributes.get("ctime")),
                (Long) attributes.get("ino"),
                (Long) attributes.get("dev"),
                uid,
                gid,
                ownerName(uid, path, options),
                groupName(gid, path, options),
                mode & 07777,
                null,
                type == FileType.FILE ? HashState.HASHED : HashState.NOT_REGULAR,
                null,
                null);
    }

    /**
     * Completes an observation from {@link #stat}: hashes a regular file, reads a link's target.
     *
     * @return the complete state, or null when the path vanished meanwhile
     */
    FileState inspect(FileState stat)
    {
        Path path = Path.of(stat.path());
        FileState current = stat;
        for (int attempt = 0; attempt < HASH_ATTEMPTS; attempt++) {
            if (current.type() == FileType.SYMLINK) {
                return withLinkTarget(current, path);
            }
            if (current.type() != FileType.FILE) {
                return current.withContent(null, HashState.NOT_REGULAR, null);
            }
            if (current.size() > maxHashBytes) {
                return current.withContent(null, HashState.TOO_LARGE, null);
            }
            Hash hash;
            FileState after;
            try {
                hash = sha256(path);
                after = stat(path);
            }
            catch (NoSuchFileException e) {
                return null;
            }
            catch (IOException e) {
                return current.withContent(null, HashState.UNREADABLE, reason(e));
            }
            if (after == null) {
                return null;
            }
            if (after.sameContentStamp(current) && hash.bytes() == after.size()) {
                return after.withContent(hash.hex(), HashState.HASHED, null);
            }
            current = after;
        }
        return current.withContent(null, HashState.UNSTABLE, null);
    }

    private static FileState withLinkTarget(FileState state, Path path)
    {
        try {
            String target = Files.readSymbolicLink(path).toString();
            return new FileState(state.path(), state.type(), state.size(), state.mtimeNanos(), state.ctimeNanos(), state.inode(), state.device(),
                    state.uid(), state.gid(), state.owner(), state.group(), state.mode(), null, HashState.NOT_REGULAR, null, target);
        }
        catch (NoSuchFileException e) {
            return null;
        }
        catch (IOException e) {
            return state.withContent(null, HashState.UNREADABLE, reason(e));
        }
    }

    private Hash sha256(Path path)
            throws IOException
    {
        MessageDigest digest = digests.get();
        digest.reset();
        ByteBuffer buffer = buffers.get();
        long total = 0;
        // when links are followed, stat() already resolved this one to a regular file
        OpenOption[] options = followSymlinks ? new OpenOption[] {StandardOpenOption.READ} : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        try (FileChannel channel = open(path, options)) {
            while (true) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    break;
                }
                digest.update(buffer.array(), 0, read);
                total += read;
                if (read < buffer.capacity()) {
                    // a short read of a regular file is its end; data appended since shows in the re-check's size
                    break;
                }
            }
        }
        finally {
            bytesHashed.add(total);
        }
        return new Hash(HexFormat.of().formatHex(digest.digest()), total);
    }

    private FileChannel open(Path path, OpenOption[] options)
            throws IOException
    {
        pendingOpens.put(Thread.currentThread(), new PendingOpen(path, System.nanoTime()));
        try {
            return FileChannel.open(path, options);
        }
        finally {
            pendingOpens.remove(Thread.currentThread());
        }
    }

    private void releaseStuckOpens()
    {
        long now = System.nanoTime();
        for (PendingOpen pending : pendingOpens.values()) {
            if (now - pending.startedNanos() < STUCK_OPEN_NANOS) {
                continue;
            }
            try {
                int mode = (Integer) Files.getAttribute(pending.path(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (FileType.fromMode(mode) == FileType.FIFO) {
                    // a read-write open of a FIFO never blocks and counts as the writer the stuck reader waits for
                    FileChannel.open(pending.path(), StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS).close();
                }
            }
            catch (IOException | RuntimeException e) {
                // gone or replaced again: the stuck open, if any, is looked at next time
            }
        }
    }

    private String ownerName(int uid, Path path, LinkOption[] options)
    {
        String cached = ownerNames.get(uid);
        if (cached != null) {
            return cached;
        }
        try {
            String name = Files.getOwner(path, options).getName();
            ownerNames.putIfAbsent(uid, name);
            return name;
        }
        catch (IOException e) {
            return Integer.toString(uid);
        }
    }

    private String groupName(int gid, Path path, LinkOption[] options)
    {
        String cached = groupNames.get(gid);
        if (cached != null) {
            return cached;
        }
        try {
            String name = Files.readAttributes(path, PosixFileAttributes.class, options).group().getName();
            groupNames.putIfAbsent(gid, name);
            return name;
        }
        catch (IOException e) {
            return Integer.toString(gid);
        }
    }

    /** A short, path-free reason for an I/O failure: {@code permission denied}, {@code Is a directory}. */
    static String reason(IOException e)
    {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static long nanos(FileTime time)
    {
        return time.to(TimeUnit.NANOSECONDS);
    }

    private static MessageDigest newDigest()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private record Hash(String hex, long bytes) {}

    private record PendingOpen(Path path, long startedNanos) {}
}
