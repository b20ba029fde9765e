package io.outrider.desktop;

import com.formdev.flatlaf.FlatLightLaf;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.SecretRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

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
        CommandLine commandLine = new CommandLine(new DesktopCommand())
                .addSubcommand(new TrayCommand(err))
                .addSubcommand(new ConfigureCommand(err));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExitCodeExceptionMapper(e -> 2);
        return commandLine.execute(args);
    }

    /** The default configuration: {@code $OUTRIDER_CONFIG}, else {@code $OUTRIDER_HOME/config/outrider.yaml} (the launcher sets {@code OUTRIDER_HOME}). */
    static Path defaultConfig(Map<String, String> environment)
    {
        String explicit = environment.get("OUTRIDER_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String home = environment.getOrDefault("OUTRIDER_HOME", System.getProperty("outrider.home", "."));
        return Path.of(home, "config", "outrider.yaml");
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
    static boolean openConfigure(Path configFile, Map<String, String> environment, Runnable onClose)
    {
        installLook();
        DesktopConfig config;
        try {
            config = DesktopConfig.read(configFile);
        }
        catch (IOException | YamlDocument.YamlEditException e) {
            JOptionPane.showMessageDialog(null, "Cannot open " + configFile + ": " + e.getMessage(), "Outrider — Configure", JOptionPane.ERROR_MESSAGE);
            onClose.run();
            return false;
        }
        AutostartEntry autostart = AutostartEntry.forUser(environment, configFile);
        ConfigSaver saver = new ConfigSaver(
                new AgentConfigValidator(new Bootstrap(environment, new SecretRegistry())),
                autostart,
                file -> ConfigSaver.reloadThroughControlEndpoint(file, environment));
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

        private final PrintStream err;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the agent's configuration file (default: $OUTRIDER_CONFIG, else $OUTRIDER_HOME/config/outrider.yaml)")
        Path config;

        TrayCommand(PrintStream err)
        {
            this.err = err;
        }

        @Override
        public Integer call()
                throws InterruptedException
        {
            if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
                err.println("No system tray is available in this session; use `outrider configure` to edit the configuration and `outrider status` to see the agent's state.");
                return 3;
            }
            Map<String, String> environment = System.getenv();
            Path configFile = config != null ? config : defaultConfig(environment);
            CountDownLatch exited = new CountDownLatch(1);
            DesktopTray[] tray = new DesktopTray[1];
            try {
                SwingUtilities.invokeAndWait(() -> {
                    installLook();
                    tray[0] = new DesktopTray(SystemTray.getSystemTray(), configFile, environment, POLL_INTERVAL, new DesktopTray.Windows()
                    {
                        private final ConfigureWindowHolder holder = new ConfigureWindowHolder();

                        @Override
                        public void openConfigure()
                        {
                            holder.open(configFile, environment);
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

        void open(Path configFile, Map<String, String> environment)
        {
            if (open) {
                for (java.awt.Window window : java.awt.Window.getWindows()) {
                    if (window instanceof ConfigureWindow && window.isVisible()) {
                        window.toFront();
                    }
                }
                return;
            }
            open = openConfigure(configFile, environment, () -> open = false);
        }
    }

    @Command(name = "configure",
            description = "Open the configuration window: collector, API key, watched files, file integrity monitoring, options. Save validates like `outrider validate` and makes a running agent reload.")
    static final class ConfigureCommand
            implements Callable<Integer>
    {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        private final PrintStream err;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the agent's configuration file (default: $OUTRIDER_CONFIG, else $OUTRIDER_HOME/config/outrider.yaml)")
        Path config;

        ConfigureCommand(PrintStream err)
        {
            this.err = err;
        }

        @Override
        public Integer call()
                throws InterruptedException, java.lang.reflect.InvocationTargetException
        {
            Map<String, String> environment = System.getenv();
            Path configFile = config != null ? config : defaultConfig(environment);
            if (GraphicsEnvironment.isHeadless()) {
                err.println("No display is available; edit " + configFile + " directly and check it with `outrider validate -c " + configFile + "`.");
                return 3;
            }
            CountDownLatch closed = new CountDownLatch(1);
            SwingUtilities.invokeAndWait(() -> openConfigure(configFile, environment, closed::countDown));
            closed.await();
            return 0;
        }
    }
}
