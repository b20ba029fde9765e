package io.outrider.desktop;

import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.swing.JButton;
import javax.swing.JPasswordField;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TestConfigureWindow
{
    /** A file a user wrote by hand, with a desktop pipeline the window reads. */
    private static final String HAND_WRITTEN = TestConfigSaver.UNKNOWN_PARTS + """
              desktop:
                inputs:
                  watched_files:
                    type: file
                    paths: [/var/log/syslog, /var/log/kern.log]
                    exclude: ["*.gz"]        # not the window's: must survive
                outputs:
                  collector:
                    type: http
                    format: lognog
                    endpoint: https://collector.example
                    api_key: ${file:desktop-api-key}
                    delivery: {max_events: 500}
            # the end
            """;

    @TempDir
    Path directory;

    private Path configFile;
    private Path secretFile;
    private Robot robot;
    private FrameFixture frame;
    private ConfigSaver saver;
    private final CountDownLatch closed = new CountDownLatch(1);

    @BeforeEach
    void setUp()
            throws Exception
    {
        DisplayRequirement.requireDisplay();
        configFile = directory.resolve("outrider.yaml");
        secretFile = directory.resolve("desktop-api-key");
        Files.writeString(configFile, HAND_WRITTEN);
        Files.writeString(secretFile, "old-key\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        // an imported configuration's key, as agent.env would give it
        saver = new ConfigSaver(DesktopTestPlugin.validator(directory.resolve("plugins"), Map.of("LOGNOG_API_KEY", "lk-imported")),
                new AutostartEntry(directory.resolve("autostart"), "outrider tray"), file -> "The agent reloaded: test");
        robot = BasicRobot.robotWithNewAwtHierarchy();
        // the defaults type like a person; the suite must stay quick on a shared machine
        robot.settings().delayBetweenEvents(60); // unhurried: a click or a pop-up list under a loaded Xvfb otherwise lands on the wrong row
        robot.settings().eventPostingDelay(150);
        open();
    }

    private void open()
            throws Exception
    {
        DesktopConfig config = DesktopConfig.read(configFile);
        ConfigureWindow window = GuiActionRunner.execute(() -> {
            DesktopMain.installLook();
            return new ConfigureWindow(config, config.settings(false), saver, closed::countDown);
        });
        frame = new FrameFixture(robot, window);
        frame.show();
    }

    @AfterEach
    void tearDown()
    {
        if (frame != null) {
            frame.cleanUp();
        }
    }

    @Test
    void editsTheFieldsAndSaveWritesTheYamlAndTheSecretFile()
            throws Exception
    {
        frame.textBox("serverUrl").requireText("https://collector.example");
        frame.comboBox("format").requireSelection("lognog");
        frame.textBox("apiKey").requireText("old-key");
        frame.list("watchPaths").requireItemCount(2);
        frame.checkBox("fimEnabled").requireNotSelected();
        frame.textBox("fimPath").requireDisabled();
        frame.textBox("otherSettings").requireNotEditable();
        assertThat(frame.textBox("otherSettings").text()).contains("ssh_auth:", "exclude: [\"*.gz\"]", "delivery: {max_events: 500}").doesNotContain("/var/log/syslog", "api_key");

        // the key is masked until Show is ticked
        frame.textBox("apiKey").deleteText().enterText("new-key-123");
        assertThat(echoChar()).isNotEqualTo((char) 0);
        frame.checkBox("showApiKey").check();
        assertThat(echoChar()).isEqualTo((char) 0);

        frame.textBox("serverUrl").deleteText().enterText("https://logs.example.org:8443");
        frame.comboBox("format").selectItem("litesoc");
        frame.list("watchPaths").selectItem("/var/log/kern.log");
        frame.button("removeWatchPath").click();
        // keyboard layouts differ on '*'; the robot types the rest
        frame.textBox("watchPath").setText("/home/me/app/**/*.log");
        frame.button("addWatchPath").click();
        assertThat(frame.list("watchPaths").contents()).containsExactly("/var/log/syslog", "/home/me/app/**/*.log");

        frame.checkBox("fimEnabled").check();
        frame.textBox("fimPath").requireEnabled().enterText("/etc");
        frame.button("addFimPath").click();
        frame.checkBox("debugLogging").check();
        frame.checkBox("startAtLogin").check();

        Path screenshot = Screenshots.save(new java.awt.Robot().createScreenCapture(GuiActionRunner.execute(() -> new Rectangle(frame.target().getLocationOnScreen(), frame.target().getSize()))),
                "configure-window.png");
        assertThat(screenshot).isRegularFile();

        frame.button("save").click();
        // the window stays to confirm the save and say what the agent did; Cancel has become Close
        awaitText("status", "✓ Saved outrider.yaml. The agent reloaded: test");
        frame.button("cancel").requireText("Close");
        frame.requireVisible();
        assertThat(closed.getCount()).isEqualTo(1);

        assertThat(Files.readString(configFile)).isEqualTo(TestConfigSaver.UNKNOWN_PARTS.replace("""
                    max_bytes: 64MiB
                """, """
                    max_bytes: 64MiB
                  log:
                    level: debug
                """) + """
                  desktop:
                    inputs:
                      watched_files:
                        type: file
                        paths:
                          - /var/log/syslog
                          - /home/me/app/**/*.log
                        exclude: ["*.gz"]        # not the window's: must survive
                      file_integrity:
                        type: fim
                        paths:
                          - /etc
                    outputs:
                      collector:
                        type: http
                        format: litesoc
                        endpoint: https://logs.example.org:8443
                        api_key: ${file:desktop-api-key}
                        delivery: {max_events: 500}
                # the end
                """);
        assertThat(Files.readString(secretFile)).isEqualTo("new-key-123\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("rw-------");
        assertThat(directory.resolve("autostart").resolve(AutostartEntry.FILE_NAME)).isRegularFile();

        frame.button("cancel").click();
        assertThat(closed.await(5, TimeUnit.SECONDS)).as("Close closes the window").isTrue();
    }

    @Test
    void fitsALaptopScreenWithSaveAndCancelOnItAndShowsTheOutriderIcon()
    {
        robot.waitForIdle();
        GuiActionRunner.execute(() -> {
            Rectangle screen = ScreenFit.usableScreen(frame.target());
            Rectangle window = new Rectangle(frame.target().getLocationOnScreen(), frame.target().getSize());
            assertThat(window.height).as("the window's height").isLessThanOrEqualTo(768 - 30 - 18);
            assertThat(screen.contains(window)).as("the window %s inside the screen %s", window, screen).isTrue();
            for (String button : List.of("save", "cancel")) {
                java.awt.Component component = robot.finder().findByName(frame.target(), button, JButton.class, true);
                Rectangle bounds = new Rectangle(component.getLocationOnScreen(), component.getSize());
                assertThat(screen.contains(bounds)).as("%s at %s inside the screen %s", button, bounds, screen).isTrue();
            }
            // the window and the taskbar show the Outrider mark, not Java's cup
            List<java.awt.Image> icons = frame.target().getIconImages();
            assertThat(icons).extracting(image -> image.getWidth(null)).contains(16, 32, 48);
            BufferedImage icon = (BufferedImage) icons.get(icons.size() - 1);
            assertThat(new Color(icon.getRGB(icon.getWidth() / 2, icon.getHeight() * 82 / 100))).isEqualTo(OutriderIcon.BRAND);
            assertThat(new Color(icon.getRGB(icon.getWidth() / 2, icon.getHeight() * 45 / 100))).isEqualTo(Color.WHITE);
            return null;
        });
    }

    @Test
    void showsValidationErrorsInsteadOfSaving()
            throws Exception
    {
        frame.textBox("serverUrl").deleteText().enterText("ftp://collector.example");
        frame.textBox("watchPath").enterText("relative/path.log");
        frame.button("addWatchPath").click();
        frame.textBox("apiKey").deleteText().enterText("not-saved");
        frame.button("save").click();

        awaitText("status", "Not saved: 2 errors, shown in red beside their fields.");
        // each error under the field it concerns, in its own words, without file:line:column
        assertThat(frame.textBox("serverUrlError").text()).isEqualTo("must be an http:// or https:// URL (output type 'http' (plugin desktop-test))");
        assertThat(frame.textBox("watchPathsError").text()).isEqualTo("'relative/path.log' is not an absolute path (input type 'file' (plugin desktop-test))");
        assertUnder("serverUrlError", "serverUrl");
        assertUnder("watchPathsError", "watchPaths");
        assertHidden("apiKeyError");
        assertHidden("errors");

        // fixed, the errors go; one left stays beside its field
        frame.textBox("serverUrl").deleteText().enterText("https://collector.example");
        frame.button("save").click();
        awaitText("status", "Not saved: 1 error, shown in red beside its field.");
        assertHidden("serverUrlError");
        assertThat(frame.textBox("watchPathsError").text()).isEqualTo("'relative/path.log' is not an absolute path (input type 'file' (plugin desktop-test))");
        frame.requireVisible();
        assertThat(closed.getCount()).isEqualTo(1);
        assertThat(Files.readString(configFile)).isEqualTo(HAND_WRITTEN);
        assertThat(Files.readString(secretFile)).isEqualTo("old-key\n");
    }

    @Test
    void anImportedCollectorIsShownInTheFormAndEditedWhereItIs()
            throws Exception
    {
        String imported = """
                # Imported from the LogNog In configuration config.yaml by outrider import-config.
                pipelines:
                  lognog:
                    inputs:
                      files: { type: file, paths: ["/var/log/syslog"] }
                    outputs:
                      lognog:
                        type: http
                        format: lognog
                        endpoint: "https://lognog.example:8443"
                        api_key: "${LOGNOG_API_KEY}"
                """;
        frame.cleanUp();
        Files.writeString(configFile, imported);
        open();

        frame.textBox("serverUrl").requireText("https://lognog.example:8443");
        frame.comboBox("format").requireSelection("lognog");
        frame.textBox("apiKey").requireText("${LOGNOG_API_KEY}");
        assertThat(frame.list("watchPaths").contents()).containsExactly("/var/log/syslog");

        frame.textBox("serverUrl").deleteText().enterText("https://logs.example.org");
        frame.button("save").click();
        awaitText("status", "✓ Saved outrider.yaml. The agent reloaded: test");
        assertThat(Files.readString(configFile)).isEqualTo(imported.replace("endpoint: \"https://lognog.example:8443\"", "endpoint: https://logs.example.org"));
        assertThat(Files.readString(secretFile)).as("the key stays in agent.env").isEqualTo("old-key\n");
    }

    @Test
    void anEmptyReplacementHostNameIsShownBesideItsField()
            throws Exception
    {
        frame.checkBox("sendHostname").uncheck();
        frame.button("save").click();

        awaitText("status", "Not saved: 1 error, shown in red beside its field.");
        assertThat(frame.textBox("reportedHostNameError").text()).isEqualTo("Enter the name to send instead of this computer's host name, or tick \"Send this computer's host name\".");
        assertUnder("reportedHostNameError", "reportedHostName");
        assertThat(Files.readString(configFile)).isEqualTo(HAND_WRITTEN);
    }

    @Test
    void cancelChangesNothing()
            throws Exception
    {
        frame.textBox("serverUrl").deleteText().enterText("https://elsewhere.example");
        frame.textBox("apiKey").deleteText().enterText("other-key");
        frame.checkBox("fimEnabled").check();
        frame.checkBox("sendHostname").uncheck();
        frame.textBox("reportedHostName").requireEnabled().enterText("anonymous");
        frame.button("cancel").click();

        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(configFile)).isEqualTo(HAND_WRITTEN);
        assertThat(Files.readString(secretFile)).isEqualTo("old-key\n");
        try (var files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("outrider.yaml", "desktop-api-key");
        }
    }

    private void assertHidden(String name)
    {
        assertThat(GuiActionRunner.execute(() -> robot.finder().findByName(frame.target(), name, false).isShowing())).as("%s is shown", name).isFalse();
    }

    private void awaitText(String name, String expected)
            throws InterruptedException
    {
        String shown = "";
        // Save validates with the agent's loader on a background thread: slow on a loaded machine, so a generous bound
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!expected.equals(shown) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            shown = GuiActionRunner.execute(() -> {
                javax.swing.JTextArea text = robot.finder().findByName(frame.target(), name, javax.swing.JTextArea.class, false);
                return text.isShowing() ? text.getText() : "(not shown) " + text.getText();
            });
        }
        assertThat(shown).as("the text of '%s'", name).isEqualTo(expected);
    }

    /** The error note {@code error} is shown right below the component {@code field}, under it. */
    private void assertUnder(String error, String field)
    {
        GuiActionRunner.execute(() -> {
            java.awt.Component note = robot.finder().findByName(frame.target(), error, true);
            java.awt.Component component = robot.finder().findByName(frame.target(), field, false);
            Rectangle noteBounds = new Rectangle(note.getLocationOnScreen(), note.getSize());
            // a list's field is its scroll pane
            java.awt.Component shown = component.getParent() instanceof javax.swing.JViewport ? component.getParent().getParent() : component;
            Rectangle fieldBounds = new Rectangle(shown.getLocationOnScreen(), shown.getSize());
            assertThat(noteBounds.y - fieldBounds.getMaxY()).as("%s below %s", error, field).isBetween(0.0, 40.0);
            assertThat(noteBounds.x).as("%s starts at or left of %s", error, field).isLessThanOrEqualTo(fieldBounds.x);
            assertThat(noteBounds.getMaxX()).as("%s reaches under %s", error, field).isGreaterThan(fieldBounds.x);
            return null;
        });
    }

    private char echoChar()
    {
        return GuiActionRunner.execute(() -> ((JPasswordField) frame.textBox("apiKey").target()).getEchoChar());
    }
}
