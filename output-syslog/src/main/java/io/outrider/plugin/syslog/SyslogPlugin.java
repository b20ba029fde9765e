package io.outrider.plugin.syslog;

import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The syslog plugin: the {@code syslog} output. */
public final class SyslogPlugin
        implements Plugin
{
    @Override
    public List<OutputFactory<?>> outputFactories()
    {
        return List.of(new SyslogOutputFactory());
    }
}
