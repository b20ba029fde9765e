package io.outrider.core.storage;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * The most an event may take encoded. A parser that made an event of 50 million characters ran the agent out of
     * heap as it was encoded, and again after every restart, the line never committed (a plugin author's walkthrough);
     * the lines an input reads are far smaller ({@code max_line_bytes}, 1 MiB by default), and the http output sends
     * no event above its {@code max_body_size}.
     */
    public static final int MAX_EVENT_BYTES = 16 << 20;
    /** What {@link #cut} keeps of each string of an event too large. */
    static final int CUT_STRING_CHARS = 64 << 10;

    /**
     * Encodes {@code event} as the next of the batch; an event whose encoding would pass {@link #MAX_EVENT_BYTES} is
     * stored {@link #cut} instead.
     *
     * @return whether the event was cut
     */
    public boolean add(Event event)
    {
        int start = out.size();
        int prefixAt = out.startLengthPrefixed();
        boolean cut = false;
        out.limitTo((long) prefixAt + MAX_EVENT_BYTES);
        try {
            EventCodec.write(out, event);
        }
        catch (EventTooLargeException e) {
            out.truncateTo(start);
            prefixAt = out.startLengthPrefixed();
            out.limitTo((long) prefixAt + MAX_EVENT_BYTES);
            try {
                EventCodec.write(out, cut(event, true));
            }
            catch (EventTooLargeException stillTooLarge) {
                // thousands of fields of CUT_STRING_CHARS each: the time, the message's start and the flags
                out.truncateTo(start);
                prefixAt = out.startLengthPrefixed();
                EventCodec.write(out, cut(event, false));
            }
            cut = true;
        }
        finally {
            out.limitTo(Long.MAX_VALUE);
        }
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
        return cut;
    }

    /**
     * What is kept of an event too large: its time, its message and each string field cut to
     * {@link #CUT_STRING_CHARS} characters (ending in {@code …}), its numbers and booleans, with {@code truncated}
     * added to {@code log.flags}; its lists and maps, and with {@code withFields} false all its fields, are left out.
     */
    static Event cut(Event event, boolean withFields)
    {
        Event.Builder cut = Event.builder().timestamp(event.timestamp()).message(cutString(event.message()));
        if (withFields) {
            event.forEachField((name, value) -> {
                if (value instanceof String) {
                    cut.field(name, cutString((String) value));
                }
                else if (value instanceof Number || value instanceof Boolean) {
                    cut.field(name, value);
                }
            });
        }
        List<Object> flags = new ArrayList<>();
        if (event.field(Fields.LOG_FLAGS) instanceof List<?> existing) {
            // the flags a line already had (partial, ...); nothing large: the cut event must fit whatever came
            existing.stream().filter(flag -> flag instanceof String && ((String) flag).length() <= 64).limit(16).forEach(flags::add);
        }
        if (!flags.contains("truncated")) {
            flags.add("truncated");
        }
        cut.field(Fields.LOG_FLAGS, List.copyOf(flags));
        return cut.build();
    }

    private static String cutString(String text)
    {
        return text == null || text.length() <= CUT_STRING_CHARS ? text : text.substring(0, CUT_STRING_CHARS) + "…";
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
