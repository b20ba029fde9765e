package io.outrider.spi;

import io.outrider.spi.config.Sensitive;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Creates components of one {@link #type()} from their configuration.
 *
 * <p>The configuration class is a Java {@code record}: the agent binds the component's YAML into it. Keys are the
 * record component names in {@code snake_case} ({@code maxLineBytes} ↔ {@code max_line_bytes}); supported types are
 * {@code String}, {@code boolean}, {@code int}, {@code long}, {@code double} (and their boxes), enums (written in
 * lower case), {@link java.time.Duration} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}, or
 * ISO-8601), {@link DataSize} ({@code 64KiB}, {@code 10MB}, bytes), {@link java.nio.file.Path}, {@link java.net.URI},
 * {@code List}, {@code Set} and {@code Map<String, ?>} of those, nested records, and {@code Object} (any
 * JSON-compatible value). A key the record does not have, a value of the wrong type, or a missing
 * {@link io.outrider.spi.config.Required} value is a configuration error reported with its YAML line and column;
 * an absent optional value is {@code null} (or {@code false}/{@code 0} for primitives), so defaults belong in the
 * record's compact constructor.
 *
 * <p>Called by the agent's main thread: {@link #validate} during {@code outrider validate} and before every start,
 * {@link #create} when a pipeline starts. Both are called with the plugin's class loader as context class loader.
 *
 * @param <C> the configuration record
 * @param <T> the component
 */
@Stable
public interface ComponentFactory<C extends Record, T>
{
    /** The {@code type:} this factory answers to, e.g. {@code file}; lower case, unique per kind across plugins. */
    String type();

    /** The configuration record class. */
    Class<C> configClass();

    /** One line for {@code outrider plugins}. */
    default String description()
    {
        return "";
    }

    /**
     * Checks the bound configuration beyond types: ranges, combinations, the existence of a CA file. Must not start
     * anything. Runs during {@code outrider validate}.
     *
     * @throws InvalidConfigException naming each offending property (YAML name) and what is wrong with it
     */
    default void validate(C config)
            throws InvalidConfigException
    {}

    /**
     * Creates the component. Must not start threads or open connections: that happens in {@link Input#run} and
     * {@link Output#start}.
     *
     * @throws InvalidConfigException when the configuration cannot work on this machine (reported like a
     *         validation error)
     */
    T create(C config, ComponentContext context)
            throws InvalidConfigException;

    /**
     * The YAML names of properties whose values are secrets. The agent masks them wherever configuration or errors
     * are printed and redacts their values from its log. The default lists the record components annotated
     * {@link Sensitive}, recursively through nested records (dotted, e.g. {@code tls.key_password}).
     */
    default Set<String> sensitiveProperties()
    {
        Set<String> names = new LinkedHashSet<>();
        collectSensitive(configClass(), "", names);
        return Set.copyOf(names);
    }

    private static void collectSensitive(Class<?> recordClass, String prefix, Set<String> names)
    {
        if (!recordClass.isRecord()) {
            return;
        }
        for (RecordComponent component : recordClass.getRecordComponents()) {
            String name = prefix + snakeCase(component.getName());
            if (component.isAnnotationPresent(Sensitive.class)) {
                names.add(name);
            }
            if (component.getType().isRecord() && component.getType() != recordClass) {
                collectSensitive(component.getType(), name + ".", names);
            }
        }
    }

    /** {@code maxLineBytes} → {@code max_line_bytes}: how record component names appear in YAML. */
    static String snakeCase(String camelCase)
    {
        StringBuilder out = new StringBuilder(camelCase.length() + 4);
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
