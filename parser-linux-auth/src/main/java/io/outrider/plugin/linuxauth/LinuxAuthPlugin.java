package io.outrider.plugin.linuxauth;

import io.outrider.spi.ParserFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The Linux authentication parser plugin: offers the {@code linux_auth} parser. */
public final class LinuxAuthPlugin
        implements Plugin
{
    @Override
    public List<ParserFactory<?>> parserFactories()
    {
        return List.of(new LinuxAuthParserFactory());
    }
}
