package io.outrider.core.storage;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A batch of events encoded as the blocks it is stored in (see {@link BlockPayload}), with what the buffer counts of
 * it: events and the bytes of their payloads (without the length prefixes).
 */
final class EncodedBlocks
{
    /** One block: its payload as stored and how ({@link BlockCompression}), how many events it holds and their payloads' bytes. */
    record Block(byte[] payload, int codec, int events, long bytes)
    {
        Block
        {
            requireNonNull(payload, "payload is null");
        }
    }

    private final List<Block> blocks;
    private final int events;
    private final long bytes;

    private EncodedBlocks(List<Block> blocks)
    {
        this.blocks = List.copyOf(blocks);
        int events = 0;
        long bytes = 0;
        for (Block block : this.blocks) {
            events += block.events();
            bytes += block.bytes();
        }
        this.events = events;
        this.bytes = bytes;
    }

    /** Payloads encoded one by one (replayed dead letters), joined into blocks where {@link BlockPayload#blockEnd} says. */
    static EncodedBlocks join(List<byte[]> payloads)
    {
        Builder builder = builder();
        for (int from = 0; from < payloads.size(); ) {
            int to = BlockPayload.blockEnd(payloads, from);
            long bytes = 0;
            for (int i = from; i < to; i++) {
                bytes += payloads.get(i).length;
            }
            // replayed dead letters, a few at a time: stored as they are
            builder.add(BlockPayload.join(payloads, from, to), BlockCompression.RAW, to - from, bytes);
            from = to;
        }
        return builder.build();
    }

    static Builder builder()
    {
        return new Builder();
    }

    List<Block> blocks()
    {
        return blocks;
    }

    /** Events in all blocks. */
    int events()
    {
        return events;
    }

    /** Bytes of the events' payloads in all blocks, as the buffer counts them. */
    long bytes()
    {
        return bytes;
    }

    static final class Builder
    {
        private final List<Block> blocks = new ArrayList<>(1);

        Builder add(byte[] payload, int codec, int events, long bytes)
        {
            blocks.add(new Block(payload, codec, events, bytes));
            return this;
        }

        EncodedBlocks build()
        {
            return new EncodedBlocks(blocks);
        }
    }
}
