package io.outrider.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Receives one event's parts in order, without an {@link Event} object: for outputs whose format is a function of
 * the event alone (JSON lines, say), which can write straight from the bytes the agent buffered instead of decoding
 * them into objects and encoding those again.
 *
 * <p>The calls for one event: {@link #timestamp}, then one {@code message} call, then for each field in the event's
 * order {@link #name} followed by exactly one value: {@link #nullValue}, {@link #booleanValue}, {@link #longValue},
 * {@link #doubleValue}, a {@code stringValue}, {@link #numberValue}, or a map ({@link #startMap}, then
 * {@link #name} and one value per entry, then {@link #endMap}) or a list ({@link #startList}, one value per
 * element, {@link #endList}). A field whose value is null is not reported, as {@link Event#fields()} does not hold
 * it; inside maps and lists a null is reported. The same event visited any way (from the buffer or from an
 * {@link Event} through {@link #visit(Event, EventVisitor)}) gives the same calls, except that text may come as UTF-8
 * bytes one way and as a {@link String} the other.
 *
 * <p>Byte ranges ({@code utf8, offset, length}) are valid only during the call that passes them: they may be a view
 * of the agent's own buffer, which the visitor must neither change nor keep. They normally hold well-formed UTF-8;
 * a damaged buffer may hold ill-formed sequences, which an {@link Event} would hold as U+FFFD each (as
 * {@code new String(bytes, UTF_8)} decodes them). Text that UTF-8 cannot hold (a lone surrogate) comes as a
 * {@link String}.
 *
 * <p>Called on the thread that visits, for outputs that is their delivery thread; an exception a visitor throws
 * ends the visit and propagates to whoever asked for it.
 *
 * @since SPI 1.5
 */
@Experimental
public interface EventVisitor
{
    /** The event's timestamp: {@code epochSecond} and {@code nanos} (0 to 999,999,999) as {@link Instant} has them. */
    void timestamp(long epochSecond, int nanos);

    /** The event's message as UTF-8. */
    void message(byte[] utf8, int offset, int length);

    /** The event's message as text. */
    void message(String text);

    /** The name of the field (or map entry) whose value comes next. */
    void name(String name);

    void nullValue();

    void booleanValue(boolean value);

    /** An integral number: {@link Long}, {@link Integer}, {@link Short} or {@link Byte} in an {@link Event}. */
    void longValue(long value);

    /** A {@link Double}, whatever it holds (NaN and infinities too). */
    void doubleValue(double value);

    /** A string as UTF-8. */
    void stringValue(byte[] utf8, int offset, int length);

    /** A string as text. */
    void stringValue(String text);

    /** Any other number ({@link java.math.BigInteger}, {@link java.math.BigDecimal}, {@link Float}), as the event holds it. */
    void numberValue(Number value);

    /** A map of {@code entries} entries starts: each comes as {@link #name} and one value, then {@link #endMap}. */
    void startMap(int entries);

    void endMap();

    /** A list of {@code elements} elements starts: each comes as one value, then {@link #endList}. */
    void startList(int elements);

    void endList();

    /**
     * A batch that can show its events to a visitor without making {@link Event}s of them: the lists the agent passes
     * to {@link Output#deliver} are. Use {@link EventVisitor#visit(List, int, EventVisitor)}, which works for any
     * list.
     *
     * @since SPI 1.5
     */
    @Experimental
    interface Source
    {
        /**
         * Shows the event at {@code index} to {@code visitor}, as {@link List#get} would return it. Called on the
         * output's delivery thread.
         *
         * @throws java.io.UncheckedIOException when the event cannot be read back from the buffer, as
         *         {@link List#get} would throw it (the agent then dead-letters that event); the visitor may have
         *         received part of the event before
         * @throws IndexOutOfBoundsException when there is no such event
         */
        void visit(int index, EventVisitor visitor);
    }

    /**
     * Shows {@code batch.get(index)} to {@code visitor}: straight from the stored bytes when the batch is a
     * {@link Source}, else by walking the {@link Event}. Exceptions as {@link Source#visit} and {@link List#get}.
     */
    static void visit(List<Event> batch, int index, EventVisitor visitor)
    {
        if (batch instanceof Source) {
            ((Source) batch).visit(index, visitor);
        }
        else {
            visit(batch.get(index), visitor);
        }
    }

    /** Shows {@code event} to {@code visitor}, field by field; what the visitor throws propagates. */
    static void visit(Event event, EventVisitor visitor)
    {
        Instant timestamp = event.timestamp();
        visitor.timestamp(timestamp.getEpochSecond(), timestamp.getNano());
        visitor.message(event.message());
        // forEach, not entrySet(): the unmodifiable view wraps every entry it iterates in a new object
        event.fields().forEach((name, value) -> {
            visitor.name(name);
            visitValue(value, visitor);
        });
    }

    private static void visitValue(Object value, EventVisitor visitor)
    {
        if (value == null) {
            visitor.nullValue();
        }
        else if (value instanceof String) {
            visitor.stringValue((String) value);
        }
        else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            visitor.longValue(((Number) value).longValue());
        }
        else if (value instanceof Boolean) {
            visitor.booleanValue((Boolean) value);
        }
        else if (value instanceof Double) {
            visitor.doubleValue((Double) value);
        }
        else if (value instanceof Number) {
            visitor.numberValue((Number) value);
        }
        else if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            visitor.startMap(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                visitor.name(String.valueOf(entry.getKey()));
                visitValue(entry.getValue(), visitor);
            }
            visitor.endMap();
        }
        else if (value instanceof List) {
            List<?> list = (List<?>) value;
            visitor.startList(list.size());
            for (Object element : list) {
                visitValue(element, visitor);
            }
            visitor.endList();
        }
        else {
            visitor.stringValue(value.toString());
        }
    }
}
