package io.outrider.desktop;

import io.outrider.config.ConfigLocation;
import io.outrider.config.ConfigProblem;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.core.config.AgentDefaults;
import io.outrider.core.config.ConfigLoader;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginLoader;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.spi.Plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Validates exactly like {@code outrider validate}: the agent's own loader (agent-config) binds the text against the
 * plugins the text's {@code agent.plugins_dir} names, each in its own class loader, plus the built-in ones, and runs
 * every factory's checks.
 */
public final class AgentConfigValidator
        implements ConfigValidator
{
    private final Map<String, String> environment;
    private final SecretRegistry secrets;
    private final List<LoadedPlugin> builtInPlugins;

    /**
     * @param environment what {@code ${VAR}} resolves from
     * @param secrets where the values of {@code @Sensitive} settings are registered, so problems never show them
     * @param builtInPlugins the plugins that are not in a folder: the agent's own (see {@link AgentBuiltInPlugins})
     */
    public AgentConfigValidator(Map<String, String> environment, SecretRegistry secrets, List<LoadedPlugin> builtInPlugins)
    {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.builtInPlugins = List.copyOf(requireNonNull(builtInPlugins, "builtInPlugins is null"));
    }

    @Override
    public List<ConfigProblem> validate(Path file, String text)
    {
        // the agent reads from disk; the same two phases here take the text that is not saved yet
        ConfigLoader loader = new ConfigLoader(environment, AgentDefaults.forThisMachine(environment), secrets);
        try {
            ConfigLoader.ParsedConfig parsed = loader.parse(Optional.of(file), file.toString(), text);
            // the plugins are loaded for this one check: their class loaders are closed when it is done
            try (PluginRegistry registry = new PluginLoader(Plugin.class.getClassLoader()).registry(parsed.agent().pluginsDir(), builtInPlugins)) {
                loader.bind(parsed, registry);
            }
            return List.of();
        }
        catch (InvalidConfigurationException e) {
            return e.problems();
        }
        catch (RuntimeException e) {
            return List.of(new ConfigProblem(new ConfigLocation(file.toString(), 0, 0), "",
                    "cannot load the configuration: " + secrets.redact(String.valueOf(e.getMessage()))));
        }
    }
}
