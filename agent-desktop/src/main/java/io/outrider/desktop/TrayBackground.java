package io.outrider.desktop;

import java.awt.AWTException;
import java.awt.Canvas;
import java.awt.Color;
import java.awt.Component;
import java.awt.Frame;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the tray icon's square take the panel's colour. On X11, AWT embeds each tray icon as a small window of its
 * own, without an alpha channel, and paints the icon's canvas with the canvas's background before the image: the
 * transparent corners of the icon show that background, the toolkit's grey window colour, as an opaque square on the
 * panel. The canvas is reachable through public API only as the child of the embedded frame AWT creates for the icon
 * ({@link Frame#getFrames()} lists it), and the panel's colour only by looking at the screen right beside the icon,
 * so that is what this does once the panel has embedded the icon. Other platforms draw tray icons with their alpha
 * channel and have no such frame: nothing to do there.
 */
final class TrayBackground
{
    private static final String EMBEDDED_FRAME = "XTrayIconEmbeddedFrame";

    private TrayBackground() {}

    /**
     * Gives every shown tray icon canvas of this process the colour around it. Call on the event thread.
     *
     * @return false when there is an icon the panel has not shown yet (try again later), true when done or nothing to do
     */
    static boolean matchPanel()
    {
        List<Canvas> canvases = new ArrayList<>();
        for (Frame frame : Frame.getFrames()) {
            if (frame.getClass().getName().endsWith(EMBEDDED_FRAME) && frame.isDisplayable()) {
                for (Component component : frame.getComponents()) {
                    if (component instanceof Canvas canvas) {
                        canvases.add(canvas);
                    }
                }
            }
        }
        if (canvases.isEmpty()) {
            // on X11 the frame appears once the panel embeds the icon
            return !isX11();
        }
        Robot robot;
        try {
            robot = new Robot();
        }
        catch (AWTException | SecurityException e) {
            // the screen cannot be read (a Wayland session without X access): the square stays
            return true;
        }
        boolean done = true;
        for (Canvas canvas : canvases) {
            if (!canvas.isShowing()) {
                done = false;
                continue;
            }
            Optional<Color> around = colourAround(robot, new Rectangle(canvas.getLocationOnScreen(), canvas.getSize()));
            if (around.isEmpty()) {
                done = false;
                continue;
            }
            if (!around.get().equals(canvas.getBackground())) {
                canvas.setBackground(around.get());
                canvas.repaint();
            }
        }
        return done;
    }

    /** The most common of the four pixels just outside the icon's edges, i.e. the panel's colour there. */
    private static Optional<Color> colourAround(Robot robot, Rectangle icon)
    {
        if (icon.isEmpty() || icon.getLocation().equals(new Point(0, 0))) {
            // at the origin the panel has not placed the icon yet
            return Optional.empty();
        }
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice().getDefaultConfiguration().getBounds();
        List<Point> beside = List.of(
                new Point(icon.x - 1, icon.y + icon.height / 2),
                new Point(icon.x + icon.width, icon.y + icon.height / 2),
                new Point(icon.x + icon.width / 2, icon.y - 1),
                new Point(icon.x + icon.width / 2, icon.y + icon.height));
        Map<Color, Integer> counts = new HashMap<>();
        for (Point point : beside) {
            if (screen.contains(point)) {
                counts.merge(robot.getPixelColor(point.x, point.y), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    private static boolean isX11()
    {
        return GraphicsEnvironment.getLocalGraphicsEnvironment().getClass().getName().contains("X11");
    }
}
