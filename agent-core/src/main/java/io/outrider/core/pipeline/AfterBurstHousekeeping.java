package io.outrider.core.pipeline;

import io.outrider.core.storage.SqliteBuffer;

import java.sql.SQLException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Gives back what a burst took once appends stop: the heap ({@link HeapTrimmer}) and the buffer file's free pages
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
     * One look.
     *
     * @return whether to look again after an interval: the buffer changed since the last look, the heap is still to
     *         be looked at after the appends stopped, or a shrink failed; otherwise nothing will change until the
     *         buffer does (wait with {@link SqliteBuffer#onNextChange} and {@link #changesSeen})
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

    /** What {@link SqliteBuffer#changes} was at the start of the last look. */
    long changesSeen()
    {
        return seenChanges;
    }
}
