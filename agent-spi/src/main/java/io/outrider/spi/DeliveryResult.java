package io.outrider.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What a collector did with a batch, as an {@link Output} classifies it. The agent's delivery loop acts on it:
 *
 * <table>
 *   <caption>Results and what the agent does</caption>
 *   <tr><th>kind</th><th>the agent</th></tr>
 *   <tr><td>{@link Kind#DELIVERED}</td><td>advances the output's cursor past the batch</td></tr>
 *   <tr><td>{@link Kind#RETRY_LATER}</td><td>sends the same batch again after exponential backoff with jitter,
 *       or after {@link #retryAfter()} when the collector named a delay (e.g. {@code Retry-After})</td></tr>
 *   <tr><td>{@link Kind#REJECTED}</td><td>the collector refuses the batch permanently without saying which
 *       events: the agent splits the batch to isolate the offending events and dead-letters only those</td></tr>
 *   <tr><td>{@link Kind#PARTIALLY_REJECTED}</td><td>the events at {@link #rejected()} go to the dead-letter table
 *       with their reasons, the others count as delivered</td></tr>
 *   <tr><td>{@link Kind#TOO_LARGE}</td><td>splits the batch, after the events that {@link #fitting()} says fit
 *       (SPI 1.6) or else in halves, and sends the parts; a single event that is still too large is dead-lettered.
 *       The next batches for the output are kept to the bytes that fit (in their buffered size), and allowed to grow
 *       back while they are delivered whole</td></tr>
 *   <tr><td>{@link Kind#UNAUTHORIZED}</td><td>pauses the output (status {@code unauthorized} with the reason) and
 *       retries slowly; events keep buffering</td></tr>
 * </table>
 *
 * Reasons are shown to operators: never put a secret (API key, password, token) in one.
 */
@Stable
public final class DeliveryResult
{
    /** The kinds of result. */
    public enum Kind
    {
        DELIVERED, RETRY_LATER, REJECTED, PARTIALLY_REJECTED, TOO_LARGE, UNAUTHORIZED
    }

    private static final DeliveryResult DELIVERED = new DeliveryResult(Kind.DELIVERED, "", null, Map.of(), Map.of(), 0);

    private final Kind kind;
    private final String reason;
    private final Duration retryAfter;
    private final Map<Integer, String> rejected;
    private final Map<Integer, String> skipped;
    private final int fitting;

    private DeliveryResult(Kind kind, String reason, Duration retryAfter, Map<Integer, String> rejected, Map<Integer, String> skipped, int fitting)
    {
        this.kind = kind;
        this.reason = requireNonNull(reason, "reason is null");
        this.retryAfter = retryAfter;
        this.rejected = rejected;
        this.skipped = skipped;
        this.fitting = fitting;
    }

    /** The collector accepted the whole batch. */
    public static DeliveryResult delivered()
    {
        return DELIVERED;
    }

    /**
     * The batch is done, but the output did not send the events at these indexes because its format cannot carry
     * them (LiteSOC has no name for the event's action, say). The agent advances the cursor past the whole batch as
     * for {@link #delivered()}, and counts and reports the skipped events apart from the delivered ones, so that an
     * operator never reads "delivered" for an event the collector never saw.
     *
     * @param skippedByIndex index in the batch (0-based) → why the event was not sent (shown to operators); may be
     *        empty, which is the same as {@link #delivered()}
     * @since SPI 1.3
     */
    public static DeliveryResult deliveredSkipping(Map<Integer, String> skippedByIndex)
    {
        if (skippedByIndex.isEmpty()) {
            return DELIVERED;
        }
        return new DeliveryResult(Kind.DELIVERED, "", null, Map.of(),
                java.util.Collections.unmodifiableMap(new TreeMap<>(skippedByIndex)), 0);
    }

    /** A transient failure (I/O error, timeout, 5xx, 429); the agent chooses the delay. */
    public static DeliveryResult retryLater(String reason)
    {
        return new DeliveryResult(Kind.RETRY_LATER, reason, null, Map.of(), Map.of(), 0);
    }

    /** A transient failure where the collector said when to come back; {@code retryAfter} may be null. */
    public static DeliveryResult retryLater(String reason, Duration retryAfter)
    {
        if (retryAfter != null && retryAfter.isNegative()) {
            retryAfter = Duration.ZERO;
        }
        return new DeliveryResult(Kind.RETRY_LATER, reason, retryAfter, Map.of(), Map.of(), 0);
    }

    /** The collector permanently refused the batch (e.g. HTTP 400) without naming the events. */
    public static DeliveryResult rejected(String reason)
    {
        return new DeliveryResult(Kind.REJECTED, reason, null, Map.of(), Map.of(), 0);
    }

    /**
     * The collector accepted some events and permanently refused others.
     *
     * @param rejectedByIndex index in the batch (0-based) → the collector's reason for that event; not empty
     */
    public static DeliveryResult partiallyRejected(Map<Integer, String> rejectedByIndex)
    {
        if (rejectedByIndex.isEmpty()) {
            throw new IllegalArgumentException("rejectedByIndex is empty: use delivered()");
        }
        return new DeliveryResult(Kind.PARTIALLY_REJECTED, rejectedByIndex.size() + " event(s) rejected", null,
                java.util.Collections.unmodifiableMap(new TreeMap<>(rejectedByIndex)), Map.of(), 0);
    }

    /** The batch is too large for the collector (e.g. HTTP 413); the agent splits it in halves. */
    public static DeliveryResult tooLarge(String reason)
    {
        return new DeliveryResult(Kind.TOO_LARGE, reason, null, Map.of(), Map.of(), 0);
    }

    /**
     * The batch is too large for one request, and its first {@code fitting} events would fit: an output that encodes
     * a batch against a size limit of its own (a request body, a message size) knows where the limit fell. Nothing
     * was sent. The agent sends those events as a batch of their own and then the rest (split again if need be),
     * instead of halving the batch blindly, and keeps the output's next batches to about the bytes that fitted,
     * which saves encoding a batch that cannot go out when a stream's events are larger than {@code max_events}
     * and {@code max_bytes} allow for.
     *
     * @param fitting how many events, from the start of the batch, fit in one request; at least 1 (when not even
     *        the first event fits, use {@link #tooLarge(String)}: the agent isolates it) and fewer than the batch
     *        holds. A value as large as the batch or larger is treated as not known: the batch is split in halves.
     * @throws IllegalArgumentException if {@code fitting} is less than 1
     * @since SPI 1.6
     */
    public static DeliveryResult tooLarge(String reason, int fitting)
    {
        if (fitting < 1) {
            throw new IllegalArgumentException("fitting must be at least 1, was " + fitting + ": use tooLarge(reason) when not even one event fits");
        }
        return new DeliveryResult(Kind.TOO_LARGE, reason, null, Map.of(), Map.of(), fitting);
    }

    /** The collector refused the credentials (HTTP 401/403, SASL failure). Say what to check, never the secret. */
    public static DeliveryResult unauthorized(String reason)
    {
        return new DeliveryResult(Kind.UNAUTHORIZED, reason, null, Map.of(), Map.of(), 0);
    }

    public Kind kind()
    {
        return kind;
    }

    /** A reason for operators; empty when delivered. */
    public String reason()
    {
        return reason;
    }

    /** The delay the collector asked for, if any ({@link Kind#RETRY_LATER} only). */
    public Optional<Duration> retryAfter()
    {
        return Optional.ofNullable(retryAfter);
    }

    /** Batch index → reason ({@link Kind#PARTIALLY_REJECTED} only; empty otherwise). */
    public Map<Integer, String> rejected()
    {
        return rejected;
    }

    /**
     * Batch index → why the output did not send that event ({@link Kind#DELIVERED} only; empty otherwise).
     *
     * @since SPI 1.3
     */
    public Map<Integer, String> skipped()
    {
        return skipped;
    }

    /**
     * How many events from the start of the batch fit in one request ({@link Kind#TOO_LARGE} from
     * {@link #tooLarge(String, int)} only); empty when the output did not say.
     *
     * @since SPI 1.6
     */
    public OptionalInt fitting()
    {
        return fitting > 0 ? OptionalInt.of(fitting) : OptionalInt.empty();
    }

    @Override
    public String toString()
    {
        return kind + (reason.isEmpty() ? "" : ": " + reason) + (retryAfter == null ? "" : " (retry after " + retryAfter + ")");
    }
}
