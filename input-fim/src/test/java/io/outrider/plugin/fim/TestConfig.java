package io.outrider.plugin.fim;

import io.outrider.spi.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link FimInputConfig}s for tests, with quick timings and no kernel watching unless asked. */
final class TestConfig
{
    private final List<String> paths = new ArrayList<>();
    private final List<String> exclude = new ArrayList<>();
    private Duration rescanInterval = Duration.ofHours(1);
    private boolean realtime;
    private Duration debounce = Duration.ofMillis(300);
    private Duration overflowRescanInterval = Duration.ofSeconds(1);
    private Integer maxPendingPaths;
    private Integer hashThreads = 2;
    private DataSize maxHashSize;
    private Integer maxFiles;
    private boolean followSymlinks;
    private boolean trustCtime;
    private Integer batchSize;

    static TestConfig paths(Path... roots)
    {
        TestConfig config = new TestConfig();
        for (Path root : roots) {
            config.paths.add(root.toString());
        }
        return config;
    }

    static TestConfig pathTexts(String... texts)
    {
        TestConfig config = new TestConfig();
        config.paths.addAll(List.of(texts));
        return config;
    }

    TestConfig exclude(String glob)
    {
        exclude.add(glob);
        return this;
    }

    TestConfig realtime()
    {
        realtime = true;
        return this;
    }

    TestConfig debounce(Duration debounce)
    {
        this.debounce = debounce;
        return this;
    }

    TestConfig rescanInterval(Duration rescanInterval)
    {
        this.rescanInterval = rescanInterval;
        return this;
    }

    TestConfig maxPendingPaths(int maxPendingPaths)
    {
        this.maxPendingPaths = maxPendingPaths;
        return this;
    }

    TestConfig hashThreads(int hashThreads)
    {
        this.hashThreads = hashThreads;
        return this;
    }

    TestConfig maxHashSize(DataSize maxHashSize)
    {
        this.maxHashSize = maxHashSize;
        return this;
    }

    TestConfig maxFiles(int maxFiles)
    {
        this.maxFiles = maxFiles;
        return this;
    }

    TestConfig followSymlinks()
    {
        followSymlinks = true;
        return this;
    }

    TestConfig trustCtime()
    {
        trustCtime = true;
        return this;
    }

    TestConfig batchSize(int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    FimInputConfig build()
    {
        return new FimInputConfig(paths, exclude, rescanInterval, realtime, debounce, overflowRescanInterval, maxPendingPaths, hashThreads,
                maxHashSize, maxFiles, followSymlinks, trustCtime, null, null, null, batchSize);
    }
}
