package io.outrider.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivers batches of events to a collector and says precisely what happened.
 *
 * <p>Created by an {@link OutputFactory} when its pipeline starts. The agent's delivery loop owns the guarantees:
 * it reads batches from the durable buffer, calls {@link #deliver}, and only advances this output's cursor on
 * {@link DeliveryResult#delivered()}. Retries with backoff, splitting, dead letters and pausing are the agent's
 * work; an output only encodes, sends and classifies the answer.
 *
 * <p>Threading: {@link #start}, {@link #deliver}, {@link #deliverAsync} and {@link #close} are called from this
 * output's own delivery thread, one call at a time. An output may run background threads of its own (a heartbeat)
 * between {@code start} and {@code close}. Every call is made with the plugin's class loader as context class loader.
 */
@Stable
public interface Output
        extends AutoCloseable
{
    /**
     * Opens connections and starts background work (e.g. a heartbeat). Called once before the first
     * {@link #deliver}. Throwing fails the pipeline's start (the agent reports the message and stops what it
     * already started); a collector that is merely unreachable is not a start failure: report it from
     * {@code deliver} as {@link DeliveryResult#retryLater}.
     */
    default void start()
            throws Exception
    {}

    /**
     * Sends one batch. The batch is never empty, is in buffer order, and stays within the batch limits the
     * operator configured for this output. The list is immutable and may decode its events from the buffer as they
     * are read: read each event once where you can, and expect an equal, not the same, instance when reading one
     * again.
     *
     * <p>Delivery is at least once: the agent moves this output's cursor once a batch is settled (a batch it splits,
     * part by part), so after a crash or a restart events this output already sent can come again, at most one
     * batch of them. A collector that must store each event once deduplicates them.
     *
     * @return what the collector did with the batch; never {@code null} (a {@code null} is retried as a failure)
     * @throws InterruptedException if the agent is stopping; the batch counts as not delivered
     * @throws RuntimeException a bug: treated as {@link DeliveryResult#retryLater} with the exception's message,
     *         and logged. After five throws in a row on a batch the agent splits it, tries each part twice, and sends
     *         the events this method keeps throwing on to the dead letters, so that one event the output cannot take
     *         does not hold the others back
     * @throws LinkageError a class of the plugin that cannot be loaded or linked (a jar missing from the plugin's
     *         folder): no event's fault. The batch stays buffered and is retried with backoff, never split or
     *         dead-lettered, and the agent says at ERROR that the plugin is incomplete
     */
    DeliveryResult deliver(List<Event> batch)
            throws InterruptedException;

    /**
     * Starts sending one batch and returns at once with the collector's answer to come, so that the agent can read
     * and encode the next batch while the collector answers this one. Only outputs that override this method are
     * pipelined: the agent keeps up to {@code delivery.in_flight} batches outstanding for them (2 by default; an
     * output that does not override it has one batch outstanding at a time, {@link #deliver} as before SPI 1.5).
     *
     * <p>Called on this output's delivery thread, like {@link #deliver}, with the same kind of batch. The list and its
     * events are valid only during this call: read and encode them before returning, and keep no reference to them in
     * what completes later. The returned stage may complete on any thread (the HTTP client's, say) and must complete
     * in bounded time (a request timeout); it must not complete with {@code null}. The agent settles answers strictly
     * in buffer order whatever order they complete in: a batch is acknowledged only after every earlier one was, and a
     * result other than {@link DeliveryResult.Kind#DELIVERED} (or a failed stage) makes the agent wait for the batches
     * still outstanding and then settle that batch and the later ones that were not delivered one at a time, with
     * retries, splitting and dead letters as for {@link #deliver}, which it may call for them. With more than one batch
     * outstanding the collector can therefore receive a batch before it answered the previous one, and a batch the
     * collector accepted after an earlier one failed is sent again (at-least-once); {@code delivery.in_flight: 1}
     * keeps strict order.
     *
     * <p>The default calls {@link #deliver} and returns its result as a completed stage (a {@link RuntimeException}
     * or {@link LinkageError} it throws as a failed one).
     *
     * @return the collector's answer to come; a stage failed with an exception counts as a {@link RuntimeException}
     *         thrown by {@link #deliver}: a bug, retried later, and after repeated throws on the same events those
     *         events are isolated and dead-lettered
     * @throws InterruptedException if the agent is stopping; the batch counts as not delivered
     * @throws RuntimeException as a failed stage
     * @since SPI 1.5
     */
    default CompletionStage<DeliveryResult> deliverAsync(List<Event> batch)
            throws InterruptedException
    {
        try {
            return CompletableFuture.completedFuture(deliver(batch));
        }
        catch (RuntimeException | LinkageError e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Checks that the collector is reachable and takes this output's credentials, sending nothing it would store:
     * LiteSOC's heartbeat, an empty batch where the protocol accepts one, a Kafka metadata request, an empty OTLP
     * export. Called only by {@code outrider test output}, after {@link #start}, on the command's thread; never by a
     * running agent. The answer is classified as a delivery would be: {@link DeliveryResult.Kind#DELIVERED} when the
     * collector accepted the check, {@link DeliveryResult.Kind#UNAUTHORIZED} when it refused the credentials,
     * {@link DeliveryResult.Kind#RETRY_LATER} when it could not be reached or answered with a server error, and
     * {@link DeliveryResult.Kind#REJECTED} when it answered but refused the check itself (the command then says the
     * credentials were not refused). As with {@link #deliver}, reasons must not carry a secret.
     *
     * @return the collector's answer; empty when this output has no such check (the default)
     * @throws InterruptedException if the command is stopping
     * @since SPI 1.3
     */
    default Optional<DeliveryResult> probe()
            throws InterruptedException
    {
        return Optional.empty();
    }

    /**
     * Stops background work and releases connections. Called once, from the delivery thread, after the last
     * {@code deliver}; must not throw for an output that never started.
     */
    @Override
    void close();
}
