package io.outrider.core.pipeline;

import io.outrider.core.AgentVersion;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.files.FileFailures;
import io.outrider.core.logging.RedactingFormatter;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * What {@code outrider test output} does: creates one configured output exactly as the agent would (its TLS material,
 * credentials and settings), starts it, checks the collector where that is possible without sending anything the
 * collector would store, and closes it again. Nothing is read from or written to the agent's buffer.
 *
 * <p>The check is the output's own {@link Output#probe} (SPI 1.3): a LiteSOC heartbeat, an empty batch, a Kafka
 * metadata request, an empty OTLP export. For an output that has none (a third-party plugin built for an older SPI),
 * the check is the one such an output may make on its own: one that runs a heartbeat sends one when it starts and
 * counts it in its {@code heartbeats_total} and {@code heartbeat_failures_total} metrics, logging why one failed, and
 * the probe watches those metrics and the output's log. Otherwise the collector is not contacted, and the report says
 * so rather than pass.
 */
public final class OutputProbe
{
    /** How long to wait for the output to log why its heartbeat failed, once it counted the failure. */
    private static final Duration LOG_WAIT = Duration.ofSeconds(2);

    /** How one step went. */
    public enum Outcome
    {
        OK, FAILED, NOT_CHECKED
    }

    /** One line of the report. */
    public record Step(Outcome outcome, String text)
    {
        public Step
        {
            requireNonNull(outcome, "outcome is null");
            requireNonNull(text, "text is null");
        }
    }

    /** Every step, in order; the probe stops at the first failure. */
    public record Report(List<Step> steps)
    {
        public Report
        {
            steps = List.copyOf(steps);
        }

        public boolean failed()
        {
            return steps.stream().anyMatch(step -> step.outcome() == Outcome.FAILED);
        }
    }

    private OutputProbe() {}

