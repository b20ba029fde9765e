package com.example.outrider.nginx;

import io.outrider.spi.config.Description;

import java.util.List;

/**
 * Configuration of the {@code nginx_access} parser. YAML keys are the component names in snake_case.
 *
 * @param keepOriginal whether the raw line is kept in {@code event.original}
 * @param dropPaths request paths (prefixes, e.g. {@code /healthz}) whose lines are recognised and discarded
 */
public record NginxAccessParserConfig(
        @Description("keep the raw line in event.original") boolean keepOriginal,
        @Description("request path prefixes to discard, e.g. /healthz") List<String> dropPaths)
{
    public NginxAccessParserConfig
    {
        // absent keys arrive as null: defaults belong here
        dropPaths = dropPaths == null ? List.of() : List.copyOf(dropPaths);
    }
}
