package io.outrider.core.config;

import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What the commands read from outside their arguments: the process environment, and where an installed agent keeps its
 * configuration and its env file. Tests give their own paths, so that they do not depend on what is in /etc.
 *
 * <p>Public for the desktop module, whose commands find their configuration through {@link ConfigFileOptions} too.
 *
 * @param environment the process environment
 * @param systemConfig the configuration a command uses without {@code -c} and {@code OUTRIDER_CONFIG}, when it exists
 * @param systemEnvFile the env file a command reads without {@code --env-file}, when it is readable
 */
public record CliEnvironment(Map<String, String> environment, Path systemConfig, Path systemEnvFile)
{
    /** Where install.sh puts them (the service's {@code -c} and {@code EnvironmentFile=}). */
    static final Path SYSTEM_CONFIG = Path.of("/etc/outrider/outrider.yaml");
    static final Path SYSTEM_ENV_FILE = Path.of("/etc/outrider/agent.env");

    public CliEnvironment
    {
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        requireNonNull(systemConfig, "systemConfig is null");
        requireNonNull(systemEnvFile, "systemEnvFile is null");
    }

    /**
     * This process's environment and the installed locations; the system properties {@code outrider.system.config} and
     * {@code outrider.system.env_file} move them (a test, or an installation under another root).
     */
    public static CliEnvironment ofThisProcess()
    {
        return new CliEnvironment(System.getenv(),
                Path.of(System.getProperty("outrider.system.config", SYSTEM_CONFIG.toString())),
                Path.of(System.getProperty("outrider.system.env_file", SYSTEM_ENV_FILE.toString())));
    }
}
