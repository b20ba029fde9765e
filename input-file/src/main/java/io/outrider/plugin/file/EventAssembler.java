package io.outrider.plugin.file;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.support.LineEncoding;
import io.outrider.support.LineSplitter;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Turns the bytes read from a file into events: each followed file gets a line splitter (lines longer than
 * {@code max_line_bytes} are cut and flagged {@code truncated}, a last line without its newline is flagged
 * {@code partial}) and, with {@code multiline}, an aggregator that joins lines into groups (flagged
 * {@code multiline}); each event carries the file's path, offset, size and modification time and the host name, and
 * goes into the batch with the file's position. Also owns the time limits of what it holds back: partial lines
 * ({@code partial_line_flush}) and multi-line groups ({@code multiline.timeout}).
 *
 * <p>Created for one run of the input and used on its thread only.
 */
final class EventAssembler
{
    /** Fields of an event of a line: path, offset, size, modification time, host name, and the flags of some. */
    private static final int EVENT_FIELDS = 6;

    private final FileInputConfig config;
    private final ComponentContext context;
    private final LineEncoding encoding;
    private final int maxLineBytes;
    private final Pattern multilineStart;
    private final Pattern multilineContinuation;
    private final String hostName;
    private final FileInputMetrics metrics;
    private final Batch batch;

    EventAssembler(FileInputConfig config, ComponentContext context, LineEncoding encoding, Pattern multilineStart, Pattern multilineContinuation,
            FileInputMetrics metrics, Batch batch)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.encoding = requireNonNull(encoding, "encoding is null");
        this.maxLineBytes = (int) config.maxLineBytes().bytes();
        this.multilineStart = multilineStart;
        this.multilineContinuation = multilineContinuation;
        this.hostName = context.hostName();
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.batch = requireNonNull(batch, "batch is null");
    }

    /** A file to follow from {@code offset}, whose lines become events of this assembler. */
    TrackedFile newFile(FileIdentity identity, Path path, Path realPath, long offset)
    {
        MultilineAggregator multiline = config.multiline() == null ? null
                : new MultilineAggregator(multilineStart, multilineContinuation, config.multiline().maxLines(), maxLineBytes);
        TrackedFile file = new TrackedFile(identity, path, realPath, new LineSplitter(encoding, maxLineBytes, offset), multiline);
        file.lineSink = line -> onLine(file, line);
        file.lastDataNanos = context.nanoTime();
        return file;
    }

    /** Emits what {@code file} holds back (a last line without its newline, a multi-line group): nothing will follow it. */
    void flushPending(TrackedFile file)
            throws InterruptedException
    {
        file.splitter.flushPartial(file.lineSink);
        if (file.multiline != null) {
            file.multiline.flush(group -> onGroup(file, group));
        }
    }

    /** Emits a partial line or a multi-line group of {@code file} that waited long enough. */
    void applyTimeLimits(TrackedFile file, long now)
            throws InterruptedException
    {
        long partialFlush = config.partialLineFlush().toNanos();
        if (partialFlush > 0 && file.splitter.hasPartialLine() && now - file.lastDataNanos >= partialFlush) {
            file.readTime = context.clock().instant();
            if (file.splitter.flushPartial(file.lineSink)) {
                batch.moved(file);
            }
        }
        if (file.multiline != null && file.multiline.hasPending() && now - file.multiline.lastAddedNanos() >= config.multiline().timeout().toNanos()) {
            file.multiline.flush(group -> onGroup(file, group));
            batch.moved(file);
        }
    }

    /** The earlier of {@code deadline} and when {@link #applyTimeLimits} has something to emit for {@code file}. */
    long nextDeadline(TrackedFile file, long deadline)
    {
        long partialFlush = config.partialLineFlush().toNanos();
        if (partialFlush > 0 && file.splitter.hasPartialLine()) {
            deadline = Math.min(deadline, file.lastDataNanos + partialFlush);
        }
        if (file.multiline != null && file.multiline.hasPending()) {
            deadline = Math.min(deadline, file.multiline.lastAddedNanos() + config.multiline().timeout().toNanos());
        }
        return deadline;
    }

    private void onLine(TrackedFile file, LineSplitter.Line line)
            throws InterruptedException
    {
        if (line.truncated()) {
            metrics.truncatedLines.increment();
            metrics.skippedBytes.add(line.skippedBytes());
        }
        if (file.multiline != null) {
            file.multiline.add(line, context.nanoTime(), group -> onGroup(file, group));
            return;
        }
        List<String> flags = line.truncated()
                ? (line.partial() ? List.of("truncated", "partial") : List.of("truncated"))
                : (line.partial() ? List.of("partial") : List.of());
        emitEvent(file, line.start(), line.text(), flags, line.end() - line.start());
    }

    private void onGroup(TrackedFile file, MultilineAggregator.Group group)
            throws InterruptedException
    {
        List<String> flags = new ArrayList<>(3);
        if (group.lines() > 1) {
            flags.add("multiline");
        }
        if (group.truncated()) {
            flags.add("truncated");
        }
        if (group.partial()) {
            flags.add("partial");
        }
        emitEvent(file, group.start(), group.text(), flags, group.text().length());
    }

    private void emitEvent(TrackedFile file, long offset, String message, List<String> flags, long bytes)
            throws InterruptedException
    {
        Instant timestamp = file.readTime == Instant.EPOCH ? context.clock().instant() : file.readTime;
        // a file's size changes once per read, not per line: one boxed value for all its lines
        Long size = file.boxedSize;
        if (size == null || size != file.size) {
            size = file.size;
            file.boxedSize = size;
        }
        Event.Builder event = Event.builder(EVENT_FIELDS)
                .timestamp(timestamp)
                .message(message)
                .field(Fields.LOG_FILE_PATH, file.pathText)
                .field(Fields.LOG_OFFSET, offset)
                .field(Fields.LOG_FILE_SIZE, size)
                .field(Fields.LOG_FILE_MTIME, file.lastModifiedText)
                .field(Fields.HOST_NAME, hostName);
        if (!flags.isEmpty()) {
            event.field(Fields.LOG_FLAGS, flags);
        }
        batch.add(event.build(), bytes, file);
    }
}
