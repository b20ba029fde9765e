package io.outrider.core.cli;

import io.outrider.config.InvalidConfigurationException;
import io.outrider.core.builtin.CorePlugin;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.AgentDefaults;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ConfigLoader;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginLoader;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.core.storage.SqliteNativeLibrary;
import io.outrider.spi.Plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads a configuration (a file, or the built-in default), loads the plugins it names, and binds it: what every
 * command that needs a configuration does first. Tests add {@link Plugin} objects directly through
 * {@link #withExtraPlugins}.
 */
public final class Bootstrap
{
    private static final System.Logger LOG = System.getLogger(Bootstrap.class.getName());

    private final Map<String, String> environment;
    private final SecretRegistry secrets;
    private final List<LoadedPlugin> extraPlugins;

    public Bootstrap(Map<String, String> environment, SecretRegistry secrets)
    {
        this(environment, secrets, List.of());
    }

    private Bootstrap(Map<String, String> environment, SecretRegistry secrets, List<LoadedPlugin> extraPlugins)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.extraPlugins = List.copyOf(extraPlugins);
    }

    /** The same bootstrap with plugins installed as objects (tests). */
    public Bootstrap withExtraPlugins(List<LoadedPlugin> plugins)
    {
        List<LoadedPlugin> all = new ArrayList<>(extraPlugins);
        all.addAll(plugins);
        return new Bootstrap(environment, secrets, all);
    }

    /**
     * A loaded configuration with the plugins it was bound against; the holder closes the registry when done.
     *
     * @param notice what the operator must be told about the built-in default (that it reads the bundled sample)
     */
    public record Loaded(AgentConfiguration configuration, PluginRegistry registry, Optional<String> notice)
    {
        public Loaded
        {
            requireNonNull(configuration, "configuration is null");
            requireNonNull(registry, "registry is null");
            requireNonNull(notice, "notice is null");
        }
    }

    /**
     * The configuration's {@code agent:} section, without loading plugins or binding pipelines: what a command needs
     * to find a running agent (its status address, data directory and token).
     */
    public AgentSettings agentSettings(Optional<Path> file)
            throws InvalidConfigurationException, IOException
    {
        AgentDefaults defaults = AgentDefaults.forThisMachine(environment);
        ConfigLoader loader = new ConfigLoader(environment, defaults, secrets);
        Source source = Source.read(file, defaults);
        return loader.agentSection(loader.parse(file, source.displayName(), source.text()));
    }

    /**
     * Loads {@code file}, or the built-in default pipeline when empty.
     *
     * @throws InvalidConfigurationException with every problem found
     * @throws IOException when the file cannot be read
     */
    public Loaded load(Optional<Path> file)
            throws InvalidConfigurationException, IOException
    {
        AgentDefaults defaults = AgentDefaults.forThisMachine(environment);
        ConfigLoader loader = new ConfigLoader(environment, defaults, secrets);
        Source source = Source.read(file, defaults);
        Optional<String> notice = source.notice();
        ConfigLoader.ParsedConfig parsed = loader.parse(file, source.displayName(), source.text());
        PluginRegistry registry = plugins(parsed.agent().pluginsDir());
        try {
            return new Loaded(loader.bind(parsed, registry), registry, notice);
        }
        catch (InvalidConfigurationException | RuntimeException e) {
            // nobody gets the plugins of a configuration that did not load: their class loaders are closed here
            registry.close();
            throw e;
        }
    }

    /** Every plugin in {@code pluginsDir}, plus the core's built-in one and any extra ones. */
    public PluginRegistry plugins(Path pluginsDir)
    {
        List<LoadedPlugin> builtIn = new ArrayList<>();
        builtIn.add(CorePlugin.loaded());
        builtIn.addAll(extraPlugins);
        PluginRegistry registry = new PluginLoader(Plugin.class.getClassLoader(), Map.of(PluginLoader.SQLITE_JDBC_LIBRARY, SqliteNativeLibrary::load))
                .registry(pluginsDir, builtIn);
        for (LoadedPlugin plugin : registry.plugins()) {
            plugin.location().ifPresent(location -> LOG.log(System.Logger.Level.DEBUG, () -> "plugin " + plugin.name() + " " + plugin.version() + " loaded from " + location));
        }
        return registry;
    }

    public SecretRegistry secrets()
    {
        return secrets;
    }

    public Map<String, String> environment()
    {
        return environment;
    }

    static String resource(String name)
            throws IOException
    {
        try (InputStream in = Bootstrap.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the agent");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The configuration's text: the file, or the built-in default with the notice that says which one it chose. */
    private record Source(String text, String displayName, Optional<String> notice)
    {
        static Source read(Optional<Path> file, AgentDefaults defaults)
                throws IOException
        {
            if (file.isPresent()) {
                if (!Files.isRegularFile(file.get())) {
                    throw new IOException("configuration file " + file.get() + " does not exist or is not a file");
                }
                return new Source(Files.readString(file.get(), StandardCharsets.UTF_8), file.get().toString(), Optional.empty());
            }
            DefaultConfig.Choice choice = DefaultConfig.choose(defaults);
            return new Source(choice.yaml(), "<built-in default>", choice.notice());
        }
    }
}
