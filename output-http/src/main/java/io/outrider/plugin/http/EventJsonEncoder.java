package io.outrider.plugin.http;

import io.outrider.support.JsonWriter;

import io.outrider.spi.Event;

import java.util.List;
import java.util.Map;

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

    static String ndjson(List<Event> batch)
    {
        StringBuilder out = new StringBuilder(batch.size() * 256);
        for (Event event : batch) {
            writeEvent(out, event);
            out.append('\n');
        }
        return out.toString();
    }

    static String jsonArray(List<Event> batch)
    {
        StringBuilder out = new StringBuilder(batch.size() * 256 + 2);
        out.append('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeEvent(out, batch.get(i));
        }
        return out.append(']').toString();
    }

    static void writeEvent(StringBuilder out, Event event)
    {
        out.append("{\"@timestamp\":");
        JsonWriter.writeTimestamp(out, event.timestamp());
        out.append(",\"message\":");
        JsonWriter.writeString(out, event.message());
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            String name = field.getKey();
            if (name.equals(TIMESTAMP) || name.equals(MESSAGE)) {
                continue;
            }
            out.append(',');
            JsonWriter.writeString(out, name);
            out.append(':');
            JsonWriter.writeValue(out, field.getValue());
        }
        out.append('}');
    }
}
