package io.outrider.plugin.file;

import io.outrider.spi.InputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The plugin that offers the {@code file} input. */
public final class FilePlugin
        implements Plugin
{
    @Override
    public List<InputFactory<?>> inputFactories()
    {
        return List.of(new FileInputFactory());
    }
}
