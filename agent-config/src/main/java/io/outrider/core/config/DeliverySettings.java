package io.outrider.core.config;

import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;

import java.time.Duration;

/**
 * The {@code delivery:} block every output may have; owned by the core's delivery loop, not by the plugin.
 *
 * @param maxEvents most events per batch (default 1000: what the file input commits at most and a buffer block holds,
 *        so that a batch is read from one block and its acknowledgement deletes it whole; each batch costs the agent a
 *        buffer read, a transaction and a request besides its events, and 1,000 sshd events are about 640KB of NDJSON,
 *        within the 1MiB request body collectors behind nginx take)
 * @param maxBytes most bytes of events per batch as buffered, in the buffer's binary encoding (default 1MiB); this
 *        is not the size of a request: an event's JSON is larger, and what goes on the wire is bounded by the output's
 *        own limit (http: {@code max_body_size}, 1MiB by default; a batch above it is split)
 * @param maxWait how long to wait for a batch to fill before sending what there is (default 1s)
 * @param retryInitial first retry delay (default 1s); doubles with each attempt, with jitter
 * @param retryMax the largest retry delay (default 5m)
 * @param unauthorizedRetry how often a paused (unauthorized) output tries again (default 1m)
 * @param inFlight most batches sent and not yet answered, 1 to 16 (default 2): the next batch is read and encoded
 *        while the collector answers the previous one, which otherwise leaves the delivery thread waiting half of
 *        the time. Only outputs that deliver asynchronously (SPI 1.5 {@code Output.deliverAsync}; http) have more
 *        than one; the others behave as 1. With more than 1 the collector can receive a batch before it answered
 *        the previous one; 1 keeps strict order. Acknowledgements stay in buffer order either way.
 */
public record DeliverySettings(
        @Description("most events per batch")
        Integer maxEvents,
        @Description("most bytes of events per batch as buffered; a request's size is bounded by the output (http: max_body_size)")
        DataSize maxBytes,
        @Description("how long to wait for a batch to fill before sending what there is")
        Duration maxWait,
        @Description("first retry delay; doubles with each attempt, with jitter")
        Duration retryInitial,
        @Description("the largest retry delay")
        Duration retryMax,
        @Description("how often a paused (unauthorized) output tries again")
        Duration unauthorizedRetry,
        @Description("most batches sent and not yet answered (1 to 16); with more than 1 the collector can receive a batch before it answered the one before, 1 keeps strict order; outputs that do not deliver asynchronously (of the built-in ones, all but http's ndjson, ecs and json) behave as 1")
        Integer inFlight)
{
    /** The most {@code in_flight} allowed: beyond it a collector is sent more than it can answer, for no gain. */
    public static final int MAX_IN_FLIGHT = 16;

    /** The settings with the default {@code in_flight}. */
    public DeliverySettings(Integer maxEvents, DataSize maxBytes, Duration maxWait, Duration retryInitial, Duration retryMax, Duration unauthorizedRetry)
    {
        this(maxEvents, maxBytes, maxWait, retryInitial, retryMax, unauthorizedRetry, null);
    }


    public DeliverySettings
    {
        maxEvents = maxEvents == null ? 1000 : maxEvents;
        maxBytes = maxBytes == null ? DataSize.parse("1MiB") : maxBytes;
        maxWait = maxWait == null ? Duration.ofSeconds(1) : maxWait;
        retryInitial = retryInitial == null ? Duration.ofSeconds(1) : retryInitial;
        retryMax = retryMax == null ? Duration.ofMinutes(5) : retryMax;
        unauthorizedRetry = unauthorizedRetry == null ? Duration.ofMinutes(1) : unauthorizedRetry;
        inFlight = inFlight == null ? 2 : inFlight;
        if (maxEvents < 1) {
            throw new IllegalArgumentException("delivery.max_events must be at least 1");
        }
        if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("delivery.retry_initial must be positive and at most delivery.retry_max");
        }
        if (inFlight < 1 || inFlight > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("delivery.in_flight must be between 1 and " + MAX_IN_FLIGHT);
        }
    }

    public static DeliverySettings defaults()
    {
        return new DeliverySettings(null, null, null, null, null, null, null);
    }
}
