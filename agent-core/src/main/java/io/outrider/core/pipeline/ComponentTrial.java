package io.outrider.core.pipeline;

import io.outrider.config.ConfigProblem;
import io.outrider.core.AgentVersion;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentFactory;
import io.outrider.spi.Input;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Output;
import io.outrider.spi.Parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Creates every component of a configuration once and closes it again, starting nothing, so that {@code outrider
 * validate} also finds what only {@code create} checks (a key file that cannot be read, a plugin bug) before
 * {@code run} does. Each component gets a context like the agent's but with no committed checkpoints, an empty
 * in-memory store and a throw-away data directory: the buffer and the real data directory are not touched (a running
 * agent may hold them). Outputs are created, not started: nothing connects anywhere.
 */
public final class ComponentTrial
{
    private ComponentTrial() {}

    /**
     * One problem per failed component, in file order, located at the component: the problems of an
     * {@link InvalidConfigException} as the binder reports those of {@code validate}, and anything else as a bug in
     * the plugin.
     *
     * @param secrets redacts the messages, which a plugin may have built from sensitive values
     */
    public static List<ConfigProblem> createEach(AgentConfiguration configuration, SecretRegistry secrets)
    {
        requireNonNull(configuration, "configuration is null");
        requireNonNull(secrets, "secrets is null");
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("outrider-validate-");
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory to try the components in: " + e.getMessage(), e);
        }
        try {
            List<ConfigProblem> problems = new ArrayList<>();
            AgentMetrics metrics = new AgentMetrics();
            for (PipelineSpec pipeline : configuration.pipelines()) {
                List<ComponentSpec> components = new ArrayList<>(pipeline.inputs());
                components.addAll(pipeline.parsers());
                components.addAll(pipeline.outputs());
                for (ComponentSpec component : components) {
                    problems.addAll(tryCreate(configuration, component, dataDirectory, metrics, secrets));
                }
            }
            return List.copyOf(problems);
        }
        finally {
            deleteQuietly(dataDirectory);
        }
    }

    private static List<ConfigProblem> tryCreate(AgentConfiguration configuration, ComponentSpec component, Path dataDirectory, AgentMetrics metrics, SecretRegistry secrets)
    {
        String path = "pipelines." + component.pipelineId() + "." + component.kind().section() + "." + component.id();
        ComponentContext context = new RuntimeComponentContext(component.pipelineId(), component.id(), component.type(), Map.of(),
                dataDirectory.resolve("components").resolve(component.pipelineId()).resolve(component.id()), new MemoryKeyValueStore(),
                metrics.forComponent(component.pipelineId(), component.id(), component.type()), Clock.systemUTC(), configuration.agent().hostName(),
                AgentVersion.get(), configuration.file(), Optional.of(configuration.agent().pluginsDir()), new ComponentProblems(secrets, Clock.systemUTC()));
        try {
            close(create(component.factory().factory(), component.config(), context));
            return List.of();
        }
        catch (InvalidConfigException e) {
            List<ConfigProblem> problems = new ArrayList<>();
            for (InvalidConfigException.Problem problem : e.problems()) {
                String problemPath = problem.property().isEmpty() ? path : path + "." + problem.property();
                problems.add(new ConfigProblem(component.locationOf(problem.property()), problemPath, secrets.redact(problem.message()) + " (" + component.factory().describe() + ")"));
            }
            return problems;
        }
        catch (RuntimeException | LinkageError e) {
            return List.of(new ConfigProblem(component.location(), path,
                    component.factory().describe() + " failed to create the component, a bug in the plugin: " + secrets.redact(String.valueOf(e))));
        }
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Object create(ComponentFactory<C, ?> factory, Record config, ComponentContext context)
            throws InvalidConfigException
    {
        return factory.create((C) config, context);
    }

    private static void close(Object component)
    {
        // what close throws is the run's concern, not the configuration's
        try {
            if (component instanceof Input input) {
                input.close();
            }
            else if (component instanceof Parser parser) {
                parser.close();
            }
            else if (component instanceof Output output) {
                output.close();
            }
        }
        catch (RuntimeException | LinkageError ignored) {
            // nothing was started
        }
    }

    private static void deleteQuietly(Path directory)
    {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException | UncheckedIOException ignored) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}
