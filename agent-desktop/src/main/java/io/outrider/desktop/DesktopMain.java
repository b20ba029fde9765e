package io.outrider.desktop;

import com.formdev.flatlaf.FlatLightLaf;
import io.outrider.core.config.CliEnvironment;
import io.outrider.core.config.ConfigFileOptions;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.logging.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;

import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static java.util.Objects.requireNonNull;

/**
 * {@code outrider tray} and {@code outrider configure}: the desktop side of the agent, a separate process in the
 * user's session. Exit codes: 0 ok, 2 usage, 3 no tray or no display (the message says what to use instead).
 */
public final class DesktopMain
{
    static final Duration POLL_INTERVAL = Duration.ofSeconds(3);

    private DesktopMain() {}

    public static void main(String[] args)
    {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs {@code tray} or {@code configure} and returns the exit code. */
    public static int execute(PrintStream out, PrintStream err, String... args)
    {
        return execute(CliEnvironment.ofThisProcess(), out, err, args);
    }

    /** {@link #execute(PrintStream, PrintStream, String...)} with the installed configuration and env file where {@code cli} says. */
    static int execute(CliEnvironment cli, PrintStream out, PrintStream err, String... args)
    {
        CommandLine commandLine = new CommandLine(new DesktopCommand())
                .addSubcommand(new TrayCommand(cli, out, err))
                .addSubcommand(new ConfigureCommand(cli, out, err));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExitCodeExceptionMapper(e -> 2);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }

    /**
     * What tray and configure work with: the configuration found the way every other command finds it ({@code -c},
     * else {@code OUTRIDER_CONFIG}, else the installed one when it exists), and the environment its {@code ${VAR}}
     * resolve from (the process's over the env file's), so that Save validates like {@code outrider validate}.
     *
     * @param processEnvironment this process's own environment, for what is the user's rather than the agent's (autostart)
     * @param secrets the values this session must never show (the window's problems, the log)
     */
    record Session(Path configFile, ConfigFileOptions.Found found, Map<String, String> processEnvironment, SecretRegistry secrets)
    {
        Session
        {
            requireNonNull(configFile, "configFile is null");
            requireNonNull(found, "found is null");
            processEnvironment = Map.copyOf(requireNonNull(processEnvironment, "processEnvironment is null"));
            requireNonNull(secrets, "secrets is null");
        }

        /** Validates with the agent's plugins (built-in and installed) and this environment. */
        AgentConfigValidator validator()
        {
            return new AgentConfigValidator(environment(), secrets, AgentBuiltInPlugins.find(DesktopMain.class.getClassLoader()));
        }

        /** The process environment over the env file's variables. */
        Map<String, String> environment()
        {
            return found.environment();
        }

        /**
         * Finds the configuration and reads the env file, saying on {@code out} which ones (like {@code outrider validate}).
         *
         * @param withoutConfiguration what the command cannot do with the built-in default pipeline, which has no file
         * @param advice how to name a configuration for this command
         * @return empty, with the reason on {@code err}, when the env file cannot be read or there is no configuration file
         */
        static Optional<Session> find(ConfigFileOptions options, CliEnvironment cli, String withoutConfiguration, String advice, PrintStream out, PrintStream err)
        {
            Optional<ConfigFileOptions.Found> resolved = options.find(cli, err);
            if (resolved.isEmpty()) {
                return Optional.empty();
            }
            Optional<Path> file = resolved.get().source().file();
            if (file.isEmpty()) {
                // "that this user can see": install.sh makes /etc/outrider 0750 root:<agent's group>, where others cannot tell it exists
                err.println(withoutConfiguration + ": no -c, no OUTRIDER_CONFIG, and no " + cli.systemConfig()
                        + " that this user can see (the agent would run its built-in default pipeline). " + advice);
                return Optional.empty();
            }
            out.println("configuration: " + resolved.get().source().describe());
            resolved.get().envFile().ifPresent(envFile -> out.println("variables: " + envFile + " (the environment wins)"));
            return Optional.of(new Session(file.get(), resolved.get(), cli.environment(), new SecretRegistry()));
        }
    }

    /** {@code --log-level} and {@code -v}, as every {@code outrider} command takes them; the records go to standard error. */
    static final class LogOptions
    {
        @Option(names = "--log-level", paramLabel = "LEVEL", description = "log at this level: error, warning, info or debug (default: warnings and errors)")
        AgentSettings.LogLevel logLevel;

        @Option(names = "-v", description = "the same as --log-level debug")
        boolean verbose;

        void apply(SecretRegistry secrets)
        {
            AgentSettings.LogLevel level = verbose ? AgentSettings.LogLevel.DEBUG : logLevel != null ? logLevel : AgentSettings.LogLevel.WARNING;
            LogSetup.forCommand(secrets, LogSetup.level(level));
        }
    }

    /** FlatLaf for every window of this process. */
    static void installLook()
    {
        if (!(javax.swing.UIManager.getLookAndFeel() instanceof FlatLightLaf)) {
            FlatLightLaf.setup();
        }
    }

    /**
     * Opens the Configure window for {@code configFile} on the event thread, validating with the agent's plugins.
     *
     * @return false (after telling the user) when the file cannot be edited
     */
    static boolean openConfigure(Session session, Runnable onClose)
    {
        installLook();
        Path configFile = session.configFile();
        DesktopConfig config;
        try {
            config = DesktopConfig.read(configFile);
        }
        catch (IOException | YamlDocument.YamlEditException e) {
            JOptionPane.showMessageDialog(null, "Cannot open " + configFile + ": " + e.getMessage(), "Outrider — Configure", JOptionPane.ERROR_MESSAGE);
            onClose.run();
            return false;
        }
        AutostartEntry autostart = AutostartEntry.forUser(session.processEnvironment(), configFile);
        ConfigSaver saver = new ConfigSaver(
                session.validator(),
                autostart,
                file -> ConfigSaver.reloadThroughControlEndpoint(file, session.environment()));
        ConfigureWindow window = new ConfigureWindow(config, config.settings(autostart.enabled()), saver, onClose);
        window.setVisible(true);
        return true;
    }

    @Command(name = "outrider", description = "The Outrider tray icon and configuration window.")
    static final class DesktopCommand
            implements Callable<Integer>
    {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
    }

    @Command(name = "tray",
            description = "Show the agent's state in the system tray (green shipping, yellow buffering, red error, grey not running), with Pause/Resume, View Logs and Configure….")
    static final class TrayCommand
            implements Callable<Integer>
    {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Mixin
        ConfigFileOptions config;

        @Mixin
        LogOptions logging;

        private final CliEnvironment cli;
        private final PrintStream out;
        private final PrintStream err;

        TrayCommand(CliEnvironment cli, PrintStream out, PrintStream err)
        {
            this.cli = requireNonNull(cli, "cli is null");
            this.out = requireNonNull(out, "out is null");
            this.err = requireNonNull(err, "err is null");
        }

        Optional<Session> session()
        {
            return Session.find(config, cli, "No configuration for the tray to follow",
                    "Name the agent's configuration with -c FILE or OUTRIDER_CONFIG=FILE; an installed agent's can be read by root and the agent's group only.",
                    out, err);
        }

        @Override
        public Integer call()
                throws InterruptedException
        {
            if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
                err.println("No system tray is available in this session; use `outrider configure` to edit the configuration and `outrider status` to see the agent's state.");
                return 3;
            }
            Optional<Session> found = session();
            if (found.isEmpty()) {
                return 2;
            }
            Session session = found.get();
            logging.apply(session.secrets());
            CountDownLatch exited = new CountDownLatch(1);
            DesktopTray[] tray = new DesktopTray[1];
            try {
                SwingUtilities.invokeAndWait(() -> {
                    installLook();
                    tray[0] = new DesktopTray(SystemTray.getSystemTray(), session.configFile(), session.environment(), POLL_INTERVAL, new DesktopTray.Windows()
                    {
                        private final ConfigureWindowHolder holder = new ConfigureWindowHolder();

                        @Override
                        public void openConfigure()
                        {
                            holder.open(session);
                        }

                        @Override
                        public void openLog(AgentLog log)
                        {
                            installLook();
                            new LogWindow(log).setVisible(true);
                        }
                    }, exited::countDown, status -> {});
                });
                tray[0].start();
            }
            catch (AWTException | java.lang.reflect.InvocationTargetException e) {
                err.println("No system tray is available in this session (" + e.getMessage() + "); use `outrider configure` to edit the configuration and `outrider status` to see the agent's state.");
                return 3;
            }
            exited.await();
            return 0;
        }
    }

