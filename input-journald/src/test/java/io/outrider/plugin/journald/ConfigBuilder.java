package io.outrider.plugin.journald;

import io.outrider.support.ReadFrom;
import io.outrider.spi.DataSize;

import java.nio.file.Path;
import java.util.List;

/** Builds {@link JournaldInputConfig}s in tests, where most of the twelve properties keep their defaults. */
final class ConfigBuilder
{
    private Path directory;
    private List<Path> files;
    private List<String> units;
    private List<String> identifiers;
    private List<String> matches;
    private String priority;
    private ReadFrom readFrom = ReadFrom.BEGINNING;
    private ReadFrom cursorFallback;
    private List<String> includeFields;
    private List<String> excludeFields;
    private DataSize maxFieldSize;
    private Integer batchSize;

    static ConfigBuilder files(Path... files)
    {
        ConfigBuilder builder = new ConfigBuilder();
        builder.files = List.of(files);
        return builder;
    }

    static ConfigBuilder directory(Path directory)
    {
        ConfigBuilder builder = new ConfigBuilder();
        builder.directory = directory;
        return builder;
    }

    ConfigBuilder units(String... units)
    {
        this.units = List.of(units);
        return this;
    }

    ConfigBuilder identifiers(String... identifiers)
    {
        this.identifiers = List.of(identifiers);
        return this;
    }

    ConfigBuilder matches(String... matches)
    {
        this.matches = List.of(matches);
        return this;
    }

    ConfigBuilder priority(String priority)
    {
        this.priority = priority;
        return this;
    }

    ConfigBuilder readFrom(ReadFrom readFrom)
    {
        this.readFrom = readFrom;
        return this;
    }

    ConfigBuilder cursorFallback(ReadFrom cursorFallback)
    {
        this.cursorFallback = cursorFallback;
        return this;
    }

    ConfigBuilder includeFields(String... includeFields)
    {
        this.includeFields = List.of(includeFields);
        return this;
    }

    ConfigBuilder excludeFields(String... excludeFields)
    {
        this.excludeFields = List.of(excludeFields);
        return this;
    }

    ConfigBuilder maxFieldSize(DataSize maxFieldSize)
    {
        this.maxFieldSize = maxFieldSize;
        return this;
    }

    ConfigBuilder batchSize(int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    JournaldInputConfig build()
    {
        return new JournaldInputConfig(directory, files, units, identifiers, matches, priority, readFrom.toString(), cursorFallback == null ? null : cursorFallback.toString(),
                includeFields, excludeFields, maxFieldSize, batchSize);
    }
}
