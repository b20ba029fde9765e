package io.outrider.core.pipeline;

import io.outrider.core.storage.SqliteBuffer;

import java.sql.SQLException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Gives back what a burst took once appends stop: the heap ({@link HeapTrimmer}) and the buffer file's free pages
 * ({@link SqliteBuffer#shrinkIfMostlyFree}). One look every {@link HeapTrimmer#CHECK_INTERVAL_SECONDS} seconds on the
 * agent's timer thread, the one wake-up an idle agent has for both. The buffer is looked at only after an interval
 * without appends: rewriting the file while inputs append would hold them back for nothing.
 *
 * <p>Neither may stop the other: a JVM whose heap flags cannot be changed stops trimming (said once at DEBUG), and a
 * buffer that cannot be shrunk is said at WARN and looked at again next time.
 */
final class AfterBurstHousekeeping
        implements Runnable
{
    private static final System.Logger LOG = System.getLogger(AfterBurstHousekeeping.class.getName());

    private final SqliteBuffer buffer;
    private Optional<HeapTrimmer> heapTrimmer;
    private long seenSequence;

    AfterBurstHousekeeping(SqliteBuffer buffer, Optional<HeapTrimmer> heapTrimmer)
    {
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.heapTrimmer = requireNonNull(heapTrimmer, "heapTrimmer is null");
        this.seenSequence = buffer.lastSeq();
    }

    @Override
    public void run()
    {
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
            }
            catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot shrink the buffer file after a burst (tried again in "
                        + HeapTrimmer.CHECK_INTERVAL_SECONDS + " s): " + e.getMessage());
            }
        }
        seenSequence = sequence;
    }
}
