package io.outrider.plugin.otlp;

import io.outrider.support.JsonWriter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an {@code ExportLogsServiceRequest} as OTLP/JSON: the protobuf JSON mapping with lowerCamelCase names,
 * enums as integers, 64-bit integers as decimal strings and default values left out, as the OTLP specification
 * asks. Written by hand because protobuf's reflective {@code JsonFormat} is an order of magnitude slower and would
 * bring Guava and Gson into the plugin; the tests read it back with {@code JsonFormat}'s parser and compare it with the
 * protobuf encoding of the same batch.
 *
 * <p>One request per writer, on one thread.
 */
final class JsonLogsWriter
        implements LogsWriter
{
    private static final byte IN_RECORD = 0;
    private static final byte IN_KEY_VALUE = 1;
    private static final byte IN_ARRAY = 2;
    private static final byte IN_KEY_VALUE_LIST = 3;

    private final StringBuilder out;
    private boolean anyResource;
    private boolean anyRecord;
    // per open container: its kind and how many elements it has so far
    private byte[] containers = new byte[16];
    private int[] elements = new int[16];
    private int containerCount;

    JsonLogsWriter(int expectedChars)
    {
        this.out = new StringBuilder(Math.max(64, expectedChars)).append("{\"resourceLogs\":[");
    }

    @Override
    public void beginResource(String[] attributeKeys, String[] attributeValues, String scopeName, String scopeVersion)
    {
        out.append(anyResource ? ",{" : "{").append("\"resource\":{");
        anyResource = true;
        anyRecord = false;
        if (attributeKeys.length > 0) {
            out.append("\"attributes\":[");
            for (int i = 0; i < attributeKeys.length; i++) {
                out.append(i > 0 ? ",{\"key\":" : "{\"key\":");
                JsonWriter.writeString(out, attributeKeys[i]);
                out.append(",\"value\":{\"stringValue\":");
                JsonWriter.writeString(out, attributeValues[i]);
                out.append("}}");
            }
            out.append(']');
        }
        out.append("},\"scopeLogs\":[{\"scope\":{\"name\":");
        JsonWriter.writeString(out, scopeName);
        if (!scopeVersion.isEmpty()) {
            out.append(",\"version\":");
            JsonWriter.writeString(out, scopeVersion);
        }
        out.append("},\"logRecords\":[");
    }

    @Override
    public void endResource()
    {
        out.append("]}]}");
    }

    @Override
    public void beginRecord(long timeUnixNano, long observedTimeUnixNano, int severityNumber, String severityText, String body)
    {
        out.append(anyRecord ? ",{" : "{");
        anyRecord = true;
        if (timeUnixNano != 0) {
            out.append("\"timeUnixNano\":\"").append(Long.toUnsignedString(timeUnixNano)).append("\",");
        }
        if (observedTimeUnixNano != 0) {
            out.append("\"observedTimeUnixNano\":\"").append(Long.toUnsignedString(observedTimeUnixNano)).append("\",");
        }
        if (severityNumber != 0) {
            out.append("\"severityNumber\":").append(severityNumber).append(',');
        }
        if (!severityText.isEmpty()) {
            out.append("\"severityText\":");
            JsonWriter.writeString(out, severityText);
            out.append(',');
        }
        out.append("\"body\":{\"stringValue\":");
        JsonWriter.writeString(out, body);
        out.append('}');
        push(IN_RECORD);
    }

    @Override
    public void endRecord()
    {
        closeList();
        out.append('}');
    }

    @Override
    public void beginAttribute(String key)
    {
        element();
        out.append("{\"key\":");
        JsonWriter.writeString(out, key);
        out.append(",\"value\":");
        push(IN_KEY_VALUE);
    }

    @Override
    public void endAttribute()
    {
        containerCount--;
        out.append('}');
    }

    @Override
    public void stringValue(String value)
    {
        element();
        out.append("{\"stringValue\":");
        JsonWriter.writeString(out, value);
        out.append('}');
    }

    @Override
    public void boolValue(boolean value)
    {
        element();
        out.append("{\"boolValue\":").append(value).append('}');
    }

    @Override
    public void intValue(long value)
    {
        element();
        out.append("{\"intValue\":\"").append(value).append("\"}");
    }

    @Override
    public void doubleValue(double value)
    {
        element();
        out.append("{\"doubleValue\":");
        if (Double.isNaN(value)) {
            out.append("\"NaN\"");
        }
        else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        }
        else {
            out.append(value);
        }
        out.append('}');
    }

    @Override
    public void emptyValue()
    {
        element();
        out.append("{}");
    }

    @Override
    public void beginArray()
    {
        element();
        out.append("{\"arrayValue\":{");
        push(IN_ARRAY);
    }

    @Override
    public void endArray()
    {
        closeList();
        out.append("}}");
    }

    @Override
    public void beginKeyValueList()
    {
        element();
        out.append("{\"kvlistValue\":{");
        push(IN_KEY_VALUE_LIST);
    }

    @Override
    public void endKeyValueList()
    {
        closeList();
        out.append("}}");
    }

    @Override
    public Encoded finish()
    {
        if (containerCount != 0) {
            throw new IllegalStateException(containerCount + " elements are still open");
        }
        byte[] bytes = out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        return new Encoded(bytes, bytes.length);
    }

    /**
     * Before an element of the open container: a record's first attribute opens its {@code attributes}, an array's or
     * a kvlist's first element its {@code values} (left out when empty, as defaults are); later ones follow a comma. A
     * key-value's value needs nothing.
     */
    private void element()
    {
        int top = containerCount - 1;
        byte container = containers[top];
        if (container == IN_KEY_VALUE) {
            return;
        }
        if (elements[top]++ > 0) {
            out.append(',');
        }
        else {
            out.append(container == IN_RECORD ? ",\"attributes\":[" : "\"values\":[");
        }
    }

    /** Ends a record's, an array's or a kvlist's elements. */
    private void closeList()
    {
        if (elements[--containerCount] > 0) {
            out.append(']');
        }
    }

    private void push(byte container)
    {
        if (containerCount == containers.length) {
            containers = Arrays.copyOf(containers, containerCount * 2);
            elements = Arrays.copyOf(elements, containerCount * 2);
        }
        containers[containerCount] = container;
        elements[containerCount] = 0;
        containerCount++;
    }
}
