package io.outrider.plugin.winevent;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * Cuts a file of rendered events into one {@code <Event>...</Event>} text per event, with byte offsets, whatever lies
 * between them: blank lines ({@code evtxexport}), nothing ({@code wevtutil qe /f:xml}), headers or an XML
 * declaration. UTF-8 (with or without byte order mark) and UTF-16 with a byte order mark (what PowerShell
 * redirection writes) are understood; the offsets are file bytes, so they serve as checkpoints.
 *
 * <p>An event that has no end before the end of the file, or that is larger than the limit, comes back as
 * incomplete so the caller can report it rather than lose it silently.
 */
public final class EventXmlSplitter
        implements Closeable
{
    /** One event's text and where it lies in the file. */
    public record Chunk(String xml, long startOffset, long endOffset, boolean complete) {}

    private static final int READ_SIZE = 64 * 1024;

    private final FileChannel file;
    private final Charset charset;
    private final int unit;
    private final int textStart;
    private final byte[] eventStart;
    private final byte[] eventEnd;
    private final byte[][] delimiters;
    private final int maxEventBytes;
    private byte[] buffer = new byte[READ_SIZE * 2];
    private int head;
    private int length;
    private long bufferOffset;
    private boolean endOfFile;

    /**
     * @param path the file
     * @param startOffset where to start, e.g. a checkpoint (0 or the end of a previous event)
     * @param maxEventBytes the largest event accepted
     */
    public EventXmlSplitter(Path path, long startOffset, int maxEventBytes)
            throws IOException
    {
        this.file = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer head = ByteBuffer.allocate(3);
            while (head.hasRemaining() && file.read(head, head.position()) > 0) {
                // read the byte order mark, if any
            }
            byte[] bom = Arrays.copyOf(head.array(), head.position());
            if (bom.length >= 2 && (bom[0] & 0xFF) == 0xFF && (bom[1] & 0xFF) == 0xFE) {
                charset = StandardCharsets.UTF_16LE;
                textStart = 2;
            }
            else if (bom.length >= 2 && (bom[0] & 0xFF) == 0xFE && (bom[1] & 0xFF) == 0xFF) {
                charset = StandardCharsets.UTF_16BE;
                textStart = 2;
            }
            else if (bom.length >= 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF) {
                charset = StandardCharsets.UTF_8;
                textStart = 3;
            }
            else {
                charset = StandardCharsets.UTF_8;
                textStart = 0;
            }
            unit = charset == StandardCharsets.UTF_8 ? 1 : 2;
            eventStart = "<Event".getBytes(charset);
            eventEnd = "</Event>".getBytes(charset);
            String delimiterChars = " \t\r\n>/";
            delimiters = new byte[delimiterChars.length()][];
            for (int i = 0; i < delimiterChars.length(); i++) {
                delimiters[i] = delimiterChars.substring(i, i + 1).getBytes(charset);
            }
            this.maxEventBytes = maxEventBytes;
            this.bufferOffset = Math.max(startOffset, textStart);
            file.position(bufferOffset);
        }
        catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The next event, or empty at the end of the file. */
    public Optional<Chunk> next()
            throws IOException
    {
        int start;
        while (true) {
            start = findStart(head);
            if (start >= 0) {
                break;
            }
            // Keep a tail that might hold the beginning of "<Event".
            int keep = Math.min(length - head, eventStart.length + unit);
            consume(length - keep - head);
            if (!fill()) {
                consume(length - head);
                return Optional.empty();
            }
        }
        consume(start - head);
        // Relative to head, because fill() moves the data to the front of the buffer.
        int searchFrom = eventStart.length;
        while (true) {
            int end = indexOf(eventEnd, head + searchFrom);
            int nextStart = findStart(head + eventStart.length);
            if (nextStart >= 0 && (end < 0 || nextStart < end)) {
                // Another event begins before this one ends: this one was cut short.
                return Optional.of(take(nextStart - head, false));
            }
            if (end >= 0) {
                int size = end + eventEnd.length - head;
                return Optional.of(size <= maxEventBytes ? take(size, true) : take(maxEventBytes - maxEventBytes % unit, false));
            }
            if (length - head >= maxEventBytes) {
                return Optional.of(take(maxEventBytes - maxEventBytes % unit, false));
            }
            searchFrom = Math.max(eventStart.length, length - head - eventEnd.length);
            if (!fill()) {
                if (length == head) {
                    return Optional.empty();
                }
                return Optional.of(take(length - head, false));
            }
        }
    }

    /** The file offset just after the last event returned (or where reading started). */
    public long position()
    {
        return bufferOffset;
    }

    @Override
    public void close()
            throws IOException
    {
        file.close();
    }

    private Chunk take(int bytes, boolean complete)
    {
        String xml = new String(buffer, head, bytes, charset);
        Chunk chunk = new Chunk(xml, bufferOffset, bufferOffset + bytes, complete);
        consume(bytes);
        return chunk;
    }

    /** The index of the next "<Event" start tag (not "<EventData" and the like) at or after {@code from}, or -1. */
    private int findStart(int from)
    {
        int candidate = from;
        while (true) {
            int found = indexOf(eventStart, candidate);
            if (found < 0) {
                return -1;
            }
            int after = found + eventStart.length;
            if (after + unit > length) {
                // Cannot tell <Event from <EventData before more is read.
                return -1;
            }
            for (byte[] delimiter : delimiters) {
                if (regionMatches(after, delimiter)) {
                    return found;
                }
            }
            candidate = found + unit;
        }
    }

    private int indexOf(byte[] pattern, int from)
    {
        // Only whole characters: in UTF-16 a match must start on a code unit boundary of the file.
        long fileOffset = bufferOffset + (from - head);
        int first = from + (int) Math.floorMod(textStart - fileOffset, (long) unit);
        byte firstByte = pattern[0];
        for (int i = first; i + pattern.length <= length; i += unit) {
            if (buffer[i] == firstByte && regionMatches(i, pattern)) {
                return i;
            }
        }
        return -1;
    }

    private boolean regionMatches(int at, byte[] pattern)
    {
        if (at + pattern.length > length) {
            return false;
        }
        for (int j = 0; j < pattern.length; j++) {
            if (buffer[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    private void consume(int bytes)
    {
        head += bytes;
        bufferOffset += bytes;
    }

    /** Reads more; returns false at the end of the file. Indexes into the buffer stay valid relative to {@link #head}. */
    private boolean fill()
            throws IOException
    {
        if (endOfFile) {
            return false;
        }
        if (head > 0) {
            System.arraycopy(buffer, head, buffer, 0, length - head);
            length -= head;
            head = 0;
        }
        if (buffer.length - length < READ_SIZE) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + READ_SIZE));
        }
        int read = file.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
        if (read < 0) {
            endOfFile = true;
            return false;
        }
        length += read;
        return true;
    }
}
