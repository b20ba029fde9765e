package io.outrider.plugin.file;

import io.outrider.spi.Input;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A file input running on its own thread, as the agent runs it. */
final class RunningInput
{
    private final Input input;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private RunningInput(Input input, CollectingEmitter emitter)
    {
        this.input = input;
        this.thread = new Thread(() -> {
            try {
                input.run(emitter);
            }
            catch (Throwable e) {
                failure.set(e);
            }
        }, "file-input-under-test");
        thread.setDaemon(true);
    }

    /** Creates the input through its factory and runs it; on a first start, returns once its first scan is committed. */
    static RunningInput start(FileInputConfig config, TestingComponentContext context, CollectingEmitter emitter)
            throws Exception
    {
        return start(new FileInputFactory().create(config, context), context, emitter);
    }

    /** Runs {@code input}, created with {@code context}; on a first start, returns once its first scan is committed. */
    static RunningInput start(Input input, TestingComponentContext context, CollectingEmitter emitter)
            throws Exception
    {
        RunningInput running = new RunningInput(input, emitter);
        running.thread.start();
        if (!context.checkpoints().containsKey(FilePositions.STARTED_KEY)) {
            // a first start commits this key once its first scan is done and its directories are watched
            await(() -> emitter.committedCheckpoints().containsKey(FilePositions.STARTED_KEY) || !running.thread.isAlive(), Duration.ofSeconds(10), "the input to start");
        }
        if (running.failure.get() != null) {
            throw new AssertionError("the input failed on start", running.failure.get());
        }
        return running;
    }

    /**
     * Creates the input through its factory and runs it, returning at once: what the agent does before it reports
     * that it started.
     */
    static RunningInput launch(FileInputConfig config, TestingComponentContext context, CollectingEmitter emitter)
            throws Exception
    {
        RunningInput running = new RunningInput(new FileInputFactory().create(config, context), emitter);
        running.thread.start();
        return running;
    }

    /** Asks the input to stop, as the agent does, without waiting (run may be blocked in emit). */
    void close()
    {
        input.close();
    }

    /** Closes the input and waits for run to return; fails if it failed. */
    void stop()
            throws InterruptedException
    {
        input.close();
        thread.join(Duration.ofSeconds(10).toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("run did not return within 10 s of close");
        }
        if (failure.get() != null) {
            throw new AssertionError("the input failed", failure.get());
        }
    }

    /** Waits for run to end by itself (a simulated crash) and returns what it threw. */
    Throwable awaitFailure(Duration timeout)
            throws InterruptedException
    {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            input.close();
            throw new AssertionError("the input did not fail within " + timeout);
        }
        return failure.get();
    }

    static void await(BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
