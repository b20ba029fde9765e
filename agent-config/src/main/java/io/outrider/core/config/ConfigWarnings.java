package io.outrider.core.config;

import io.outrider.config.ConfigLocation;
import io.outrider.config.ConfigProblem;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.spi.ComponentFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The warnings of a configuration: what each component's factory says through
 * {@link ComponentFactory#warnings} (a glob that matches nothing yet, a directory that does not exist), located like
 * configuration errors at the component's key. {@code outrider validate} prints them, {@code outrider run} logs them
 * when it starts; neither stops for them. An invalid configuration reports the warnings of its valid components after
 * its errors ({@link InvalidConfigurationException}).
 */
public final class ConfigWarnings
{
    private ConfigWarnings() {}

    /**
     * Asks every component of {@code configuration}, in file order, on the calling thread (the registered factories
     * switch to their plugin's class loader). A factory that throws gets one warning saying so instead.
     *
     * @param secrets redacts the messages, which a plugin may have built from sensitive values
     */
    public static List<ConfigProblem> of(AgentConfiguration configuration, SecretRegistry secrets)
    {
        requireNonNull(configuration, "configuration is null");
        List<ConfigProblem> warnings = new ArrayList<>();
        dataDirectoryProblem(configuration.agent().dataDir()).ifPresent(problem -> warnings.add(new ConfigProblem(
                new ConfigLocation(configuration.file().map(Path::toString).orElse("the built-in configuration"), 0, 0), "agent.data_dir", problem)));
        warnings.addAll(of(configuration.pipelines(), secrets));
        return List.copyOf(warnings);
    }

    /**
     * Why the agent, run as this user, could not use {@code directory} as its data directory: validate said a
     * configuration with {@code data_dir: /proc/outrider-data} was valid, and run then exited 1 (under systemd, again
     * every 5 s). A directory that does not exist is made and removed again in its nearest existing parent to find out,
     * as the agent would make it.
     */
    static Optional<String> dataDirectoryProblem(Path directory)
    {
        String user = System.getProperty("user.name");
        if (Files.isDirectory(directory)) {
            return Files.isWritable(directory)
                    ? Optional.empty()
                    : Optional.of(directory + " is not writable by " + user + ": an agent run as " + user + " cannot start with it");
        }
        if (Files.exists(directory)) {
            return Optional.of(directory + " is not a directory: the agent cannot keep its buffer there");
        }
        Path parent = directory.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            return Optional.of(directory + " has no existing parent directory");
        }
        if (!Files.isDirectory(parent)) {
            return Optional.of(directory + " cannot be created: " + parent + " is a file, not a directory");
        }
        try {
            Files.delete(Files.createTempDirectory(parent, ".outrider-validate-"));
            return Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            return Optional.of(directory + " does not exist and " + user + " cannot create it in " + parent + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): an agent run as " + user + " cannot start with it");
        }
    }

    /** The warnings of {@code pipelines}, e.g. the valid parts of an invalid configuration. */
    static List<ConfigProblem> of(List<PipelineSpec> pipelines, SecretRegistry secrets)
    {
        requireNonNull(pipelines, "pipelines is null");
        requireNonNull(secrets, "secrets is null");
        List<ConfigProblem> warnings = new ArrayList<>();
        for (PipelineSpec pipeline : pipelines) {
            List<ComponentSpec> components = new ArrayList<>(pipeline.inputs());
            components.addAll(pipeline.parsers());
            components.addAll(pipeline.outputs());
            for (ComponentSpec component : components) {
                String path = "pipelines." + component.pipelineId() + "." + component.kind().section() + "." + component.id();
                for (String message : warningsOf(component)) {
                    warnings.add(new ConfigProblem(component.location(), path, secrets.redact(message)));
                }
            }
        }
        return List.copyOf(warnings);
    }

    /**
     * Numbered like configuration errors:
     * <pre>
     * Configuration has 1 warning:
     *
     * 1) outrider.yaml:6:7: pipelines.p.inputs.logs: path "/var/log/x/*.log" matches no file yet; ...
     * </pre>
     */
    public static String format(List<ConfigProblem> warnings)
    {
        return InvalidConfigurationException.formatWarnings(warnings);
    }

    private static List<String> warningsOf(ComponentSpec component)
    {
        try {
            List<String> messages = warnings(component.factory().factory(), component.config());
            if (messages == null) {
                return List.of();
            }
            return messages.stream().filter(message -> message != null && !message.isBlank()).toList();
        }
        catch (Exception | LinkageError e) {
            // a plugin's bug must not hide the configuration's other warnings, nor stop the agent
            return List.of(component.factory().describe() + " failed to list its warnings: " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> List<String> warnings(ComponentFactory<C, ?> factory, Record config)
    {
        return factory.warnings((C) config);
    }
}
