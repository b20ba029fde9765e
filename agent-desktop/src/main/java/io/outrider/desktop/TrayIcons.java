package io.outrider.desktop;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;

/** The Outrider mark once per {@link TrayState}, its disc in the state's colour (see {@link OutriderIcon}). */
public final class TrayIcons
{
    private final Map<TrayState, BufferedImage> images = new EnumMap<>(TrayState.class);

    /** @param size the tray's icon size in pixels (square) */
    public TrayIcons(int size)
    {
        for (TrayState state : TrayState.values()) {
            images.put(state, OutriderIcon.draw(state.color(), Math.max(size, 8)));
        }
    }

    public BufferedImage image(TrayState state)
    {
        return images.get(state);
    }
}
