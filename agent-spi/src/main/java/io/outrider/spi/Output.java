package io.outrider.spi;

import java.util.List;
import java.util.Optional;

/**
 * Delivers batches of events to a collector and says precisely what happened.
 *
 * <p>Created by an {@link OutputFactory} when its pipeline starts. The agent's delivery loop owns the guarantees:
 * it reads batches from the durable buffer, calls {@link #deliver}, and only advances this output's cursor on
 * {@link DeliveryResult#delivered()}. Retries with backoff, splitting, dead letters and pausing are the agent's
 * work; an output only encodes, sends and classifies the answer.
 *
 * <p>Threading: {@link #start}, {@link #deliver} and {@link #close} are called from this output's own delivery
 * thread, one call at a time. An output may run background threads of its own (a heartbeat) between
 * {@code start} and {@code close}. Every call is made with the plugin's class loader as context class loader.
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
     * @return what the collector did with the batch; never {@code null}
     * @throws InterruptedException if the agent is stopping; the batch counts as not delivered
     * @throws RuntimeException a bug: treated as {@link DeliveryResult#retryLater} with the exception's message,
     *         and logged
     */
    DeliveryResult deliver(List<Event> batch)
            throws InterruptedException;

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
