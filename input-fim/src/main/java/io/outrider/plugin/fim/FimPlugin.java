package io.outrider.plugin.fim;

import io.outrider.spi.InputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The file integrity monitoring plugin: input type {@code fim}. */
public final class FimPlugin
        implements Plugin
{
    @Override
    public List<InputFactory<?>> inputFactories()
    {
        return List.of(new FimInputFactory());
    }
}
