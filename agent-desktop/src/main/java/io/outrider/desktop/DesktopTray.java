package io.outrider.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import io.outrider.config.Substitution;

import javax.swing.SwingUtilities;

import java.awt.AWTException;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The tray icon: its colour and tooltip follow the agent's {@code /status}, read on one background thread every
 * {@code interval} (never faster, whatever the agent does), and its menu offers Status, View Logs, Configure…,
 * Pause/Resume (through the agent's control endpoint) and Exit (the tray only; the agent keeps running). The agent
 * is found through the configuration file, read again at every poll so a saved change of
 * {@code agent.status.listen} or of the server URL shows without a restart.
 */
public final class DesktopTray
        implements AutoCloseable
{
    /** What the menu opens; the tray itself only knows the agent. */
    public interface Windows
    {
        void openConfigure();

        /** View Logs: the agent's log file, or the journal, or where the log goes (see {@link AgentLog}). */
        void openLog(AgentLog log);
    }

    private final SystemTray systemTray;
    private final Path configFile;
    private final Map<String, String> environment;
    private final Duration interval;
    private final Windows windows;
    private final Runnable onExit;
    private final Consumer<TrayStatus> observer;
    private final TrayIcons icons;
    private final TrayIcon trayIcon;
    private final MenuItem statusItem = new MenuItem("Agent not running");
    private final MenuItem pauseItem = new MenuItem("Pause");
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outrider-tray-status");
        thread.setDaemon(true);
        return thread;
    });

    // written and read on the Swing event thread only
    private TrayStatus current;
    private AgentLocation location;
    private boolean panelMatched;

    /**
     * @param onExit runs after Exit removed the icon (the command exits the process)
     * @param observer sees every status after the icon shows it, on the event thread
     */
    public DesktopTray(SystemTray systemTray, Path configFile, Map<String, String> environment, Duration interval, Windows windows, Runnable onExit, Consumer<TrayStatus> observer)
    {
        this.systemTray = requireNonNull(systemTray, "systemTray is null");
        this.configFile = requireNonNull(configFile, "configFile is null");
        this.environment = Map.copyOf(environment);
        this.interval = requireNonNull(interval, "interval is null");
        this.windows = requireNonNull(windows, "windows is null");
        this.onExit = requireNonNull(onExit, "onExit is null");
        this.observer = requireNonNull(observer, "observer is null");
        this.location = AgentLocation.of(configFile, this.environment);
        this.current = TrayStatus.notRunning(location.client().statusUri().toString());
        this.icons = new TrayIcons(Math.max(systemTray.getTrayIconSize().width, systemTray.getTrayIconSize().height));

        statusItem.setEnabled(false);
        MenuItem viewLogs = new MenuItem("View Logs");
        viewLogs.addActionListener(event -> windows.openLog(AgentLog.of(location, this.environment)));
        MenuItem configure = new MenuItem("Configure…");
        configure.addActionListener(event -> windows.openConfigure());
        pauseItem.setEnabled(false);
        pauseItem.addActionListener(event -> togglePause());
        MenuItem exit = new MenuItem("Exit");
        exit.addActionListener(event -> {
            close();
            onExit.run();
        });
        PopupMenu menu = new PopupMenu();
        menu.add(statusItem);
        menu.addSeparator();
        menu.add(viewLogs);
        menu.add(configure);
        menu.add(pauseItem);
        menu.addSeparator();
        menu.add(exit);

        trayIcon = new TrayIcon(icons.image(current.state()), current.tooltip(), menu);
        trayIcon.setImageAutoSize(true);
        // a left click (the usual gesture on Linux panels) opens the window
        trayIcon.addActionListener(event -> windows.openConfigure());
    }

    /** Shows the icon and starts following the agent. */
    public void start()
            throws AWTException
    {
        systemTray.add(trayIcon);
        executor.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public TrayIcon trayIcon()
    {
        return trayIcon;
    }

    private void poll()
    {
        try {
            AgentLocation found = AgentLocation.of(configFile, environment);
            TrayStatus status;
            if (!found.statusEnabled()) {
                status = TrayStatus.statusDisabled();
            }
            else {
                Optional<JsonNode> answer = found.client().status();
                status = answer.isPresent()
                        ? TrayStatus.from(answer.get(), collectorHost())
                        : TrayStatus.notRunning(found.client().statusUri().toString());
            }
            SwingUtilities.invokeLater(() -> show(found, status));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            // a half-written configuration while the user edits it: keep the last state, try again next time
            System.getLogger(DesktopTray.class.getName()).log(System.Logger.Level.DEBUG, "status poll failed", e);
        }
    }

    private void show(AgentLocation found, TrayStatus status)
    {
        location = found;
        current = status;
        trayIcon.setImage(icons.image(status.state()));
        if (!panelMatched) {
            // once the panel shows the icon, which it does some time after start()
            panelMatched = TrayBackground.matchPanel();
        }
        trayIcon.setToolTip(status.tooltip());
        statusItem.setLabel(status.statusLine());
        pauseItem.setLabel(status.paused() ? "Resume" : "Pause");
        pauseItem.setEnabled(status.state() != TrayState.NOT_RUNNING);
        observer.accept(status);
    }

    private void togglePause()
    {
        String action = current.paused() ? "resume" : "pause";
        AgentClient client = location.client();
        executor.execute(() -> {
            try {
                AgentClient.ControlAnswer answer = client.control(action);
                SwingUtilities.invokeLater(() -> trayIcon.displayMessage("Outrider", answer.message(),
                        answer.ok() ? TrayIcon.MessageType.INFO : TrayIcon.MessageType.ERROR));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            poll();
        });
    }

    private Optional<String> collectorHost()
    {
        try {
            String url = DesktopConfig.read(configFile).settings(false).serverUrl();
            if (url.isEmpty()) {
                return Optional.empty();
            }
            // an imported or container configuration names the server as ${LOGNOG_SERVER}
            Substitution.Result resolved = new Substitution(environment, configFile.toAbsolutePath().getParent()).resolve(url);
            if (resolved.isError()) {
                return Optional.empty();
            }
            return Optional.ofNullable(URI.create(resolved.value().strip()).getHost());
        }
        catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops following the agent and removes the icon; the agent is not affected. */
    @Override
    public void close()
    {
        executor.shutdownNow();
        Runnable remove = () -> systemTray.remove(trayIcon);
        if (SwingUtilities.isEventDispatchThread()) {
            remove.run();
        }
        else {
            try {
                SwingUtilities.invokeAndWait(remove);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            catch (java.lang.reflect.InvocationTargetException e) {
                throw new IllegalStateException("cannot remove the tray icon", e.getCause());
            }
        }
    }
}
