package io.outrider.plugin.http;

import io.outrider.support.JsonByteWriter;

import io.outrider.spi.Event;

import java.util.List;

/**
 * The generic encodings of the event model: {@code {"@timestamp":"...","message":"...",<fields>}} with the
 * fields under their dotted names in event order. {@code ndjson} writes one object per line (each line ends with
 * a newline); {@code json} writes one array per batch. A field literally named {@code @timestamp} or
 * {@code message} would duplicate a key and is left out.
 */
final class EventJsonEncoder
{
    static final String TIMESTAMP = "@timestamp";
    static final String MESSAGE = "message";

    private EventJsonEncoder() {}

    /** The batch as UTF-8 NDJSON. */
    static byte[] ndjson(List<Event> batch)
    {
        return ndjson(batch, new JsonByteWriter(batch.size() * 320));
    }

    /** The batch as UTF-8 NDJSON, written into {@code out} (sized by the caller to avoid growing it). */
    static byte[] ndjson(List<Event> batch, JsonByteWriter out)
    {
        out.reset();
        for (Event event : batch) {
            writeEvent(out, event);
            out.raw('\n');
        }
        return out.toByteArray();
    }

    /** The batch as one UTF-8 JSON array. */
    static byte[] jsonArray(List<Event> batch)
    {
        return jsonArray(batch, new JsonByteWriter(batch.size() * 320 + 2));
    }

    /** The batch as one UTF-8 JSON array, written into {@code out} (sized by the caller to avoid growing it). */
    static byte[] jsonArray(List<Event> batch, JsonByteWriter out)
    {
        out.reset();
        out.raw('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.raw(',');
            }
            writeEvent(out, batch.get(i));
        }
        return out.raw(']').toByteArray();
    }

    static void writeEvent(JsonByteWriter out, Event event)
    {
        out.raw("{\"@timestamp\":");
        out.writeTimestamp(event.timestamp());
        out.raw(",\"message\":");
        out.writeString(event.message());
        // forEach, not entrySet(): the unmodifiable view wraps every entry it iterates in a new object
        event.fields().forEach((name, value) -> {
            if (!name.equals(TIMESTAMP) && !name.equals(MESSAGE)) {
                out.raw(',');
                out.writeName(name);
                out.raw(':');
                out.writeValue(value);
            }
        });
        out.raw('}');
    }
}
