package io.outrider.desktop;

import io.outrider.config.ConfigLocation;
import io.outrider.config.ConfigProblem;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.AgentDefaults;
import io.outrider.core.config.ConfigLoader;
import io.outrider.core.plugin.PluginRegistry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Validates exactly like {@code outrider validate}: the agent's own loader binds the text against the plugins the
 * text's {@code agent.plugins_dir} names (plus any the {@link Bootstrap} carries), and runs every factory's checks.
 */
public final class AgentConfigValidator
        implements ConfigValidator
{
    private final Bootstrap bootstrap;

    public AgentConfigValidator(Bootstrap bootstrap)
    {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
    }

    @Override
    public List<ConfigProblem> validate(Path file, String text)
    {
        // Bootstrap.load reads from disk; the same two phases here take the text that is not saved yet
        ConfigLoader loader = new ConfigLoader(bootstrap.environment(), AgentDefaults.forThisMachine(bootstrap.environment()), bootstrap.secrets());
        try {
            ConfigLoader.ParsedConfig parsed = loader.parse(Optional.of(file), file.toString(), text);
            // the plugins are loaded for this one check: their class loaders are closed when it is done
            try (PluginRegistry registry = bootstrap.plugins(parsed.agent().pluginsDir())) {
                loader.bind(parsed, registry);
            }
            return List.of();
        }
        catch (InvalidConfigurationException e) {
            return e.problems();
        }
        catch (RuntimeException e) {
            return List.of(new ConfigProblem(new ConfigLocation(file.toString(), 0, 0), "",
                    "cannot load the configuration: " + bootstrap.secrets().redact(String.valueOf(e.getMessage()))));
        }
    }
}
