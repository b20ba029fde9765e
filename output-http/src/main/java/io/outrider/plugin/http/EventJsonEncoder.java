package io.outrider.plugin.http;

import io.outrider.spi.Event;
import io.outrider.support.EventDocument;
import io.outrider.support.JsonByteWriter;

import java.util.List;

/**
 * The generic formats: plugin-support's {@link EventDocument}s, one object per line ({@code ndjson}: the fields
 * under their dotted names; {@code ecs}: nested) or one array per batch ({@code json}).
 */
final class EventJsonEncoder
{
    private EventJsonEncoder() {}

    /** The batch as UTF-8 NDJSON of {@link EventDocument#JSON} objects. */
    static byte[] ndjson(List<Event> batch)
    {
        return ndjson(batch, new JsonByteWriter(batch.size() * 320), EventDocument.JSON);
    }

    /** The batch as UTF-8 NDJSON of {@code document}s, written into {@code out} (sized by the caller to avoid growing it). */
    static byte[] ndjson(List<Event> batch, JsonByteWriter out, EventDocument document)
    {
        out.reset();
        for (Event event : batch) {
            document.write(out, event);
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
            EventDocument.JSON.write(out, batch.get(i));
        }
        return out.raw(']').toByteArray();
    }
}
