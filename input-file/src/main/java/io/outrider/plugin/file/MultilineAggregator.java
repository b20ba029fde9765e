package io.outrider.plugin.file;

import io.outrider.support.LineSplitter;

import java.util.regex.Pattern;

/**
 * Joins the lines of one file into multi-line events (stack traces) by a start or a continuation pattern. The
 * pending event is emitted when the next one starts, when it reaches its line limit, or when the owner decides it
 * timed out. Not thread-safe: one per tracked file.
 */
final class MultilineAggregator
{
    /** Receives joined events. */
    interface GroupSink
    {
        void group(Group group)
                throws InterruptedException;
    }

    /**
     * One joined event.
     *
     * @param start offset of its first line
     * @param lines how many lines it joins
     * @param truncated whether a line was truncated or lines were left out because the event reached its size limit
     * @param partial whether its last line was flushed without a newline
     */
    record Group(long start, String text, int lines, boolean truncated, boolean partial) {}

    private final Pattern startPattern;
    private final Pattern continuationPattern;
    private final int maxLines;
    private final int maxChars;

    private StringBuilder text;
    private long start;
    private int lines;
    private boolean truncated;
    private boolean partial;
    private long lastAddedNanos;

    MultilineAggregator(Pattern startPattern, Pattern continuationPattern, int maxLines, int maxChars)
    {
        if ((startPattern == null) == (continuationPattern == null)) {
            throw new IllegalArgumentException("exactly one of startPattern and continuationPattern must be set");
        }
        this.startPattern = startPattern;
        this.continuationPattern = continuationPattern;
        this.maxLines = maxLines;
        this.maxChars = maxChars;
    }

    boolean hasPending()
    {
        return text != null;
    }

    /** Offset of the pending event's first line; only meaningful when {@link #hasPending()}. */
    long pendingStart()
    {
        return start;
    }

    /** When the last line was added to the pending event ({@code nanoTime}). */
    long lastAddedNanos()
    {
        return lastAddedNanos;
    }

    void add(LineSplitter.Line line, long nowNanos, GroupSink sink)
            throws InterruptedException
    {
        boolean startsEvent = startPattern != null
                ? startPattern.matcher(line.text()).find()
                : !continuationPattern.matcher(line.text()).find();
        if (text != null && !startsEvent) {
            if (text.length() + 1 + line.text().length() <= maxChars) {
                text.append('\n').append(line.text());
            }
            else {
                truncated = true;
            }
            lines++;
            truncated |= line.truncated();
            partial = line.partial();
            lastAddedNanos = nowNanos;
            if (lines >= maxLines) {
                flush(sink);
            }
            return;
        }
        // the new event becomes pending before the old one is handed on, so a batch committed on the way
        // records the new event's start as the position to resume from
        Group previous = takePending();
        text = new StringBuilder(line.text());
        start = line.start();
        lines = 1;
        truncated = line.truncated();
        partial = line.partial();
        lastAddedNanos = nowNanos;
        if (previous != null) {
            sink.group(previous);
        }
    }

    /** Emits the pending event, if any. */
    void flush(GroupSink sink)
            throws InterruptedException
    {
        Group pending = takePending();
        if (pending != null) {
            sink.group(pending);
        }
    }

    /** Drops the pending event (the file was truncated under it). */
    void discard()
    {
        text = null;
    }

    private Group takePending()
    {
        if (text == null) {
            return null;
        }
        Group group = new Group(start, text.toString(), lines, truncated, partial);
        text = null;
        return group;
    }
}
