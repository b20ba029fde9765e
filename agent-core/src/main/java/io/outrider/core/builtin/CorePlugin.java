package io.outrider.core.builtin;

import io.outrider.core.AgentVersion;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;

import java.util.List;
import java.util.Optional;

/** The components built into the core: only what the agent needs to be useful with no plugin at all. */
public final class CorePlugin
        implements Plugin
{
    public static final String NAME = "core";

    @Override
    public List<OutputFactory<?>> outputFactories()
    {
        return List.of(new ConsoleOutputFactory());
    }

    /** This plugin as the registry lists it: no folder, the agent's own class loader. */
    public static LoadedPlugin loaded()
    {
        return new LoadedPlugin(NAME, Optional.empty(), AgentVersion.get(), SpiVersion.CURRENT, new CorePlugin(), CorePlugin.class.getClassLoader());
    }
}
