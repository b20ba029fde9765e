package io.outrider.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Cuts the bytes of one file or stream into lines, remembering a line that is not complete yet. The one definition
 * of a line for everything that reads logs (the file input, {@code outrider parse}), so that what a command shows
 * is what the agent sees:
 * <ul>
 * <li>a line ends with LF; a CR right before the LF is dropped (CRLF files), a CR anywhere else is part of the line
 * (a lone CR does not end a line: an attacker could otherwise make one logged line look like two);</li>
 * <li>a line longer than the limit keeps its head (cut on a character boundary) and the rest is skipped up to its
 * newline and counted in {@link Line#skippedBytes()};</li>
 * <li>bytes are split, not decoded text, so an invalid sequence cannot hide or make a newline.</li>
 * </ul>
 * Positions are byte offsets in the file. Not thread-safe: one per file or stream.
 */
public final class LineSplitter
{
    /** The line length limit of the file input and {@code outrider parse} when none is configured: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /** Receives complete lines. */
    public interface LineSink
    {
        void line(Line line)
                throws InterruptedException;
    }

    /**
     * One line.
     *
     * @param start offset of its first byte
     * @param end offset after its newline (or after its last byte when flushed as partial)
     * @param skippedBytes bytes dropped because the line exceeded the limit
     * @param partial flushed without a newline
     */
    public record Line(long start, long end, String text, long skippedBytes, boolean partial)
    {
        public boolean truncated()
        {
            return skippedBytes > 0;
        }
    }

    private final LineEncoding encoding;
    private final int maxLineBytes;
    private final int capacity;
    private final int unitWidth;
    private final byte[] unit;
    private int unitFill;

    private byte[] partial = new byte[256];
    private int partialLength;
    private long partialSkipped;
    private long lineStart;
    private long position;
    private boolean justFlushedPartial;

    /**
     * @param maxLineBytes the longest line kept whole, in bytes (at least 1)
     * @param position the offset of the first byte that will be consumed
     */
    public LineSplitter(LineEncoding encoding, int maxLineBytes, long position)
    {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, not " + maxLineBytes);
        }
        this.encoding = requireNonNull(encoding, "encoding is null");
        this.maxLineBytes = maxLineBytes;
        this.unitWidth = encoding.unitWidth();
        // room for a trailing CR, so that a line of exactly maxLineBytes in CRLF is not truncated
        this.capacity = maxLineBytes + unitWidth;
        this.unit = new byte[unitWidth];
        reset(position);
    }

    /** The offset of the next byte to consume. */
    public long position()
    {
        return position;
    }

    /** The offset where the incomplete line starts; equals {@link #position()} when there is none. */
    public long lineStart()
    {
        return lineStart;
    }

    public boolean hasPartialLine()
    {
        return position > lineStart;
    }

    /** Forgets any incomplete line and continues at {@code position} (a new file, a truncated one). */
    public void reset(long position)
    {
        this.position = position;
        this.lineStart = position;
        this.partialLength = 0;
        this.partialSkipped = 0;
        this.unitFill = 0;
        this.justFlushedPartial = false;
        if (partial.length > 64 << 10) {
            partial = new byte[256];
        }
    }

    /** Splits {@code bytes[offset, offset + length)}, the bytes after {@link #position()}, passing complete lines to {@code sink}. */
    public void consume(byte[] bytes, int offset, int length, LineSink sink)
            throws InterruptedException
    {
        if (unitWidth == 1) {
            consumeBytes(bytes, offset, length, sink);
        }
        else {
            consumeUnits(bytes, offset, length, sink);
        }
    }

    /** Emits the incomplete line as it is, flagged partial. @return whether there was one */
    public boolean flushPartial(LineSink sink)
            throws InterruptedException
    {
        if (!hasPartialLine()) {
            return false;
        }
        int contentLength = partialLength;
        long start = lineStart;
        long skipped = partialSkipped;
        int cut = encoding.cutLength(partial, 0, contentLength, maxLineBytes);
        skipped += contentLength - cut;
        // a unit split across reads is lost with the partial line; it could not be decoded anyway
        unitFill = 0;
        lineStart = position;
        partialSkipped = 0;
        justFlushedPartial = true;
        try {
            sink.line(new Line(start, position, encoding.decode(partial, 0, cut), skipped, true));
        }
        finally {
            partialLength = 0;
        }
        return true;
    }

    private void consumeBytes(byte[] bytes, int offset, int length, LineSink sink)
            throws InterruptedException
    {
        int end = offset + length;
        int index = offset;
        while (index < end) {
            int newline = indexOfNewline(bytes, index, end);
            if (newline < 0) {
                appendPartial(bytes, index, end - index);
                position += end - index;
                return;
            }
            int segment = newline - index;
            long lineEnd = position + segment + 1;
            if (partialLength == 0 && partialSkipped == 0) {
                int contentLength = segment > 0 && bytes[newline - 1] == '\r' ? segment - 1 : segment;
                completeLine(bytes, index, contentLength, 0, lineEnd, sink);
            }
            else {
                appendPartial(bytes, index, segment);
                int contentLength = partialLength;
                if (partialSkipped == 0 && contentLength > 0 && partial[contentLength - 1] == '\r') {
                    contentLength--;
                }
                completeLine(partial, 0, contentLength, partialSkipped, lineEnd, sink);
            }
            index = newline + 1;
        }
    }

    private void consumeUnits(byte[] bytes, int offset, int length, LineSink sink)
            throws InterruptedException
    {
        for (int i = offset; i < offset + length; i++) {
            unit[unitFill++] = bytes[i];
            position++;
            if (unitFill < unitWidth) {
                continue;
            }
            unitFill = 0;
            if (encoding.isNewlineAt(unit, 0)) {
                int contentLength = partialLength;
                if (partialSkipped == 0 && contentLength >= unitWidth && encoding.isCarriageReturnAt(partial, contentLength - unitWidth)) {
                    contentLength -= unitWidth;
                }
                // completeLine expects position at the line start plus the consumed segment
                long lineEnd = position;
                completeLine(partial, 0, contentLength, partialSkipped, lineEnd, sink);
            }
            else {
                appendPartial(unit, 0, unitWidth);
            }
        }
    }

    private void completeLine(byte[] bytes, int offset, int contentLength, long skippedBefore, long lineEnd, LineSink sink)
            throws InterruptedException
    {
        int cut = encoding.cutLength(bytes, offset, contentLength, maxLineBytes);
        long skipped = skippedBefore + (contentLength - cut);
        long start = lineStart;
        // the position moves before the sink runs: a batch it commits must carry the offset after this line
        position = lineEnd;
        lineStart = lineEnd;
        partialSkipped = 0;
        boolean swallow = justFlushedPartial && contentLength == 0 && skipped == 0;
        justFlushedPartial = false;
        try {
            if (!swallow) {
                sink.line(new Line(start, lineEnd, encoding.decode(bytes, offset, cut), skipped, false));
            }
        }
        finally {
            partialLength = 0;
        }
    }

    private void appendPartial(byte[] bytes, int offset, int length)
    {
        int room = capacity - partialLength;
        int take = Math.min(room, length);
        if (take > 0) {
            if (partialLength + take > partial.length) {
                partial = Arrays.copyOf(partial, (int) Math.min(capacity, Math.max((long) partial.length * 2, partialLength + take)));
            }
            System.arraycopy(bytes, offset, partial, partialLength, take);
            partialLength += take;
        }
        partialSkipped += length - take;
    }

    /** The first LF in {@code bytes[from, to)}, eight bytes at a time, or -1. */
    static int indexOfNewline(byte[] bytes, int from, int to)
    {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ NEWLINES;
            // a zero byte in word is a newline in the input; the lowest flagged byte is always a true one
            long zeros = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
