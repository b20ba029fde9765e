package io.outrider.core.storage;

import io.outrider.core.files.FileFailures;
import io.outrider.core.files.PrivateFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Keeps a data directory to one agent process: {@code outrider run}, {@code run-once} and {@code fim} hold an
 * exclusive lock on {@code DATA_DIR/agent.lock} while they read inputs into the buffer. Two agents on one data
 * directory would each read the same files from the same checkpoints and deliver the same backlog: every event twice.
 * The commands that look at a running agent's buffer ({@code status}, {@code buffer}, {@code dead-letters}) take no
 * lock. The operating system releases the lock when the process ends, however it ends ({@code kill -9} included), so
 * a lock file left behind never keeps an agent from starting.
 *
 * <p>The lock covers one byte far beyond the file's text, which names the holder ({@code pid 123: outrider run, since
 * 2026-12-06T10:12:50Z}) for the message another process shows: on Windows a locked range cannot be read. Nothing else
 * in the holding process may open the file: on Linux, closing any descriptor of a file releases the process's locks on
 * it. Within one JVM the locks are also kept in a set, as the JDK refuses a second lock on a file it holds.
 */
public final class DataDirectoryLock
        implements AutoCloseable
{
    static final String FILE_NAME = "agent.lock";
    private static final long LOCKED_POSITION = Integer.MAX_VALUE;
    private static final int MAX_HOLDER_LENGTH = 200;
    // the lock files this JVM holds, by absolute normalized path
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path file, FileChannel channel, FileLock lock)
    {
        this.file = requireNonNull(file, "file is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.lock = requireNonNull(lock, "lock is null");
    }

    /**
     * Locks {@code dataDirectory} (created 0700 if missing) for this process, naming it by {@code command}.
     *
     * @throws DataDirectoryInUseException another process, or another command in this JVM, holds it
     * @throws IOException the directory or its lock file cannot be created, opened or locked; the message says which
     *         and why
     */
    public static DataDirectoryLock acquire(Path dataDirectory, String command)
            throws DataDirectoryInUseException, IOException
    {
        requireNonNull(command, "command is null");
        Path file = dataDirectory.resolve(FILE_NAME).toAbsolutePath().normalize();
        if (!HELD.add(file)) {
            throw new DataDirectoryInUseException(dataDirectory, "this process (pid " + ProcessHandle.current().pid() + ")");
        }
        try {
            FileChannel channel;
            try {
                PrivateFiles.createDirectories(dataDirectory);
                PrivateFiles.createFile(file);
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            catch (IOException e) {
                throw new IOException("cannot open the data directory's lock file " + file + ": " + FileFailures.reason(e, file), e);
            }
            try {
                FileLock lock = channel.tryLock(LOCKED_POSITION, 1, false);
                if (lock == null) {
                    String holder = holder(channel);
                    channel.close();
                    throw new DataDirectoryInUseException(dataDirectory, holder.isEmpty() ? "another process, which did not say which" : "another process (" + holder + ")");
                }
                String line = "pid " + ProcessHandle.current().pid() + ": " + command + ", since " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), 0);
                return new DataDirectoryLock(file, channel, lock);
            }
            catch (IOException e) {
                channel.close();
                throw new IOException("cannot lock the data directory's lock file " + file + ": " + FileFailures.reason(e, file), e);
            }
        }
        catch (DataDirectoryInUseException | IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    /** The holder's line from the file: printable, cut short, empty when there is none. */
    private static String holder(FileChannel channel)
    {
        try {
            ByteBuffer text = ByteBuffer.allocate(MAX_HOLDER_LENGTH);
            channel.read(text, 0);
            String line = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            return line.codePoints().filter(c -> c >= ' ' && c != 0x7f).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        }
        catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock; the file stays, as another process may be about to lock it. */
    @Override
    public void close()
            throws IOException
    {
        try {
            lock.release();
        }
        finally {
            try {
                channel.close();
            }
            finally {
                HELD.remove(file);
            }
        }
    }
}
