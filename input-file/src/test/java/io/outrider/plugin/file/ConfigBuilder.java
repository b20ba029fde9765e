package io.outrider.plugin.file;

import io.outrider.spi.DataSize;

import java.time.Duration;
import java.util.List;

/** Builds {@link FileInputConfig}s for tests with short time limits; unset values take the record's defaults. */
final class ConfigBuilder
{
    private List<String> paths;
    private List<String> exclude;
    private FileInputConfig.ReadFrom readFrom = FileInputConfig.ReadFrom.BEGINNING;
    private DataSize maxLineBytes;
    private String encoding;
    private FileInputConfig.MultilineConfig multiline;
    private FileInputConfig.Mode mode;
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration scanInterval = Duration.ofSeconds(2);
    private Duration partialLineFlush;
    private Duration closeInactive;
    private Duration rotateWait = Duration.ofMillis(200);
    private Integer maxOpenFiles;
    private Integer batchMaxEvents;
    private DataSize batchMaxBytes;

    private ConfigBuilder(List<String> paths)
    {
        this.paths = paths;
    }

    static ConfigBuilder files(String... globs)
    {
        return new ConfigBuilder(List.of(globs));
    }

    ConfigBuilder exclude(String... globs)
    {
        this.exclude = List.of(globs);
        return this;
    }

    ConfigBuilder readFrom(FileInputConfig.ReadFrom readFrom)
    {
        this.readFrom = readFrom;
        return this;
    }

    ConfigBuilder maxLineBytes(long bytes)
    {
        this.maxLineBytes = DataSize.ofBytes(bytes);
        return this;
    }

    ConfigBuilder encoding(String encoding)
    {
        this.encoding = encoding;
        return this;
    }

    ConfigBuilder multiline(FileInputConfig.MultilineConfig multiline)
    {
        this.multiline = multiline;
        return this;
    }

    ConfigBuilder mode(FileInputConfig.Mode mode)
    {
        this.mode = mode;
        return this;
    }

    ConfigBuilder pollInterval(Duration pollInterval)
    {
        this.pollInterval = pollInterval;
        return this;
    }

    ConfigBuilder scanInterval(Duration scanInterval)
    {
        this.scanInterval = scanInterval;
        return this;
    }

    ConfigBuilder partialLineFlush(Duration partialLineFlush)
    {
        this.partialLineFlush = partialLineFlush;
        return this;
    }

    ConfigBuilder closeInactive(Duration closeInactive)
    {
        this.closeInactive = closeInactive;
        return this;
    }

    ConfigBuilder rotateWait(Duration rotateWait)
    {
        this.rotateWait = rotateWait;
        return this;
    }

    ConfigBuilder maxOpenFiles(int maxOpenFiles)
    {
        this.maxOpenFiles = maxOpenFiles;
        return this;
    }

    ConfigBuilder batchMaxEvents(int batchMaxEvents)
    {
        this.batchMaxEvents = batchMaxEvents;
        return this;
    }

    ConfigBuilder batchMaxBytes(long bytes)
    {
        this.batchMaxBytes = DataSize.ofBytes(bytes);
        return this;
    }

    FileInputConfig build()
    {
        return new FileInputConfig(paths, exclude, readFrom, maxLineBytes, encoding, multiline, mode, pollInterval, scanInterval,
                partialLineFlush, closeInactive, rotateWait, maxOpenFiles, batchMaxEvents, batchMaxBytes);
    }
}
