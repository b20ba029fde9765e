package io.outrider.core.pipeline;

import io.outrider.core.AgentVersion;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.delivery.DeliveryLoop;
import io.outrider.core.delivery.DropReport;
import io.outrider.core.files.FileFailures;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.Input;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The running agent: starts every pipeline (outputs, then parsers, then inputs), and stops them in reverse,
 * draining what is buffered within the shutdown timeout. A failed start stops whatever had already started. A
 * component whose factory throws an unchecked exception in {@code create} (a plugin bug, unlike the
 * {@link io.outrider.spi.InvalidConfigException} of a configuration that cannot work) fails its pipeline only: the
 * pipeline's outputs are stopped again, it is logged at ERROR and shown as failed in the status, and the other
 * pipelines run.
 */
public final class Agent
{
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());
    /** From a loopback collector's milliseconds to one that hangs until the output's own timeout (30 s by default). */
    private static final double[] DELIVERY_DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final AgentConfiguration configuration;
    private final SqliteBuffer buffer;
    private final AgentMetrics metrics;
    private final SecretRegistry secrets;
    /** The problems of the components this agent created, by qualified id (see {@link ComponentProblems}). */
    private final Map<String, ComponentProblems> componentProblems = new ConcurrentHashMap<>();
    private volatile StatusReport.ReloadRefusal reloadRefused;
    private final Clock clock;
    private final DropReport dropReport;
    private final StatusAssembler statusAssembler;
    /**
     * The core's timer: one thread for whatever the agent must do at a time rather than on an event (the drop
     * report's held-back lines, the heap trimmer's look every 15 s).
     */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "agent-timer");
        thread.setDaemon(true);
        return thread;
    });
    // read by /ready and /status on the status server's threads while start() adds to it
    private final List<DeliveryLoop> deliveries = new CopyOnWriteArrayList<>();
    private final List<InputRunner> inputs = new ArrayList<>();
    private final EventTap tap = new EventTap();
    // pipeline id -> why it did not start; read by status on the status server's threads
    private final Map<String, String> failedPipelines = new ConcurrentHashMap<>();
    private volatile boolean paused;
    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean stopped;
    private volatile boolean running;

    @Inject
    public Agent(AgentConfiguration configuration, SqliteBuffer buffer, AgentMetrics metrics, SecretRegistry secrets, Clock clock)
    {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.dropReport = DropReport.toLog(buffer.maxBytes());
        this.statusAssembler = new StatusAssembler(configuration, buffer, metrics, clock);
        buffer.reportDropsTo(dropReport);
        metrics.agentGauge("buffer_bytes", "bytes of events in the buffer", buffer::totalBytes);
        metrics.agentGauge("buffer_max_bytes", "the buffer's size cap", buffer::maxBytes);
        metrics.agentCounterFunction("buffer_quarantined_files", "damaged buffer files moved aside", buffer::quarantinedFiles);
        metrics.agentCounterFunction("buffer_lost", "buffers found missing, emptied or short of commits and replaced", buffer::lostBuffers);
    }

    /**
     * The first start of a process: a pipeline one of whose components cannot start (a folder that is not there, a
     * certificate it cannot read, a plugin bug) is not started and the others run, as long as one does; status and
     * {@code /ready} show it failed with the reason.
     *
     * @throws AgentStartException when no pipeline starts, naming why each failed; whatever had started is stopped again
     */
    public void start()
            throws AgentStartException
    {
        start(false, false);
    }

    /**
     * Starts the agent as a reload does: a component that cannot start fails the whole start (the supervisor then
     * keeps the previous configuration), except a plugin bug in {@code create}, which fails only its pipeline. With
     * {@code inputsPaused}, its inputs are created (so that one that cannot start fails the start as always) but not
     * run until {@link #resumeInputs}: a reload of a paused agent keeps it paused.
     */
    public void start(boolean inputsPaused)
            throws AgentStartException
    {
        start(inputsPaused, true);
    }

    private void start(boolean inputsPaused, boolean anyComponentFailsTheStart)
            throws AgentStartException
    {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("agent already started");
            }
            started = true;
            try {
                for (PipelineSpec pipeline : configuration.pipelines()) {
                    Set<String> outputIds = new LinkedHashSet<>();
                    pipeline.outputs().forEach(output -> outputIds.add(output.id()));
                    buffer.registerOutputs(pipeline.id(), outputIds);
                    String pipelineId = pipeline.id();
                    metrics.componentCounterFunction("buffer_dropped_events", "events dropped by drop_oldest", pipelineId, "", "", () -> buffer.droppedEvents(pipelineId));
                }
                if (configuration.agent().buffer().whenFull() == AgentSettings.WhenFull.DROP_OLDEST) {
                    // timed only while drops are held back: a buffer that is not full never wakes the agent for it
                    dropReport.flushHeldBackWith(delay -> schedule(dropReport::flushDue, delay));
                }
                startAfterBurstHousekeeping();
                noticeChangesElsewhereEvery(SqliteBuffer.EXTERNAL_CHANGES_INTERVAL);
                List<InputRunner> created = new ArrayList<>();
                List<Input> instances = new ArrayList<>();
                PipelineFailedException firstFailure = null;
                try {
                    for (PipelineSpec pipeline : configuration.pipelines()) {
                        int deliveriesBefore = deliveries.size();
                        int createdBefore = created.size();
                        try {
                            createPipeline(pipeline, created, instances, anyComponentFailsTheStart);
                        }
                        catch (PipelineFailedException e) {
                            abandon(deliveries.subList(deliveriesBefore, deliveries.size()), created.subList(createdBefore, created.size()),
                                    instances.subList(createdBefore, instances.size()));
                            failedPipelines.put(pipeline.id(), e.getMessage());
                            firstFailure = firstFailure == null ? e : firstFailure;
                            LOG.log(System.Logger.Level.ERROR, "pipeline " + pipeline.id() + " not started, the other pipelines run: " + e.getMessage(), e.getCause());
                        }
                    }
                    if (failedPipelines.size() == configuration.pipelines().size() && !failedPipelines.isEmpty()) {
                        throw new AgentStartException("agent cannot start: no pipeline started: " + String.join("; ", configuration.pipelines().stream().map(pipeline -> failedPipelines.get(pipeline.id())).toList()), firstFailure);
                    }
                }
                catch (AgentStartException | RuntimeException e) {
                    instances.forEach(Agent::closeQuietly);
                    created.forEach(InputRunner::discard);
                    throw e;
                }
                for (int i = 0; i < created.size(); i++) {
                    if (inputsPaused) {
                        // resumeInputs makes new runners from these specs
                        closeQuietly(instances.get(i));
                        created.get(i).discard();
                    }
                    else {
                        created.get(i).start(instances.get(i));
                    }
                    inputs.add(created.get(i));
                }
                paused = inputsPaused;
                running = true;
                LOG.log(System.Logger.Level.INFO, "agent " + AgentVersion.get() + " started: " + (configuration.pipelines().size() - failedPipelines.size()) + " pipeline(s)"
                        + (failedPipelines.isEmpty() ? "" : " (" + failedPipelines.size() + " failed to start: " + String.join(", ", failedPipelines.keySet().stream().sorted().toList()) + ")")
                        + ", buffer " + buffer.file() + (inputsPaused ? "; inputs paused, as they were ('outrider control resume' runs them)" : ""));
            }
            catch (AgentStartException e) {
                stopQuietly();
                throw e;
            }
            catch (SQLException | RuntimeException e) {
                stopQuietly();
                throw new AgentStartException("agent cannot start: " + secrets.redact(String.valueOf(e.getMessage())), e);
            }
        }
    }

    /** Starts the outputs of {@code pipeline} and creates its inputs (adding to the lists), each with its parsers. */
    private void createPipeline(PipelineSpec pipeline, List<InputRunner> created, List<Input> instances, boolean anyComponentFailsTheStart)
            throws AgentStartException, PipelineFailedException
    {
        try {
            createPipeline(pipeline, created, instances);
        }
        catch (AgentStartException e) {
            if (anyComponentFailsTheStart || configuration.pipelines().size() == 1) {
                // alone, its failure is the agent's, said as itself
                throw e;
            }
            throw new PipelineFailedException(e.getMessage(), e.getCause());
        }
    }

    private void createPipeline(PipelineSpec pipeline, List<InputRunner> created, List<Input> instances)
            throws AgentStartException, PipelineFailedException
    {
        for (ComponentSpec spec : pipeline.outputs()) {
            startOutput(spec);
        }
        for (ComponentSpec spec : pipeline.inputs()) {
            InputRunner runner = newRunner(spec);
            try {
                instances.add(runner.create());
            }
            catch (RuntimeException | LinkageError e) {
                runner.discard();
                throw pluginBug(spec, e);
            }
            catch (Exception e) {
                runner.discard();
                throw new AgentStartException("input " + spec.qualifiedId() + " (" + spec.type() + ") cannot start: " + secrets.redact(FileFailures.message(e)), e);
            }
            created.add(runner);
        }
    }

    /** Stops and forgets what a pipeline that failed to start had started or created. */
    private void abandon(List<DeliveryLoop> started, List<InputRunner> created, List<Input> instances)
    {
        instances.forEach(Agent::closeQuietly);
        created.forEach(InputRunner::discard);
        long now = System.nanoTime();
        // stopped without a drain: what they had not delivered stays buffered for the next start
        started.forEach(loop -> loop.stop(now));
        for (DeliveryLoop loop : started) {
            try {
                loop.await(now + Duration.ofSeconds(5).toNanos());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
        created.clear();
        instances.clear();
    }

    private static void closeQuietly(Input input)
    {
        try {
            input.close();
        }
        catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "input failed to close: " + e);
        }
    }

    private PipelineFailedException pluginBug(ComponentSpec spec, Throwable e)
    {
        return new PipelineFailedException(spec.kind().label() + " " + spec.qualifiedId() + " (" + spec.type() + ") failed to create, a bug in plugin "
                + spec.factory().plugin().name() + ": " + secrets.redact(String.valueOf(e)), e);
    }

    /** A component of the pipeline could not be created or started: its pipeline cannot start, the others can. */
    private static final class PipelineFailedException
            extends Exception
    {
        PipelineFailedException(String message, Throwable cause)
        {
            super(message, cause);
        }
    }

    private InputRunner newRunner(ComponentSpec spec)
            throws AgentStartException, PipelineFailedException
    {
        PipelineSpec pipeline = configuration.pipelines().stream().filter(candidate -> candidate.id().equals(spec.pipelineId())).findFirst().orElseThrow();
        return new InputRunner(spec, this::context, buffer, createChain(pipeline), tap, secrets,
                metrics.componentCounter("events_in", "events read by an input", spec.pipelineId(), spec.id(), spec.type()),
                metrics.componentCounter("input_restarts", "times an input was restarted after failing", spec.pipelineId(), spec.id(), spec.type()),
                metrics.componentCounter("events_cut", "events too large for the buffer, stored cut", spec.pipelineId(), spec.id(), spec.type()));
    }

    /**
     * Stops every input after its current batch is committed (their checkpoints say where to resume); outputs keep
     * delivering what is buffered. Idempotent.
     */
    public void pauseInputs()
    {
        synchronized (lifecycle) {
            if (paused || stopped || !started) {
                return;
            }
            paused = true;
            stopInputs(System.nanoTime() + configuration.agent().shutdownTimeout().toNanos());
            LOG.log(System.Logger.Level.INFO, "inputs paused; outputs keep delivering what is buffered");
        }
    }

    /** Starts the inputs again from their committed checkpoints. Idempotent. */
    public void resumeInputs()
            throws AgentStartException
    {
        synchronized (lifecycle) {
            if (!paused || stopped) {
                return;
            }
            List<InputRunner> resumed = new ArrayList<>();
            for (InputRunner old : inputs) {
                InputRunner runner = null;
                try {
                    runner = newRunner(old.spec());
                    runner.start(runner.create());
                }
                catch (Exception | LinkageError e) {
                    if (runner != null) {
                        runner.discard();
                    }
                    resumed.forEach(InputRunner::stop);
                    throw new AgentStartException("input " + old.spec().qualifiedId() + " cannot start: " + secrets.redact(FileFailures.message(e)), e);
                }
                resumed.add(runner);
            }
            inputs.clear();
            inputs.addAll(resumed);
            paused = false;
            LOG.log(System.Logger.Level.INFO, "inputs resumed");
        }
    }

    public boolean isPaused()
    {
        return paused;
    }

    private void stopInputs(long deadline)
    {
        inputs.forEach(InputRunner::stop);
        for (InputRunner input : inputs) {
            try {
                input.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).dividedBy(2).plusMillis(100));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startOutput(ComponentSpec spec)
            throws AgentStartException, PipelineFailedException
    {
        Output output;
        try {
            output = createOutput(spec, context(spec));
        }
        catch (RuntimeException | LinkageError e) {
            throw pluginBug(spec, e);
        }
        catch (Exception e) {
            throw new AgentStartException("output " + spec.qualifiedId() + " (" + spec.type() + ") cannot be created: " + secrets.redact(String.valueOf(e.getMessage())), e);
        }
        DeliveryLoop loop = new DeliveryLoop(spec, output, buffer, secrets,
                metrics.componentCounter("events_out", "events delivered by an output", spec.pipelineId(), spec.id(), spec.type()),
                metrics.componentCounter("events_skipped", "events an output did not send because its format cannot carry them", spec.pipelineId(), spec.id(), spec.type()),
                metrics.componentCounter("delivery_retries", "delivery attempts retried", spec.pipelineId(), spec.id(), spec.type()),
                metrics.componentCounter("dead_letters", "events refused permanently and dead-lettered", spec.pipelineId(), spec.id(), spec.type()),
                metrics.componentCounter("delivery_failures", "failed delivery attempts", spec.pipelineId(), spec.id(), spec.type()),
                metrics.componentHistogram("delivery_duration_seconds", "how long an output took to answer one delivery attempt", spec.pipelineId(), spec.id(), spec.type(),
                        DELIVERY_DURATION_BUCKETS));
        try {
            loop.start();
        }
        catch (Exception e) {
            throw new AgentStartException("output " + spec.qualifiedId() + " (" + spec.type() + ") cannot start: " + secrets.redact(FileFailures.message(e)), e);
        }
        deliveries.add(loop);
        metrics.componentGauge("output_backlog_events", "buffered events this output has not delivered yet", spec.pipelineId(), spec.id(), spec.type(),
                () -> statusAssembler.backlog(spec.pipelineId(), spec.id(), loop.cursor()));
        metrics.componentGauge("output_lag_seconds", "age of the oldest undelivered event", spec.pipelineId(), spec.id(), spec.type(),
                () -> statusAssembler.lagSeconds(spec.pipelineId(), spec.id(), loop.cursor()));
        metrics.componentGauge("output_last_success_timestamp_seconds", "when the collector last accepted events (Unix time; 0 for not since the start)",
                spec.pipelineId(), spec.id(), spec.type(), () -> loop.lastDeliveredMillis() / 1000.0);
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Output createOutput(ComponentSpec spec, ComponentContext context)
            throws Exception
    {
        return ((OutputFactory<C>) spec.factory().factory()).create((C) spec.config(), context);
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Parser createParser(ComponentSpec spec, ComponentContext context)
            throws Exception
    {
        return ((ParserFactory<C>) spec.factory().factory()).create((C) spec.config(), context);
    }

    /** The parsers of {@code pipeline}, new instances for one input; on failure, closes the ones already created. */
    private ParserChain createChain(PipelineSpec pipeline)
            throws AgentStartException, PipelineFailedException
    {
        List<ParserChain.Stage> stages = new ArrayList<>();
        for (ComponentSpec spec : pipeline.parsers()) {
            try {
                Parser parser = createParser(spec, context(spec));
                stages.add(new ParserChain.Stage(spec.id(), parser,
                        metrics.componentCounter("events_parsed", "events a parser recognised", spec.pipelineId(), spec.id(), spec.type()),
                        metrics.componentCounter("parse_errors", "events a parser failed on", spec.pipelineId(), spec.id(), spec.type())));
            }
            catch (RuntimeException | LinkageError e) {
                stages.forEach(stage -> stage.parser().close());
                throw pluginBug(spec, e);
            }
            catch (Exception e) {
                stages.forEach(stage -> stage.parser().close());
                throw new AgentStartException("parser " + spec.qualifiedId() + " (" + spec.type() + ") cannot be created: " + secrets.redact(String.valueOf(e.getMessage())), e);
            }
        }
        return new ParserChain(stages, pipeline.unmatched(), metrics.componentCounter("events_unmatched", "events no parser recognised", pipeline.id(), "", ""));
    }

    ComponentContext context(ComponentSpec spec)
    {
        ComponentProblems problems = new ComponentProblems(secrets, clock);
        componentProblems.put(spec.qualifiedId(), problems);
        return context(configuration, buffer, metrics, clock, spec, problems);
    }

    /** The problems the component {@code spec} reported and has not cleared; none for a component this agent did not create. */
    List<ComponentProblems.Problem> problemsOf(ComponentSpec spec)
    {
        ComponentProblems problems = componentProblems.get(spec.qualifiedId());
        return problems == null ? List.of() : problems.standing();
    }

    /** A problem a component reported and has not cleared, for readiness ({@code kind}: input, parser or output). */
    public record ReportedProblem(String pipeline, String component, String kind, String type, ComponentProblems.Problem problem)
    {
    }

    /** Every problem the components of this agent reported and have not cleared, in the configuration's order. */
    public List<ReportedProblem> reportedProblems()
    {
        List<ReportedProblem> reported = new ArrayList<>();
        for (PipelineSpec pipeline : configuration.pipelines()) {
            for (List<ComponentSpec> components : List.of(pipeline.inputs(), pipeline.parsers(), pipeline.outputs())) {
                for (ComponentSpec spec : components) {
                    for (ComponentProblems.Problem problem : problemsOf(spec)) {
                        reported.add(new ReportedProblem(pipeline.id(), spec.id(), spec.kind().name().toLowerCase(java.util.Locale.ROOT), spec.type(), problem));
                    }
                }
            }
        }
        return List.copyOf(reported);
    }

    /** The context a component gets: its committed checkpoints, data directory, store, metrics, and where its problems go. */
    static ComponentContext context(AgentConfiguration configuration, SqliteBuffer buffer, AgentMetrics metrics, Clock clock, ComponentSpec spec, ComponentProblems problems)
    {
        try {
            Map<String, String> checkpoints = buffer.checkpoints(spec.pipelineId(), spec.id());
            Path dataDirectory = configuration.agent().dataDir().resolve("components").resolve(spec.pipelineId()).resolve(spec.id());
            return new RuntimeComponentContext(spec.pipelineId(), spec.id(), spec.type(), checkpoints, dataDirectory,
                    buffer.store(spec.pipelineId(), spec.id()), metrics.forComponent(spec.pipelineId(), spec.id(), spec.type()), clock,
                    configuration.agent().hostName(), AgentVersion.get(), configuration.file(), java.util.Optional.of(configuration.agent().pluginsDir()), problems);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot read the state of " + spec.qualifiedId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops inputs (their last batches commit), then parsers, then lets each output drain what is buffered until
     * the shutdown timeout, then closes the buffer. Idempotent.
     */
    public void stop()
    {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
            running = false;
            long deadline = System.nanoTime() + configuration.agent().shutdownTimeout().toNanos();
            LOG.log(System.Logger.Level.INFO, "agent stopping: draining for at most " + configuration.agent().shutdownTimeout().toSeconds() + " s");
            // each input's runner closes its own parsers when it ends
            stopInputs(deadline);
            deliveries.forEach(loop -> loop.stop(deadline));
            for (DeliveryLoop loop : deliveries) {
                try {
                    loop.await(deadline);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // inputs have stopped appending: nothing is dropped after this
            timer.shutdownNow();
            dropReport.flush();
            buffer.close();
            LOG.log(System.Logger.Level.INFO, "agent stopped");
        }
    }

    /** Gives a burst's heap and buffer file room back once the buffer is quiet (see {@link AfterBurstHousekeeping}). */
    private void startAfterBurstHousekeeping()
    {
        HeapTrimmer.Vm vm = HeapTrimmer.hotSpot();
        AfterBurstHousekeeping housekeeping = new AfterBurstHousekeeping(buffer, Optional.ofNullable(vm).map(hotSpot -> new HeapTrimmer(buffer::changes, hotSpot)));
        housekeeping.start(task -> schedule(task, Duration.ofSeconds(HeapTrimmer.CHECK_INTERVAL_SECONDS)));
    }

    /** Delivers what {@code outrider dead-letters replay} puts back while the agent runs, within {@code interval}. */
    private void noticeChangesElsewhereEvery(Duration interval)
    {
        schedule(() -> {
            buffer.noticeChangesElsewhere();
            noticeChangesElsewhereEvery(interval);
        }, interval);
    }

    private void schedule(Runnable task, Duration delay)
    {
        try {
            timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException e) {
            // the agent is stopping: what the task would have done is done by stop() itself
        }
    }

    private void stopQuietly()
    {
        try {
            stop();
        }
        catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "error while stopping after a failed start: " + e);
        }
    }

    /** The state of everything, for {@code /status} and {@code outrider status}. */
    public StatusReport status()
    {
        return statusAssembler.report(paused, inputs, deliveries, failedPipelines, this::problemsOf, reloadRefused);
    }

    /**
     * Notes a reload that was refused while this agent ran (or, when the new configuration could not start, after
     * which this agent runs the previous one), for status: {@code reason} is said redacted, on one line.
     */
    public void reloadRefused(String reason)
    {
        reloadRefused = new StatusReport.ReloadRefusal(java.time.Instant.ofEpochMilli(clock.millis()).toString(),
                secrets.redact(String.join(" ", requireNonNull(reason, "reason is null").lines().filter(line -> !line.isBlank()).map(String::strip).toList())));
    }

    /** Whether {@link #start} has finished and {@link #stop} has not begun. */
    public boolean isRunning()
    {
        return running;
    }

    /** Whether the buffer takes appends, for readiness: a full disk holds every input back. */
    public boolean bufferDiskFull()
    {
        return buffer.writeState() == SqliteBuffer.WriteState.DISK_FULL;
    }

    /** The free bytes the buffer keeps on its disk (buffer.min_free_disk, or its scaled value), for readiness's detail. */
    public long bufferMinFreeDisk()
    {
        return buffer.minFreeDisk();
    }

    /** Every started output's state, for readiness ({@code /ready}); the outputs of a pipeline that failed to start are failed. */
    public List<OutputHealth> outputHealth()
    {
        List<OutputHealth> health = new ArrayList<>();
        for (DeliveryLoop loop : deliveries) {
            ComponentSpec spec = loop.spec();
            health.add(new OutputHealth(spec.pipelineId(), spec.id(), spec.type(), loop.state(), loop.lastError(), loop.lastDeliveredMillis(),
                    loop.lastDeadLetteredMillis(), loop.lastDeadLetterReason()));
        }
        for (PipelineSpec pipeline : configuration.pipelines()) {
            String failure = failedPipelines.get(pipeline.id());
            if (failure != null) {
                for (ComponentSpec spec : pipeline.outputs()) {
                    health.add(new OutputHealth(spec.pipelineId(), spec.id(), spec.type(), ComponentState.FAILED, failure, 0, 0, ""));
                }
            }
        }
        return List.copyOf(health);
    }

    public AgentMetrics metrics()
    {
        return metrics;
    }

    /** The events inputs commit, for {@code /tap}. */
    public EventTap tap()
    {
        return tap;
    }

    /** Why a tap for this pipeline and input cannot see anything (no such pipeline or input), empty when it can. */
    public Optional<String> tapFilterProblem(Optional<String> pipeline, Optional<String> component)
    {
        List<PipelineSpec> pipelines = configuration.pipelines().stream().filter(spec -> pipeline.map(spec.id()::equals).orElse(true)).toList();
        if (pipelines.isEmpty()) {
            return Optional.of("no pipeline '" + pipeline.orElseThrow() + "'; this agent runs "
                    + String.join(", ", configuration.pipelines().stream().map(PipelineSpec::id).toList()));
        }
        if (component.isPresent()) {
            List<String> inputs = pipelines.stream().flatMap(spec -> spec.inputs().stream()).map(ComponentSpec::id).distinct().toList();
            if (!inputs.contains(component.get())) {
                return Optional.of("no input '" + component.get() + "'" + pipeline.map(id -> " in pipeline '" + id + "'").orElse("")
                        + "; tap shows events by the input that read them: " + String.join(", ", inputs));
            }
        }
        return Optional.empty();
    }
}
