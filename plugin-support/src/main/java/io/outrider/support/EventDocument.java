package io.outrider.support;

import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event as one JSON object, the same way in every output that offers it (http's {@code ndjson}/{@code json}/
 * {@code ecs}, kafka's {@code encoding}, syslog's {@code body}): {@code @timestamp} (RFC 3339, UTC), {@code message},
 * then the fields. A field literally named {@code @timestamp} or {@code message} would duplicate a key and is left
 * out. Called on an output's delivery thread; stateless.
 */
public enum EventDocument
{
    /** The fields under their dotted names, in event order: {@code {"@timestamp":...,"message":...,"source.ip":...}}. */
    JSON {
        @Override
        public void write(JsonByteWriter out, Event event)
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

        /**
         * Written straight from the stored bytes when the batch is an {@link EventVisitor.Source} (the agent's are),
         * with no object per event: the same bytes as {@link #write(JsonByteWriter, Event)} of the event.
         */
        @Override
        public void write(JsonByteWriter out, List<Event> batch, int index)
        {
            JsonDocumentVisitor visitor = out.documentVisitor();
            EventVisitor.visit(batch, index, visitor);
            visitor.end();
        }
    },
    /**
     * Elastic Common Schema documents: dotted names become nested objects ({@code source.ip} →
     * {@code {"source":{"ip":...}}}), as Elasticsearch, Logstash and most SIEM pipelines expect. Where a name holds a
     * value and is also the prefix of other names ({@code user} and {@code user.name}), nesting would lose one of
     * them: that value is written under its own name and the longer names stay dotted beside it
     * ({@code {"user":"x","user.name":"y"}}). Names with an empty segment ({@code a..b}) stay dotted at the top.
     */
    ECS {
        @Override
        public void write(JsonByteWriter out, Event event)
        {
            Node root = new Node();
            event.fields().forEach((name, value) -> {
                if (name.equals(TIMESTAMP) || name.equals(MESSAGE)) {
                    return;
                }
                String[] path = name.split("\\.", -1);
                if (Arrays.asList(path).contains("")) {
                    root.child(name).set(value);
                    return;
                }
                Node node = root;
                for (String segment : path) {
                    node = node.child(segment);
                }
                node.set(value);
            });
            out.raw("{\"@timestamp\":");
            out.writeTimestamp(event.timestamp());
            out.raw(",\"message\":");
            out.writeString(event.message());
            root.writeMembers(out, false);
            out.raw('}');
        }
    };

    public static final String TIMESTAMP = "@timestamp";
    public static final String MESSAGE = "message";

    /** Appends the event's object to {@code out}. */
    public abstract void write(JsonByteWriter out, Event event);

    /**
     * Appends the object of the event {@code batch.get(index)} to {@code out}, the same bytes as
     * {@link #write(JsonByteWriter, Event)}; {@link #JSON} writes it without decoding an {@link Event} where the
     * batch allows (see {@link EventVisitor.Source}). {@link #ECS} builds its nesting from the event's fields, and
     * decodes it.
     *
     * @throws java.io.UncheckedIOException when the batch cannot read the event back; part of it may be written
     */
    public void write(JsonByteWriter out, List<Event> batch, int index)
    {
        write(out, batch.get(index));
    }

    /** The event's object as UTF-8. */
    public byte[] encode(Event event)
    {
        JsonByteWriter out = new JsonByteWriter(256 + event.message().length());
        write(out, event);
        return out.toByteArray();
    }

    /** The event's object as text. */
    public String toJson(Event event)
    {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** How the document is named in configuration. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

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
        void writeMembers(JsonByteWriter out, boolean first)
        {
            for (Map.Entry<String, Node> entry : children.entrySet()) {
                Node child = entry.getValue();
                first = member(out, first, entry.getKey());
                if (child.hasValue) {
                    out.writeValue(child.value);
                    // a value and deeper names under one name: the deeper ones stay dotted
                    first = child.writeFlat(out, first, entry.getKey() + ".");
                }
                else {
                    out.raw('{');
                    child.writeMembers(out, true);
                    out.raw('}');
                }
            }
        }

        private boolean writeFlat(JsonByteWriter out, boolean first, String prefix)
        {
            for (Map.Entry<String, Node> entry : children.entrySet()) {
                Node child = entry.getValue();
                if (child.hasValue) {
                    first = member(out, first, prefix + entry.getKey());
                    out.writeValue(child.value);
                }
                first = child.writeFlat(out, first, prefix + entry.getKey() + ".");
            }
            return first;
        }

        private static boolean member(JsonByteWriter out, boolean first, String name)
        {
            if (!first) {
                out.raw(',');
            }
            out.writeString(name);
            out.raw(':');
            return false;
        }
    }
}
