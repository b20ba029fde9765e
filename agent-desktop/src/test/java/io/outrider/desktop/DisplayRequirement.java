package io.outrider.desktop;

import org.junit.jupiter.api.Assumptions;

import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;

import static org.assertj.core.api.Assertions.fail;

/** Windows and the tray need an X display (and a tray host); CI must have them, elsewhere the tests skip. */
final class DisplayRequirement
{
    private static final String HOW = "run under Xvfb with a window manager and a tray: apt-get install -y xvfb xauth openbox tint2, then "
            + "xvfb-run -a -s \"-screen 0 1366x768x24\" bash -c 'openbox & tint2 & sleep 2; mvn -f agent-desktop/pom.xml verify'";

    private DisplayRequirement() {}

    static void requireDisplay()
    {
        require(!GraphicsEnvironment.isHeadless(), "no X display (DISPLAY is unset or headless)");
    }

    static void requireTray()
    {
        requireDisplay();
        require(SystemTray.isSupported(), "no system tray on this display (start tint2 or another tray host)");
    }

    private static void require(boolean condition, String problem)
    {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(problem + "; CI must " + HOW);
        }
        Assumptions.abort(problem + "; to run these tests " + HOW);
    }
}
