package io.outrider.core.plugin;

import io.outrider.config.ThreadContextLoader;
import io.outrider.spi.Plugin;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * A plugin the agent loaded: its name (folder or jar name), where it came from, its versions, and its class
 * loader. Every call into a plugin must run with the plugin's class loader as the thread context class loader: the
 * factories of a {@link PluginRegistry}, and what they create, do so themselves; {@link #call} is for the rest.
 */
public final class LoadedPlugin
{
    private final String name;
    private final Optional<Path> location;
    private final String version;
    private final String spiVersion;
    private final Plugin plugin;
    private final ClassLoader classLoader;

    public LoadedPlugin(String name, Optional<Path> location, String version, String spiVersion, Plugin plugin, ClassLoader classLoader)
    {
        this.name = requireNonNull(name, "name is null");
        this.location = requireNonNull(location, "location is null");
        this.version = requireNonNull(version, "version is null");
        this.spiVersion = requireNonNull(spiVersion, "spiVersion is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    public String name()
    {
        return name;
    }

    /** The plugin's folder or jar; empty for plugins built into the agent. */
    public Optional<Path> location()
    {
        return location;
    }

    public String version()
    {
        return version;
    }

    public String spiVersion()
    {
        return spiVersion;
    }

    public Plugin plugin()
    {
        return plugin;
    }

    public ClassLoader classLoader()
    {
        return classLoader;
    }

    /** Runs {@code task} with this plugin's class loader as context class loader. */
    public <T> T call(Callable<T> task)
            throws Exception
    {
        return withContextClassLoader(classLoader, task);
    }

    /** Runs {@code task} with {@code loader} as the thread's context class loader, restoring the previous one. */
    public static <T> T withContextClassLoader(ClassLoader loader, Callable<T> task)
            throws Exception
    {
        ClassLoader previous = ThreadContextLoader.enter(loader);
        try {
            return task.call();
        }
        finally {
            ThreadContextLoader.exit(previous, loader);
        }
    }

    @Override
    public String toString()
    {
        return name;
    }
}
