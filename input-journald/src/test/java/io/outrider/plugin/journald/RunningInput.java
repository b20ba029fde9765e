package io.outrider.plugin.journald;

import io.outrider.spi.Input;
import io.outrider.spi.testing.CollectingEmitter;

import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/** An input running on its own thread as the agent runs it; {@link #close()} stops it and rethrows its failure. */
final class RunningInput
        implements AutoCloseable
{
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final Input input;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    RunningInput(Input input, CollectingEmitter emitter)
    {
        this.input = requireNonNull(input, "input is null");
        requireNonNull(emitter, "emitter is null");
        this.thread = new Thread(() -> {
            try {
                input.run(emitter);
            }
            catch (Throwable e) {
                failure.set(e);
            }
        }, "journald-input-test");
        thread.start();
    }

    /** Waits for {@code run} to end by itself (a failure), at most the stop timeout. @return its failure */
    Throwable awaitFailure()
            throws InterruptedException
    {
        thread.join(STOP_TIMEOUT_MILLIS);
        if (thread.isAlive()) {
            throw new AssertionError("the input did not fail within " + STOP_TIMEOUT_MILLIS + " ms");
        }
        return failure.get();
    }

    /** Closes the input and waits for {@code run} to return. @throws AssertionError if it did not, or failed */
    @Override
    public void close()
    {
        input.close();
        try {
            thread.join(STOP_TIMEOUT_MILLIS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the input to stop", e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("the input did not stop within " + STOP_TIMEOUT_MILLIS + " ms of close()");
        }
        Throwable thrown = failure.get();
        if (thrown != null) {
            throw new AssertionError("the input failed: " + thrown, thrown);
        }
    }
}
