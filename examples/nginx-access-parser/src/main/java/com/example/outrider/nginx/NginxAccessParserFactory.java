package com.example.outrider.nginx;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;

/** Creates {@link NginxAccessParser}s for {@code type: nginx_access}. */
public final class NginxAccessParserFactory
        implements ParserFactory<NginxAccessParserConfig>
{
    @Override
    public String type()
    {
        return "nginx_access";
    }

    @Override
    public Class<NginxAccessParserConfig> configClass()
    {
        return NginxAccessParserConfig.class;
    }

    @Override
    public String description()
    {
        return "nginx access log lines (combined format) to HTTP request events";
    }

    @Override
    public void validate(NginxAccessParserConfig config)
            throws InvalidConfigException
    {
        for (String path : config.dropPaths()) {
            if (!path.startsWith("/")) {
                throw new InvalidConfigException("drop_paths", "'" + path + "' is not a request path; it must start with /");
            }
        }
    }

    @Override
    public Parser create(NginxAccessParserConfig config, ComponentContext context)
    {
        return new NginxAccessParser(config);
    }
}
