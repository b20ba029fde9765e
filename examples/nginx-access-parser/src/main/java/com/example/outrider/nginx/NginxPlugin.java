package com.example.outrider.nginx;

import io.outrider.spi.ParserFactory;
import io.outrider.spi.Plugin;

import java.util.List;

/**
 * The plugin entry point, named in {@code META-INF/services/io.outrider.spi.Plugin}: offers the
 * {@code nginx_access} parser.
 */
public final class NginxPlugin
        implements Plugin
{
    @Override
    public List<ParserFactory<?>> parserFactories()
    {
        return List.of(new NginxAccessParserFactory());
    }
}
