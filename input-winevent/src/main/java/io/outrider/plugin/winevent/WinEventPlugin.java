package io.outrider.plugin.winevent;

import io.outrider.spi.InputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The Windows Event Log plugin: the {@code winevent} input. */
public final class WinEventPlugin
        implements Plugin
{
    @Override
    public List<InputFactory<?>> inputFactories()
    {
        return List.of(new WinEventInputFactory());
    }
}
