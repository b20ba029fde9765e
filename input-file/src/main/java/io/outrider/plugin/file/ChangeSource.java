package io.outrider.plugin.file;

import java.nio.file.Path;
import java.util.Set;

/**
 * Tells the input when something may have changed. {@link #await} and {@link #watch} are called from the input's
 * thread only; {@link #wakeUp()} from any thread.
 */
interface ChangeSource
        extends AutoCloseable
{
    /**
     * What changed since the last call.
     *
     * @param modified files written to
     * @param structural entries created, deleted or renamed
     * @param overflow the kernel dropped events: everything must be checked
     */
    record Changes(Set<Path> modified, Set<Path> structural, boolean overflow)
    {
        static final Changes NONE = new Changes(Set.of(), Set.of(), false);

        boolean isEmpty()
        {
            return modified.isEmpty() && structural.isEmpty() && !overflow;
        }
    }

    /**
     * Watches exactly these directories from now on.
     *
     * @return those of them that were not watched before (new, or gone and created again): what happened there
     *         before now may have gone unnoticed
     */
    Set<Path> watch(Set<Path> directories);

    /**
     * Whether {@code directory} was watched as of the last {@link #watch} call: a notification that it is gone is
     * about a directory followed files may have been in.
     */
    boolean watches(Path directory);

    /**
     * Whether every directory asked for is watched: if not, changes are found only by stat, and the input must poll
     * (at {@code poll_interval}) instead of waiting for notifications.
     */
    boolean watchesEverything();

    /** Waits up to {@code timeoutNanos} (0: not at all) for changes and returns those seen. */
    Changes await(long timeoutNanos)
            throws InterruptedException;

    /** Makes a waiting {@link #await} return; after this the source may stop reporting. Idempotent. */
    void wakeUp();

    @Override
    void close();
}
