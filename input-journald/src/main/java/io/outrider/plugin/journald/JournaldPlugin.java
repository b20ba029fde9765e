package io.outrider.plugin.journald;

import io.outrider.spi.InputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The journald plugin: one input, {@code journald}. */
public final class JournaldPlugin
        implements Plugin
{
    @Override
    public List<InputFactory<?>> inputFactories()
    {
        return List.of(new JournaldInputFactory());
    }
}
