package io.outrider.desktop;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The Outrider mark, drawn here rather than shipped as an image: a disc with a white arrowhead pointing ahead, the
 * scout riding in front. Windows and the taskbar show it in {@link #BRAND}; the tray shows it in the colour of the
 * agent's state. Everything outside the disc is fully transparent.
 */
public final class OutriderIcon
{
    /** The disc's colour on windows and the taskbar. */
    public static final Color BRAND = new Color(0x1F, 0x5F, 0x99);

    /** The sizes window managers and taskbars pick from (X11 _NET_WM_ICON, Windows, macOS). */
    private static final List<Integer> WINDOW_SIZES = List.of(16, 20, 24, 32, 48, 64, 128, 256);

    private OutriderIcon() {}

    /** The mark in {@link #BRAND} at every size a window or taskbar may ask for, smallest first. */
    public static List<BufferedImage> windowImages()
    {
        return WINDOW_SIZES.stream().map(size -> draw(BRAND, size)).toList();
    }

    /** The mark on a disc of {@code disc} colour, {@code size} pixels square. */
    public static BufferedImage draw(Color disc, int size)
    {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            double margin = Math.max(0.5, size / 16.0);
            double diameter = size - 2 * margin;
            graphics.setColor(disc);
            graphics.fill(new Ellipse2D.Double(margin, margin, diameter, diameter));
            // a darker rim keeps the disc apart from a panel of a similar colour
            graphics.setColor(disc.darker().darker());
            float rim = (float) Math.max(1.0, size / 20.0);
            graphics.setStroke(new BasicStroke(rim));
            graphics.draw(new Ellipse2D.Double(margin + rim / 2, margin + rim / 2, diameter - rim, diameter - rim));

            graphics.setColor(Color.WHITE);
            graphics.fill(arrowhead(size));
        }
        finally {
            graphics.dispose();
        }
        return image;
    }

    /** A navigation arrowhead pointing up, notched at the back, in the disc's upper two thirds. */
    private static Path2D arrowhead(int size)
    {
        Path2D.Double arrow = new Path2D.Double();
        arrow.moveTo(size * 0.50, size * 0.20);
        arrow.lineTo(size * 0.73, size * 0.74);
        arrow.lineTo(size * 0.50, size * 0.61);
        arrow.lineTo(size * 0.27, size * 0.74);
        arrow.closePath();
        return arrow;
    }
}
