package io.outrider.support;

import io.outrider.spi.EventVisitor;

import static java.util.Objects.requireNonNull;

/**
 * Writes the event it is shown as an {@link EventDocument#JSON} object into one writer: the bytes
 * {@link EventDocument#JSON}'s {@code write(JsonByteWriter, Event)} writes for the same event, with no object per
 * event. Belongs to its writer ({@link JsonByteWriter#documentVisitor()}); not thread-safe.
 */
final class JsonDocumentVisitor
        implements EventVisitor
{
    private final JsonByteWriter out;
    /** Open maps and lists. */
    private int depth;
    /** Whether the next member or element needs a comma before it. */
    private boolean afterValue;
    /** The top-level field being left out ({@code @timestamp} or {@code message}): its value is not written. */
    private boolean skipping;

    JsonDocumentVisitor(JsonByteWriter out)
    {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void timestamp(long epochSecond, int nanos)
    {
        depth = 0;
        skipping = false;
        out.raw("{\"@timestamp\":");
        out.writeTimestamp(epochSecond, nanos);
    }

    @Override
    public void message(byte[] utf8, int offset, int length)
    {
        out.raw(",\"message\":");
        out.writeUtf8String(utf8, offset, length);
        afterValue = true;
    }

    @Override
    public void message(String text)
    {
        out.raw(",\"message\":");
        out.writeString(text);
        afterValue = true;
    }

    /** Closes the object: after the last field. */
    void end()
    {
        out.raw('}');
    }

    @Override
    public void name(String name)
    {
        if (skipping) {
            return;
        }
        if (depth == 0 && (name.equals(EventDocument.TIMESTAMP) || name.equals(EventDocument.MESSAGE))) {
            // it would duplicate a key
            skipping = true;
            return;
        }
        if (afterValue) {
            out.raw(',');
        }
        out.writeName(name);
        out.raw(':');
        afterValue = false;
    }

    /** Before a value: whether to write it, with the comma a list element needs. */
    private boolean beforeValue()
    {
        if (skipping) {
            return false;
        }
        if (afterValue) {
            out.raw(',');
        }
        return true;
    }

    /** After a value (or a container's end): a skipped top-level field is over once its value is. */
    private void afterValue()
    {
        if (skipping && depth == 0) {
            skipping = false;
        }
        afterValue = true;
    }

    @Override
    public void nullValue()
    {
        if (beforeValue()) {
            out.writeNull();
        }
        afterValue();
    }

    @Override
    public void booleanValue(boolean value)
    {
        if (beforeValue()) {
            out.writeBoolean(value);
        }
        afterValue();
    }

    @Override
    public void longValue(long value)
    {
        if (beforeValue()) {
            out.writeLong(value);
        }
        afterValue();
    }

    @Override
    public void doubleValue(double value)
    {
        if (beforeValue()) {
            if (Double.isFinite(value)) {
                out.raw(Double.toString(value));
            }
            else {
                out.writeNull();
            }
        }
        afterValue();
    }

    @Override
    public void stringValue(byte[] utf8, int offset, int length)
    {
        if (beforeValue()) {
            out.writeUtf8String(utf8, offset, length);
        }
        afterValue();
    }

    @Override
    public void stringValue(String text)
    {
        if (beforeValue()) {
            out.writeString(text);
        }
        afterValue();
    }

    @Override
    public void numberValue(Number value)
    {
        if (beforeValue()) {
            out.writeValue(value);
        }
        afterValue();
    }

    @Override
    public void startMap(int entries)
    {
        if (beforeValue()) {
            out.raw('{');
        }
        depth++;
        afterValue = false;
    }

    @Override
    public void endMap()
    {
        depth--;
        if (!skipping) {
            out.raw('}');
        }
        afterValue();
    }

    @Override
    public void startList(int elements)
    {
        if (beforeValue()) {
            out.raw('[');
        }
        depth++;
        afterValue = false;
    }

    @Override
    public void endList()
    {
        depth--;
        if (!skipping) {
            out.raw(']');
        }
        afterValue();
    }
}
