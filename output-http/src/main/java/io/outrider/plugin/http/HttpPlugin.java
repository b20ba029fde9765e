package io.outrider.plugin.http;

import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The HTTP output plugin: output type {@code http}. */
public final class HttpPlugin
        implements Plugin
{
    @Override
    public List<OutputFactory<?>> outputFactories()
    {
        return List.of(new HttpOutputFactory());
    }
}
