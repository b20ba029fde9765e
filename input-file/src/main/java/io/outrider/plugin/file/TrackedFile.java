package io.outrider.plugin.file;

import io.outrider.support.LineSplitter;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import static java.util.Objects.requireNonNull;

/**
 * What the input knows about one file it follows. Owned by the input's thread.
 *
 * <p>{@link #offset()} is the checkpointed position: the first byte not yet part of an emitted event (the start of
 * an incomplete line or of a pending multi-line event). Bytes between it and the splitter's position are held in
 * memory and read again after a restart.
 */
final class TrackedFile
{
    private FileIdentity identity;
    private String key;
    /** The path the globs matched (or matched last, for a file rotated away): what events report. */
    Path path;
    String pathText;
    /** Where to open the file: {@link #path}, or where a file rotated away was found. */
    Path openPath;
    /** The path notifications name when {@link #path} is a symbolic link. */
    Path realPath;
    FileChannel channel;
    final LineSplitter splitter;
    final MultilineAggregator multiline;
    LineSplitter.LineSink lineSink;

    /** No path matched by the globs leads to it any more (deleted or renamed away): drain and release. */
    boolean orphaned;
    /** No directory entry leads to it any more: read through the open handle, but its position is not kept. */
    boolean deleted;
    /** Renamed within the globs: drain before newer files. */
    boolean renamed;
    boolean needsCheck;
    /**
     * Appeared while running: where it starts is decided once it can be fingerprinted fully (a copy of a file
     * already read continues where the original was) or once it stopped growing.
     */
    boolean undecided;
    long settleSize = -1;
    long settleSinceNanos;
    long lastDataNanos;

    long size;
    /** {@link #size} boxed, for events: made again only when the size changed. */
    Long boxedSize;
    long lastModifiedMillis = Long.MIN_VALUE;
    String lastModifiedText = "";
    Instant readTime = Instant.EPOCH;

    /**
     * When the input first saw this file, as a count that only grows and is kept in the checkpoint: of two files
     * rotated away with the same modification time, the one seen first holds the older lines.
     */
    long sequence;

    String committedKey;
    String committedValue;

    TrackedFile(FileIdentity identity, Path path, Path realPath, LineSplitter splitter, MultilineAggregator multiline)
    {
        setIdentity(identity);
        setPath(path);
        this.realPath = realPath == null ? path : realPath;
        this.openPath = path;
        this.splitter = requireNonNull(splitter, "splitter is null");
        this.multiline = multiline;
    }

    void setPath(Path path)
    {
        this.path = requireNonNull(path, "path is null");
        this.pathText = path.toString();
    }

    FileIdentity identity()
    {
        return identity;
    }

    void setIdentity(FileIdentity identity)
    {
        this.identity = requireNonNull(identity, "identity is null");
        this.key = identity.key();
    }

    /** The checkpoint key: the identity as text. */
    String key()
    {
        return key;
    }

    long offset()
    {
        return multiline != null && multiline.hasPending() ? multiline.pendingStart() : splitter.lineStart();
    }

    /** The checkpoint value: {@code offset #sequence path}. */
    String checkpointValue()
    {
        return FilePositions.format(offset(), sequence, pathText);
    }

    void setLastModified(long millis)
    {
        if (millis != lastModifiedMillis) {
            lastModifiedMillis = millis;
            lastModifiedText = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
        }
    }

    boolean isOpen()
    {
        return channel != null;
    }

    void closeChannel()
    {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException e) {
                // nothing left to release
            }
            channel = null;
        }
    }

    @Override
    public String toString()
    {
        return pathText + " (" + key + ")";
    }
}
