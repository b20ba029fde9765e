package io.outrider.plugin.fim;

import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Required;

import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code fim} input.
 *
 * @param paths absolute paths or globs to monitor; a plain directory, or a directory a glob matches, means everything below it
 * @param exclude globs of absolute paths to leave out; an excluded directory excludes everything below it
 * @param rescanInterval time between scheduled full rescans
 * @param realtime whether to watch for changes through the kernel between rescans
 * @param debounce how long a path must stay quiet after a notification before it is examined
 * @param overflowRescanInterval the least time between two rescans of a root triggered by lost notifications
 * @param maxPendingPaths how many changed paths may wait for their debounce before the input treats it as an overflow
 * @param hashThreads the number of threads that hash files
 * @param maxHashSize larger regular files are tracked by size and mtime only
 * @param maxFiles the most files the baseline holds
 * @param followSymlinks whether symbolic links are followed (never into loops)
 * @param trustCtime whether a full rescan may skip hashing a file whose size, mtime, ctime and inode are unchanged
 * @param watchAgentFiles whether the agent's configuration file and plugins directory are watched too
 * @param summaryEvents whether every full scan ends with one {@code scan_complete} event (the round-complete event
 *        {@code outrider run-once} stops at)
 * @param severity the {@code event.severity} of changes (the agent's own files are always {@code high})
 * @param batchSize the most events per hand-off to the agent
 */
public record FimInputConfig(
        @Required @Description("absolute paths or globs to monitor (/etc/**, /usr/bin/*); a plain directory, or a directory a glob matches, means everything below it") List<String> paths,
        @Description("globs of absolute paths to leave out; an excluded directory excludes everything below it") List<String> exclude,
        @Description("time between scheduled full rescans") Duration rescanInterval,
        @Description("watch for changes through the kernel between rescans") Boolean realtime,
        @Description("quiet time after a notification before a path is examined") Duration debounce,
        @Description("least time between two overflow-triggered rescans of a root") Duration overflowRescanInterval,
        @Description("changed paths that may wait for their debounce before it counts as an overflow") Integer maxPendingPaths,
        @Description("threads that hash files") Integer hashThreads,
        @Description("larger regular files are tracked by size and mtime only") DataSize maxHashSize,
        @Description("the most files the baseline holds") Integer maxFiles,
        @Description("follow symbolic links, never into loops") Boolean followSymlinks,
        @Description("skip re-hashing files whose size, mtime, ctime and inode are unchanged on a rescan") Boolean trustCtime,
        @Description("also watch the agent's configuration file and plugins directory, at high severity") Boolean watchAgentFiles,
        @Description("end every full scan with one scan_complete event, which outrider run-once needs to see a scan end") Boolean summaryEvents,
        @Description("event.severity of changes: low, medium, high or critical") String severity,
        @Description("the most events per hand-off to the agent") Integer batchSize)
{
    public FimInputConfig
    {
        paths = paths == null ? List.of() : List.copyOf(paths);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        rescanInterval = rescanInterval == null ? Duration.ofHours(12) : rescanInterval;
        realtime = realtime == null ? Boolean.TRUE : realtime;
        debounce = debounce == null ? Duration.ofSeconds(2) : debounce;
        overflowRescanInterval = overflowRescanInterval == null ? Duration.ofMinutes(1) : overflowRescanInterval;
        maxPendingPaths = maxPendingPaths == null ? 10_000 : maxPendingPaths;
        hashThreads = hashThreads == null ? 2 : hashThreads;
        maxHashSize = maxHashSize == null ? DataSize.ofBytes(1L << 30) : maxHashSize;
        maxFiles = maxFiles == null ? 200_000 : maxFiles;
        followSymlinks = followSymlinks == null ? Boolean.FALSE : followSymlinks;
        trustCtime = trustCtime == null ? Boolean.FALSE : trustCtime;
        watchAgentFiles = watchAgentFiles == null ? Boolean.TRUE : watchAgentFiles;
        summaryEvents = summaryEvents == null ? Boolean.TRUE : summaryEvents;
        severity = severity == null ? "medium" : severity;
        batchSize = batchSize == null ? 500 : batchSize;
    }

    /** A configuration of {@code paths} with every other property at its default. */
    public static FimInputConfig ofPaths(List<String> paths)
    {
        return new FimInputConfig(paths, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
