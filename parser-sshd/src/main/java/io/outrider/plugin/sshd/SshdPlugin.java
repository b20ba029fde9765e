package io.outrider.plugin.sshd;

import io.outrider.spi.ParserFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/** The OpenSSH authentication parser plugin: offers the {@code sshd} parser. */
public final class SshdPlugin
        implements Plugin
{
    @Override
    public List<ParserFactory<?>> parserFactories()
    {
        return List.of(new SshdParserFactory());
    }
}
