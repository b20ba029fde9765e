package io.outrider.spi.testing;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Optional;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ComponentContext} for tests: in-memory store and metrics, a given data directory, clock and
 * checkpoints, and a logger that keeps what the component logged ({@link #logged()}), so that a test can assert an
 * operator's message word for word, and the problems it reported ({@link #problems()}). Build one with {@link #builder(Path)}; use {@link #withCheckpoints} to model a
 * restart that resumes from what a {@link CollectingEmitter} committed.
 */
public final class TestingComponentContext
        implements ComponentContext
{
    private final String pipelineId;
    private final String componentId;
    private final String componentType;
    private final Path dataDirectory;
    private final Map<String, String> checkpoints;
    private final InMemoryKeyValueStore store;
    private final TestingMetrics metrics;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final String hostName;
    private final String agentVersion;
    private final Path agentConfigFile;
    private final Path pluginsDirectory;
    private final RecordingLogger logger;
    private final Map<String, String> problems = new LinkedHashMap<>();

    private TestingComponentContext(Builder builder)
    {
        this.pipelineId = builder.pipelineId;
        this.componentId = builder.componentId;
        this.componentType = builder.componentType;
        this.dataDirectory = builder.dataDirectory;
        this.checkpoints = Map.copyOf(builder.checkpoints);
        this.store = builder.store;
        this.metrics = builder.metrics;
        this.clock = builder.clock;
        this.nanoTime = builder.nanoTime;
        this.hostName = builder.hostName;
        this.agentVersion = builder.agentVersion;
        this.agentConfigFile = builder.agentConfigFile;
        this.pluginsDirectory = builder.pluginsDirectory;
        this.logger = builder.logger != null && builder.logger.getName().equals(loggerName(pipelineId, componentId))
                ? builder.logger
                : new RecordingLogger(loggerName(pipelineId, componentId));
    }

    private static String loggerName(String pipelineId, String componentId)
    {
        return "outrider." + pipelineId + "." + componentId;
    }

    /** A builder whose component data directory is {@code dataDirectory} (e.g. a JUnit {@code @TempDir}). */
    public static Builder builder(Path dataDirectory)
    {
        return new Builder(dataDirectory);
    }

    /**
     * The same context with other committed checkpoints, sharing store and metrics: what the component would get
     * after a restart.
     */
    public TestingComponentContext withCheckpoints(Map<String, String> committed)
    {
        Builder builder = toBuilder();
        builder.checkpoints.clear();
        builder.checkpoints.putAll(committed);
        return builder.build();
    }

    public Builder toBuilder()
    {
        Builder builder = new Builder(dataDirectory)
                .pipelineId(pipelineId).componentId(componentId).componentType(componentType)
                .checkpoints(checkpoints).clock(clock).nanoTime(nanoTime)
                .hostName(hostName).agentVersion(agentVersion);
        builder.store = store;
        builder.metrics = metrics;
        builder.agentConfigFile = agentConfigFile;
        builder.pluginsDirectory = pluginsDirectory;
        builder.logger = logger;
        return builder;
    }

    @Override
    public String pipelineId()
    {
        return pipelineId;
    }

    @Override
    public String componentId()
    {
        return componentId;
    }

    @Override
    public String componentType()
    {
        return componentType;
    }

    /**
     * The component's logger, named {@code outrider.PIPELINE.COMPONENT} as the agent names it. It passes every message
     * on to the logger of that name (so it shows where the test's logging goes) and keeps it for {@link #logged()};
     * it answers {@link System.Logger#isLoggable} with true for every level, so a message built only when its level is
     * enabled is kept too.
     */
    @Override
    public System.Logger logger()
    {
        return logger;
    }

    /**
     * What the component logged through {@link #logger()} so far, oldest first, one line per message:
     * {@code LEVEL message}, with the level as {@link System.Logger.Level#getName()} spells it ({@code DEBUG},
     * {@code INFO}, {@code WARNING}, {@code ERROR}, ...), the message formatted as {@link System.Logger} formats its
     * parameters ({@link MessageFormat}), and a throwable's {@code toString()} after a space. A context made by
     * {@link #withCheckpoints} or {@link #toBuilder} with the same pipeline and component keeps adding to the same
     * lines, as the store and metrics are shared.
     */
    public List<String> logged()
    {
        return logger.lines();
    }

    @Override
    public Map<String, String> checkpoints()
    {
        return checkpoints;
    }

    @Override
    public Path dataDirectory()
    {
        try {
            return Files.createDirectories(dataDirectory);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public KeyValueStore store()
    {
        return store;
    }

    @Override
    public TestingMetrics metrics()
    {
        return metrics;
    }

    @Override
    public Clock clock()
    {
        return clock;
    }

    @Override
    public long nanoTime()
    {
        return nanoTime.getAsLong();
    }

    @Override
    public String hostName()
    {
        return hostName;
    }

    @Override
    public String agentVersion()
    {
        return agentVersion;
    }

    @Override
    public Optional<Path> agentConfigFile()
    {
        return Optional.ofNullable(agentConfigFile);
    }

    @Override
    public Optional<Path> pluginsDirectory()
    {
        return Optional.ofNullable(pluginsDirectory);
    }

    /** Keeps the problem for {@link #problems()}, after the checks the agent makes. */
    @Override
    public void reportProblem(String key, String detail)
    {
        ComponentContext.super.reportProblem(key, detail);
        synchronized (problems) {
            problems.put(key, detail);
        }
    }

    @Override
    public void clearProblem(String key)
    {
        ComponentContext.super.clearProblem(key);
        synchronized (problems) {
            problems.remove(key);
        }
    }

    /**
     * The problems the component reported and has not cleared ({@link #reportProblem}), key to detail, in the order
     * they were first reported; what the agent would show in {@code /status}. A context made by {@link #withCheckpoints}
     * or {@link #toBuilder} starts without any, as a restarted component does.
     */
    public Map<String, String> problems()
    {
        synchronized (problems) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(problems));
        }
    }

    /** Builds a {@link TestingComponentContext}. Defaults: pipeline {@code test}, component {@code test}, host {@code test-host}, version {@code 0.0.0-test}, system clock. */
    public static final class Builder
    {
        private String pipelineId = "test";
        private String componentId = "test";
        private String componentType = "test";
        private final Path dataDirectory;
        private final Map<String, String> checkpoints = new LinkedHashMap<>();
        private InMemoryKeyValueStore store = new InMemoryKeyValueStore();
        private TestingMetrics metrics = new TestingMetrics();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private String hostName = "test-host";
        private String agentVersion = "0.0.0-test";
        private Path agentConfigFile;
        private Path pluginsDirectory;
        private RecordingLogger logger;

        private Builder(Path dataDirectory)
        {
            this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        }

        public Builder pipelineId(String pipelineId)
        {
            this.pipelineId = requireNonNull(pipelineId, "pipelineId is null");
            return this;
        }

        public Builder componentId(String componentId)
        {
            this.componentId = requireNonNull(componentId, "componentId is null");
            return this;
        }

        public Builder componentType(String componentType)
        {
            this.componentType = requireNonNull(componentType, "componentType is null");
            return this;
        }

        public Builder checkpoints(Map<String, String> checkpoints)
        {
            this.checkpoints.putAll(checkpoints);
            return this;
        }

        public Builder clock(Clock clock)
        {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** The monotonic time source; pair it with {@link #clock} for a fully controlled timeline. */
        public Builder nanoTime(LongSupplier nanoTime)
        {
            this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
            return this;
        }

        public Builder hostName(String hostName)
        {
            this.hostName = requireNonNull(hostName, "hostName is null");
            return this;
        }

        public Builder agentVersion(String agentVersion)
        {
            this.agentVersion = requireNonNull(agentVersion, "agentVersion is null");
            return this;
        }

        public Builder agentConfigFile(Path agentConfigFile)
        {
            this.agentConfigFile = agentConfigFile;
            return this;
        }

        public Builder pluginsDirectory(Path pluginsDirectory)
        {
            this.pluginsDirectory = pluginsDirectory;
            return this;
        }

        public TestingComponentContext build()
        {
            return new TestingComponentContext(this);
        }
    }

    /** The logger {@link #logger()} returns: keeps every message, and passes it on to the logger of its name. */
    private static final class RecordingLogger
            implements System.Logger
    {
        private final System.Logger delegate;
        private final List<String> lines = new ArrayList<>();

        RecordingLogger(String name)
        {
            this.delegate = System.getLogger(name);
        }

        @Override
        public String getName()
        {
            return delegate.getName();
        }

        @Override
        public boolean isLoggable(Level level)
        {
            return level != Level.OFF;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown)
        {
            keep(level, message, thrown);
            if (delegate.isLoggable(level)) {
                delegate.log(level, bundle, message, thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params)
        {
            keep(level, params == null || params.length == 0 || format == null ? format : new MessageFormat(format).format(params), null);
            if (delegate.isLoggable(level)) {
                delegate.log(level, bundle, format, params);
            }
        }

        private synchronized void keep(Level level, String message, Throwable thrown)
        {
            if (level != Level.OFF) {
                lines.add(level.getName() + " " + message + (thrown == null ? "" : " " + thrown));
            }
        }

        synchronized List<String> lines()
        {
            return List.copyOf(lines);
        }
    }
}
