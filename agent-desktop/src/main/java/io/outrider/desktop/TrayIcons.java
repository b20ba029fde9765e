package io.outrider.desktop;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;

/** One round icon per {@link TrayState}: a disc in the state's colour with a thin dark rim, so it reads on light and dark panels. */
public final class TrayIcons
{
    private final Map<TrayState, BufferedImage> images = new EnumMap<>(TrayState.class);

    /** @param size the tray's icon size in pixels (square) */
    public TrayIcons(int size)
    {
        for (TrayState state : TrayState.values()) {
            images.put(state, draw(state.color(), Math.max(size, 8)));
        }
    }

    public BufferedImage image(TrayState state)
    {
        return images.get(state);
    }

    private static BufferedImage draw(Color color, int size)
    {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int margin = Math.max(1, size / 10);
            int diameter = size - 2 * margin;
            graphics.setColor(color);
            graphics.fillOval(margin, margin, diameter, diameter);
            graphics.setColor(color.darker().darker());
            graphics.setStroke(new BasicStroke(Math.max(1f, size / 16f)));
            graphics.drawOval(margin, margin, diameter - 1, diameter - 1);
        }
        finally {
            graphics.dispose();
        }
        return image;
    }
}
