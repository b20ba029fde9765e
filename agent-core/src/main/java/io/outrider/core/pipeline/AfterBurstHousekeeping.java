package io.outrider.core.pipeline;

import io.outrider.core.storage.SqliteBuffer;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Gives back what a burst took once the buffer is quiet: the heap ({@link HeapTrimmer}) and the buffer file's free pages
 * ({@link SqliteBuffer#shrinkIfMostlyFree}). Looks every {@link HeapTrimmer#CHECK_INTERVAL_SECONDS} seconds on the
 * agent's timer thread while the buffer changes, and not at all while it is quiet: after a look that found nothing
 * changed since the one before and the heap trimmed (or not worth it), the agent waits for the buffer's next change
 * ({@link SqliteBuffer#onNextChange}) before it looks again. An idle agent's timer never wakes for it; each wake-up of
 * a thread costs an idle agent 2-20 ms of CPU on a virtual machine (measured on the 2-core bench machine), so a look
 * every 15 s was most of its idle CPU. The buffer is looked at only after an interval without appends: rewriting the
 * file while inputs append would hold them back for nothing.
 *
 * <p>Neither may stop the other: a JVM whose heap flags cannot be changed stops trimming (said once at DEBUG), and a
 * buffer that cannot be shrunk is said at WARN and looked at again next time.
 */
final class AfterBurstHousekeeping
{
    private static final System.Logger LOG = System.getLogger(AfterBurstHousekeeping.class.getName());

    private final SqliteBuffer buffer;
    private Optional<HeapTrimmer> heapTrimmer;
    private long seenSequence;
    private long seenChanges;
    private boolean shrinkFailed;

    AfterBurstHousekeeping(SqliteBuffer buffer, Optional<HeapTrimmer> heapTrimmer)
    {
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.heapTrimmer = requireNonNull(heapTrimmer, "heapTrimmer is null");
        this.seenSequence = buffer.lastSeq();
        this.seenChanges = buffer.changes();
    }

    /**
     * Starts looking: the first look after an interval, then one every interval while the buffer changes, and after a
     * look that found it quiet, one an interval after its next change.
     *
     * @param afterInterval runs a task once, an interval from now (the agent's timer); a task it refuses (a stopping
     *        agent) is dropped
     */
    void start(Consumer<Runnable> afterInterval)
    {
        requireNonNull(afterInterval, "afterInterval is null");
        afterInterval.accept(() -> lookAndPlanTheNext(afterInterval));
    }

    private void lookAndPlanTheNext(Consumer<Runnable> afterInterval)
    {
        if (look()) {
            afterInterval.accept(() -> lookAndPlanTheNext(afterInterval));
        }
        else {
            // quiet: the next append or acknowledgement plans the next look (from its own thread, right after it
            // committed), so an idle agent's timer sleeps
            buffer.onNextChange(seenChanges, () -> afterInterval.accept(() -> lookAndPlanTheNext(afterInterval)));
        }
    }

    /**
     * One look.
     *
     * @return whether to look again after an interval: the buffer changed since the last look, the heap is still to
     *         be looked at after the appends stopped, or a shrink failed; otherwise nothing will change until the
     *         buffer does
     */
    boolean look()
    {
        long changes = buffer.changes();
        heapTrimmer.ifPresent(trimmer -> {
            try {
                trimmer.check();
            }
            catch (RuntimeException e) {
                // a JVM whose heap flags cannot be changed: the heap stays as the launcher sized it
                LOG.log(System.Logger.Level.DEBUG, "cannot give the heap back after a burst: " + e);
                heapTrimmer = Optional.empty();
            }
        });
        long sequence = buffer.lastSeq();
        if (sequence == seenSequence) {
            try {
                buffer.shrinkIfMostlyFree();
                shrinkFailed = false;
            }
            catch (SQLException | RuntimeException e) {
                shrinkFailed = true;
                LOG.log(System.Logger.Level.WARNING, "cannot shrink the buffer file after a burst (tried again in "
                        + HeapTrimmer.CHECK_INTERVAL_SECONDS + " s): " + e.getMessage());
            }
        }
        seenSequence = sequence;
        boolean quiet = changes == seenChanges && !shrinkFailed && heapTrimmer.map(HeapTrimmer::settled).orElse(true);
        seenChanges = changes;
        return !quiet;
    }
}
