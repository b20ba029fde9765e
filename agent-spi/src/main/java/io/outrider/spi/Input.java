package io.outrider.spi;

/**
 * Reads a source and hands batches of events, with its checkpoints, to an {@link Emitter}.
 *
 * <p>Created by an {@link InputFactory} when its pipeline starts. The agent calls {@link #run} exactly once, on a
 * thread dedicated to this input, and {@link #close} from another thread when the pipeline stops. Every call is made
 * with the plugin's class loader as the thread's context class loader.
 */
@Stable
public interface Input
        extends AutoCloseable
{
    /**
     * Reads until {@link #close} is called (or, for a finite source, until it is exhausted), handing batches to
     * {@code emitter}. Resume from {@link ComponentContext#checkpoints()} of the context the input was created with.
     *
     * <p>Returns normally once closed. Throwing means the input failed: the agent logs the exception, marks the
     * input failed in its status and, unless the pipeline is stopping, creates and runs the input again after a
     * backoff, from the last committed checkpoints. {@link InterruptedException} (for instance out of
     * {@link Emitter#emit}) means "stop now".
     */
    void run(Emitter emitter)
            throws Exception;

    /**
     * Asks {@link #run} to return soon. Called from a thread other than the one running {@link #run}, possibly
     * before {@code run} started or after it returned, possibly more than once: must be idempotent and must not
     * block for long. Resources (file handles, watches) are released by {@code run} on its way out or here.
     */
    @Override
    void close();
}
