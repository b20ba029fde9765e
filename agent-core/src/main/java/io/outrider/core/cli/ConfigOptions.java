package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.core.config.CliEnvironment;
import io.outrider.core.config.ConfigFileOptions;
import io.outrider.core.config.SecretRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@link ConfigFileOptions} ({@code -c FILE}, {@code --env-file FILE} and how every command finds its configuration)
 * with a {@link Bootstrap} over the environment found, shared by the agent's commands that read a configuration.
 */
public final class ConfigOptions
        extends ConfigFileOptions
{
    /** What a command works with: the configuration found, the env file read (if any), and a bootstrap over their environment. */
    public record Resolved(ConfigSource source, Optional<Path> envFile, Bootstrap bootstrap)
    {
        public Resolved
        {
            requireNonNull(source, "source is null");
            requireNonNull(envFile, "envFile is null");
            requireNonNull(bootstrap, "bootstrap is null");
        }
    }

    /**
     * {@link #find} with a bootstrap over the environment it found.
     *
     * @return empty (with the reason printed to {@code err}) when {@code --env-file} cannot be read
     */
    public Optional<Resolved> resolve(CliEnvironment cli, PrintStream err)
    {
        return find(cli, err).map(found -> new Resolved(found.source(), found.envFile(), new Bootstrap(found.environment(), new SecretRegistry())));
    }

    /** Loads and binds, printing problems to {@code err}; empty when the configuration is invalid or unreadable. */
    static Optional<Bootstrap.Loaded> load(Resolved resolved, PrintStream err)
    {
        return loading(resolved, err, bootstrap -> bootstrap.load(resolved.source().file()));
    }

    /**
     * The {@code agent:} section of the resolved configuration, or empty after saying why on {@code err}: for commands
     * that talk to a running agent and need none of the pipelines' secrets.
     */
    static Optional<AgentSettings> loadAgentSettings(Resolved resolved, PrintStream err)
    {
        return loading(resolved, err, bootstrap -> bootstrap.agentSettings(resolved.source().file()));
    }

    private interface Loading<T>
    {
        T load(Bootstrap bootstrap)
                throws InvalidConfigurationException, IOException;
    }

    /** Runs {@code loading}, or says on {@code err} why the configuration cannot be loaded and returns empty. */
    private static <T> Optional<T> loading(Resolved resolved, PrintStream err, Loading<T> loading)
    {
        Bootstrap bootstrap = resolved.bootstrap();
        try {
            return Optional.of(loading.load(bootstrap));
        }
        catch (InvalidConfigurationException e) {
            err.println(e.getMessage());
            return Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            String why = resolved.source().file().isPresent() ? " (" + resolved.source().origin() + ")" : "";
            err.println("cannot load the configuration: " + bootstrap.secrets().redact(String.valueOf(e.getMessage())) + why);
            return Optional.empty();
        }
    }

    /** A bootstrap over this process's environment alone, for commands that read no configuration. */
    static Bootstrap bootstrap()
    {
        return new Bootstrap(System.getenv(), new SecretRegistry());
    }
}
