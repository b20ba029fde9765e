package io.outrider.core.cli;

import io.outrider.config.ConfigProblem;
import io.outrider.core.config.AgentConfiguration;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ConfigWarnings;
import io.outrider.core.config.PipelineSpec;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.control.ControlToken;
import io.outrider.core.metrics.StatusServer;
import io.outrider.core.pipeline.AgentStartException;
import io.outrider.core.plugin.PluginLoadProblem;
import io.outrider.core.storage.DataDirectoryInUseException;
import io.outrider.core.storage.DataDirectoryLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

/**
 * {@code outrider run [-c FILE]}: runs the agent until SIGTERM or SIGINT, then drains within
 * {@code agent.shutdown_timeout} and exits 0. The configuration is found as {@link ConfigOptions} says (the built-in
 * default pipeline when there is none); the log goes to standard error (see {@link LogSetup}).
 */
@Command(name = "run", description = "Run the agent until SIGTERM or Ctrl-C (the built-in default pipeline when no configuration is found). It logs to standard error, and to agent.log.file when set.")
final class RunCommand
        implements Callable<Integer>
{
    private static final System.Logger LOG = System.getLogger(RunCommand.class.getName());

    @Mixin
    ConfigOptions config;

    @ParentCommand
    OutriderCommand outrider;

    @Override
    public Integer call()
            throws IOException
    {
        // first of all: from here on SIGTERM/SIGINT only ask for a stop, which the main thread carries out (draining)
        // once whatever is starting has started, so the agent exits 0 whenever the signal comes
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onTermination(signal -> {
            // a second signal (a supervisor's and a shell's, or an impatient Ctrl-C) changes nothing: the drain goes on
            LOG.log(System.Logger.Level.INFO, "received SIG" + signal + (stopRequested.getCount() == 0 ? " again, still stopping" : ", stopping"));
            stopRequested.countDown();
        });
        Optional<ConfigOptions.Resolved> resolved = config.resolve(outrider.cliEnvironment(), System.err);
        if (resolved.isEmpty()) {
            return 2;
        }
        Bootstrap bootstrap = resolved.get().bootstrap();
        LogSetup.forCommand(bootstrap.secrets(), outrider.logLevel(Level.WARNING));
        Optional<Bootstrap.Loaded> loaded = ConfigOptions.load(resolved.get(), System.err);
        if (loaded.isEmpty()) {
            return 2;
        }
        AgentConfiguration configuration = loaded.get().configuration();
        AgentSettings.LogLevel logLevel = outrider.requestedLogLevel().orElse(configuration.agent().log().level());
        Level level = LogSetup.level(logLevel);
        Optional<Path> logFile = LogSetup.forAgent(configuration.agent(), level, bootstrap.secrets(), LogSetup.stderrStyle(), System.err);
        LOG.log(System.Logger.Level.INFO, "configuration: " + resolved.get().source().describe()
                + resolved.get().envFile().map(file -> ", variables from " + file).orElse(""));
        logFile.ifPresent(file -> LOG.log(System.Logger.Level.INFO, "logging to standard error and " + file));
        LOG.log(System.Logger.Level.DEBUG, () -> "log level " + logLevel.name().toLowerCase(Locale.ROOT) + (outrider.requestedLogLevel().isPresent() ? " (from the command line)" : " (agent.log.level)")
                + (resolved.get().envFile().isPresent() ? "" : "; no env file (no --env-file, none readable beside the configuration or at "
                + outrider.cliEnvironment().systemEnvFile() + ")"));
        for (PipelineSpec pipeline : configuration.pipelines()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "pipeline " + pipeline.id() + ": " + ValidateCommand.describe(pipeline));
        }
        for (PluginLoadProblem problem : loaded.get().registry().loadProblems()) {
            LOG.log(System.Logger.Level.WARNING, "plugin skipped: " + problem);
        }
        // the log is on standard error, so the operator sees this once, where the agent's other words are
        loaded.get().notice().ifPresent(notice -> LOG.log(System.Logger.Level.WARNING, notice));
        for (ConfigProblem warning : ConfigWarnings.of(configuration, bootstrap.secrets())) {
            LOG.log(System.Logger.Level.WARNING, warning.describe());
        }
        DataDirectoryLock dataDirectoryLock;
        try {
            dataDirectoryLock = DataDirectoryLock.acquire(configuration.agent().dataDir(), "outrider run");
        }
        catch (DataDirectoryInUseException e) {
            LOG.log(System.Logger.Level.ERROR, "agent cannot start: " + e.getMessage() + ": two agents on one data directory would read the same files again and"
                    + " send the same events twice; stop that agent first, or give this one its own agent.data_dir");
            return 1;
        }
        catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "agent cannot start: " + e.getMessage());
            return 1;
        }
        try (dataDirectoryLock) {
            return runLocked(bootstrap, resolved.get(), loaded.get(), stopRequested);
        }
    }

    private static int runLocked(Bootstrap bootstrap, ConfigOptions.Resolved resolved, Bootstrap.Loaded loaded, CountDownLatch stopRequested)
    {
        AgentConfiguration configuration = loaded.configuration();
        AgentSupervisor supervisor = new AgentSupervisor(bootstrap, resolved.source().file(), loaded);
        AtomicReference<StatusServer> statusServer = new AtomicReference<>();
        Runnable shutdown = () -> {
            StatusServer server = statusServer.getAndSet(null);
            if (server != null) {
                server.close();
            }
            supervisor.stop();
        };
        // anything else that ends the JVM still drains; a no-op once the agent stopped
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "shutdown-hook"));
        try {
            supervisor.start();
        }
        catch (AgentStartException e) {
            // the log is on standard error: this record is what the operator sees
            LOG.log(System.Logger.Level.ERROR, e.getMessage(), e.getCause());
            return 1;
        }
        catch (RuntimeException e) {
            String message = "agent cannot start: " + bootstrap.secrets().redact(rootMessage(e));
            LOG.log(System.Logger.Level.ERROR, message, e);
            return 1;
        }
        if (configuration.agent().status().enabled()) {
            try {
                ControlToken token = ControlToken.create(configuration.agent().dataDir());
                statusServer.set(StatusServer.start(configuration.agent().status().listen(), supervisor::current, bootstrap.secrets(), supervisor, token));
                LOG.log(System.Logger.Level.INFO, "status endpoint on http://" + configuration.agent().status().listen() + "/status");
            }
            catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "status endpoint cannot listen on " + configuration.agent().status().listen() + ": " + e.getMessage());
            }
        }
        boolean hangupHandled = Signals.onHangup(() -> new Thread(() -> {
            try {
                LOG.log(System.Logger.Level.INFO, supervisor.reload());
            }
            catch (IllegalStateException e) {
                // a refused reload: AgentSupervisor.reload said why, once, as it does for the control endpoint
            }
            catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "reload failed: " + e.getMessage());
            }
        }, "reload").start());
        if (!hangupHandled) {
            LOG.log(System.Logger.Level.WARNING, "SIGHUP does not reload the configuration: the agent was started with SIGHUP ignored (nohup?) "
                    + "or the JVM does not offer it; reload through the control endpoint (POST /control/reload, with the status endpoint on) or restart the agent");
        }
        try {
            stopRequested.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown.run();
        return 0;
    }

    private static String rootMessage(Throwable e)
    {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
