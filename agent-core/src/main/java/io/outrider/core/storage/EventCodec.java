package io.outrider.core.storage;

import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The buffer's encoding of an {@link Event}. Runs for every event twice (append and delivery), so it is a compact
 * binary form written and read by hand ({@link BinaryEventWriter}, {@link BinaryEventReader}):
 * <pre>
 * 0x03                                  format marker (a legacy JSON payload starts with '{')
 * zigzag varlong  epoch seconds
 * varint          nanoseconds
 * string          message
 * varint          field count, then per field: name, value
 * value:  tag byte, then NULL | FALSE | TRUE | LONG zigzag varlong | DOUBLE 8 bytes (IEEE 754 bits, big-endian)
 *         | STRING string | BIG_INTEGER string | BIG_DECIMAL string | MAP varint n, n x (name, value)
 *         | LIST varint n, n x value
 * string: varint (byte length &lt;&lt; 1 | lone-surrogate flag), then UTF-8; with the flag set, a lone surrogate is
 *         written as its own three-byte sequence (as WTF-8 does), so every Java string comes back unchanged
 * name:   varint (id &lt;&lt; 1 | 1) for the name with that id in the buffer's {@link FieldNames}, else
 *         varint (string header &lt;&lt; 1), then the string's UTF-8 as above
 * </pre>
 * The names of the common fields made up over a third of an event's bytes, written out in every row; as ids they
 * take one or two bytes. The ids are the buffer's own, learned as names first appear (whatever plugin they come
 * from) and stored with the buffer, so a codec belongs to one buffer: {@link SqliteBuffer#codec()}.
 *
 * <p>Older payloads, in buffers and dead letters written by earlier versions, still decode: format 0x02 is the same
 * with indexes into a dictionary that was fixed in the code ({@link BinaryFormat#FROZEN_NAMES}, kept only to decode
 * them); format 0x01 writes every name as a string; the first buffers held compact JSON
 * {@code {"s":secs,"n":nanos,"m":message,"f":{fields}}}. Nothing writes those formats any more.
 *
 * <p>After a round trip, integral numbers are {@link Long} ({@link java.math.BigInteger} beyond its range),
 * {@code float} is the {@link Double} of its decimal text, {@code double} and {@link java.math.BigDecimal} are
 * exactly what was written.
 */
public final class EventCodec
{
    /** Encoding scratch space per thread: inputs encode on their own threads, concurrently. */
    private static final ThreadLocal<BinaryEventWriter> WRITERS = ThreadLocal.withInitial(BinaryEventWriter::new);

    private final FieldNames names;

    private EventCodec(FieldNames names)
    {
        this.names = requireNonNull(names, "names is null");
    }

    /** The codec of a buffer whose field names are {@code names}. */
    static EventCodec of(FieldNames names)
    {
        return new EventCodec(names);
    }

    /**
     * A codec with field names of its own, stored nowhere: for payloads that never reach a buffer (tests, tools),
     * and for reading payloads of the formats that need no buffer's names.
     */
    public static EventCodec standalone()
    {
        return new EventCodec(FieldNames.standalone());
    }

    /** The field names this codec writes ids of. */
    FieldNames names()
    {
        return names;
    }

    public byte[] encode(Event event)
    {
        BinaryEventWriter out = WRITERS.get();
        out.reset(names);
        write(out, event);
        return out.toByteArray();
    }

    /**
     * The events as the blocks they are stored in: each block's payload holds what {@link #encode} makes of its
     * events, each after its length (see {@link BlockPayload}), split where {@link BlockPayload#blockEnd} splits a
     * list of payloads. Each event is written once, into its block, without a payload array of its own.
     */
    EncodedBlocks encodeBlocks(List<Event> events)
    {
        BatchEncoder encoder = new BatchEncoder(names, WRITERS.get());
        for (Event event : events) {
            encoder.add(event);
        }
        return encoder.finish();
    }

    /** An encoder of batches for this codec's buffer, with an array of its own: see {@link BatchEncoder}. */
    BatchEncoder newBatchEncoder()
    {
        return new BatchEncoder(names, new BinaryEventWriter(BinaryEventWriter.RETAINED_BLOCK_CAPACITY));
    }

    static void write(BinaryEventWriter out, Event event)
    {
        out.put(BinaryFormat.FORMAT_LEARNED_NAMES);
        out.putVarLong(BinaryFormat.zigzag(event.timestamp().getEpochSecond()));
        out.putVarLong(event.timestamp().getNano());
        out.putString(event.message());
        out.putVarLong(event.fieldCount());
        // not fields().entrySet(): the read-only view is an object per event, and it wraps every entry it iterates
        event.forEachField(out.fieldWriter);
    }

    /**
     * @throws UncheckedIOException when the payload is not an event a codec wrote (damaged or truncated), or names
     *         fields by ids this codec's buffer does not have
     */
    public Event decode(byte[] payload)
    {
        return decode(payload, 0, payload.length);
    }

    /** {@link #decode(byte[])} of the payload {@code bytes[offset, offset + length)}, a slice of its block. */
    public Event decode(byte[] bytes, int offset, int length)
    {
        BinaryEventReader.Names naming = naming(bytes, offset, length);
        if (naming == null) {
            return JsonEvents.decode(offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length));
        }
        try {
            return new BinaryEventReader(bytes, offset, length, naming, names).event();
        }
        catch (IOException e) {
            throw undecodable(e);
        }
        catch (IndexOutOfBoundsException e) {
            throw endsEarly(e);
        }
    }

    /**
     * Shows the payload {@code bytes[offset, offset + length)} to {@code visitor} without decoding it into an
     * {@link Event} (see {@link BinaryEventReader#visit}); a payload of the first JSON form is decoded and walked.
     *
     * @throws UndecodableEventException as {@link #decode(byte[])} throws it, possibly after the visitor saw part of
     *         the event; what the visitor throws propagates as it is
     */
    public void visit(byte[] bytes, int offset, int length, EventVisitor visitor)
    {
        BinaryEventReader.Names naming = naming(bytes, offset, length);
        if (naming == null) {
            Event event;
            try {
                event = decode(bytes, offset, length);
            }
            catch (UndecodableEventException e) {
                throw e;
            }
            catch (UncheckedIOException e) {
                throw new UndecodableEventException(e.getMessage(), e.getCause());
            }
            EventVisitor.visit(event, visitor);
            return;
        }
        BinaryEventReader reader = BinaryEventReader.visiting(bytes, offset, length, naming, names);
        try {
            reader.visit(visitor);
        }
        catch (IOException e) {
            throw undecodable(e);
        }
        catch (IndexOutOfBoundsException e) {
            throw endsEarly(e);
        }
        finally {
            reader.giveBack();
        }
    }

    /** How a binary payload names its fields; null for a payload of the first JSON form. */
    private static BinaryEventReader.Names naming(byte[] bytes, int offset, int length)
    {
        if (length == 0) {
            return null;
        }
        return switch (bytes[offset]) {
            case BinaryFormat.FORMAT_LEARNED_NAMES -> BinaryEventReader.Names.LEARNED;
            case BinaryFormat.FORMAT_FROZEN_DICTIONARY -> BinaryEventReader.Names.FROZEN_TABLE;
            case BinaryFormat.FORMAT_BINARY -> BinaryEventReader.Names.STRINGS;
            default -> null;
        };
    }

    private static UncheckedIOException undecodable(IOException e)
    {
        return new UndecodableEventException("buffered event cannot be decoded: " + e.getMessage(), e);
    }

    private static UncheckedIOException endsEarly(IndexOutOfBoundsException e)
    {
        return new UndecodableEventException("buffered event cannot be decoded: it ends early", new IOException(e));
    }

    /** The event as one line of JSON for people: {@code {"@timestamp":..., "message":..., fields...}}. */
    public static String toJsonLine(Event event)
    {
        return JsonEvents.toJsonLine(event);
    }
}
