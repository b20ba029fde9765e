package io.outrider.core.storage;

import io.outrider.spi.Event;

import static java.util.Objects.requireNonNull;

/**
 * Encodes the events of one batch, as they come, into the blocks {@link SqliteBuffer#append(String, String, BatchEncoder,
 * java.util.Collection)} stores: an input's thread encodes each event right after its parsers made it, while its
 * objects are still in the processor's cache, instead of walking a thousand events again afterwards. The blocks are
 * those {@link EventCodec#encodeBlocks} makes of the same events.
 *
 * <p>Belongs to one buffer (its payloads use that buffer's field ids) and one thread at a time; it keeps its array
 * between batches (see {@link BinaryEventWriter}).
 */
public final class BatchEncoder
{
    private final FieldNames names;
    private final BinaryEventWriter out;
    private final BlockCompression compression = new BlockCompression();
    private EncodedBlocks.Builder blocks = EncodedBlocks.builder();
    private int blockEvents;
    private long blockBytes;

    BatchEncoder(FieldNames names, BinaryEventWriter out)
    {
        this.names = requireNonNull(names, "names is null");
        this.out = requireNonNull(out, "out is null");
        out.reset(names);
    }

    FieldNames names()
    {
        return names;
    }

    /** Encodes {@code event} as the next of the batch. */
    public void add(Event event)
    {
        int start = out.size();
        int prefixAt = out.startLengthPrefixed();
        EventCodec.write(out, event);
        int length = out.endLengthPrefixed(prefixAt);
        if (BlockPayload.startsNewBlock(blockEvents, blockBytes, length)) {
            // this event starts the next block
            add(out.compress(compression, 0, start));
            out.dropBefore(start);
            blockEvents = 0;
            blockBytes = 0;
        }
        blockEvents++;
        blockBytes += length;
    }

    /** The blocks of the events added since the last {@code finish} or {@link #clear}; the encoder starts a new batch. */
    EncodedBlocks finish()
    {
        if (blockEvents > 0) {
            add(out.compress(compression, 0, out.size()));
        }
        EncodedBlocks finished = blocks.build();
        clear();
        return finished;
    }

    private void add(BlockCompression.Stored block)
    {
        blocks.add(block.bytes(), block.codec(), blockEvents, blockBytes);
    }

    /** Forgets the events added since the last {@link #finish} (a batch that will not be appended). */
    public void clear()
    {
        blocks = EncodedBlocks.builder();
        blockEvents = 0;
        blockBytes = 0;
        out.reset(names);
    }
}
