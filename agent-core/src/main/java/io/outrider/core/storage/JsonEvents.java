package io.outrider.core.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import io.outrider.spi.Event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events as JSON: the payloads of the first buffers (compact JSON), and one line of JSON for people. */
final class JsonEvents
{
    private static final java.util.regex.Pattern JSON_NUMBER = java.util.regex.Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");
    private JsonEvents() {}

    /** Only for legacy payloads and {@code buffer inspect}: Jackson's parser stack stays unloaded in a running agent. */
    private static final class Json
    {
        static final JsonFactory FACTORY = JsonFactory.builder().build();
    }

    /** A payload written before the binary format: compact JSON. */
    static Event decode(byte[] payload)
    {
        try (JsonParser in = Json.FACTORY.createParser(payload)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("buffered event is not a JSON object");
            }
            long seconds = 0;
            int nanos = 0;
            String message = "";
            Map<String, Object> fields = Map.of();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken token = in.nextToken();
                switch (name) {
                    case "s" -> seconds = in.getLongValue();
                    case "n" -> nanos = in.getIntValue();
                    case "m" -> message = in.getText();
                    case "f" -> fields = readMap(in);
                    default -> in.skipChildren();
                }
                if (token == null) {
                    break;
                }
            }
            return Event.builder().timestamp(Instant.ofEpochSecond(seconds, nanos)).message(message).fields(fields).build();
        }
        catch (IOException e) {
            throw new UncheckedIOException("buffered event cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** The event as one line of JSON for people: {@code {"@timestamp":..., "message":..., fields...}}. */
    static String toJsonLine(Event event)
    {
        try (SegmentedStringWriter writer = new SegmentedStringWriter(Json.FACTORY._getBufferRecycler());
                JsonGenerator out = Json.FACTORY.createGenerator(writer)) {
            out.writeStartObject();
            out.writeStringField("@timestamp", event.timestamp().toString());
            out.writeStringField("message", event.message());
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                out.writeFieldName(field.getKey());
                writeValue(out, field.getValue());
            }
            out.writeEndObject();
            out.flush();
            return writer.getAndClear();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeMap(JsonGenerator out, Map<String, ?> map)
            throws IOException
    {
        out.writeStartObject();
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            out.writeFieldName(entry.getKey());
            writeValue(out, entry.getValue());
        }
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, Object value)
            throws IOException
    {
        if (value == null) {
            out.writeNull();
        }
        else if (value instanceof String) {
            out.writeString((String) value);
        }
        else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        }
        else if ((value instanceof Double || value instanceof Float) && !Double.isFinite(((Number) value).doubleValue())) {
            // JSON has no NaN or infinity: null, as the outputs' writer (plugin-support's JsonWriter) sends them
            out.writeNull();
        }
        else if (value instanceof Double) {
            out.writeNumber((Double) value);
        }
        else if (value instanceof Float) {
            // the float's own shortest text: widened to double first, 1.1f would come back as 1.100000023841858
            out.writeNumber((Float) value);
        }
        else if (value instanceof BigInteger) {
            out.writeNumber((BigInteger) value);
        }
        else if (value instanceof BigDecimal) {
            out.writeNumber((BigDecimal) value);
        }
        else if (value instanceof Number) {
            // a Number of a plugin's own whose text is no JSON number ("seven") made the line invalid JSON: kept as text
            String text = value.toString();
            if (JSON_NUMBER.matcher(text).matches()) {
                out.writeNumber(text);
            }
            else {
                out.writeString(text);
            }
        }
        else if (value instanceof Boolean) {
            out.writeBoolean((Boolean) value);
        }
        else if (value instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> map = (Map<String, ?>) value;
            writeMap(out, map);
        }
        else if (value instanceof List) {
            out.writeStartArray();
            for (Object element : (List<?>) value) {
                writeValue(out, element);
            }
            out.writeEndArray();
        }
        else {
            out.writeString(value.toString());
        }
    }

    private static Map<String, Object> readMap(JsonParser in)
            throws IOException
    {
        Map<String, Object> map = new LinkedHashMap<>();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            map.put(name, readValue(in));
        }
        return map;
    }

    /**
     * A double when the stored text is exactly how that double prints, as for every double and float written
     * here; otherwise the text came from a {@link BigDecimal}, whose digits a double would silently round away.
     */
    private static Number fractional(JsonParser in)
            throws IOException
    {
        double value = in.getDoubleValue();
        String text = in.getText();
        return Double.toString(value).equals(text) ? (Number) value : new BigDecimal(text);
    }

    private static Object readValue(JsonParser in)
            throws IOException
    {
        switch (in.currentToken()) {
            case VALUE_STRING:
                return in.getText();
            case VALUE_NUMBER_INT:
                return in.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? in.getBigIntegerValue() : in.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return fractional(in);
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
                return readMap(in);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(in));
                }
                return list;
            default:
                throw new IOException("unexpected " + in.currentToken());
        }
    }
}
