package io.outrider.plugin.fim;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What the input knows about one monitored path: its attributes as {@code lstat} saw them and, for a regular file,
 * the SHA-256 of its content. The same record is a fresh observation and a baseline row.
 *
 * @param path the absolute path
 * @param type what kind of file it is
 * @param size the size in bytes
 * @param mtimeNanos the modification time, nanoseconds since the epoch
 * @param ctimeNanos the status-change time, nanoseconds since the epoch
 * @param inode the inode number
 * @param device the device number
 * @param uid the owner's numeric id
 * @param gid the group's numeric id
 * @param owner the owner's name (or the numeric id when it has none)
 * @param group the group's name (or the numeric id when it has none)
 * @param mode the permission bits, including set-id and sticky bits
 * @param sha256 the content hash in lower-case hex; for an unreadable or unstable file the last hash known, if any
 * @param hashState how {@code sha256} relates to the current content
 * @param error why the content could not be read ({@link HashState#UNREADABLE}), else null
 * @param linkTarget the target of a symbolic link, else null
 */
record FileState(
        String path,
        FileType type,
        long size,
        long mtimeNanos,
        long ctimeNanos,
        long inode,
        long device,
        int uid,
        int gid,
        String owner,
        String group,
        int mode,
        String sha256,
        HashState hashState,
        String error,
        String linkTarget)
{
    FileState
    {
        requireNonNull(path, "path is null");
        requireNonNull(type, "type is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(group, "group is null");
        requireNonNull(hashState, "hashState is null");
    }

    /** The same attributes with the content fields replaced. */
    FileState withContent(String sha256, HashState hashState, String error)
    {
        return new FileState(path, type, size, mtimeNanos, ctimeNanos, inode, device, uid, gid, owner, group, mode, sha256, hashState, error, linkTarget);
    }

    /** Whether the attributes that change when the content is rewritten are the same as in {@code other}. */
    boolean sameContentStamp(FileState other)
    {
        return type == other.type && size == other.size && mtimeNanos == other.mtimeNanos && ctimeNanos == other.ctimeNanos
                && inode == other.inode && device == other.device;
    }

    Instant mtime()
    {
        return instant(mtimeNanos);
    }

    Instant ctime()
    {
        return instant(ctimeNanos);
    }

    /** The permission bits as octal text, {@code 0644}. */
    String modeText()
    {
        return modeText(mode);
    }

    static String modeText(int mode)
    {
        String octal = Integer.toOctalString(mode & 07777);
        return "0".repeat(Math.max(0, 4 - octal.length())) + octal;
    }

    static Instant instant(long nanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Kinds of file, by the {@code S_IFMT} bits of the mode. */
    enum FileType
    {
        FILE("file"), SYMLINK("symlink"), FIFO("fifo"), SOCKET("socket"), CHAR_DEVICE("char_device"), BLOCK_DEVICE("block_device"), DIRECTORY("dir");

        private final String label;

        FileType(String label)
        {
            this.label = label;
        }

        /** The {@code file.type} value. */
        String label()
        {
            return label;
        }

        static FileType fromMode(int mode)
        {
            return switch (mode & 0170000) {
                case 0100000 -> FILE;
                case 0120000 -> SYMLINK;
                case 0010000 -> FIFO;
                case 0140000 -> SOCKET;
                case 0020000 -> CHAR_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                case 0040000 -> DIRECTORY;
                default -> throw new IllegalArgumentException("unknown file type in mode " + Integer.toOctalString(mode));
            };
        }
    }

    /** How the content hash of a state relates to the content. */
    enum HashState
    {
        /** {@code sha256} is the hash of the content described by the attributes. */
        HASHED,
        /** Larger than {@code max_hash_size}: tracked by size and mtime only. */
        TOO_LARGE,
        /** Not a regular file: there is no content to hash. */
        NOT_REGULAR,
        /** The content could not be read; {@code sha256} is the last hash known, if any. */
        UNREADABLE,
        /** The content kept changing while it was hashed; {@code sha256} is the last hash known, if any. */
        UNSTABLE
    }
}
