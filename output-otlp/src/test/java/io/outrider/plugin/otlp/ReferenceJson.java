package io.outrider.plugin.otlp;

import io.outrider.support.JsonWriter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

import java.util.Base64;
import java.util.List;

/**
 * The tests' reference for {@link JsonLogsWriter}: the otlp output's OTLP/JSON printer as it was written over the
 * official protobuf classes (until the output wrote OTLP itself). Prints the requests {@link ReferenceMapper} builds as OTLP/JSON: the protobuf JSON mapping with lowerCamelCase
 * names, enums as integers, 64-bit integers as decimal strings and default values left out, as the OTLP
 * specification asks. Written by hand because protobuf's reflective {@code JsonFormat} is an order of magnitude
 * slower and would bring Guava and Gson into the plugin; the tests check the output against {@code JsonFormat}'s
 * parser. Covers the fields the mapper sets.
 */
final class ReferenceJson
{

    private ReferenceJson() {}

    static String print(ExportLogsServiceRequest request)
    {
        StringBuilder out = new StringBuilder(request.getSerializedSize() * 2 + 64);
        out.append("{\"resourceLogs\":[");
        for (int i = 0; i < request.getResourceLogsCount(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeResourceLogs(out, request.getResourceLogs(i));
        }
        return out.append("]}").toString();
    }

    private static void writeResourceLogs(StringBuilder out, ResourceLogs resourceLogs)
    {
        out.append("{\"resource\":{");
        writeAttributes(out, resourceLogs.getResource().getAttributesList(), true);
        out.append("},\"scopeLogs\":[");
        for (int i = 0; i < resourceLogs.getScopeLogsCount(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeScopeLogs(out, resourceLogs.getScopeLogs(i));
        }
        out.append("]}");
    }

    private static void writeScopeLogs(StringBuilder out, ScopeLogs scopeLogs)
    {
        InstrumentationScope scope = scopeLogs.getScope();
        out.append("{\"scope\":{\"name\":");
        writeString(out, scope.getName());
        if (!scope.getVersion().isEmpty()) {
            out.append(",\"version\":");
            writeString(out, scope.getVersion());
        }
        out.append("},\"logRecords\":[");
        for (int i = 0; i < scopeLogs.getLogRecordsCount(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeLogRecord(out, scopeLogs.getLogRecords(i));
        }
        out.append("]}");
    }

    private static void writeLogRecord(StringBuilder out, LogRecord record)
    {
        out.append('{');
        boolean first = true;
        if (record.getTimeUnixNano() != 0) {
            out.append("\"timeUnixNano\":\"").append(Long.toUnsignedString(record.getTimeUnixNano())).append('"');
            first = false;
        }
        if (record.getObservedTimeUnixNano() != 0) {
            out.append(first ? "" : ",").append("\"observedTimeUnixNano\":\"").append(Long.toUnsignedString(record.getObservedTimeUnixNano())).append('"');
            first = false;
        }
        if (record.getSeverityNumberValue() != 0) {
            out.append(first ? "" : ",").append("\"severityNumber\":").append(record.getSeverityNumberValue());
            first = false;
        }
        if (!record.getSeverityText().isEmpty()) {
            out.append(first ? "" : ",").append("\"severityText\":");
            writeString(out, record.getSeverityText());
            first = false;
        }
        if (record.hasBody()) {
            out.append(first ? "" : ",").append("\"body\":");
            writeAnyValue(out, record.getBody());
            first = false;
        }
        if (record.getAttributesCount() > 0) {
            out.append(first ? "" : ",");
            writeAttributes(out, record.getAttributesList(), true);
        }
        out.append('}');
    }

    /** {@code "attributes":[...]} (nothing for none), or {@code "values":[...]} of a kvlist. */
    private static void writeAttributes(StringBuilder out, List<KeyValue> attributes, boolean named)
    {
        if (attributes.isEmpty()) {
            return;
        }
        out.append(named ? "\"attributes\":[" : "\"values\":[");
        for (int i = 0; i < attributes.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            KeyValue attribute = attributes.get(i);
            out.append("{\"key\":");
            writeString(out, attribute.getKey());
            out.append(",\"value\":");
            writeAnyValue(out, attribute.getValue());
            out.append('}');
        }
        out.append(']');
    }

    private static void writeAnyValue(StringBuilder out, AnyValue value)
    {
        switch (value.getValueCase()) {
            case STRING_VALUE -> {
                out.append("{\"stringValue\":");
                writeString(out, value.getStringValue());
                out.append('}');
            }
            case BOOL_VALUE -> out.append("{\"boolValue\":").append(value.getBoolValue()).append('}');
            case INT_VALUE -> out.append("{\"intValue\":\"").append(value.getIntValue()).append("\"}");
            case DOUBLE_VALUE -> {
                double number = value.getDoubleValue();
                out.append("{\"doubleValue\":");
                if (Double.isNaN(number)) {
                    out.append("\"NaN\"");
                }
                else if (Double.isInfinite(number)) {
                    out.append(number > 0 ? "\"Infinity\"" : "\"-Infinity\"");
                }
                else {
                    out.append(number);
                }
                out.append('}');
            }
            case ARRAY_VALUE -> {
                out.append("{\"arrayValue\":{");
                List<AnyValue> values = value.getArrayValue().getValuesList();
                if (!values.isEmpty()) {
                    out.append("\"values\":[");
                    for (int i = 0; i < values.size(); i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        writeAnyValue(out, values.get(i));
                    }
                    out.append(']');
                }
                out.append("}}");
            }
            case KVLIST_VALUE -> {
                out.append("{\"kvlistValue\":{");
                writeAttributes(out, value.getKvlistValue().getValuesList(), false);
                out.append("}}");
            }
            case BYTES_VALUE -> out.append("{\"bytesValue\":\"").append(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray())).append("\"}");
            case VALUE_NOT_SET -> out.append("{}");
        }
    }

    private static void writeString(StringBuilder out, String value)
    {
        JsonWriter.writeString(out, value);
    }
}
