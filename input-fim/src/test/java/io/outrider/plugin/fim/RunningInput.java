package io.outrider.plugin.fim;

import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Input;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A {@code fim} input running on its own thread against a {@link CollectingEmitter}, as the agent runs it. */
final class RunningInput
        implements AutoCloseable
{
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Input input;
    private final Emitter emitter;
    private final CollectingEmitter collected;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private RunningInput(Input input, Emitter emitter, CollectingEmitter collected)
    {
        this.input = input;
        this.emitter = emitter;
        this.collected = collected;
        this.thread = new Thread(this::run, "test-fim-input");
    }

    static RunningInput start(FimInputConfig config, TestingComponentContext context, CollectingEmitter emitter)
            throws Exception
    {
        return start(config, context, emitter, emitter);
    }

    /** Runs against {@code emitter}, which hands what it commits on to {@code collected}. */
    static RunningInput start(FimInputConfig config, TestingComponentContext context, Emitter emitter, CollectingEmitter collected)
            throws Exception
    {
        FimInputFactory factory = new FimInputFactory();
        factory.validate(config);
        RunningInput running = new RunningInput(factory.create(config, context), emitter, collected);
        running.thread.start();
        return running;
    }

    private void run()
    {
        try {
            input.run(emitter);
        }
        catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Waits until {@code count} full scans completed; returns every event so far. */
    List<Event> awaitScans(int count)
            throws InterruptedException
    {
        return collected.awaitEvents(events -> scans(events) >= count || failure.get() != null, TIMEOUT, count + " scan_complete event(s)");
    }

    /** Waits until the run thread ended (e.g. after a failed emit) and returns what it threw. */
    Throwable awaitFailure()
            throws InterruptedException
    {
        thread.join(TIMEOUT.toMillis());
        return failure.get();
    }

    static long scans(List<Event> events)
    {
        return events.stream().filter(event -> "scan_complete".equals(event.field(Fields.EVENT_ACTION))).count();
    }

    /** Closes the input and checks that its run returned normally, soon. */
    @Override
    public void close()
    {
        input.close();
        try {
            thread.join(TIMEOUT.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the input to stop", e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("the input did not stop within " + TIMEOUT);
        }
        Throwable thrown = failure.get();
        if (thrown != null) {
            throw new AssertionError("the input failed: " + thrown, thrown);
        }
    }
}
