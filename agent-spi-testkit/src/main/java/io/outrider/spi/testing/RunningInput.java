package io.outrider.spi.testing;

import io.outrider.spi.Emitter;
import io.outrider.spi.Input;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs an {@link Input} the way the agent does: {@link Input#run} on a thread of its own, {@link Input#close} from
 * the test's thread. {@link #stop} closes it, waits for {@code run} to return and rethrows what it threw, so a test
 * sees an input that fails or does not stop.
 *
 * <pre>{@code
 * try (RunningInput running = RunningInput.start(factory.create(config, context), emitter)) {
 *     emitter.awaitEvents(3, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * @since SPI 1.1
 */
public final class RunningInput
        implements AutoCloseable
{
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Input input;
    private final Thread thread;
    private volatile Throwable failure;

    private RunningInput(Input input, Emitter emitter, String name)
    {
        this.input = requireNonNull(input, "input is null");
        requireNonNull(emitter, "emitter is null");
        this.thread = new Thread(() -> {
            try {
                input.run(emitter);
            }
            catch (Throwable e) {
                failure = e;
            }
        }, name);
        this.thread.setDaemon(true);
    }

    public static RunningInput start(Input input, Emitter emitter)
    {
        RunningInput running = new RunningInput(input, emitter, "test-input");
        running.thread.start();
        return running;
    }

    /** Whether {@code run} is still running. */
    public boolean isRunning()
    {
        return thread.isAlive();
    }

    /** What {@code run} threw so far, or null. */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * Waits for {@code run} to end by itself, without closing the input: for a test whose input must fail (a
     * missing file, an emitter that throws).
     *
     * @return what {@code run} threw, or null when it returned
     * @throws AssertionError when {@code run} is still running after {@code timeout}
     */
    public Throwable awaitEnd(Duration timeout)
            throws InterruptedException
    {
        thread.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()) + 1);
        if (thread.isAlive()) {
            throw new AssertionError("input did not return from run() by itself within " + timeout);
        }
        return failure;
    }

    /**
     * Closes the input and waits for {@code run} to return.
     *
     * @throws AssertionError when {@code run} does not return within {@code timeout}, or threw (the cause)
     */
    public void stop(Duration timeout)
            throws InterruptedException
    {
        input.close();
        thread.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()) + 1);
        if (thread.isAlive()) {
            thread.interrupt();
            throw new AssertionError("input did not return from run() within " + timeout + " after close()");
        }
        if (failure != null && !(failure instanceof InterruptedException)) {
            throw new AssertionError("input failed: " + failure, failure);
        }
    }

    /** {@link #stop(Duration)} with 30 seconds. */
    @Override
    public void close()
            throws InterruptedException
    {
        stop(DEFAULT_STOP_TIMEOUT);
    }
}
