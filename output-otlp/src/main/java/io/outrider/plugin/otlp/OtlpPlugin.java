package io.outrider.plugin.otlp;

import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The OTLP plugin: the {@code otlp} output (OpenTelemetry logs over OTLP/HTTP). */
public final class OtlpPlugin
        implements Plugin
{
    @Override
    public List<OutputFactory<?>> outputFactories()
    {
        return List.of(new OtlpOutputFactory());
    }
}
