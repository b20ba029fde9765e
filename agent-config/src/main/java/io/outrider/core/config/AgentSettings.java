package io.outrider.core.config;

import io.outrider.config.Substitution;
import io.outrider.spi.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code agent:} section. Absent values are filled by {@link ConfigLoader} from {@link AgentDefaults}.
 *
 * @param dataDir where the buffer, state and logs live
 * @param hostName overrides the machine's host name in events
 * @param pluginsDir where plugins are loaded from
 * @param status the loopback status endpoint
 * @param buffer the durable buffer
 * @param log the agent's own log
 * @param secretFilePermissions what to do with a {@code ${file:...}} readable by group or others
 * @param shutdownTimeout how long a stop may take to drain before it gives up (events stay buffered)
 */
public record AgentSettings(
        Path dataDir,
        String hostName,
        Path pluginsDir,
        StatusSettings status,
        BufferSettings buffer,
        LogSettings log,
        Substitution.FilePermissionPolicy secretFilePermissions,
        Duration shutdownTimeout)
{
    public AgentSettings
    {
        status = status == null ? new StatusSettings(null, null) : status;
        buffer = buffer == null ? new BufferSettings(null, null, null) : buffer;
        log = log == null ? new LogSettings(null, null, null, null) : log;
        secretFilePermissions = secretFilePermissions == null ? Substitution.FilePermissionPolicy.REFUSE : secretFilePermissions;
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(10) : shutdownTimeout;
        if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
            throw new IllegalArgumentException("shutdown_timeout must be positive");
        }
    }

    /**
     * The status endpoint ({@code /health}, {@code /ready}, {@code /status}, {@code /metrics}): read-only, off by default, and only
     * ever on a loopback address.
     *
     * @param enabled whether to serve it (default false)
     * @param listen {@code host:port}, host {@code localhost} or a loopback IP literal, never another name (see
     *        {@link io.outrider.core.control.ListenAddress}; default {@code 127.0.0.1:8686})
     */
    public record StatusSettings(Boolean enabled, String listen)
    {
        public StatusSettings
        {
            enabled = enabled != null && enabled;
            listen = listen == null ? "127.0.0.1:8686" : listen;
        }
    }

    /**
     * @param maxBytes the buffer's size cap (default 256MiB)
     * @param whenFull {@code block} (back-pressure: inputs wait, default) or {@code drop_oldest} (counted)
     * @param durability SQLite synchronous mode: {@code normal} (default; a power loss may lose the last
     *        transactions, a process crash loses nothing) or {@code full} (every commit is fsync'ed)
     * @param minFreeDisk below this much free space on the buffer's file system the buffer stops growing: it keeps
     *        reusing the room delivered events leave, inputs wait when there is none, and the space left lets delivery
     *        go on, since even deleting delivered events needs room in SQLite's write-ahead log. Absent (null), it
     *        scales with the file system, see {@link #scaledMinFreeDisk}: a fixed 64MiB would hold every input back on
     *        a file system smaller than that
     */
    public record BufferSettings(DataSize maxBytes, WhenFull whenFull, Durability durability, DataSize minFreeDisk)
    {
        /** The largest min_free_disk a file system gets when none is configured. */
        public static final DataSize MAX_SCALED_MIN_FREE_DISK = DataSize.parse("64MiB");
        /** The smallest min_free_disk a file system of 16MiB or more gets when none is configured. */
        public static final DataSize MIN_SCALED_MIN_FREE_DISK = DataSize.parse("4MiB");

        public BufferSettings(DataSize maxBytes, WhenFull whenFull, Durability durability)
        {
            this(maxBytes, whenFull, durability, null);
        }

        public BufferSettings
        {
            maxBytes = maxBytes == null ? DataSize.parse("256MiB") : maxBytes;
            whenFull = whenFull == null ? WhenFull.BLOCK : whenFull;
            durability = durability == null ? Durability.NORMAL : durability;
            if (maxBytes.bytes() < 1 << 20) {
                throw new IllegalArgumentException("buffer.max_bytes must be at least 1MiB");
            }
        }

        /** The min_free_disk that applies on a file system of {@code fileSystemBytes}: the configured one, else the scaled one. */
        public DataSize minFreeDiskFor(long fileSystemBytes)
        {
            return minFreeDisk != null ? minFreeDisk : scaledMinFreeDisk(fileSystemBytes);
        }

        /**
         * 5 % of the file system's size, at least {@link #MIN_SCALED_MIN_FREE_DISK} (or a quarter of a file system
         * smaller than 16MiB) and at most {@link #MAX_SCALED_MIN_FREE_DISK}.
         */
        public static DataSize scaledMinFreeDisk(long fileSystemBytes)
        {
            long floor = Math.min(MIN_SCALED_MIN_FREE_DISK.bytes(), fileSystemBytes / 4);
            return DataSize.ofBytes(Math.min(MAX_SCALED_MIN_FREE_DISK.bytes(), Math.max(floor, fileSystemBytes / 20)));
        }
    }

    /** What the buffer does when it reaches its cap. */
    public enum WhenFull
    {
        BLOCK, DROP_OLDEST
    }

    /** How hard the buffer syncs to disk. */
    public enum Durability
    {
        NORMAL, FULL
    }

    /**
     * @param level {@code error}, {@code warning}, {@code info} (default) or {@code debug}
     * @param file a log file written besides standard error (rotated: {@code FILE.0} is the current one); null for none
     * @param maxFileSize rotate at this size (default 10MiB)
     * @param files how many rotated files to keep (default 5)
     */
    public record LogSettings(LogLevel level, Path file, DataSize maxFileSize, Integer files)
    {
        public LogSettings
        {
            level = level == null ? LogLevel.INFO : level;
            maxFileSize = maxFileSize == null ? DataSize.parse("10MiB") : maxFileSize;
            files = files == null ? 5 : files;
            if (files < 1) {
                throw new IllegalArgumentException("log.files must be at least 1");
            }
        }
    }

    /** Log levels as operators write them. */
    public enum LogLevel
    {
        ERROR, WARNING, INFO, DEBUG
    }
}
