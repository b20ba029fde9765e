package io.outrider.core.plugin;

import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Finds plugins in a plugins directory: every sub-folder (its {@code *.jar} files) and every bare {@code *.jar} is
 * one plugin with its own {@link PluginClassLoader}. A plugin that cannot be loaded (unreadable jar, no service entry,
 * incompatible SPI version, a constructor that throws) is reported with its path and skipped; the others load.
 */
public final class PluginLoader
{
    private static final String SERVICES_ENTRY = PluginClassLoader.PLUGIN_SERVICES_ENTRY;
    /** How {@link ServiceLoader} says that a services file names a class no jar holds. */
    private static final Pattern PROVIDER_NOT_FOUND = Pattern.compile("Provider (\\S+) not found");
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    /** The name under which {@link #PluginLoader(ClassLoader, Map)} takes the preparation of the agent's sqlite-jdbc. */
    public static final String SQLITE_JDBC_LIBRARY = AgentLibraries.SQLITE_JDBC;

    private final ClassLoader spiLoader;
    private final Map<String, Runnable> libraryPreparation;

    /**
     * A loader that prepares none of the agent's libraries: enough to know the plugins' components (validation, the
     * desktop); the agent, which runs them, uses {@link #PluginLoader(ClassLoader, Map)}.
     *
     * @param spiLoader the loader that defines the SPI classes (the agent's own)
     */
    public PluginLoader(ClassLoader spiLoader)
    {
        this(spiLoader, Map.of());
    }

    /**
     * @param spiLoader the loader that defines the SPI classes (the agent's own)
     * @param libraryPreparation what makes an agent library a plugin asks for ({@code Outrider-Agent-Libraries}) ready
     *        before the plugin gets it, by library name: the core loads sqlite-jdbc's native library from the
     *        distribution's lib/native/ (whoever opens a database first), which this module cannot, having no SQLite
     */
    public PluginLoader(ClassLoader spiLoader, Map<String, Runnable> libraryPreparation)
    {
        this.spiLoader = requireNonNull(spiLoader, "spiLoader is null");
        this.libraryPreparation = Map.copyOf(requireNonNull(libraryPreparation, "libraryPreparation is null"));
    }

    /** The result of scanning a plugins directory. */
    public record Result(List<LoadedPlugin> plugins, List<PluginLoadProblem> problems)
    {
        public Result
        {
            plugins = List.copyOf(plugins);
            problems = List.copyOf(problems);
        }
    }

    /**
     * The registry of {@code builtIn} (in this order, first) and every plugin under {@code pluginsDirectory}: what
     * the agent and the desktop's validation bind a configuration against. The caller closes it.
     */
    public PluginRegistry registry(Path pluginsDirectory, List<LoadedPlugin> builtIn)
    {
        Result result = load(pluginsDirectory);
        List<LoadedPlugin> plugins = new ArrayList<>(builtIn);
        plugins.addAll(result.plugins());
        return new PluginRegistry(plugins, result.problems());
    }

