package io.outrider.desktop;

import java.awt.Dimension;
import java.awt.GraphicsConfiguration;
import java.awt.Insets;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;

/**
 * Keeps the desktop's windows on the screen: the part of it that panels and docks leave free, at most
 * {@link #MAX_HEIGHT} high so a window laid out here also fits a 1366x768 laptop with a panel, and centred there.
 * A window whose content is taller scrolls inside (the caller gives it a scroll pane) instead of growing past the
 * screen's edge with its buttons.
 */
final class ScreenFit
{
    /** 768 pixels of a common laptop screen, less a panel of 30 and a title bar of 18. */
    static final int MAX_HEIGHT = 720;

    private ScreenFit() {}

    /**
     * Sizes a packed {@code window} to at most the usable screen (and at least {@code minimum}, where the screen has
     * room), centres it, and does so again once it is shown, when the window manager has added its title bar.
     */
    static void fit(Window window, Dimension minimum)
    {
        apply(window, minimum);
        window.addWindowListener(new WindowAdapter()
        {
            @Override
            public void windowOpened(WindowEvent event)
            {
                apply(window, minimum);
            }
        });
    }

    /** The screen {@code window} is on, without panels and docks. */
    static Rectangle usableScreen(Window window)
    {
        GraphicsConfiguration configuration = window.getGraphicsConfiguration();
        Rectangle bounds = configuration.getBounds();
        Insets insets = Toolkit.getDefaultToolkit().getScreenInsets(configuration);
        return new Rectangle(bounds.x + insets.left, bounds.y + insets.top,
                bounds.width - insets.left - insets.right, bounds.height - insets.top - insets.bottom);
    }

    private static void apply(Window window, Dimension minimum)
    {
        Rectangle usable = usableScreen(window);
        window.setMinimumSize(new Dimension(Math.min(minimum.width, usable.width), Math.min(minimum.height, usable.height)));
        int width = Math.min(Math.max(window.getWidth(), minimum.width), usable.width);
        int height = Math.min(window.getHeight(), Math.min(MAX_HEIGHT, usable.height));
        window.setBounds(usable.x + (usable.width - width) / 2, usable.y + (usable.height - height) / 2, width, height);
    }
}
