package io.outrider.plugin.fim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Paths reported changed by the kernel, waiting until they settle, and notification losses. The watcher thread
 * adds; the run thread waits here for work.
 *
 * <p>A path is due once it stayed quiet for the debounce time since its last notification, so a file written in
 * many small steps is examined once, after the last; a path that never settles is still examined after ten debounce
 * times. When more than {@code maxPending} paths wait, further paths are not remembered one by one: their directory
 * is marked as lost, which the input answers with a rescan and a gap event, as for a kernel queue overflow.
 */
final class ChangeQueue
{
    private final long debounceNanos;
    private final long maxDelayNanos;
    private final int maxPending;
    private final LongSupplier nanoTime;
    private final Map<Path, long[]> pending = new HashMap<>();
    private final Set<Path> lostDirectories = new LinkedHashSet<>();
    private int losses;
    private boolean woken;

    ChangeQueue(long debounceNanos, int maxPending, LongSupplier nanoTime)
    {
        this.debounceNanos = debounceNanos;
        this.maxDelayNanos = debounceNanos * 10;
        this.maxPending = maxPending;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** A notification about {@code path}. */
    synchronized void changed(Path path)
    {
        long now = nanoTime.getAsLong();
        long[] times = pending.get(path);
        if (times != null) {
            times[1] = Math.min(now + debounceNanos, times[0] + maxDelayNanos);
            return;
        }
        if (pending.size() >= maxPending) {
            lost(path.getParent() == null ? path : path.getParent());
            return;
        }
        pending.put(path, new long[] {now, now + debounceNanos});
        notifyAll();
    }

    /** Notifications about entries of {@code directory} were lost (kernel queue overflow or too many pending). */
    synchronized void lost(Path directory)
    {
        lostDirectories.add(directory);
        losses++;
        notifyAll();
    }

    /** Makes a waiting {@link #await} return now. */
    synchronized void wakeUp()
    {
        woken = true;
        notifyAll();
    }

    synchronized int pendingCount()
    {
        return pending.size();
    }

    /**
     * Waits until paths are due, losses are reported or {@code deadlineNanos} passes, whichever comes first.
     * Losses reported before {@code lossesAllowedAtNanos} do not end the wait before that time.
     */
    synchronized Work await(long deadlineNanos, long lossesAllowedAtNanos)
            throws InterruptedException
    {
        while (true) {
            long now = nanoTime.getAsLong();
            boolean lossesDue = !lostDirectories.isEmpty() && now - lossesAllowedAtNanos >= 0;
            long nextDue = Long.MAX_VALUE;
            List<Path> due = new ArrayList<>();
            for (Map.Entry<Path, long[]> entry : pending.entrySet()) {
                long dueAt = entry.getValue()[1];
                if (now - dueAt >= 0) {
                    due.add(entry.getKey());
                }
                else {
                    nextDue = Math.min(nextDue, dueAt);
                }
            }
            if (!due.isEmpty() || lossesDue || woken || now - deadlineNanos >= 0) {
                due.forEach(pending::remove);
                woken = false;
                Work work = new Work(List.copyOf(due), lossesDue ? List.copyOf(lostDirectories) : List.of(), lossesDue ? losses : 0);
                if (lossesDue) {
                    lostDirectories.clear();
                    losses = 0;
                }
                return work;
            }
            long wakeAt = deadlineNanos;
            if (nextDue != Long.MAX_VALUE && nextDue - wakeAt < 0) {
                wakeAt = nextDue;
            }
            if (!lostDirectories.isEmpty() && lossesAllowedAtNanos - wakeAt < 0) {
                wakeAt = lossesAllowedAtNanos;
            }
            long waitNanos = Math.max(1, wakeAt - now);
            wait(Math.max(1, waitNanos / 1_000_000), 0);
        }
    }

    /**
     * What the run thread has to do.
     *
     * @param duePaths paths that settled
     * @param lostDirectories directories whose notifications were lost
     * @param losses how many losses were reported
     */
    record Work(List<Path> duePaths, List<Path> lostDirectories, int losses) {}
}
