package io.outrider.plugin.file;

import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Required;
import io.outrider.support.LineSplitter;

import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code file} input.
 *
 * @param paths absolute globs of the files to tail ({@code /var/log/**}{@code /*.log})
 * @param exclude globs of files to leave out: with a {@code /} they match whole paths, without one file names
 * @param readFrom {@code beginning} or {@code end} (the default): where the files found at the input's very first
 *        start are read from; {@code end} is fixed when the input is created, before the agent reports that it
 *        started, so no line written after that is skipped. Files that appear later, and every file without a
 *        checkpoint after a restart, are read from the beginning. The same vocabulary as the other inputs'
 *        {@code read_from}
 * @param maxLineBytes longer lines are cut to this many bytes and flagged {@code truncated}; the rest is skipped
 * @param encoding the files' character set; invalid sequences become U+FFFD
 * @param multiline joins lines into one event (stack traces); absent: one event per line
 * @param mode {@code notify}: kernel change notification (inotify) with a slow periodic scan as safety net;
 *        {@code poll}: stat only (network filesystems)
 * @param pollInterval in {@code poll} mode, and in {@code notify} mode while some directory cannot be watched (the
 *        inotify watch limit), how often the globs are expanded again and every file is checked for new data
 * @param scanInterval in {@code notify} mode, how often the globs are expanded again and every file is checked
 *        although no notification said so: the safety net for changes the kernel does not report (a network
 *        filesystem written to by another machine). The shortest wait: it doubles, up to ten times, while scans find
 *        nothing notifications missed ({@link SafetyScanInterval}). Overflows (events dropped) are scanned for at once
 * @param partialLineFlush how long a last line without its newline is held before it is emitted as it is
 *        (flagged {@code partial}); 0 holds it until the newline arrives
 * @param closeInactive a file with no new data for this long is closed, and opened again when it changes
 * @param rotateWait how long a rotated or deleted file stays open after it was read to its end, for late writes
 * @param maxOpenFiles at most this many files are held open; the least recently active are closed beyond that
 * @param batchMaxEvents at most this many events per batch handed to the agent
 * @param batchMaxBytes at most about this many bytes of lines per batch
 */
public record FileInputConfig(
        @Required @Description("absolute globs of the files to tail, ** crosses directories") List<String> paths,
        @Description("globs of files to leave out; without a / they match file names") List<String> exclude,
        @Description("beginning or end: where the files found at the very first start are read from") ReadFrom readFrom,
        @Description("longer lines are truncated and flagged") DataSize maxLineBytes,
        @Description("character set of the files") String encoding,
        @Description("joins continuation lines (stack traces) into one event") MultilineConfig multiline,
        @Description("notify (inotify with a safety-net scan) or poll (network filesystems)") Mode mode,
        @Description("poll mode (or a directory that cannot be watched): how often globs are expanded and all files checked") Duration pollInterval,
        @Description("notify mode: how often globs are expanded again and all files checked, as a safety net; doubles, up to ten times, while scans find nothing notifications missed") Duration scanInterval,
        @Description("emit a last line without newline after this long; 0 waits for the newline") Duration partialLineFlush,
        @Description("close files without new data for this long") Duration closeInactive,
        @Description("keep rotated or deleted files open this long after their end") Duration rotateWait,
        @Description("at most this many files open at once") Integer maxOpenFiles,
        @Description("at most this many events per batch") Integer batchMaxEvents,
        @Description("at most about this many bytes per batch") DataSize batchMaxBytes)
{
    public static final DataSize DEFAULT_MAX_LINE_BYTES = DataSize.ofBytes(LineSplitter.DEFAULT_MAX_LINE_BYTES);
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(60);

    public FileInputConfig
    {
        paths = paths == null ? List.of() : List.copyOf(paths);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        readFrom = readFrom == null ? ReadFrom.END : readFrom;
        maxLineBytes = maxLineBytes == null ? DEFAULT_MAX_LINE_BYTES : maxLineBytes;
        encoding = encoding == null ? "UTF-8" : encoding;
        mode = mode == null ? Mode.NOTIFY : mode;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        // notifications find changes at once; the scan only catches what they miss, and costs a stat of every file
        scanInterval = scanInterval == null ? DEFAULT_SCAN_INTERVAL : scanInterval;
        partialLineFlush = partialLineFlush == null ? Duration.ZERO : partialLineFlush;
        closeInactive = closeInactive == null ? Duration.ofMinutes(5) : closeInactive;
        rotateWait = rotateWait == null ? Duration.ofSeconds(5) : rotateWait;
        maxOpenFiles = maxOpenFiles == null ? 1024 : maxOpenFiles;
        batchMaxEvents = batchMaxEvents == null ? 1000 : batchMaxEvents;
        batchMaxBytes = batchMaxBytes == null ? DataSize.ofBytes(1 << 20) : batchMaxBytes;
    }

    /** Where the files found at the very first start are read from: {@code read_from: beginning|end}. */
    public enum ReadFrom
    {
        END, BEGINNING
    }

    /** How changes are noticed. */
    public enum Mode
    {
        NOTIFY, POLL
    }

    /**
     * Joins lines into one event. Set exactly one pattern; patterns are Java regular expressions searched anywhere
     * in the line (anchor them with {@code ^}).
     *
     * @param startPattern a line matching it starts a new event; other lines continue the current one
     * @param continuationPattern a line matching it continues the current event; other lines start a new one
     * @param timeout an event is emitted when no line was added to it for this long
     * @param maxLines an event is emitted when it has this many lines
     */
    public record MultilineConfig(
            @Description("a line matching this starts a new event") String startPattern,
            @Description("a line matching this continues the current event") String continuationPattern,
            @Description("emit a pending event after this long without a new line") Duration timeout,
            @Description("at most this many lines per event") Integer maxLines)
    {
        public MultilineConfig
        {
            timeout = timeout == null ? Duration.ofSeconds(1) : timeout;
            maxLines = maxLines == null ? 500 : maxLines;
        }
    }
}
