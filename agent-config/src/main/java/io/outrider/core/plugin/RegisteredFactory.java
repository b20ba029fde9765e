package io.outrider.core.plugin;

import io.outrider.spi.ComponentFactory;

import static java.util.Objects.requireNonNull;

/** A factory and the plugin that offers it. */
public record RegisteredFactory(ComponentKind kind, String type, ComponentFactory<?, ?> factory, LoadedPlugin plugin)
{
    public RegisteredFactory
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(type, "type is null");
        requireNonNull(factory, "factory is null");
        requireNonNull(plugin, "plugin is null");
    }

    /** e.g. "input type 'file' (plugin input-file)". */
    public String describe()
    {
        return kind.label() + " type '" + type + "' (plugin " + plugin.name() + ")";
    }
}
