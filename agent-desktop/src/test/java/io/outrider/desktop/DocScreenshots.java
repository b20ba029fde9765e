package io.outrider.desktop;

import com.sun.net.httpserver.HttpServer;

import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JList;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

import java.awt.Color;
import java.awt.Component;
import java.awt.Container;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.SystemTray;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes the screenshots in {@code docs/images/} (not a test: run by hand, see docs/desktop.md). It needs an X display
 * of 1366x768 with a window manager and a tray host, and a clean home folder, so that the pictures show
 * {@code ~/.config/outrider/outrider.yaml} rather than a temporary folder:
 * <pre>
 * Xvfb :57 -screen 0 1366x768x24 &amp; DISPLAY=:57 openbox &amp; DISPLAY=:57 tint2 &amp;
 * DISPLAY=:57 java -Duser.home=$(mktemp -d) -cp agent-desktop/target/test-classes:agent-desktop/target/classes:CLASSPATH \
 *     io.outrider.desktop.DocScreenshots docs/images
 * </pre>
 * The agent is a loopback HTTP server answering {@code /status} as a connected agent does; validation uses the test
 * plugins that stand in for file, fim and http.
 */
public final class DocScreenshots
{
    private static final Duration SETTLE = Duration.ofMillis(1500);

    private DocScreenshots() {}

    public static void main(String[] args)
            throws Exception
    {
        if (args.length != 1) {
            System.err.println("usage: DocScreenshots OUTPUT_DIRECTORY");
            System.exit(2);
        }
        Path output = Files.createDirectories(Path.of(args[0]));
        Path home = Path.of(System.getProperty("user.home"));
        Path configDirectory = Files.createDirectories(home.resolve(".config").resolve("outrider"));
        Path configFile = configDirectory.resolve("outrider.yaml");

        HttpServer agent = agent();
        String listen = agent.getAddress().getPort() == 8686 ? "" : "\n    listen: 127.0.0.1:" + agent.getAddress().getPort();
        Files.writeString(configFile, """
                # Outrider on this laptop: outrider configure edits the desktop pipeline below.
                agent:
                  status:
                    enabled: true%s
                pipelines:
                  desktop:
                    inputs:
                      watched_files:
                        type: file
                        paths:
                          - /var/log/syslog
                          - /var/log/auth.log
                    outputs:
                      collector:
                        type: http
                        format: lognog
                        endpoint: https://logs.example.org
                        api_key: ${file:desktop-api-key}
                        delivery: {max_events: 500}
                """.formatted(listen));
        Path secret = configDirectory.resolve(DesktopConfig.SECRET_FILE_NAME);
        Files.writeString(secret, "lk-2f9c0e7a51d8\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Robot robot = new Robot();

        try {
            configureWindow(configFile, home, robot, output);
            logWindow(home, robot, output);
            trayMenu(configFile, robot, output);
        }
        finally {
            agent.stop(0);
        }
        System.exit(0);
    }

    private static void configureWindow(Path configFile, Path home, Robot robot, Path output)
            throws Exception
    {
        DesktopConfig config = DesktopConfig.read(configFile);
        ConfigSaver saver = new ConfigSaver(DesktopTestPlugin.validator(home.resolve("plugins")),
                new AutostartEntry(home.resolve(".config").resolve("autostart"), "outrider tray"), file -> "The agent reloaded: configuration reloaded: 1 pipeline(s)");
        ConfigureWindow window = onEventThread(() -> {
            DesktopMain.installLook();
            ConfigureWindow created = new ConfigureWindow(config, config.settings(false), saver, () -> {});
            created.setVisible(true);
            return created;
        });
        settle(robot);
        capture(robot, window, output.resolve("configure-window.png"));
        // the whole screen: the window with its buttons on a 1366x768 laptop
        BufferedImage screen = robot.createScreenCapture(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize()));
        ImageIO.write(screen, "png", output.resolve("configure-window-screen.png").toFile());
        System.out.println(output.resolve("configure-window-screen.png") + " " + screen.getWidth() + "x" + screen.getHeight());

        // a wrong URL and a relative path: the errors beside their fields
        onEventThread(() -> {
            find(window, "serverUrl", JTextField.class).setText("ftp://logs.example.org");
            find(window, "watchPath", JTextField.class).setText("app/server.log");
            find(window, "addWatchPath", JButton.class).doClick();
            find(window, "save", JButton.class).doClick();
            return null;
        });
        awaitText(window, "status", "Not saved: 2 errors, shown in red beside their fields.");
        settle(robot);
        capture(robot, window, output.resolve("configure-errors.png"));

        // fixed: the confirmation
        onEventThread(() -> {
            find(window, "serverUrl", JTextField.class).setText("https://logs.example.org");
            JList<?> paths = find(window, "watchPaths", JList.class);
            paths.setSelectedIndex(paths.getModel().getSize() - 1);
            find(window, "removeWatchPath", JButton.class).doClick();
            find(window, "save", JButton.class).doClick();
            return null;
        });
        awaitText(window, "status", "✓ Saved outrider.yaml. The agent reloaded: configuration reloaded: 1 pipeline(s)");
        settle(robot);
        capture(robot, window, output.resolve("configure-saved.png"));
        onEventThread(() -> {
            window.dispose();
            return null;
        });
    }

