package io.outrider.core.plugin;

import io.outrider.spi.Plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The class loader of one plugin: its own jars, the JDK (through the platform class loader), and the SPI packages
 * (delegated to the agent's loader so that SPI types are the same classes on both sides). Nothing else of the agent
 * (Guice, Jackson, core classes, other plugins) is visible, so a plugin cannot depend on it by accident and two
 * plugins can bring different versions of the same library. The one exception is a library the plugin asks the agent
 * for in its manifest (see {@link AgentLibraries}): its packages are delegated like the SPI's.
 */
public final class PluginClassLoader
        extends URLClassLoader
{
    /** Packages (and their sub-packages) shared with the agent. */
    public static final List<String> SHARED_PACKAGES = List.of("io.outrider.spi.");
    /** The service entry that names the plugin; {@link PluginLoader} puts the one jar that has it first. */
    static final String PLUGIN_SERVICES_ENTRY = "META-INF/services/" + Plugin.class.getName();

    static {
        registerAsParallelCapable();
    }

    private final String pluginName;
    private final ClassLoader spiLoader;
    private final List<String> sharedPackages;

    public PluginClassLoader(String pluginName, List<URL> jars, ClassLoader spiLoader)
    {
        this(pluginName, jars, spiLoader, List.of());
    }

    /** @param agentLibraryPackages packages (prefixes ending in '.') of agent libraries the plugin asked for */
    public PluginClassLoader(String pluginName, List<URL> jars, ClassLoader spiLoader, List<String> agentLibraryPackages)
    {
        super("plugin-" + pluginName, jars.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        this.pluginName = requireNonNull(pluginName, "pluginName is null");
        this.spiLoader = requireNonNull(spiLoader, "spiLoader is null");
        this.sharedPackages = Stream.concat(SHARED_PACKAGES.stream(), requireNonNull(agentLibraryPackages, "agentLibraryPackages is null").stream()).toList();
    }

    public String pluginName()
    {
        return pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve)
            throws ClassNotFoundException
    {
        if (isShared(name)) {
            return spiLoader.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    // the JDK first (platform loader), then this plugin's jars: a plugin cannot shadow java.*
                    loaded = getParent().loadClass(name);
                }
                catch (ClassNotFoundException e) {
                    loaded = findClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name)
    {
        if (isSharedResource(name)) {
            return spiLoader.getResource(name);
        }
        URL url = getParent().getResource(name);
        return url != null ? url : findResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name)
            throws IOException
    {
        if (isSharedResource(name)) {
            return spiLoader.getResources(name);
        }
        List<URL> urls = new java.util.ArrayList<>(Collections.list(getParent().getResources(name)));
        if (name.equals(PLUGIN_SERVICES_ENTRY)) {
            // the plugin's own jar comes first and holds the entry: looking no further keeps the plugin's libraries
            // (kafka-clients, JNA, ...) unopened until the plugin uses them, so a plugin that no pipeline
            // uses costs neither open files nor its libraries' central directories on the heap
            URL own = findResource(name);
            if (own != null) {
                urls.add(own);
            }
        }
        else {
            urls.addAll(Collections.list(findResources(name)));
        }
        return Collections.enumeration(urls);
    }

    private boolean isShared(String className)
    {
        for (String prefix : sharedPackages) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private boolean isSharedResource(String resource)
    {
        // class files of SPI types only; META-INF/services files stay the plugin's own
        return resource.endsWith(".class") && isShared(resource.substring(0, resource.length() - ".class".length()).replace('/', '.'));
    }

    @Override
    public String toString()
    {
        return "PluginClassLoader{" + pluginName + "}";
    }
}
