package io.outrider.spi;

import java.util.List;

/**
 * The entry point of a plugin: a small bag of factories. Named in the plugin jar's
 * {@code META-INF/services/io.outrider.spi.Plugin} and instantiated by {@link java.util.ServiceLoader} through a
 * public no-argument constructor, on the agent's main thread at start-up, with the plugin's class loader as context
 * class loader.
 *
 * <p>A constructor or method that throws makes the agent report the plugin (with its folder) and skip it; the other
 * plugins still load. Factory {@linkplain ComponentFactory#type() types} must be unique per kind across all plugins.
 */
@Stable
public interface Plugin
{
    /** Input factories; none by default. */
    default List<InputFactory<?>> inputFactories()
    {
        return List.of();
    }

    /** Parser factories; none by default. */
    default List<ParserFactory<?>> parserFactories()
    {
        return List.of();
    }

    /** Output factories; none by default. */
    default List<OutputFactory<?>> outputFactories()
    {
        return List.of();
    }
}
