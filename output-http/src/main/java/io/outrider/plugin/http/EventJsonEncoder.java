package io.outrider.plugin.http;

import io.outrider.spi.Event;
import io.outrider.support.EventDocument;
import io.outrider.support.JsonByteWriter;

import java.util.List;

/**
 * The generic formats: plugin-support's {@link EventDocument}s, one object per line ({@code ndjson}: the fields
 * under their dotted names; {@code ecs}: nested) or one array per batch ({@code json}). Written into the caller's
 * writer, whose array is the request body as it is ({@link JsonByteWriter#buffer()}, {@link JsonByteWriter#size()}):
 * a batch is encoded once and never copied. {@link EventDocument#JSON} writes each event straight from the batch's
 * stored bytes (see {@link EventDocument#write(JsonByteWriter, List, int)}).
 */
final class EventJsonEncoder
{
    private EventJsonEncoder() {}

    /** The batch as UTF-8 NDJSON of {@link EventDocument#JSON} objects, in an array of its own. */
    static byte[] ndjson(List<Event> batch)
    {
        JsonByteWriter out = new JsonByteWriter(batch.size() * 320);
        ndjson(batch, out, EventDocument.JSON);
        return out.toByteArray();
    }

    /** Writes the batch as UTF-8 NDJSON of {@code document}s into {@code out} (sized by the caller to avoid growing it), after resetting it. */
    static void ndjson(List<Event> batch, JsonByteWriter out, EventDocument document)
    {
        out.reset();
        for (int i = 0; i < batch.size(); i++) {
            document.write(out, batch, i);
            out.raw('\n');
        }
    }

    /** The batch as one UTF-8 JSON array, in an array of its own. */
    static byte[] jsonArray(List<Event> batch)
    {
        JsonByteWriter out = new JsonByteWriter(batch.size() * 320 + 2);
        jsonArray(batch, out);
        return out.toByteArray();
    }

    /** Writes the batch as one UTF-8 JSON array into {@code out} (sized by the caller to avoid growing it), after resetting it. */
    static void jsonArray(List<Event> batch, JsonByteWriter out)
    {
        out.reset();
        out.raw('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.raw(',');
            }
            EventDocument.JSON.write(out, batch, i);
        }
        out.raw(']');
    }
}