    private static void logWindow(Path home, Robot robot, Path output)
            throws Exception
    {
        // as the agent writes it with agent.log.file: ~/.local/state/outrider/agent.log
        Path log = Files.createDirectories(home.resolve(".local").resolve("state").resolve("outrider")).resolve("agent.log.0");
        StringBuilder lines = new StringBuilder();
        lines.append("2026-12-05T09:14:02.118Z INFO Agent: Outrider 0.1.0 started: pipeline desktop (watched_files -> collector)\n");
        lines.append("2026-12-05T09:14:02.311Z INFO StatusServer: status and control endpoint on 127.0.0.1:8686\n");
        for (int minute = 15; minute < 60; minute++) {
            lines.append("2026-12-05T09:%02d:02.%03dZ INFO HttpOutput: collector: delivered %d events to logs.example.org\n"
                    .formatted(minute, minute * 7 % 1000, 40 + minute * 3 % 90));
        }
        lines.append("2026-12-05T10:00:07.902Z WARNING HttpOutput: collector: logs.example.org unreachable (connect timed out); retrying in 2s, 118 events buffered\n");
        lines.append("2026-12-05T10:00:10.014Z INFO HttpOutput: collector: logs.example.org reachable again; delivered 118 buffered events\n");
        Files.writeString(log, lines);
        LogWindow window = onEventThread(() -> {
            LogWindow created = new LogWindow(new AgentLog.LogFile(log));
            created.setVisible(true);
            return created;
        });
        settle(robot);
        settle(robot);
        capture(robot, window, output.resolve("log-window.png"));
        onEventThread(() -> {
            window.dispose();
            return null;
        });
    }

    private static void trayMenu(Path configFile, Robot robot, Path output)
            throws Exception
    {
        if (!SystemTray.isSupported()) {
            throw new IllegalStateException("no system tray on this display: start tint2 or another tray host");
        }
        DesktopTray.Windows windows = new DesktopTray.Windows()
        {
            @Override
            public void openConfigure() {}

            @Override
            public void openLog(AgentLog log) {}
        };
        AtomicReference<TrayStatus> shown = new AtomicReference<>();
        DesktopTray tray = onEventThread(() -> new DesktopTray(SystemTray.getSystemTray(), configFile, Map.of(), Duration.ofMillis(500), windows, () -> {}, shown::set));
        tray.start();
        try {
            Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
            Optional<Point> icon = Optional.empty();
            for (int attempt = 0; attempt < 40 && icon.isEmpty(); attempt++) {
                robot.delay(250);
                icon = find(robot.createScreenCapture(screen), TrayState.CONNECTED.color());
            }
            Point at = icon.orElseThrow(() -> new IllegalStateException("no green tray icon on the screen; the tray shows " + shown.get()));
            settle(robot);
            Rectangle around = new Rectangle(Math.max(0, at.x - 320), Math.max(0, at.y - 200), 0, 0);
            around.setSize(Math.min(screen.width - around.x, 380), Math.min(screen.height - around.y, 240));
            robot.mouseMove(at.x, at.y);
            robot.mousePress(InputEvent.BUTTON3_DOWN_MASK);
            robot.mouseRelease(InputEvent.BUTTON3_DOWN_MASK);
            robot.delay(600);
            robot.mouseMove(Math.max(0, at.x - 120), Math.max(0, at.y - 45));
            robot.delay(800);
            robot.waitForIdle();
            ImageIO.write(robot.createScreenCapture(around), "png", output.resolve("tray-menu.png").toFile());
            System.out.println(output.resolve("tray-menu.png") + " " + around.width + "x" + around.height);
            robot.keyPress(KeyEvent.VK_ESCAPE);
            robot.keyRelease(KeyEvent.VK_ESCAPE);
        }
        finally {
            tray.close();
        }
    }

    /** A loopback agent whose /status says every output delivers; on the default port when it is free. */
    private static HttpServer agent()
            throws IOException
    {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8686), 0);
        }
        catch (BindException e) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        byte[] body = TestTrayStatus.status("running", null, false, "ok", 0).getBytes(StandardCharsets.UTF_8);
        server.createContext("/status", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void capture(Robot robot, Window window, Path file)
            throws Exception
    {
        Rectangle bounds = onEventThread(() -> new Rectangle(window.getLocationOnScreen(), window.getSize()));
        BufferedImage image = robot.createScreenCapture(bounds);
        ImageIO.write(image, "png", file.toFile());
        System.out.println(file + " " + image.getWidth() + "x" + image.getHeight());
    }

    private static void awaitText(Window window, String name, String expected)
            throws Exception
    {
        for (int attempt = 0; attempt < 100; attempt++) {
            String text = onEventThread(() -> find(window, name, JTextArea.class).getText());
            if (expected.equals(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " never read: " + expected);
    }

    private static void settle(Robot robot)
    {
        robot.waitForIdle();
        robot.delay((int) SETTLE.toMillis());
    }

    private static <T extends Component> T find(Container container, String name, Class<T> type)
    {
        for (Component component : container.getComponents()) {
            if (type.isInstance(component) && name.equals(component.getName())) {
                return type.cast(component);
            }
            if (component instanceof Container child) {
                try {
                    return find(child, name, type);
                }
                catch (IllegalArgumentException e) {
                    // not below this one
                }
            }
        }
        throw new IllegalArgumentException("no " + type.getSimpleName() + " named " + name);
    }

    private static <T> T onEventThread(Callable<T> action)
            throws Exception
    {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            try {
                result.set(action.call());
            }
            catch (Exception e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** The centre of the pixels of exactly {@code color}, if there are enough of them to be the icon. */
    private static Optional<Point> find(BufferedImage image, Color color)
    {
        long sumX = 0;
        long sumY = 0;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    sumX += x;
                    sumY += y;
                    count++;
                }
            }
        }
        return count < 20 ? Optional.empty() : Optional.of(new Point((int) (sumX / count), (int) (sumY / count)));
    }
}
