package io.outrider.desktop;

import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.swing.JButton;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestLogWindow
{
    @TempDir
    Path directory;

    private Robot robot;
    private FrameFixture frame;

    @BeforeEach
    void setUp()
    {
        DisplayRequirement.requireDisplay();
        robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(60);
        robot.settings().eventPostingDelay(150);
    }

    @AfterEach
    void tearDown()
    {
        if (frame != null) {
            frame.cleanUp();
        }
    }

    @Test
    void withoutALogFileItShowsTheJournalAndOffersTheCommand()
            throws Exception
    {
        // counts its runs, so that Refresh is seen to run it again
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path journalctl = bin.resolve("journalctl");
        Files.writeString(journalctl, """
                #!/bin/sh
                runs=0
                [ -f "%1$s" ] && read runs < "%1$s"
                runs=$((runs + 1))
                echo "$runs" > "%1$s"
                echo "run $runs: journalctl $*"
                echo "Dec 05 12:00:00 laptop outrider[812]: agent started"
                """.formatted(directory.resolve("runs")));
        Files.setPosixFilePermissions(journalctl, PosixFilePermissions.fromString("rwx------"));
        Path configFile = directory.resolve("outrider.yaml");
        Files.writeString(configFile, "agent:\n  data_dir: " + directory.resolve("data") + "\n");

        open(AgentLog.of(AgentLocation.of(configFile, Map.of()), Map.of("PATH", bin.toString())));

        awaitText("""
                run 1: journalctl -u outrider -n 500 --no-pager
                Dec 05 12:00:00 laptop outrider[812]: agent started
                """);
        frame.textBox("logText").requireNotEditable();
        assertThat(frame.textBox("logNote").text()).isEqualTo("agent.log.file is not set, so the agent logs to standard error: under systemd to the journal, shown here; "
                + "in a container to docker logs; on a terminal to the terminal. Set agent.log.file to have a log file as well.");
        assertThat(frame.label("logSource").text()).isEqualTo("journalctl -u outrider -n 500 --no-pager");
        Screenshots.save(new java.awt.Robot().createScreenCapture(GuiActionRunner.execute(() -> new Rectangle(frame.target().getLocationOnScreen(), frame.target().getSize()))),
                "log-window-journal.png");

        frame.button("refresh").click();
        awaitText("""
                run 2: journalctl -u outrider -n 500 --no-pager
                Dec 05 12:00:00 laptop outrider[812]: agent started
                """);

        frame.button("copyCommand").click();
        robot.waitForIdle();
        assertThat(Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor)).isEqualTo("journalctl -u outrider");
    }

    @Test
    void withoutALogFileOrJournalctlItSaysWhereTheLogGoes()
    {
        open(new AgentLog.StandardError());

        awaitText(TestAgentLog.STANDARD_ERROR_EXPLANATION);
        assertThat(frame.label("logSource").text()).isEqualTo("standard error");
        frame.button("copyCommand").requireVisible().requireEnabled();
        assertThat(robot.finder().findAll(frame.target(), component -> "logNote".equals(component.getName()))).isEmpty();
    }

    @Test
    void withALogFileItShowsItsEndWithoutACommandToCopy()
            throws Exception
    {
        Path file = directory.resolve("agent.log.0");
        Files.writeString(file, "2026-12-05 12:00:00 INFO agent started\n");

        open(new AgentLog.LogFile(file));

        awaitText("2026-12-05 12:00:00 INFO agent started\n");
        assertThat(frame.label("logSource").text()).isEqualTo(file.toString());
        // the Outrider mark on the window and its taskbar entry, as on the Configure window
        assertThat(frame.target().getIconImages()).extracting(image -> image.getWidth(null)).contains(16, 32, 48);
        assertThat(robot.finder().findAll(frame.target(), component -> component instanceof JButton button && "copyCommand".equals(button.getName()))).isEmpty();

        Files.writeString(file, "2026-12-05 12:00:05 WARNING collector unreachable\n", java.nio.file.StandardOpenOption.APPEND);
        frame.button("refresh").click();
        awaitText("2026-12-05 12:00:00 INFO agent started\n2026-12-05 12:00:05 WARNING collector unreachable\n");
    }

    @Test
    void followShowsNewLinesByThemselvesAtTheEndUntilTheUserScrollsUp()
            throws Exception
    {
        Path file = directory.resolve("agent.log.0");
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            lines.append("2026-12-05 12:00:00 INFO line ").append(i).append('\n');
        }
        Files.writeString(file, lines);
        open(new AgentLog.LogFile(file), Duration.ofMillis(200));
        awaitText(lines.toString());
        frame.checkBox("follow").requireSelected();
        assertThat(atEnd()).as("the end of the log in view").isTrue();

        // no Refresh: following reads the new lines and keeps the end in view
        Files.writeString(file, "2026-12-05 12:00:05 WARNING collector unreachable\n", StandardOpenOption.APPEND);
        awaitText(lines + "2026-12-05 12:00:05 WARNING collector unreachable\n");
        assertThat(atEnd()).as("the end of the log in view").isTrue();

        // scrolling up to read stops following; the view stays where the user put it
        robot.rotateMouseWheel(frame.textBox("logText").target(), -30);
        robot.waitForIdle();
        frame.checkBox("follow").requireNotSelected();
        assertThat(atEnd()).isFalse();
        int position = scrollPosition();
        Files.writeString(file, "2026-12-05 12:00:09 INFO collector reachable again\n", StandardOpenOption.APPEND);
        frame.button("refresh").click();
        awaitText(lines + "2026-12-05 12:00:05 WARNING collector unreachable\n2026-12-05 12:00:09 INFO collector reachable again\n");
        assertThat(scrollPosition()).as("the view did not jump to the end").isEqualTo(position);

        // ticking Follow goes back to the end
        frame.checkBox("follow").check();
        robot.waitForIdle();
        assertThat(atEnd()).as("the end of the log in view").isTrue();
    }

    private boolean atEnd()
    {
        return GuiActionRunner.execute(() -> {
            javax.swing.BoundedRangeModel model = scrollBar().getModel();
            return model.getValue() + model.getExtent() >= model.getMaximum() - 4;
        });
    }

    private int scrollPosition()
    {
        return GuiActionRunner.execute(() -> scrollBar().getValue());
    }

    private javax.swing.JScrollBar scrollBar()
    {
        return ((javax.swing.JScrollPane) frame.textBox("logText").target().getParent().getParent()).getVerticalScrollBar();
    }

    private void open(AgentLog log)
    {
        // these tests count reads: Follow must not read again while they look
        open(log, Duration.ofHours(1));
    }

    private void open(AgentLog log, Duration followInterval)
    {
        LogWindow window = GuiActionRunner.execute(() -> {
            DesktopMain.installLook();
            return new LogWindow(log, followInterval);
        });
        frame = new FrameFixture(robot, window);
        frame.show();
        awaitPlaced();
    }

    /**
     * Waits until the window stays where it is on screen for half a second: the window manager places and decorates
     * it after it is shown, and a click aimed at a button from a location it has since left lands elsewhere (a CI run
     * lost a Refresh click so, its screenshot taken off the window).
     */
    private void awaitPlaced()
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Point last = null;
        int unchanged = 0;
        while (unchanged < 5 && System.nanoTime() < deadline) {
            robot.waitForIdle();
            Point now = GuiActionRunner.execute(() -> frame.target().getLocationOnScreen());
            unchanged = now.equals(last) ? unchanged + 1 : 0;
            last = now;
            Pause.pause(100);
        }
    }

    private void awaitText(String expected)
    {
        Pause.pause(new Condition("the log text to show")
        {
            @Override
            public boolean test()
            {
                return expected.equals(frame.textBox("logText").text());
            }
        }, Timeout.timeout(20_000));
        assertThat(frame.textBox("logText").text()).isEqualTo(expected);
    }
}
