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
        ndjson(batch, out, document, Integer.MAX_VALUE);
    }

    /**
     * Writes the batch as UTF-8 NDJSON of {@code document}s into {@code out}, after resetting it, and stops after the
     * first event whose line ends beyond {@code maxBytes} (or that takes the writer past its own limit).
     *
     * @return how many events, from the first, end within {@code maxBytes}: the batch's size when all of it fits
     */
    static int ndjson(List<Event> batch, JsonByteWriter out, EventDocument document, int maxBytes)
    {
        out.reset();
        int written = 0;
        try {
            while (written < batch.size()) {
                document.write(out, batch, written);
                out.raw('\n');
                if (out.size() > maxBytes) {
                    return written;
                }
                written++;
            }
        }
        catch (JsonByteWriter.LimitExceededException e) {
            return written;
        }
        return written;
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
        jsonArray(batch, out, Integer.MAX_VALUE);
    }

    /**
     * Writes the batch as one UTF-8 JSON array into {@code out}, after resetting it, and stops after the first event
     * that ends beyond {@code maxBytes} with the closing bracket counted (or takes the writer past its own limit).
     *
     * @return how many events, from the first, fit in an array within {@code maxBytes}: the batch's size when all of
     *         it does, and then {@code out} holds the whole array
     */
    static int jsonArray(List<Event> batch, JsonByteWriter out, int maxBytes)
    {
        out.reset();
        int written = 0;
        try {
            out.raw('[');
            while (written < batch.size()) {
                if (written > 0) {
                    out.raw(',');
                }
                EventDocument.JSON.write(out, batch, written);
                if (out.size() + 1 > maxBytes) {
                    return written;
                }
                written++;
            }
            out.raw(']');
        }
        catch (JsonByteWriter.LimitExceededException e) {
            return written;
        }
        return written;
    }
}
