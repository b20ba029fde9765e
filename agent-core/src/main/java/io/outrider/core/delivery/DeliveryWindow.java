package io.outrider.core.delivery;

import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Output;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A {@link DeliveryLoop}'s batches in flight, for an output that delivers asynchronously ({@link Output#deliverAsync}):
 * up to {@code delivery.in_flight} batches outstanding. The next batch is read after the last one sent (a read
 * position apart from the cursor) and encoded while the collector answers the earlier ones.
 *
 * <p>Answers are settled strictly in buffer order, whatever order they come in: the cursor only ever advances over a
 * batch once every batch before it is settled, so a crash re-delivers, it never skips. A batch answered with anything
 * but {@link DeliveryResult.Kind#DELIVERED} (or a failed stage) makes the window wait for every batch still
 * outstanding and then hand that batch and each later one that was not delivered to the loop's one-at-a-time path
 * (retries, splitting, dead letters, the unauthorized pause, output-bug isolation), the answer already received
 * counting as its first attempt; the delivered ones are acknowledged in their turn. So with more than one batch in
 * flight the collector can receive a batch before it answered the one before, and a batch it accepted after an earlier
 * one failed is sent again; {@code in_flight: 1}, or an output without asynchronous delivery, keeps strict order. A
 * stop waits for the outstanding answers until the drain deadline and then abandons them unacknowledged.
 *
 * <p>Threads: the delivery thread alone sends, waits and settles, and owns the window of outstanding batches. An
 * answer comes on whatever thread completes the output's stage: it fills its {@link Outstanding} (published by a
 * volatile write) and wakes the delivery thread ({@link #wakeUp}), as the thread that stops the loop does once the
 * loop's {@code stopping} is true; the delivery thread waits for answers on this window's monitor and nowhere else.
 */
final class DeliveryWindow
{
    /** Settles one answered batch through the loop's one-at-a-time path; called on the delivery thread. */
    @FunctionalInterface
    interface Settler
    {
        void settle(Outstanding answered)
                throws InterruptedException, SQLException;
    }

    private final Output output;
    private final SqliteBuffer buffer;
    // most batches outstanding: delivery.in_flight
    private final int inFlight;
    private final BooleanSupplier stopping;
    private final LongSupplier drainDeadline;
    private final LongSupplier cursor;
    private final Settler settler;
    // the delivery thread's own: batches sent and not yet settled, in buffer order
    private final ArrayDeque<Outstanding> window = new ArrayDeque<>();

    /**
     * @param stopping whether the loop is stopping; read before {@code drainDeadline}
     * @param drainDeadline the stop's deadline (System.nanoTime), meaningful once {@code stopping}
     * @param cursor the loop's cursor, which {@code settler} advances
     */
    DeliveryWindow(Output output, SqliteBuffer buffer, int inFlight, BooleanSupplier stopping, LongSupplier drainDeadline, LongSupplier cursor,
            Settler settler)
    {
        this.output = requireNonNull(output, "output is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.inFlight = inFlight;
        this.stopping = requireNonNull(stopping, "stopping is null");
        this.drainDeadline = requireNonNull(drainDeadline, "drainDeadline is null");
        this.cursor = requireNonNull(cursor, "cursor is null");
        this.settler = requireNonNull(settler, "settler is null");
    }

    /**
     * One step of the windowed loop: settles what was answered, then sends the next batch if the window has room and
     * a batch is ready, or waits for the oldest answer. @return false when the buffer closed with nothing outstanding
     */
    boolean deliverNext(BatchAssembler batches)
            throws InterruptedException, SQLException
    {
        settleAnswered(false);
        if (window.size() >= inFlight) {
            settleAnswered(true);
            return true;
        }
        List<BufferedEvent> batch;
        if (window.isEmpty()) {
            batch = batches.next(cursor.getAsLong());
        }
        else {
            // with answers to acknowledge, no sleeping in the buffer for a batch to fill
            batch = batches.nextIfReady(window.peekLast().lastSeq());
        }
        if (batch.isEmpty()) {
            if (!window.isEmpty()) {
                settleAnswered(true);
                return true;
            }
            return !buffer.isClosed(); // nothing is appended to a closed buffer: waiting for an append again would spin
        }
        send(batch);
        return true;
    }

    /** Wakes the delivery thread where it waits for an answer; the loop's stop calls it once stopping is true. */
    void wakeUp()
    {
        synchronized (this) {
            notifyAll();
        }
    }

    private void send(List<BufferedEvent> batch)
            throws InterruptedException
    {
        if (stopping.getAsBoolean() && System.nanoTime() > drainDeadline.getAsLong()) {
            throw new InterruptedException("drain time is over");
        }
        StoredEvents events = new StoredEvents(batch);
        Outstanding outstanding = new Outstanding(batch, events, System.nanoTime());
        CompletionStage<DeliveryResult> stage;
        try {
            stage = output.deliverAsync(events);
            if (stage == null) {
                stage = CompletableFuture.completedFuture(null);
            }
        }
        catch (InterruptedException e) {
            throw e;
        }
        catch (RuntimeException | LinkageError e) {
            stage = CompletableFuture.failedFuture(e);
        }
        window.addLast(outstanding);
        stage.whenComplete((result, failure) -> {
            outstanding.answered(result, failure);
            wakeUp();
        });
    }

    /**
     * Settles the answered batches at the head of the window, in buffer order. A head that was not plainly delivered
     * is settled only once every batch outstanding has its answer, through the one-at-a-time path.
     *
     * @param waitForHead wait for the oldest batch's answer first
     */
    private void settleAnswered(boolean waitForHead)
            throws InterruptedException, SQLException
    {
        while (!window.isEmpty()) {
            Outstanding head = window.peekFirst();
            if (!head.isAnswered()) {
                if (!waitForHead) {
                    return;
                }
                awaitAnswer(head);
            }
            waitForHead = false;
            if (!head.delivered()) {
                // the one-at-a-time path may call the output again: nothing may still be in flight beside it
                for (Outstanding later : window) {
                    awaitAnswer(later);
                }
            }
            window.removeFirst();
            settler.settle(head);
        }
    }

    /** Waits for a batch's answer; at the drain deadline of a stop, abandons it (nothing is acknowledged). */
    private void awaitAnswer(Outstanding outstanding)
            throws InterruptedException
    {
        synchronized (this) {
            while (!outstanding.isAnswered()) {
                if (stopping.getAsBoolean()) {
                    long left = drainDeadline.getAsLong() - System.nanoTime();
                    if (left <= 0) {
                        throw new InterruptedException("drain time is over");
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                else {
                    // the answer notifies, and so does stop() (through wakeUp)
                    wait();
                }
            }
        }
    }

    /** A batch sent by {@link Output#deliverAsync}; answered from whatever thread completes its stage. */
    static final class Outstanding
    {
        final List<BufferedEvent> batch;
        final StoredEvents events;
        private final long sentNanos;
        private volatile boolean answered;
        private DeliveryResult result;
        private Throwable failure;
        private long answeredNanos;

        Outstanding(List<BufferedEvent> batch, StoredEvents events, long sentNanos)
        {
            this.batch = batch;
            this.events = events;
            this.sentNanos = sentNanos;
        }

        void answered(DeliveryResult result, Throwable failure)
        {
            this.result = result;
            this.failure = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            this.answeredNanos = System.nanoTime();
            // the volatile write publishes the fields above to the delivery thread
            answered = true;
        }

        boolean isAnswered()
        {
            return answered;
        }

        /** When the batch was handed to the output ({@link System#nanoTime}). */
        long sentNanos()
        {
            return sentNanos;
        }

        /** The output's answer; null when its stage completed with nothing or failed. Only once answered. */
        DeliveryResult result()
        {
            return result;
        }

        /** What the stage failed with (a {@link CompletionException} unwrapped), or null. Only once answered. */
        Throwable failure()
        {
            return failure;
        }

        /** From the send to the answer, in nanoseconds. Only once answered. */
        long answerNanos()
        {
            return answeredNanos - sentNanos;
        }

        /** Answered, with DELIVERED (skips allowed) and no event that could not be read back. */
        boolean delivered()
        {
            return failure == null && result != null && result.kind() == DeliveryResult.Kind.DELIVERED && events.decodeFailure() == null;
        }

        long lastSeq()
        {
            return batch.get(batch.size() - 1).seq();
        }
    }
}
