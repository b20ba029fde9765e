package io.outrider.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The payload of a block of the buffer: the payloads of consecutive events (format 0x03, see {@link EventCodec}), one
 * after another, each preceded by its length as an unsigned varint. A block holds the events
 * {@code first_seq .. last_seq}, from {@code payload_offset} on: the event at {@code first_seq + i} is the
 * {@code i}-th payload from there (the delivered head of a block is cut off by moving the offset, not by rewriting
 * the payload).
 */
final class BlockPayload
{
    /** Events per block at most: a batch an input commits is split into blocks of at most this many. */
    static final int MAX_EVENTS = 1_000;
    /** Bytes of event payloads per block at most, unless one event alone is larger. */
    static final long MAX_BYTES = 1L << 20;

    /** What an event whose place in a damaged block is lost reads as: the marker of format 0x03 and nothing after it. */
    private static final byte[] UNREADABLE = {BinaryFormat.FORMAT_LEARNED_NAMES};
    /** What a block whose payload does not decompress reads as: no bytes, so each of its events is unreadable. */
    private static final byte[] NO_BYTES = {};

    private BlockPayload() {}

    /** Visits the events of a block in order; returns false to stop. */
    @FunctionalInterface
    interface EventVisitor
    {
        boolean visit(long seq, byte[] block, int offset, int length);
    }

    /**
     * Where the block that starts at {@code from} ends (exclusive): at most {@link #MAX_EVENTS} payloads and
     * {@link #MAX_BYTES} bytes, at least one payload.
     */
    static int blockEnd(List<byte[]> payloads, int from)
    {
        long bytes = payloads.get(from).length;
        int end = from + 1;
        while (end < payloads.size() && !startsNewBlock(end - from, bytes, payloads.get(end).length)) {
            bytes += payloads.get(end).length;
            end++;
        }
        return end;
    }

    /**
     * Whether a payload of {@code length} bytes starts a new block after one holding {@code blockEvents} payloads of
     * {@code blockBytes} bytes: the one rule for both a batch encoded as it comes and payloads encoded one by one.
     */
    static boolean startsNewBlock(int blockEvents, long blockBytes, int length)
    {
        return blockEvents > 0 && (blockEvents >= MAX_EVENTS || blockBytes + length > MAX_BYTES);
    }

    /** The block of {@code payloads[from, to)}. */
    static byte[] join(List<byte[]> payloads, int from, int to)
    {
        int size = 0;
        for (int i = from; i < to; i++) {
            int length = payloads.get(i).length;
            size += BinaryFormat.varintSize(length) + length;
        }
        byte[] block = new byte[size];
        int offset = 0;
        for (int i = from; i < to; i++) {
            byte[] payload = payloads.get(i);
            offset = BinaryFormat.writeVarint(block, offset, payload.length);
            System.arraycopy(payload, 0, block, offset, payload.length);
            offset += payload.length;
        }
        return block;
    }

    /**
     * Visits the events of {@code block}, which holds {@code firstSeq .. lastSeq} from {@code start} on, until the
     * visitor says stop.
     *
     * @throws IllegalStateException when the block does not hold exactly that many events
     */
    static void forEach(byte[] block, int start, long firstSeq, long lastSeq, EventVisitor visitor)
    {
        if (start < 0 || start > block.length) {
            throw new IllegalStateException("buffered block " + firstSeq + ".." + lastSeq + " is damaged: it starts at " + start + " of " + block.length + " bytes");
        }
        int offset = start;
        for (long seq = firstSeq; seq <= lastSeq; seq++) {
            long length = 0;
            int shift = 0;
            while (true) {
                if (offset >= block.length || shift > 28) {
                    throw damaged(firstSeq, lastSeq, seq);
                }
                byte next = block[offset++];
                length |= (long) (next & 0x7F) << shift;
                if (next >= 0) {
                    break;
                }
                shift += 7;
            }
            if (length > block.length - offset) {
                throw damaged(firstSeq, lastSeq, seq);
            }
            if (!visitor.visit(seq, block, offset, (int) length)) {
                return;
            }
            offset += (int) length;
        }
        if (offset != block.length) {
            throw new IllegalStateException("buffered block " + firstSeq + ".." + lastSeq + " is damaged: " + (block.length - offset) + " bytes after its last event");
        }
    }

    /**
     * Visits the events of {@code block} like {@link #forEach}, for readers: when the block's framing is damaged (a
     * length that runs past the block), the events from there on are visited with a payload that cannot be decoded
     * (it ends early), so that each is reported on its own (a delivery dead-letters it) and the events before it,
     * and every other block, are read as usual.
     */
    static void forEachReadable(byte[] block, int start, long firstSeq, long lastSeq, EventVisitor visitor)
    {
        long[] next = {firstSeq};
        try {
            forEach(block, start, firstSeq, lastSeq, (seq, source, offset, length) -> {
                next[0] = seq + 1;
                return visitor.visit(seq, source, offset, length);
            });
        }
        catch (IllegalStateException e) {
            for (long seq = next[0]; seq <= lastSeq; seq++) {
                if (!visitor.visit(seq, UNREADABLE, 0, UNREADABLE.length)) {
                    return;
                }
            }
        }
    }

