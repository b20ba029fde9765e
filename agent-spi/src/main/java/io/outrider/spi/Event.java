package io.outrider.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import static java.util.Objects.requireNonNull;

/**
 * One log or security event: a timestamp, a message and ordered fields with dotted, ECS-like names
 * ({@code source.ip}, {@code event.action}; see {@link Fields}).
 *
 * <p>Immutable and safe to share between threads. Field values are JSON-compatible: {@link String}, {@link Boolean},
 * {@link Long}, {@link Integer}, {@link Double} (other numbers are kept as given), {@code null}, {@link List} and
 * {@link Map} with string keys of those. Lists and maps are copied and made unmodifiable when the event is built.
 * Field order is the order of first insertion; it is kept on the wire where the format allows.
 */
@Stable
public final class Event
{
    private final Instant timestamp;
    private final String message;
    private final FieldMap fieldMap;
    /**
     * What {@link #fields()} hands out: the map, read-only exactly as an unmodifiable map is. Made on the first call:
     * most events are only read through {@link #field} and written out through {@link #forEachField}, and a wrapper
     * per event was about 2 % of the input thread's allocation. A race between threads makes two equal wrappers, which
     * is harmless (the wrapper's own field is final, so either is safely published).
     */
    private Map<String, Object> fields;

    private Event(Instant timestamp, String message, FieldMap fieldMap)
    {
        this.timestamp = timestamp;
        this.message = message;
        this.fieldMap = fieldMap;
    }

    /** A new builder with the timestamp unset (build() fails until it is set) and an empty message. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A new builder sized for about {@code expectedFields} fields: parsers that know how many fields they add avoid
     * rehashing on the hot path.
     *
     * @since SPI 1.1
     */
    public static Builder builder(int expectedFields)
    {
        return new Builder(expectedFields);
    }

    /** An event with the given timestamp and message and no fields. */
    public static Event of(Instant timestamp, String message)
    {
        return builder().timestamp(timestamp).message(message).build();
    }

    /** When the event happened (as reported by its source, or when it was read where the source says nothing). */
    public Instant timestamp()
    {
        return timestamp;
    }

    /** The human-readable message: the raw line for file inputs. Never null; may be empty. */
    public String message()
    {
        return message;
    }

    /** The fields, unmodifiable, in insertion order. */
    public Map<String, Object> fields()
    {
        Map<String, Object> fields = this.fields;
        if (fields == null) {
            fields = Collections.unmodifiableMap(fieldMap);
            this.fields = fields;
        }
        return fields;
    }

    /**
     * The number of fields, as {@code fields().size()}. Any thread may call it (the event is immutable).
     *
     * @since SPI 1.5
     */
    public int fieldCount()
    {
        return fieldMap.size();
    }

    /**
     * Hands each field to {@code action} in insertion order, as {@code fields().forEach(action)} does, without making
     * the read-only view {@link #fields()} hands out: for the agent's encoders and outputs, which write every event's
     * fields once on a hot path. Any thread may call it (the event is immutable); what {@code action} throws reaches
     * the caller, and the fields after it are not handed out.
     *
     * @since SPI 1.5
     */
    public void forEachField(BiConsumer<? super String, ? super Object> action)
    {
        fieldMap.forEach(requireNonNull(action, "action is null"));
    }

    /** The value of a field, or {@code null} when absent. */
    public Object field(String name)
    {
        return fieldMap.get(name);
    }

    /** The value of a field as text ({@code String.valueOf} for non-strings), or {@code null} when absent. */
    public String fieldAsString(String name)
    {
        Object value = fieldMap.get(name);
        return value == null ? null : value instanceof String ? (String) value : String.valueOf(value);
    }

    /** A builder that starts from this event. */
    public Builder toBuilder()
    {
        // values are already immutable and JSON-checked: copy them without checking again. Room for 16 more: a
        // parser adds 10-16 fields to an input's 3-5, and growing the copy once costs more than the spare slots
        return new Builder(new FieldMap(fieldMap, fieldMap.size() + 16)).timestamp(timestamp).message(message);
    }

    @Override
    public boolean equals(Object o)
    {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Event)) {
            return false;
        }
        Event other = (Event) o;
        return timestamp.equals(other.timestamp) && message.equals(other.message) && fieldMap.equals(other.fieldMap);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(timestamp, message, fieldMap);
    }

    @Override
    public String toString()
    {
        return "Event{" + timestamp + " " + message + " " + fieldMap + "}";
    }

    /** Builds an {@link Event}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder
    {
        private Instant timestamp;
        private String message = "";
        private FieldMap fields;
        /** Whether {@link #fields} is owned by an event built from this builder; written to again, it is copied first. */
        private boolean shared;

        private Builder()
        {
            this(16);
        }

        private Builder(int expectedFields)
        {
            this(new FieldMap(expectedFields));
        }

        private Builder(FieldMap fields)
        {
            this.fields = fields;
        }

        private FieldMap writableFields()
        {
            if (shared) {
                fields = new FieldMap(fields, fields.size() + 4);
                shared = false;
            }
            return fields;
        }

        public Builder timestamp(Instant timestamp)
        {
            this.timestamp = requireNonNull(timestamp, "timestamp is null");
            return this;
        }

        public Builder message(String message)
        {
            this.message = requireNonNull(message, "message is null");
            return this;
        }

        /**
         * Sets a field; a {@code null} value removes it (absent and null are the same on the wire).
         *
         * @throws IllegalArgumentException if the value is not JSON-compatible
         */
        public Builder field(String name, Object value)
        {
            requireNonNull(name, "name is null");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("field name is empty");
            }
            if (value == null) {
                writableFields().delete(name);
            }
            else {
                writableFields().set(name, immutableJsonValue(value, name));
            }
            return this;
        }

        /** Sets every entry of the map as a field, in its iteration order. */
        public Builder fields(Map<String, ?> values)
        {
            values.forEach(this::field);
            return this;
        }

        public Builder removeField(String name)
        {
            writableFields().delete(name);
            return this;
        }

        /** The current value of a field in this builder, or {@code null}. */
        public Object field(String name)
        {
            return fields.get(name);
        }

        /** @throws IllegalStateException if no timestamp was set */
        public Event build()
        {
            if (timestamp == null) {
                throw new IllegalStateException("event timestamp is not set");
            }
            // the event takes the map as it is; a later write through this builder copies it first
            shared = true;
            return new Event(timestamp, message, fields);
        }

        private static Object immutableJsonValue(Object value, String path)
        {
            if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                return value;
            }
            if (value instanceof Enum) {
                return ((Enum<?>) value).name();
            }
            if (value instanceof List) {
                List<Object> copy = new ArrayList<>(((List<?>) value).size());
                for (Object element : (List<?>) value) {
                    copy.add(element == null ? null : immutableJsonValue(element, path + "[]"));
                }
                return Collections.unmodifiableList(copy);
            }
            if (value instanceof Map) {
                LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (!(entry.getKey() instanceof String)) {
                        throw new IllegalArgumentException("field '" + path + "' has a map key that is not a string: " + entry.getKey());
                    }
                    Object element = entry.getValue();
                    copy.put((String) entry.getKey(), element == null ? null : immutableJsonValue(element, path + "." + entry.getKey()));
                }
                return Collections.unmodifiableMap(copy);
            }
            throw new IllegalArgumentException("field '" + path + "' has a value that is not JSON-compatible: " + value.getClass().getName());
        }
    }
}