    /** One Configure window at a time from the tray. */
    static final class ConfigureWindowHolder
    {
        private boolean open;

        void open(Session session)
        {
            if (open) {
                for (java.awt.Window window : java.awt.Window.getWindows()) {
                    if (window instanceof ConfigureWindow && window.isVisible()) {
                        window.toFront();
                    }
                }
                return;
            }
            open = openConfigure(session, () -> open = false);
        }
    }

    @Command(name = "configure",
            description = "Open the configuration window: collector, API key, watched files, file integrity monitoring, options. Save validates like `outrider validate` and makes a running agent reload.")
    static final class ConfigureCommand
            implements Callable<Integer>
    {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Mixin
        ConfigFileOptions config;

        @Mixin
        LogOptions logging;

        private final CliEnvironment cli;
        private final PrintStream out;
        private final PrintStream err;

        ConfigureCommand(CliEnvironment cli, PrintStream out, PrintStream err)
        {
            this.cli = requireNonNull(cli, "cli is null");
            this.out = requireNonNull(out, "out is null");
            this.err = requireNonNull(err, "err is null");
        }

        Optional<Session> session()
        {
            return Session.find(config, cli, "No configuration to edit",
                    "Edit an installed agent's with `sudo outrider configure`; `outrider configure -c FILE` creates FILE, which the agent uses with -c FILE or OUTRIDER_CONFIG=FILE.",
                    out, err);
        }

        @Override
        public Integer call()
                throws InterruptedException, java.lang.reflect.InvocationTargetException
        {
            Optional<Session> found = session();
            if (found.isEmpty()) {
                return 2;
            }
            Session session = found.get();
            logging.apply(session.secrets());
            Path configFile = session.configFile();
            if (GraphicsEnvironment.isHeadless()) {
                err.println("No display is available; edit " + configFile + " directly and check it with `outrider validate -c " + configFile + "`.");
                return 3;
            }
            CountDownLatch closed = new CountDownLatch(1);
            SwingUtilities.invokeAndWait(() -> openConfigure(session, closed::countDown));
            closed.await();
            return 0;
        }
    }
}