    /**
     * The block whose payload is stored as {@code stored} with {@code codec} ({@link BlockCompression}), for readers:
     * a payload that cannot be decompressed reads as a block with no bytes, so that {@link #forEachReadable} reports
     * each of its events as undecodable, and the other blocks are read as usual.
     */
    static byte[] readable(byte[] stored, int codec)
    {
        try {
            return BlockCompression.decompress(stored, codec);
        }
        catch (IllegalStateException e) {
            return NO_BYTES;
        }
    }

    /** The payload of one event of a block, as {@link #forEach} found it. */
    static byte[] event(byte[] block, int offset, int length)
    {
        return Arrays.copyOfRange(block, offset, offset + length);
    }

    /** A block without its events up to a number: the bytes of those events, and where the rest starts. */
    record Cut(long headBytes, int start)
    {
    }

    /**
     * Cuts the events {@code firstSeq .. upTo} off {@code block} (which holds {@code firstSeq .. lastSeq} from
     * {@code start} on, {@code upTo < lastSeq}).
     */
    static Cut cut(byte[] block, int start, long firstSeq, long lastSeq, long upTo)
    {
        long[] headBytes = {0};
        int[] tailStart = {block.length};
        forEach(block, start, firstSeq, lastSeq, (seq, bytes, offset, length) -> {
            if (seq > upTo) {
                tailStart[0] = offset - BinaryFormat.varintSize(length);
                return false;
            }
            headBytes[0] += length;
            return true;
        });
        return new Cut(headBytes[0], tailStart[0]);
    }

    /** How many of the first events of a block it takes to free {@code bytes} (all of them when they hold less). */
    static int eventsToFree(byte[] block, int start, long firstSeq, long lastSeq, long bytes)
    {
        long[] freed = {0};
        int[] events = {0};
        forEach(block, start, firstSeq, lastSeq, (seq, source, offset, length) -> {
            events[0]++;
            freed[0] += length;
            return freed[0] < bytes;
        });
        return events[0];
    }

    /**
     * Cuts the events {@code firstSeq .. upTo} off the stored block that holds {@code firstSeq .. lastSeq}, within the
     * caller's transaction: the block's row moves to {@code upTo + 1}, loses the head's bytes and starts further into
     * its payload, which stays as it is. The caller holds the write lock.
     *
     * @throws IllegalStateException when the block's framing is damaged (nothing was changed)
     */
    static Cut cut(BufferDatabase database, long firstSeq, long lastSeq, long upTo)
            throws SQLException
    {
        return cut(database, stored(database, firstSeq), firstSeq, lastSeq, upTo);
    }

    /** {@link #cut(BufferDatabase, long, long, long)} of a block whose payload was read already. */
    static Cut cut(BufferDatabase database, Stored stored, long firstSeq, long lastSeq, long upTo)
            throws SQLException
    {
        Cut cut = cut(stored.payload(), stored.start(), firstSeq, lastSeq, upTo);
        store(database, firstSeq, upTo, cut);
        return cut;
    }

    /**
     * Stores {@code cut} of the events {@code firstSeq .. upTo} off the block that starts at {@code firstSeq}, within the
     * caller's transaction: its row moves to {@code upTo + 1}. The caller holds the write lock.
     */
    static void store(BufferDatabase database, long firstSeq, long upTo, Cut cut)
            throws SQLException
    {
        PreparedStatement update = database.prepared("UPDATE blocks SET first_seq = ?, bytes = bytes - ?, payload_offset = ? WHERE first_seq = ?");
        update.setLong(1, upTo + 1);
        update.setLong(2, cut.headBytes());
        update.setInt(3, cut.start());
        update.setLong(4, firstSeq);
        update.executeUpdate();
    }

    /** A block's payload (decompressed), and where in it the block's first event starts. */
    record Stored(byte[] payload, int start)
    {
    }

    /**
     * The payload of the block that starts at {@code firstSeq}, decompressed; the caller holds the write lock.
     *
     * @throws IllegalStateException when the payload cannot be decompressed
     */
    static Stored stored(BufferDatabase database, long firstSeq)
            throws SQLException
    {
        try (PreparedStatement select = database.writer().prepareStatement("SELECT b.payload_offset, p.payload, p.codec FROM blocks b JOIN block_payloads p ON p.id = b.payload_id"
                + " WHERE b.first_seq = ?")) {
            select.setLong(1, firstSeq);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("no block starts at " + firstSeq);
                }
                return new Stored(BlockCompression.decompress(rows.getBytes(2), rows.getInt(3)), rows.getInt(1));
            }
        }
    }

    private static IllegalStateException damaged(long firstSeq, long lastSeq, long seq)
    {
        return new IllegalStateException("buffered block " + firstSeq + ".." + lastSeq + " is damaged: event " + seq + " ends early");
    }
}
