package io.outrider.core.reference;

import io.outrider.config.RecordBinder;
import io.outrider.core.config.DeliverySettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.RegisteredFactory;
import io.outrider.spi.ComponentFactory;
import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Required;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a component type is and every option it takes, read from the plugin's own code: the factory's
 * {@link ComponentFactory#description()}, the configuration record's components (YAML names, types,
 * {@link Description}, {@link Required}, {@link ComponentFactory#sensitiveProperties()}), and the defaults its compact
 * constructor fills in when every value is absent, as binding an empty mapping does.
 *
 * @param options in record order, a nested mapping's options right after it ({@code tls}, {@code tls.ca_file}, ...);
 *        an output's {@code delivery.*} options (owned by the agent) last
 * @param defaultsUnknownBecause why the defaults are unknown (the configuration record's constructor refused every
 *        key absent), in one line; empty when they are known
 */
public record ComponentReference(ComponentKind kind, String type, String pluginName, String description, List<OptionReference> options,
        String defaultsUnknownBecause)
{
    // stands for a component whose default is null, which an Optional cannot hold
    private static final Object NONE = new Object();

    public ComponentReference
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(type, "type is null");
        requireNonNull(pluginName, "pluginName is null");
        requireNonNull(description, "description is null");
        options = List.copyOf(options);
        requireNonNull(defaultsUnknownBecause, "defaultsUnknownBecause is null");
    }

    /**
     * Reads the reference of {@code factory}, calling into the plugin with its class loader as context class loader.
     *
     * @throws Exception whatever the plugin's code throws
     */
    public static ComponentReference of(RegisteredFactory factory)
            throws Exception
    {
        return factory.plugin().call(() -> {
            ComponentFactory<?, ?> spi = factory.factory();
            Set<String> sensitive = spi.sensitiveProperties();
            List<OptionReference> options = new ArrayList<>();
            Class<? extends Record> configClass = spi.configClass();
            Optional<? extends Record> defaults = RecordBinder.withAbsentValues(configClass);
            addOptions(configClass, defaults, "", sensitive, options);
            if (factory.kind() == ComponentKind.OUTPUT) {
                options.add(new OptionReference("delivery", OptionReference.MAPPING, Optional.empty(), false, false,
                        "how the agent batches and retries for this output (every output has it)"));
                addOptions(DeliverySettings.class, RecordBinder.withAbsentValues(DeliverySettings.class), "delivery.", Set.of(), options);
            }
            String description = spi.description();
            return new ComponentReference(factory.kind(), factory.type(), factory.plugin().name(), description == null ? "" : description.strip(), options,
                    // the plugin's constructor again only when it refused: to say why
                    defaults.isPresent() ? "" : RecordBinder.absentValuesRefusal(configClass).orElse(""));
        });
    }

    /** {@code input type 'file' (plugin input-file)}. */
    public String title()
    {
        return kind.label() + " type '" + type + "' (plugin " + pluginName + ")";
    }

    private static void addOptions(Class<?> recordClass, Optional<? extends Record> defaults, String prefix, Set<String> sensitive, List<OptionReference> options)
    {
        for (RecordComponent component : recordClass.getRecordComponents()) {
            String name = prefix + ComponentFactory.snakeCase(component.getName());
            Description description = component.getAnnotation(Description.class);
            boolean required = component.isAnnotationPresent(Required.class);
            Optional<Object> value = defaults.map(record -> read(component, record));
            Class<?> raw = rawClass(component.getGenericType());
            if (raw.isRecord() && raw != DataSize.class && raw != recordClass) {
                options.add(new OptionReference(name, OptionReference.MAPPING, Optional.empty(), required, sensitive.contains(name), text(description)));
                // when the parent leaves the mapping unset, show what its options become once it is written
                Optional<? extends Record> nested = value.isPresent() && value.get() != NONE
                        ? Optional.of((Record) value.get())
                        : RecordBinder.withAbsentValues(raw.asSubclass(Record.class));
                addOptions(raw, nested, name + ".", sensitive, options);
                continue;
            }
            boolean secret = sensitive.contains(name);
            // a secret's default is a secret too (a shared default token): say that there is one, not what it is
            Optional<String> shown = value.map(present -> secret && !empty(present) ? SecretRegistry.MASK : yaml(present));
            options.add(new OptionReference(name, typeName(component.getGenericType()), shown, required, secret, text(description)));
        }
    }

    private static boolean empty(Object value)
    {
        return value == NONE
                || value instanceof String text && text.isEmpty()
                || value instanceof Collection<?> values && values.isEmpty()
                || value instanceof Map<?, ?> map && map.isEmpty();
    }

    private static Object read(RecordComponent component, Record record)
    {
        try {
            component.getAccessor().setAccessible(true);
            Object value = component.getAccessor().invoke(record);
            return value == null ? NONE : value;
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass().getName() + ": " + e, e);
        }
    }

    private static String text(Description description)
    {
        return description == null ? "" : description.value().strip();
    }

    /** A value as it would be written in YAML; {@code not set} for a default that stays {@code null}. */
    static String yaml(Object value)
    {
        if (value == NONE) {
            // not "none", which is also a value of some enums (auth: none)
            return "not set";
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return text.isEmpty() ? "\"\"" : text;
        }
        if (value instanceof Duration duration) {
            return duration(duration);
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Collection<?> values) {
            return "[" + String.join(", ", values.stream().map(ComponentReference::yaml).toList()) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.forEach((key, entry) -> entries.add(key + ": " + yaml(entry)));
            return "{" + String.join(", ", entries) + "}";
        }
        return String.valueOf(value);
    }

    /** The largest whole unit the binder reads back: 5m, 500ms, 12h. */
    static String duration(Duration duration)
    {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return (millis / units[i]) + names[i];
            }
        }
        return millis + "ms";
    }

    /** In the words of the binder's errors: text, integer, duration, one of a, b, list of text. */
    static String typeName(Type type)
    {
        Class<?> raw = rawClass(type);
        if (raw == String.class) {
            return "text";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "integer";
        }
        if (raw == double.class || raw == Double.class) {
            return "number";
        }
        if (raw == Duration.class) {
            return "duration";
        }
        if (raw == DataSize.class) {
            return "size";
        }
        if (raw == Path.class) {
            return "path";
        }
        if (raw == URI.class) {
            return "URI";
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
            }
            return "one of " + String.join(", ", names);
        }
        if (raw == List.class || raw == Collection.class || raw == Set.class) {
            return "list of " + typeName(typeArgument(type, 0));
        }
        if (raw == Map.class) {
            return "mapping of text to " + typeName(typeArgument(type, 1));
        }
        if (raw.isRecord()) {
            return OptionReference.MAPPING;
        }
        return "any";
    }

    private static Class<?> rawClass(Type type)
    {
        if (type instanceof Class<?> raw) {
            return raw;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        if (type instanceof WildcardType wildcard) {
            return rawClass(wildcard.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index)
    {
        if (type instanceof ParameterizedType parameterized && index < parameterized.getActualTypeArguments().length) {
            return parameterized.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
