package io.outrider.desktop;

import com.sun.net.httpserver.HttpServer;
import io.outrider.core.control.ControlToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.swing.SwingUtilities;

import java.awt.Color;
import java.awt.MenuItem;
import java.awt.Point;
import java.awt.PopupMenu;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.SystemColor;
import java.awt.SystemTray;
import java.awt.Toolkit;
import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class TestDesktopTray
{
    @TempDir
    Path directory;

    private HttpServer agent;
    private final AtomicReference<String> statusBody = new AtomicReference<>();
    private final List<String> controlRequests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<TrayStatus> shown = new LinkedBlockingQueue<>();
    private final List<String> opened = new CopyOnWriteArrayList<>();
    private DesktopTray tray;
    private Path configFile;
    private String token;

    @BeforeEach
    void setUp()
            throws Exception
    {
        DisplayRequirement.requireTray();
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/status", exchange -> {
            byte[] body = statusBody.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.createContext("/control/", exchange -> {
            controlRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"ok\":true,\"message\":\"inputs paused\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        statusBody.set(TestTrayStatus.status("running", null, false, "ok", 0));

        Path dataDir = directory.resolve("data");
        token = ControlToken.create(dataDir).value();
        configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, """
                agent:
                  data_dir: %s
                  log:
                    file: %s
                  status:
                    enabled: true
                    listen: 127.0.0.1:%d
                pipelines:
                  desktop:
                    outputs:
                      collector:
                        type: http
                        format: lognog
                        endpoint: https://collector.example/ingest
                """.formatted(dataDir, directory.resolve("logs").resolve("agent.log"), agent.getAddress().getPort()));

        DesktopTray.Windows windows = new DesktopTray.Windows()
        {
            @Override
            public void openConfigure()
            {
                opened.add("configure");
            }

            @Override
            public void openLog(AgentLog log)
            {
                opened.add("log " + log);
            }
        };
        SwingUtilities.invokeAndWait(() -> {
            DesktopMain.installLook();
            tray = new DesktopTray(SystemTray.getSystemTray(), configFile, Map.of("LOGNOG_SERVER", "https://lognog.example:8443"), Duration.ofMillis(200), windows,
                    () -> opened.add("exit"), shown::add);
        });
        tray.start();
    }

    @AfterEach
    void tearDown()
    {
        if (tray != null) {
            tray.close();
        }
        if (agent != null) {
            agent.stop(0);
        }
    }

    @Test
    void iconFollowsTheAgentThroughEveryState()
            throws Exception
    {
        TrayStatus connected = awaitState(TrayState.CONNECTED);
        assertThat(connected.statusLine()).isEqualTo("Connected to collector.example — 0 buffered");
        assertIcon(TrayState.CONNECTED, "Outrider: shipping to collector.example — 0 buffered");
        assertThat(menuLabels()).containsExactly("Connected to collector.example — 0 buffered", "-", "View Logs", "Configure…", "Pause", "-", "Exit");

        statusBody.set(TestTrayStatus.status("retrying", "connection refused", false, "ok", 42));
        awaitState(TrayState.BUFFERING);
        assertIcon(TrayState.BUFFERING, "Outrider buffering: connection refused");
        assertThat(menuLabels().get(0)).isEqualTo("Collector unreachable, retrying — 42 buffered");

        statusBody.set(TestTrayStatus.status("unauthorized", "HTTP 401: API key rejected", false, "ok", 42));
        awaitState(TrayState.ERROR);
        assertIcon(TrayState.ERROR, "Outrider error: the collector refused the API key");
        assertThat(menuLabels().get(0)).isEqualTo("Error: collector unauthorized: HTTP 401: API key rejected");

        agent.stop(0);
        awaitState(TrayState.NOT_RUNNING);
        assertIcon(TrayState.NOT_RUNNING, "Outrider: agent not running");
        assertThat(menuLabels().get(0)).isEqualTo("Agent not running (no answer at http://127.0.0.1:" + agent.getAddress().getPort() + "/status)");
        assertThat(menuItem("Pause").isEnabled()).isFalse();
    }

    @Test
    void theStatusNamesTheServerOfAnImportedCollectorNotTheOutputIds()
            throws Exception
    {
        awaitState(TrayState.CONNECTED);
        // as import-config writes it, with a console output beside it; the tray reads the file again at every poll
        Files.writeString(configFile, Files.readString(configFile).replace("""
                pipelines:
                  desktop:
                    outputs:
                      collector:
                        type: http
                        format: lognog
                        endpoint: https://collector.example/ingest
                """, """
                pipelines:
                  lognog:
                    outputs:
                      console: {type: console}
                      lognog:
                        type: http
                        format: lognog
                        endpoint: "${LOGNOG_SERVER}"
                        api_key: "${LOGNOG_API_KEY}"
                """));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String line = "";
        while (!line.equals("Connected to lognog.example — 0 buffered") && System.nanoTime() < deadline) {
            TrayStatus status = shown.poll(1, TimeUnit.SECONDS);
            line = status == null ? line : status.statusLine();
        }
        assertThat(line).isEqualTo("Connected to lognog.example — 0 buffered");
        assertThat(menuLabels().get(0)).isEqualTo("Connected to lognog.example — 0 buffered");
        assertThat(tray.trayIcon().getToolTip()).isEqualTo("Outrider: shipping to lognog.example — 0 buffered");
    }

    @Test
    void pauseAndResumeGoThroughTheControlEndpointWithTheToken()
            throws Exception
    {
        awaitState(TrayState.CONNECTED);
        SwingUtilities.invokeAndWait(() -> menuItem("Pause").dispatchEvent(new ActionEvent(menuItem("Pause"), ActionEvent.ACTION_PERFORMED, "Pause")));
        awaitControlRequests(1);
        assertThat(controlRequests).containsExactly("POST /control/pause Bearer " + token);

        statusBody.set(TestTrayStatus.status("running", null, true, "ok", 0));
        TrayStatus paused = awaitState(TrayState.BUFFERING);
        assertThat(paused.statusLine()).isEqualTo("Paused — 0 buffered");
        SwingUtilities.invokeAndWait(() -> menuItem("Resume").dispatchEvent(new ActionEvent(menuItem("Resume"), ActionEvent.ACTION_PERFORMED, "Resume")));
        awaitControlRequests(2);
        assertThat(controlRequests.get(1)).isEqualTo("POST /control/resume Bearer " + token);

        SwingUtilities.invokeAndWait(() -> {
            for (String label : List.of("View Logs", "Configure…", "Exit")) {
                menuItem(label).dispatchEvent(new ActionEvent(menuItem(label), ActionEvent.ACTION_PERFORMED, label));
            }
        });
        assertThat(opened).containsExactly("log " + new AgentLog.LogFile(directory.resolve("logs").resolve("agent.log.0")), "configure", "exit");
        assertThat(SystemTray.getSystemTray().getTrayIcons()).doesNotContain(tray.trayIcon());
    }

    @Test
    void theIconIsOnThePanelAndRightClickOpensTheMenu()
            throws Exception
    {
        awaitState(TrayState.CONNECTED);
        Robot robot = new Robot();
        Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        Optional<Point> icon = Optional.empty();
        // the panel paints the icon shortly after it is added; look a few times, bounded
        for (int attempt = 0; attempt < 20 && icon.isEmpty(); attempt++) {
            robot.delay(250);
            icon = find(robot.createScreenCapture(screen), TrayState.CONNECTED.color());
        }
        assertThat(icon).as("a green tray icon on the screen").isPresent();

        // the corners of the icon's square, outside the disc, show the panel rather than an opaque grey square
        Rectangle disc = bounds(robot.createScreenCapture(screen), TrayState.CONNECTED.color());
        Color panel = robot.getPixelColor(disc.x + disc.width / 2, disc.y - 4);
        Color corner = robot.getPixelColor(disc.x - 1, disc.y - 1);
        for (int attempt = 0; attempt < 20 && !corner.equals(panel); attempt++) {
            robot.delay(250);
            corner = robot.getPixelColor(disc.x - 1, disc.y - 1);
        }
        assertThat(corner).as("the icon's corner, next to the panel's %s", panel).isEqualTo(panel).isNotEqualTo(new Color(SystemColor.window.getRGB()));

        Rectangle around = new Rectangle(Math.max(0, icon.get().x - 320), Math.max(0, icon.get().y - 260), 0, 0);
        around.setSize(Math.min(screen.width - around.x, 360), Math.min(screen.height - around.y, 300));
        BufferedImage before = robot.createScreenCapture(around);
        robot.mouseMove(icon.get().x, icon.get().y);
        robot.mousePress(InputEvent.BUTTON3_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON3_DOWN_MASK);
        robot.delay(500);
        // onto the menu (it opens above and left of a bottom-right tray): highlights an item and keeps the icon's tooltip away
        robot.mouseMove(Math.max(0, icon.get().x - 120), Math.max(0, icon.get().y - 45));
        robot.delay(700);
        robot.waitForIdle();
        BufferedImage open = robot.createScreenCapture(around);
        Screenshots.save(open, "tray-menu.png");
        robot.keyPress(KeyEvent.VK_ESCAPE);
        robot.keyRelease(KeyEvent.VK_ESCAPE);
        assertThat(differingPixels(before, open)).as("the menu drew over the screen next to the icon").isGreaterThan(1000);
    }

    private TrayStatus awaitState(TrayState state)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            TrayStatus status = shown.poll(1, TimeUnit.SECONDS);
            if (status != null && status.state() == state) {
                return status;
            }
        }
        throw new AssertionError("the tray never showed " + state);
    }

    private void awaitControlRequests(int count)
            throws InterruptedException
    {
        for (int i = 0; i < 100 && controlRequests.size() < count; i++) {
            Thread.sleep(50);
        }
        assertThat(controlRequests).hasSize(count);
    }

    private void assertIcon(TrayState state, String tooltip)
            throws Exception
    {
        SwingUtilities.invokeAndWait(() -> {
            BufferedImage image = (BufferedImage) tray.trayIcon().getImage();
            // the Outrider mark: the disc in the state's colour below the white arrowhead, nothing in the corners
            assertThat(new Color(image.getRGB(image.getWidth() / 2, image.getHeight() * 82 / 100), true)).isEqualTo(state.color());
            assertThat(new Color(image.getRGB(image.getWidth() / 2, image.getHeight() * 45 / 100), true)).isEqualTo(Color.WHITE);
            assertThat(new Color(image.getRGB(0, 0), true).getAlpha()).isZero();
            assertThat(tray.trayIcon().getToolTip()).isEqualTo(tooltip);
        });
    }

    private List<String> menuLabels()
    {
        PopupMenu menu = tray.trayIcon().getPopupMenu();
        List<String> labels = new java.util.ArrayList<>();
        for (int i = 0; i < menu.getItemCount(); i++) {
            labels.add(menu.getItem(i).getLabel());
        }
        return labels;
    }

    private MenuItem menuItem(String label)
    {
        PopupMenu menu = tray.trayIcon().getPopupMenu();
        for (int i = 0; i < menu.getItemCount(); i++) {
            if (menu.getItem(i).getLabel().equals(label)) {
                return menu.getItem(i);
            }
        }
        throw new AssertionError("no menu item '" + label + "' in " + menuLabels());
    }

    /** The smallest rectangle holding every pixel of exactly {@code color}. */
    private static Rectangle bounds(BufferedImage image, Color color)
    {
        Rectangle bounds = null;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    if (bounds == null) {
                        bounds = new Rectangle(x, y, 1, 1);
                    }
                    else {
                        bounds.add(new Rectangle(x, y, 1, 1));
                    }
                }
            }
        }
        assertThat(bounds).as("pixels of %s on the screen", color).isNotNull();
        return bounds;
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

    private static int differingPixels(BufferedImage a, BufferedImage b)
    {
        int count = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    count++;
                }
            }
        }
        return count;
    }
}
