package io.outrider.plugin.kafka;

import io.outrider.support.JsonWriter;

import io.outrider.spi.Event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an event becomes a Kafka record value (UTF-8 JSON, one event per record).
 */
public enum EventEncoding
{
    /**
     * The event model as output-http's {@code ndjson} line: {@code {"@timestamp":"...","message":"...",<fields>}}
     * with the fields under their dotted names, in event order. A field named {@code @timestamp} or
     * {@code message} would duplicate a key and is left out.
     */
    JSON {
        @Override
        void write(StringBuilder out, Event event)
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
    },
    /**
     * Elastic Common Schema documents: dotted names become nested objects ({@code source.ip} →
     * {@code {"source":{"ip":...}}}), as Elasticsearch, Logstash and most SIEM Kafka consumers expect. Where a name
     * holds a value and is also the prefix of other names ({@code user} and {@code user.name}), nesting would lose
     * one of them: that value is written under its own name and the longer names stay dotted beside it
     * ({@code {"user":"x","user.name":"y"}}). Names with an empty segment ({@code a..b}) stay dotted at the top.
     */
    ECS {
        @Override
        void write(StringBuilder out, Event event)
        {
            Node root = new Node();
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                String name = field.getKey();
                if (name.equals(TIMESTAMP) || name.equals(MESSAGE)) {
                    continue;
                }
                String[] path = name.split("\\.", -1);
                if (Arrays.asList(path).contains("")) {
                    root.child(name).set(field.getValue());
                    continue;
                }
                Node node = root;
                for (String segment : path) {
                    node = node.child(segment);
                }
                node.set(field.getValue());
            }
            out.append("{\"@timestamp\":");
            JsonWriter.writeTimestamp(out, event.timestamp());
            out.append(",\"message\":");
            JsonWriter.writeString(out, event.message());
            root.writeMembers(out, false);
            out.append('}');
        }
    };

    /** One level of an ECS document under construction. */
    private static final class Node
    {
        private boolean hasValue;
        private Object value;
        private final Map<String, Node> children = new LinkedHashMap<>();

        Node child(String segment)
        {
            return children.computeIfAbsent(segment, ignored -> new Node());
        }

        void set(Object newValue)
        {
            hasValue = true;
            value = newValue;
        }

        /** Writes the children as members of the object being written ({@code ,"a":...}). */
        void writeMembers(StringBuilder out, boolean first)
        {
            for (Map.Entry<String, Node> entry : children.entrySet()) {
                Node child = entry.getValue();
                if (child.hasValue) {
                    first = member(out, first, entry.getKey());
                    JsonWriter.writeValue(out, child.value);
                    // a value and deeper names under one name: the deeper ones stay dotted
                    first = child.writeFlat(out, first, entry.getKey() + ".");
                }
                else {
                    first = member(out, first, entry.getKey());
                    out.append('{');
                    child.writeMembers(out, true);
                    out.append('}');
                }
            }
        }

        private boolean writeFlat(StringBuilder out, boolean first, String prefix)
        {
            for (Map.Entry<String, Node> entry : children.entrySet()) {
                Node child = entry.getValue();
                if (child.hasValue) {
                    first = member(out, first, prefix + entry.getKey());
                    JsonWriter.writeValue(out, child.value);
                }
                first = child.writeFlat(out, first, prefix + entry.getKey() + ".");
            }
            return first;
        }

        private static boolean member(StringBuilder out, boolean first, String name)
        {
            if (!first) {
                out.append(',');
            }
            JsonWriter.writeString(out, name);
            out.append(':');
            return false;
        }
    }

    static final String TIMESTAMP = "@timestamp";
    static final String MESSAGE = "message";

    abstract void write(StringBuilder out, Event event);

    /** The record value. */
    byte[] encode(Event event)
    {
        StringBuilder out = new StringBuilder(256 + event.message().length());
        write(out, event);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