    /** Loads every plugin under {@code pluginsDirectory}; a missing directory means no plugins (and is reported). */
    public Result load(Path pluginsDirectory)
    {
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<PluginLoadProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(pluginsDirectory)) {
            problems.add(new PluginLoadProblem(pluginsDirectory, "plugins directory does not exist; only built-in components are available"));
            return new Result(plugins, problems);
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(pluginsDirectory)) {
            stream.forEach(entries::add);
        }
        catch (IOException e) {
            problems.add(new PluginLoadProblem(pluginsDirectory, "cannot list plugins directory: " + e.getMessage()));
            return new Result(plugins, problems);
        }
        entries.sort(null);
        for (Path entry : entries) {
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith(".")) {
                continue;
            }
            List<Path> jars;
            String name;
            if (Files.isDirectory(entry)) {
                jars = jarsIn(entry, problems);
                name = fileName;
                if (jars.isEmpty()) {
                    problems.add(new PluginLoadProblem(entry, "plugin folder contains no .jar files; skipped"));
                    continue;
                }
            }
            else if (fileName.endsWith(".jar")) {
                jars = List.of(entry);
                name = fileName.substring(0, fileName.length() - ".jar".length());
            }
            else {
                // a plugin's zip copied here as it was delivered: the agent loads folders and jars, never archives
                archiveHint(entry, pluginsDirectory).ifPresent(hint -> problems.add(new PluginLoadProblem(entry, hint)));
                continue;
            }
            try {
                plugins.addAll(loadOne(name, entry, jars));
            }
            catch (PluginException e) {
                problems.add(new PluginLoadProblem(e.location, e.getMessage()));
            }
        }
        for (PluginLoadProblem problem : problems) {
            LOG.log(System.Logger.Level.WARNING, "plugin skipped: " + problem);
        }
        return new Result(plugins, problems);
    }

    private List<LoadedPlugin> loadOne(String name, Path location, List<Path> jars)
            throws PluginException
    {
        Path entryJar = null;
        Manifest manifest = null;
        for (Path jar : jars) {
            try (JarFile jarFile = new JarFile(jar.toFile())) {
                if (jarFile.getEntry(SERVICES_ENTRY) != null) {
                    if (entryJar != null) {
                        throw new PluginException(location, "has two jars with " + SERVICES_ENTRY + " (" + entryJar.getFileName() + ", " + jar.getFileName() + "); a plugin folder holds one plugin");
                    }
                    entryJar = jar;
                    manifest = jarFile.getManifest();
                }
            }
            catch (IOException e) {
                throw new PluginException(jar, "is not a readable jar (" + e.getMessage() + "); replace or remove it");
            }
        }
        if (entryJar == null) {
            throw new PluginException(location, "contains no " + SERVICES_ENTRY + "; it is not an Outrider plugin");
        }
        Attributes attributes = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String spiVersion = attributes.getValue(SpiVersion.MANIFEST_ATTRIBUTE);
        if (spiVersion == null) {
            throw new PluginException(entryJar, "has no " + SpiVersion.MANIFEST_ATTRIBUTE + " in its manifest; rebuild it with the Outrider plugin kit against SPI " + SpiVersion.CURRENT);
        }
        boolean compatible;
        try {
            compatible = SpiVersion.isCompatible(spiVersion);
        }
        catch (IllegalArgumentException e) {
            throw new PluginException(entryJar, e.getMessage() + "; rebuild it with the Outrider plugin kit");
        }
        if (!compatible) {
            throw new PluginException(entryJar, "was built for SPI " + spiVersion + " but this agent provides SPI " + SpiVersion.CURRENT
                    + "; install a version of the plugin built for SPI " + SpiVersion.MAJOR + ".x (at most " + SpiVersion.CURRENT + ") or an agent that provides SPI " + spiVersion);
        }
        List<String> agentLibraryPackages;
        try {
            agentLibraryPackages = AgentLibraries.sharedPackages(attributes.getValue(AgentLibraries.MANIFEST_ATTRIBUTE), spiLoader, libraryPreparation);
        }
        catch (IllegalArgumentException e) {
            throw new PluginException(entryJar, e.getMessage());
        }
        String version = Optional.ofNullable(attributes.getValue(Attributes.Name.IMPLEMENTATION_VERSION)).orElse("unknown");
        // the plugin's own jar first: PluginClassLoader reads the service entry from the first jar that has it
        List<Path> classPath = new ArrayList<>(jars);
        classPath.remove(entryJar);
        classPath.add(0, entryJar);
        List<URL> urls = new ArrayList<>();
        for (Path jar : classPath) {
            try {
                urls.add(jar.toUri().toURL());
            }
            catch (MalformedURLException e) {
                throw new PluginException(jar, "has a path that is not a URL: " + e.getMessage());
            }
        }
        PluginClassLoader loader = new PluginClassLoader(name, urls, spiLoader, agentLibraryPackages);
        List<LoadedPlugin> loaded = new ArrayList<>();
        try {
            LoadedPlugin.withContextClassLoader(loader, () -> {
                for (Plugin plugin : ServiceLoader.load(Plugin.class, loader)) {
                    if (plugin.getClass().getClassLoader() != loader) {
                        continue;
                    }
                    // touch the factories now, under the plugin's loader, so a broken plugin fails here and not mid-run
                    plugin.inputFactories();
                    plugin.parserFactories();
                    plugin.outputFactories();
                    loaded.add(new LoadedPlugin(name, Optional.of(location), version, spiVersion, plugin, loader));
                }
                return null;
            });
        }
        catch (ServiceConfigurationError e) {
            closeQuietly(loader);
            Matcher missing = PROVIDER_NOT_FOUND.matcher(String.valueOf(e.getMessage()));
            if (e.getCause() == null && missing.find()) {
                throw new PluginException(location, SERVICES_ENTRY + " in " + entryJar.getFileName() + " names " + missing.group(1)
                        + ", a class that none of the plugin's jars holds; correct the class name there, or add the jar that holds it");
            }
            throw new PluginException(location, "cannot be loaded: " + rootMessage(e));
        }
        catch (LinkageError e) {
            closeQuietly(loader);
            throw new PluginException(location, "cannot be loaded: " + rootMessage(e));
        }
        catch (Exception e) {
            closeQuietly(loader);
            throw new PluginException(location, "failed while starting up: " + rootMessage(e));
        }
        if (loaded.isEmpty()) {
            closeQuietly(loader);
            throw new PluginException(location, SERVICES_ENTRY + " names no loadable plugin");
        }
        if (loaded.size() > 1) {
            // one folder, one plugin: the name identifies it in status, errors and duplicates
            closeQuietly(loader);
            throw new PluginException(location, SERVICES_ENTRY + " names " + loaded.size() + " plugins; a plugin jar declares exactly one");
        }
        return loaded;
    }

    /** What to do with a file in the plugins directory that is a plugin's archive, or empty for any other file. */
    static Optional<String> archiveHint(Path file, Path pluginsDirectory)
    {
        String name = file.getFileName().toString();
        if (name.endsWith(".zip")) {
            return Optional.of("is an archive, and plugins are loaded from folders and jars: unpack it here (unzip " + name + " -d " + pluginsDirectory
                    + "), then remove it");
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return Optional.of("is an archive, and plugins are loaded from folders and jars: unpack it here (tar xzf " + name + " -C " + pluginsDirectory
                    + "), then remove it");
        }
        return Optional.empty();
    }

    private static List<Path> jarsIn(Path folder, List<PluginLoadProblem> problems)
    {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.jar")) {
            stream.forEach(jars::add);
        }
        catch (IOException e) {
            problems.add(new PluginLoadProblem(folder, "cannot list plugin folder: " + e.getMessage()));
        }
        jars.sort(null);
        return jars;
    }

    private static String rootMessage(Throwable e)
    {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private static void closeQuietly(PluginClassLoader loader)
    {
        try {
            loader.close();
        }
        catch (IOException ignored) {
            // nothing was loaded from it that is still in use
        }
    }

    private static final class PluginException
            extends Exception
    {
        private final Path location;

        PluginException(Path location, String message)
        {
            super(message);
            this.location = location;
        }
    }
}
