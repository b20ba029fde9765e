package io.outrider.spi;

import io.outrider.spi.config.Sensitive;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashSet;
import java.util.List;
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
 * {@link #warnings} after a configuration validated (by {@code outrider validate} and when {@code outrider run}
 * starts), {@link #create} when a pipeline starts. All are called with the plugin's class loader as context class
 * loader.
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

    /**
     * One line for {@code outrider plugins}, {@code outrider plugins describe} and the generated reference docs: what
     * components of this type do. The options themselves are described by {@link io.outrider.spi.config.Description}
     * on the configuration record's components.
     */
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
     * Warnings about a valid configuration that is legal but probably not what was meant on this machine: a path or
     * glob that matches nothing yet, a directory that does not exist. They are not errors: the component still starts
     * (and, for example, picks a file up when it appears). Must not start anything or change anything on the machine.
     *
     * <p>Called by the agent's main thread, with the plugin's class loader as context class loader, after
     * {@link #validate} accepted {@code config}: by {@code outrider validate}, which prints them numbered after any
     * errors (they do not change its exit code), and when {@code outrider run} starts, which logs them at WARNING.
     * An exception thrown here is reported as one warning naming the component type; it never stops the agent.
     *
     * @return human-readable warnings, each one sentence without the component's name or location (the agent adds
     *         them); empty when there is nothing to say, which is the default
     * @since SPI 1.2
     */
    default List<String> warnings(C config)
    {
        return List.of();
    }

    /**
     * Creates the component. Must not start threads or open connections: that happens in {@link Input#run} and
     * {@link Output#start}. {@code outrider validate} also creates every component once, with an empty store and a
     * throw-away data directory, and closes it again without starting it. A parser factory is asked for one parser
     * per input of its pipeline.
     *
     * @throws InvalidConfigException when the configuration cannot work on this machine (reported like a
     *         validation error; {@code outrider run} does not start)
     * @throws RuntimeException a bug in the plugin: {@code outrider validate} reports it as an error naming the
     *         component; a running agent does not start that component's pipeline (logged at ERROR, shown as failed
     *         in the status) and runs the other pipelines
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
