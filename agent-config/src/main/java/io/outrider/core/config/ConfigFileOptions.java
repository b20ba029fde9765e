package io.outrider.core.config;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code -c FILE} and {@code --env-file FILE}, and the one way every command finds its configuration: {@code -c}, else
 * {@code $OUTRIDER_CONFIG}, else the installed {@code /etc/outrider/outrider.yaml} when it exists, else the built-in
 * default pipeline. The agent's commands take them through the core's {@code ConfigOptions} (which adds the bootstrap
 * that loads plugins); {@code outrider tray} and {@code outrider configure}, which have no core, take this class as a
 * {@link picocli.CommandLine.Mixin}, so both sides find the configuration and env file alike.
 *
 * <p>picocli is an optional dependency of this module: only the annotations name it, and a JVM ignores annotations
 * whose classes are absent, so a user of the binder alone (the test kit) never needs it.
 */
public class ConfigFileOptions
{
    static final String CONFIG_VARIABLE = "OUTRIDER_CONFIG";
    private static final String ENV_FILE_NAME = "agent.env";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "configuration file (default: $OUTRIDER_CONFIG, else /etc/outrider/outrider.yaml when it exists, else the built-in default pipeline)")
    Path file;

    @Option(names = "--env-file", paramLabel = "FILE",
            description = "KEY=VALUE lines for the configuration's $${KEY} (default: agent.env beside the configuration file, else /etc/outrider/agent.env, when readable); variables of the environment win")
    Path envFile;

    /** What {@code -c} named, as given; empty without the option. */
    public Optional<Path> configOption()
    {
        return Optional.ofNullable(file);
    }

    /** What {@code --env-file} named, as given; empty without the option. */
    public Optional<Path> envFileOption()
    {
        return Optional.ofNullable(envFile);
    }

    /**
     * The configuration a command uses, and why.
     *
     * @param file empty for the built-in default pipeline
     * @param origin why this one: {@code -c}, {@code OUTRIDER_CONFIG}, the installed file, or nothing else was there
     */
    public record ConfigSource(Optional<Path> file, String origin)
    {
        public ConfigSource
        {
            requireNonNull(file, "file is null");
            requireNonNull(origin, "origin is null");
        }

        /** E.g. {@code /etc/outrider/outrider.yaml (from OUTRIDER_CONFIG)}. */
        public String describe()
        {
            return file.map(path -> path + " (" + origin + ")").orElse(origin);
        }
    }

    /**
     * The configuration found, the env file read (if any), and the environment {@code ${VAR}} resolves from.
     *
     * @param environment the process environment over the env file's variables
     */
    public record Found(ConfigSource source, Optional<Path> envFile, Map<String, String> environment)
    {
        public Found
        {
            requireNonNull(source, "source is null");
            requireNonNull(envFile, "envFile is null");
            environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        }
    }

    /** The configuration to use: {@code option}, else {@code OUTRIDER_CONFIG}, else {@code systemConfig} when it exists, else the built-in default. */
    static ConfigSource discover(Optional<Path> option, Map<String, String> environment, Path systemConfig)
    {
        if (option.isPresent()) {
            return new ConfigSource(option, "from -c");
        }
        String variable = environment.get(CONFIG_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return new ConfigSource(Optional.of(Path.of(variable)), "from " + CONFIG_VARIABLE);
        }
        if (Files.exists(systemConfig)) {
            return new ConfigSource(Optional.of(systemConfig), "the installed configuration");
        }
        return new ConfigSource(Optional.empty(), "built-in default (no -c, no " + CONFIG_VARIABLE + ", no " + systemConfig + ")");
    }

    /**
     * The configuration and the environment {@code ${VAR}} resolves from: the process environment over the variables
     * of {@code --env-file}, else of the {@link #defaultEnvFile default env file}. A variable set in both keeps the
     * environment's value: the same outcome as under the service, where systemd's {@code EnvironmentFile=} has set
     * them before the agent starts, and as {@code docker run -e} over {@code --env-file}.
     *
     * @return empty (with the reason printed to {@code err}) when {@code --env-file} cannot be read
     */
    public Optional<Found> find(CliEnvironment cli, PrintStream err)
    {
        ConfigSource source = discover(Optional.ofNullable(file), cli.environment(), cli.systemConfig());
        Optional<Path> candidate = envFile != null ? Optional.of(envFile) : defaultEnvFile(source, cli.systemEnvFile());
        Map<String, String> environment = new HashMap<>();
        if (candidate.isPresent()) {
            try {
                environment.putAll(EnvFile.read(candidate.get()));
            }
            catch (IOException e) {
                // the class, not the message: it could quote the content (a malformed line is a key)
                err.println("cannot read the env file " + candidate.get() + " (" + e.getClass().getSimpleName() + ")");
                return Optional.empty();
            }
        }
        environment.putAll(cli.environment());
        return Optional.of(new Found(source, candidate, environment));
    }

    /**
     * The env file read without {@code --env-file}: {@code agent.env} beside the configuration file (where
     * {@code import-config} puts it, and where the installed one is, beside /etc/outrider/outrider.yaml), else the
     * installed one; only when readable (the service's user cannot read the root-owned installed file, and need not:
     * systemd has set its variables already).
     */
    static Optional<Path> defaultEnvFile(ConfigSource source, Path systemEnvFile)
    {
        return source.file()
                .map(file -> file.toAbsolutePath().resolveSibling(ENV_FILE_NAME))
                .filter(Files::isReadable)
                .or(() -> Optional.of(systemEnvFile).filter(Files::isReadable));
    }
}