    /**
     * @param timeout how long to wait for the heartbeat's answer
     */
    public static Report run(AgentConfiguration configuration, ComponentSpec spec, SecretRegistry secrets, Duration timeout)
            throws InterruptedException
    {
        requireNonNull(configuration, "configuration is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(secrets, "secrets is null");
        List<Step> steps = new ArrayList<>();
        AgentMetrics metrics = new AgentMetrics();
        Path dataDirectory;
        try {
            // the running agent may be using the component's own directory: the probe gets one of its own
            dataDirectory = Files.createTempDirectory("outrider-test-output-");
        }
        catch (IOException e) {
            steps.add(new Step(Outcome.FAILED, "cannot create a temporary directory for the output: " + e.getMessage()));
            return new Report(steps);
        }
        Logger logger = Logger.getLogger("outrider." + spec.pipelineId() + "." + spec.id());
        Level previousLevel = logger.getLevel();
        LogCapture log = new LogCapture();
        logger.setLevel(Level.WARNING);
        logger.addHandler(log);
        LoadedPlugin plugin = spec.factory().plugin();
        Output output = null;
        try {
            RuntimeComponentContext context = new RuntimeComponentContext(spec.pipelineId(), spec.id(), spec.type(), Map.of(), dataDirectory, new MemoryKeyValueStore(),
                    metrics.forComponent(spec.pipelineId(), spec.id(), spec.type()), Clock.systemUTC(), configuration.agent().hostName(), AgentVersion.get(),
                    configuration.file(), Optional.of(configuration.agent().pluginsDir()), new ComponentProblems(secrets, Clock.systemUTC()));
            try {
                output = plugin.call(() -> create(spec, context));
            }
            catch (Exception e) {
                steps.add(new Step(Outcome.FAILED, "cannot create the output: " + redact(secrets, e)));
                return new Report(steps);
            }
            Output created = output;
            try {
                LoadedPlugin.withContextClassLoader(plugin.classLoader(), () -> {
                    created.start();
                    return null;
                });
            }
            catch (Exception e) {
                steps.add(new Step(Outcome.FAILED, "cannot start the output: " + redact(secrets, e)));
                return new Report(steps);
            }
            steps.add(new Step(Outcome.OK, "started: its settings, TLS material and credentials are usable"));
            Optional<DeliveryResult> answer;
            try {
                answer = LoadedPlugin.withContextClassLoader(plugin.classLoader(), created::probe);
            }
            catch (InterruptedException e) {
                throw e;
            }
            catch (Exception e) {
                steps.add(new Step(Outcome.FAILED, "the output's check of the collector failed: " + redact(secrets, e)));
                return new Report(steps);
            }
            steps.add(answer.isPresent() ? probed(answer.get(), secrets) : checkCollector(spec, metrics, log, secrets, timeout));
            return new Report(steps);
        }
        finally {
            if (output != null) {
                Output started = output;
                try {
                    LoadedPlugin.withContextClassLoader(plugin.classLoader(), () -> {
                        started.close();
                        return null;
                    });
                }
                catch (Exception e) {
                    steps.add(new Step(Outcome.FAILED, "the output failed to close: " + redact(secrets, e)));
                }
            }
            logger.removeHandler(log);
            logger.setLevel(previousLevel);
            deleteQuietly(dataDirectory);
        }
    }

    /** What the output's own check ({@link Output#probe}) found, in the words of a delivery's outcome. */
    private static Step probed(DeliveryResult result, SecretRegistry secrets)
    {
        String reason = RedactingFormatter.redactLikeLogs(secrets, result.reason());
        return switch (result.kind()) {
            case DELIVERED -> new Step(Outcome.OK, "the collector accepted a check that stores nothing");
            case UNAUTHORIZED -> new Step(Outcome.FAILED, "the collector refused the credentials: " + reason);
            case RETRY_LATER -> new Step(Outcome.FAILED, "the collector cannot be used now: " + reason);
            case REJECTED, PARTIALLY_REJECTED, TOO_LARGE -> new Step(Outcome.OK, "the collector answered and did not refuse the credentials,"
                    + " but refused the empty check itself: " + reason);
        };
    }

    private static Step checkCollector(ComponentSpec spec, AgentMetrics metrics, LogCapture log, SecretRegistry secrets, Duration timeout)
            throws InterruptedException
    {
        String pipeline = spec.pipelineId();
        if (!metrics.hasCounter("heartbeats", pipeline, spec.id(), spec.type())) {
            return new Step(Outcome.NOT_CHECKED, "collector not contacted: a " + spec.type() + " output has no check that sends nothing the collector"
                    + " would store; events will show whether the collector takes them");
        }
        // the heartbeat counts the attempt before it records how it went: wait for the outcome, not the count
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (metrics.counterValue("heartbeat_failures", pipeline, spec.id(), spec.type()) > 0) {
                // and it logs why just after counting the failure
                long logDeadline = System.nanoTime() + LOG_WAIT.toNanos();
                while (heartbeatMessage(log).isEmpty() && System.nanoTime() < logDeadline) {
                    Thread.sleep(10);
                }
                return new Step(Outcome.FAILED, "the collector did not accept the heartbeat: "
                        + RedactingFormatter.redactLikeLogs(secrets, heartbeatMessage(log).orElse("no reason was logged")));
            }
            if (metrics.gaugeValue("heartbeat_last_success_seconds", pipeline, spec.id(), spec.type()).orElse(0) > 0) {
                return new Step(Outcome.OK, "the collector accepted a heartbeat (which stores no event)");
            }
            if (System.nanoTime() > deadline) {
                return new Step(Outcome.FAILED, "the collector did not answer the heartbeat within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private static Optional<String> heartbeatMessage(LogCapture log)
    {
        return log.messages().stream().filter(message -> message.contains("heartbeat")).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Output create(ComponentSpec spec, RuntimeComponentContext context)
            throws Exception
    {
        return ((OutputFactory<C>) spec.factory().factory()).create((C) spec.config(), context);
    }

    private static String redact(SecretRegistry secrets, Exception e)
    {
        return RedactingFormatter.redactLikeLogs(secrets, FileFailures.message(e));
    }

    private static void deleteQuietly(Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException | RuntimeException e) {
            // a temporary directory left behind is no reason to fail the probe
        }
    }

    /** The output's log records at WARNING and above, formatted as the log would. */
    private static final class LogCapture
            extends Handler
    {
        private final SimpleFormatter formatter = new SimpleFormatter();
        private final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(formatter.formatMessage(record));
            }
        }

        List<String> messages()
        {
            return List.copyOf(messages);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
