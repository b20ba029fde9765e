package io.outrider.plugin.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who a file is, independent of its name: device and inode (which survive a rename) plus a fingerprint of its first
 * bytes (which tells an inode reused by another file, or a file truncated and written again, from the original).
 * The fingerprint covers the first {@link #fingerprintLength()} bytes: up to {@value #FINGERPRINT_BYTES}, fewer
 * while the file is shorter; it is widened as the file grows.
 *
 * <p>{@link #key()} is the checkpoint key: {@code device:inode:length:fingerprint} in decimal and hex.
 */
record FileIdentity(long device, long inode, int fingerprintLength, long fingerprint)
{
    static final int FINGERPRINT_BYTES = 256;

    String key()
    {
        return device + ":" + inode + ":" + fingerprintLength + ":" + HexFormat.of().toHexDigits(fingerprint);
    }

    FileKey fileKey()
    {
        return new FileKey(device, inode);
    }

    /** Whether the fingerprint covers all {@value #FINGERPRINT_BYTES} bytes, so it can recognise a copy. */
    boolean hasFullFingerprint()
    {
        return fingerprintLength == FINGERPRINT_BYTES;
    }

    static Optional<FileIdentity> parseKey(String key)
    {
        String[] parts = key.split(":");
        if (parts.length != 4 || parts[3].length() != 16) {
            return Optional.empty();
        }
        try {
            int length = Integer.parseInt(parts[2]);
            if (length < 0 || length > FINGERPRINT_BYTES) {
                return Optional.empty();
            }
            return Optional.of(new FileIdentity(Long.parseLong(parts[0]), Long.parseLong(parts[1]), length, HexFormat.fromHexDigitsToLong(parts[3])));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The identity of the file open as {@code channel}, fingerprinting up to {@code size} bytes. */
    static FileIdentity of(FileKey fileKey, FileChannel channel, long size)
            throws IOException
    {
        int length = (int) Math.min(size, FINGERPRINT_BYTES);
        byte[] head = readHead(channel, length);
        return new FileIdentity(fileKey.device(), fileKey.inode(), head.length, fingerprint(head, head.length));
    }

    /** Whether the file open as {@code channel} still starts with the bytes this identity fingerprinted. */
    boolean sameStart(FileChannel channel)
            throws IOException
    {
        byte[] head = readHead(channel, fingerprintLength);
        return head.length == fingerprintLength && fingerprint(head, head.length) == fingerprint;
    }

    /** The first {@code length} bytes of the file open as {@code channel}, fewer if it is shorter. */
    static byte[] readHead(FileChannel channel, int length)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                break;
            }
        }
        byte[] head = new byte[buffer.position()];
        buffer.flip().get(head);
        return head;
    }

    static long fingerprint(byte[] bytes, int length)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return ByteBuffer.wrap(digest.digest()).getLong();
        }
        catch (NoSuchAlgorithmException e) {
            // every Java runtime must provide SHA-256
            throw new IllegalStateException(e);
        }
    }

    /** Device and inode: what stays the same across a rename. */
    record FileKey(long device, long inode) {}
}
