package io.outrider.plugin.file;

import io.outrider.spi.ComponentMetrics;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The file input's metrics, registered once when the input is created (so they are listed before it runs) and
 * shared by the parts that count. Counters and gauges are thread-safe; the input's thread writes them, the agent's
 * status reads them.
 */
final class FileInputMetrics
{
    final ComponentMetrics.Counter truncatedLines;
    final ComponentMetrics.Counter skippedBytes;
    final ComponentMetrics.Counter truncations;
    final ComponentMetrics.Counter rotations;
    final ComponentMetrics.Counter released;
    final ComponentMetrics.Counter lostBytes;
    final AtomicInteger openFiles = new AtomicInteger();
    final AtomicInteger trackedFiles = new AtomicInteger();

    FileInputMetrics(ComponentMetrics metrics)
    {
        this.truncatedLines = metrics.counter("truncated_lines_total", "lines longer than max_line_bytes, cut and flagged");
        this.skippedBytes = metrics.counter("skipped_bytes_total", "bytes dropped from lines longer than max_line_bytes");
        this.truncations = metrics.counter("truncations_total", "files found truncated or rewritten, read again from the start");
        this.rotations = metrics.counter("rotations_total", "files renamed or deleted while followed");
        this.released = metrics.counter("files_released_total", "files rotated away or deleted, read to their end and released");
        this.lostBytes = metrics.counter("lost_bytes_total", "bytes known to be lost unread: rotated into compressed files, or deleted, before they were read");
        metrics.gauge("files_open", "files held open", openFiles::get);
        metrics.gauge("files_tracked", "files followed", trackedFiles::get);
    }
}
