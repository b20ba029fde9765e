package io.outrider.core.cli;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.core.AgentModule;
import io.outrider.core.BufferUnavailableException;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.metrics.AgentControl;
import io.outrider.core.pipeline.Agent;
import io.outrider.core.pipeline.AgentStartException;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Owns the running {@link Agent} of {@code outrider run} and swaps it on reload: the new configuration is loaded and
 * validated first (an invalid one changes nothing), then the old agent stops (inputs commit, outputs drain within the
 * shutdown timeout, the buffer closes) and the new one starts on the same data directory, so nothing is lost across
 * a reload. When the new one cannot start, the previous configuration is started again.
 */
final class AgentSupervisor
        implements AgentControl
{
    private static final String REFUSED = "reload refused, the running configuration stays in effect: ";
    private static final System.Logger LOG = System.getLogger(AgentSupervisor.class.getName());

    private final Bootstrap bootstrap;
    private final Optional<java.nio.file.Path> configFile;
    private AgentConfiguration configuration;
    // the plugins the running configuration was bound against: owned here, closed on stop or when a reload replaces them
    private Bootstrap.Loaded loaded;
    private volatile Agent agent;
    private boolean stopped;

    AgentSupervisor(Bootstrap bootstrap, Optional<java.nio.file.Path> configFile, Bootstrap.Loaded loaded)
    {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
        this.configFile = requireNonNull(configFile, "configFile is null");
        this.loaded = requireNonNull(loaded, "loaded is null");
        this.configuration = loaded.configuration();
    }

    synchronized void start()
            throws AgentStartException
    {
        agent = create(configuration);
        agent.start();
    }

    private Agent create(AgentConfiguration configuration)
            throws AgentStartException
    {
        try {
            return Guice.createInjector(Stage.PRODUCTION, new AgentModule(configuration, bootstrap.secrets(), Clock.systemUTC())).getInstance(Agent.class);
        }
        catch (CreationException e) {
            throw startFailure(e.getErrorMessages());
        }
        catch (ProvisionException e) {
            throw startFailure(e.getErrorMessages());
        }
    }

    /**
     * What Guice reports when a provider failed (the buffer that cannot open): one error per place the object was
     * needed, each with the whole trace. The operator reads the first cause's message once; a
     * {@link BufferUnavailableException} says all there is to say, anything else keeps its trace for a bug report.
     */
    private AgentStartException startFailure(Collection<Message> errors)
    {
        Throwable cause = errors.stream().map(Message::getCause).filter(Objects::nonNull).findFirst().orElse(null);
        if (cause == null) {
            return new AgentStartException("agent cannot start: " + bootstrap.secrets().redact(errors.stream().map(Message::getMessage).findFirst().orElse("the agent's parts cannot be made")), null);
        }
        if (cause instanceof BufferUnavailableException) {
            return new AgentStartException("agent cannot start: " + bootstrap.secrets().redact(cause.getMessage()), null);
        }
        return new AgentStartException("agent cannot start: " + bootstrap.secrets().redact(String.valueOf(cause)), cause);
    }

    Agent current()
    {
        return agent;
    }

    synchronized void stop()
    {
        stopped = true;
        if (agent != null) {
            agent.stop();
        }
        loaded.registry().close();
    }

    /** The configuration and plugins in effect. */
    synchronized Bootstrap.Loaded loaded()
    {
        return loaded;
    }

    @Override
    public synchronized String pause()
    {
        agent.pauseInputs();
        return "inputs paused; outputs keep delivering what is buffered";
    }

    @Override
    public synchronized String resume()
            throws AgentStartException
    {
        agent.resumeInputs();
        return "inputs resumed from their committed positions";
    }

    @Override
    public synchronized String reload()
            throws Exception
    {
        if (stopped) {
            LOG.log(System.Logger.Level.WARNING, "reload refused: the agent is stopping");
            throw new IllegalStateException("the agent is stopping");
        }
        Bootstrap.Loaded nextLoaded;
        try {
            nextLoaded = bootstrap.load(configFile);
        }
        catch (InvalidConfigurationException | IOException e) {
            throw refused(e.getMessage());
        }
        AgentConfiguration next = nextLoaded.configuration();
        if (!next.agent().dataDir().equals(configuration.agent().dataDir())) {
            // the buffer, the checkpoints and the data directory's lock stay where the agent started
            nextLoaded.registry().close();
            throw refused("agent.data_dir changed from " + configuration.agent().dataDir() + " to " + next.agent().dataDir()
                    + "; a data directory changes with a restart, which moves nothing: the events buffered in the old one wait there");
        }
        LOG.log(System.Logger.Level.INFO, "reloading the configuration" + configFile.map(file -> " from " + file).orElse(""));
        renamedInputs(configuration, next).forEach(warning -> LOG.log(System.Logger.Level.WARNING, warning));
        // paused stays paused: a reload is no resume
        boolean paused = agent.isPaused();
        agent.stop();
        Agent replacement;
        try {
            replacement = create(next);
            replacement.start(paused);
        }
        catch (AgentStartException e) {
            LOG.log(System.Logger.Level.ERROR, "the reloaded configuration cannot start (" + e.getMessage() + "); starting the previous one again");
            nextLoaded.registry().close();
            agent = create(configuration);
            agent.start(paused);
            agent.reloadRefused("the new configuration cannot start: " + e.getMessage());
            throw new IllegalStateException("the new configuration cannot start, the previous one runs again: " + e.getMessage());
        }
        // the old agent has stopped: nothing runs the old plugins' code any more
        loaded.registry().close();
        agent = replacement;
        configuration = next;
        loaded = nextLoaded;
        return "configuration reloaded: " + next.pipelines().size() + " pipeline(s)" + (paused ? "; the inputs stay paused" : "");
    }

    /**
     * A refused reload: said once at ERROR, on one line (the log's one-line records showed a configuration's numbered
     * problems' line breaks as \n escapes), shown in the running agent's status, and returned for {@link #reload} to throw.
     */
    private IllegalStateException refused(String reason)
    {
        LOG.log(System.Logger.Level.ERROR, REFUSED + String.join(" ", reason.lines().filter(line -> !line.isBlank()).map(String::strip).toList()));
        agent.reloadRefused(reason);
        return new IllegalStateException(REFUSED + reason);
    }

    /**
     * Inputs a reload seems to rename: in a pipeline of both configurations, one of a type is gone and another of that
     * type is new. Positions belong to an input's id, so the new one starts as on a first start (its read_from: a
     * file input reading from the end skips what came while the old one was paused or stopped).
     */
    static List<String> renamedInputs(AgentConfiguration before, AgentConfiguration after)
    {
        List<String> warnings = new ArrayList<>();
        for (PipelineSpec next : after.pipelines()) {
            before.pipelines().stream().filter(pipeline -> pipeline.id().equals(next.id())).findFirst().ifPresent(previous -> {
                Set<String> previousIds = new HashSet<>();
                previous.inputs().forEach(input -> previousIds.add(input.id()));
                Set<String> nextIds = new HashSet<>();
                next.inputs().forEach(input -> nextIds.add(input.id()));
                // the first input of each type that is gone; any type alike, named by none
                Map<String, ComponentSpec> goneByType = new HashMap<>();
                previous.inputs().stream().filter(gone -> !nextIds.contains(gone.id())).forEach(gone -> goneByType.putIfAbsent(gone.type(), gone));
                for (ComponentSpec added : next.inputs()) {
                    ComponentSpec gone = previousIds.contains(added.id()) ? null : goneByType.get(added.type());
                    if (gone != null) {
                        warnings.add("input " + next.id() + "." + added.id() + " (" + added.type() + ") is new and " + next.id() + "." + gone.id()
                                + " is gone: if it was renamed, it does not take over the old one's positions and starts as on a first start (read_from);"
                                + " give it its old id '" + gone.id() + "' again to read on where that one stopped");
                    }
                }
            });
        }
        return warnings;
    }
}
