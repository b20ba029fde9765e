package io.outrider.core.pipeline;

import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.MetricCounter;
import io.outrider.core.storage.BatchEncoder;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Runs one input on its own thread: creates it from its factory with the last committed checkpoints, calls
 * {@link Input#run}, and when the input fails creates and runs it again after a capped exponential backoff, from
 * the checkpoints committed by then. Its {@link Emitter} runs the parser chain and commits events and checkpoints
 * to the buffer in one transaction. The chain is this runner's own (parsers are called on this runner's thread only)
 * and is closed when the runner ends, or by {@link #discard} when it never starts.
 */
final class InputRunner
{
    private static final System.Logger LOG = System.getLogger(InputRunner.class.getName());
    private static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(1);

    private final ComponentSpec spec;
    private final Function<ComponentSpec, ComponentContext> contexts;
    private final SqliteBuffer buffer;
    private final ParserChain parsers;
    private final EventTap tap;
    private final SecretRegistry secrets;
    private final MetricCounter eventsIn;
    private final MetricCounter restarts;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Used on the runner's thread only, by its emitter. */
    private final BatchEncoder batch;
    private final Thread thread;
    private volatile Input current;
    private volatile boolean stopping;
    private volatile ComponentState state = ComponentState.STARTING;
    private volatile String lastError = "";
    private volatile long lastErrorMillis;
    private final MetricCounter eventsCut;
    /** When an event was last said to be cut (nanoTime), for one WARN at most every 10 s; the input's thread only. */
    private long cutSaidAt;
    private boolean cutSaid;

    InputRunner(ComponentSpec spec, Function<ComponentSpec, ComponentContext> contexts, SqliteBuffer buffer, ParserChain parsers, EventTap tap, SecretRegistry secrets,
            MetricCounter eventsIn, MetricCounter restarts, MetricCounter eventsCut)
    {
        this.spec = requireNonNull(spec, "spec is null");
        this.contexts = requireNonNull(contexts, "contexts is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.parsers = requireNonNull(parsers, "parsers is null");
        this.tap = requireNonNull(tap, "tap is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.eventsIn = requireNonNull(eventsIn, "eventsIn is null");
        this.restarts = requireNonNull(restarts, "restarts is null");
        this.eventsCut = requireNonNull(eventsCut, "eventsCut is null");
        this.batch = buffer.newBatchEncoder();
        this.thread = new Thread(this::loop, "input-" + spec.qualifiedId());
    }

    /** Creates the input once, synchronously, so a configuration that cannot work fails the start. */
    Input create()
            throws Exception
    {
        return createInput(spec, contexts.apply(spec));
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Input createInput(ComponentSpec spec, ComponentContext context)
            throws Exception
    {
        return ((InputFactory<C>) spec.factory().factory()).create((C) spec.config(), context);
    }

    void start(Input first)
    {
        current = first;
        thread.start();
    }

    private void loop()
    {
        Duration delay = FIRST_RESTART_DELAY;
        try {
            while (!stopping) {
                Input input = current;
                if (input == null) {
                    try {
                        input = create();
                        current = input;
                        if (stopping) {
                            closeQuietly(input);
                            break;
                        }
                    }
                    catch (Exception e) {
                        failed(e);
                        if (!sleep(delay)) {
                            break;
                        }
                        delay = next(delay);
                        continue;
                    }
                }
                state = ComponentState.RUNNING;
                long started = System.nanoTime();
                BufferEmitter emitter = new BufferEmitter();
                try {
                    input.run(emitter);
                    if (emitter.brokenParser != null) {
                        // the input swallowed what emit threw and returned
                        failed(emitter.brokenParser);
                    }
                    else if (!stopping) {
                        state = ComponentState.FINISHED;
                        LOG.log(System.Logger.Level.INFO, "input " + spec.qualifiedId() + " finished reading its source");
                        return;
                    }
                }
                catch (InterruptedException e) {
                    if (emitter.brokenParser != null) {
                        failed(emitter.brokenParser);
                    }
                    else if (!stopping) {
                        failed(e);
                    }
                }
                catch (Exception | LinkageError | StackOverflowError e) {
                    if (stopping && e instanceof IllegalStateException) {
                        break;
                    }
                    // an input's own stack overflow is a bug of the input, restarted like its exceptions: a dead thread read nothing more
                    failed(emitter.brokenParser != null ? emitter.brokenParser : e);
                }
                finally {
                    closeQuietly(input);
                    current = null;
                }
                if (stopping) {
                    break;
                }
                if (System.nanoTime() - started > MAX_RESTART_DELAY.toNanos()) {
                    delay = FIRST_RESTART_DELAY;
                }
                restarts.increment();
                if (!sleep(delay)) {
                    break;
                }
                delay = next(delay);
            }
        }
        finally {
            if (state != ComponentState.FINISHED) {
                state = ComponentState.STOPPED;
            }
            parsers.close();
            finished.countDown();
        }
    }

    /** Counts an event stored cut (see {@link io.outrider.core.storage.BatchEncoder#MAX_EVENT_BYTES}) and says so, at most every 10 s. */
    private void cut(Event event)
    {
        eventsCut.increment();
        long now = System.nanoTime();
        if (!cutSaid || now - cutSaidAt > 10_000_000_000L) {
            cutSaid = true;
            cutSaidAt = now;
            LOG.log(System.Logger.Level.WARNING, "input " + spec.qualifiedId() + " made an event of more than " + (io.outrider.core.storage.BatchEncoder.MAX_EVENT_BYTES >> 20)
                    + " MiB (after its pipeline's parsers; message of " + event.message().length() + " characters): it is stored cut, each string to "
                    + "64 KiB, lists and maps left out, flagged truncated (counted in outrider_events_cut_total; said at most every 10 s)");
        }
    }

    /** Releases what a runner that will never {@link #start} holds: its parsers. */
    void discard()
    {
        parsers.close();
    }

    private void failed(Throwable e)
    {
        state = ComponentState.FAILED;
        lastErrorMillis = System.currentTimeMillis();
        lastError = secrets.redact(String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        // a source that is not there (yet) is the world's state, said in its message: a stack trace at every retry was noise;
        // anything else may be a bug of the plugin, and its trace is what its author needs
        LOG.log(System.Logger.Level.ERROR, "input " + spec.qualifiedId() + " (" + spec.type() + ") failed; it restarts from its last committed position: "
                + secrets.redact(String.valueOf(e)), e instanceof java.io.IOException ? null : e);
    }

    private boolean sleep(Duration delay)
    {
        try {
            return !finishedOrStopping(delay);
        }
        catch (InterruptedException e) {
            return false;
        }
    }

    private boolean finishedOrStopping(Duration delay)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (this) {
            while (!stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    private static Duration next(Duration delay)
    {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : doubled;
    }

    /** Asks the input to stop; does not wait. */
    void stop()
    {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        Input input = current;
        if (input != null) {
            closeQuietly(input);
        }
    }

    /** Waits for the input thread; interrupts it (e.g. blocked on back-pressure) when it takes too long. */
    boolean await(Duration timeout)
            throws InterruptedException
    {
        if (!thread.isAlive() && finished.getCount() == 1) {
            return true;
        }
        if (finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        thread.interrupt();
        return finished.await(1, TimeUnit.SECONDS);
    }

    private void closeQuietly(Input input)
    {
        try {
            input.close();
        }
        catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "input " + spec.qualifiedId() + " failed to close: " + secrets.redact(String.valueOf(e)));
        }
    }

    ComponentSpec spec()
    {
        return spec;
    }

    ComponentState state()
    {
        return state;
    }

    String lastError()
    {
        return lastError;
    }

    /** When {@link #lastError()} happened (epoch milliseconds), 0 when the input has not failed. */
    long lastErrorMillis()
    {
        return lastError.isEmpty() ? 0 : lastErrorMillis;
    }

    /** The input's emitter: parse, then commit events and checkpoints together. */
    private final class BufferEmitter
            implements Emitter
    {
        /** Set when a parser could not link: from then on this input instance commits nothing (see {@link ParserChain.ParserCannotLinkException}). */
        private volatile ParserChain.ParserCannotLinkException brokenParser;

        @Override
        public void emit(List<Event> events, Collection<Checkpoint> checkpoints)
                throws InterruptedException
        {
            requireNonNull(events, "events is null");
            requireNonNull(checkpoints, "checkpoints is null");
            if (stopping && Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("input is stopping");
            }
            if (brokenParser != null) {
                // an input that caught the first one and read on: its later checkpoints would pass the lines not committed
                throw stopInput();
            }
            try {
                parseAndAppend(events, checkpoints);
            }
            catch (ParserChain.ParserCannotLinkException e) {
                brokenParser = e;
                throw stopInput();
            }
        }

        /** What makes an input return from {@code run}, as at a stop: the SPI tells every input to end on it. */
        private InterruptedException stopInput()
        {
            return new InterruptedException(brokenParser.getMessage());
        }

        private void parseAndAppend(List<Event> events, Collection<Checkpoint> checkpoints)
                throws InterruptedException
        {
            List<Event> parsed;
            // waits here while the buffer or the disk is full; the status shows the input blocked meanwhile
            try {
                if (Thread.currentThread() == thread) {
                    // each event is encoded as soon as the parsers made it, while it is still in the processor's cache,
                    // and kept to the end of the batch only for a tap that is reading: kept always, a batch's thousand
                    // parsed events were most of what each young collection copied (see docs/footprint.md, session 18)
                    List<Event> made = tap.isTapped() ? new ArrayList<>(events.size()) : null;
                    batch.clear();
                    parsers.apply(events, event -> {
                        if (batch.add(event)) {
                            cut(event);
                        }
                        if (made != null) {
                            made.add(event);
                        }
                    });
                    parsed = made == null ? List.of() : made;
                    buffer.append(spec.pipelineId(), spec.id(), batch, checkpoints);
                }
                else {
                    // the SPI lets only the input's own thread emit; another one must not share the runner's encoder
                    parsed = parsers.apply(events);
                    buffer.append(spec.pipelineId(), spec.id(), parsed, checkpoints);
                }
            }
            catch (SQLException e) {
                throw new IllegalStateException("buffer write failed: " + e.getMessage(), e);
            }
            eventsIn.add(events.size());
            if (!lastError.isEmpty()) {
                // it reads again: status shows the input as it is, the log keeps what happened
                lastError = "";
            }
            tap.offer(spec.pipelineId(), spec.id(), parsed);
        }
    }
}
