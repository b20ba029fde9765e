package io.outrider.plugin.file;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How long the file input waits for its next safety-net scan while every directory is watched (notify mode). The scan
 * is there for changes the kernel's notifications do not report: a network file system written by another host, a
 * watch that went wrong. Where notifications report everything, each scan finds nothing they had not, and on an idle
 * machine it is the input's only wake-up: a scan once a minute cost the idle agent 2-3 clock ticks each on the 2-core
 * bench VM, half of its idle CPU. So each scan that finds nothing new doubles the wait, up to {@value #MAX_FACTOR}
 * times {@code scan_interval}; one that finds something notifications missed goes back to {@code scan_interval} and
 * stays there until scans find nothing again.
 *
 * <p>Used by the input's thread only.
 */
final class SafetyScanInterval
{
    /** The longest wait, in multiples of scan_interval: 10 minutes with the default of 60 s. */
    static final int MAX_FACTOR = 10;

    private final long baseNanos;
    private final long maxNanos;
    private long nanos;

    SafetyScanInterval(Duration scanInterval)
    {
        requireNonNull(scanInterval, "scanInterval is null");
        this.baseNanos = scanInterval.toNanos();
        this.maxNanos = baseNanos > Long.MAX_VALUE / MAX_FACTOR ? Long.MAX_VALUE : baseNanos * MAX_FACTOR;
        this.nanos = baseNanos;
    }

    /** The wait before the next scan. */
    long nanos()
    {
        return nanos;
    }

    /**
     * Records what a scheduled scan found.
     *
     * @param foundMissed whether it found a change notifications had not reported (a file new, gone, renamed or
     *        changed without a notification)
     */
    void scanned(boolean foundMissed)
    {
        nanos = foundMissed ? baseNanos : nanos > maxNanos / 2 ? maxNanos : nanos * 2;
    }
}
