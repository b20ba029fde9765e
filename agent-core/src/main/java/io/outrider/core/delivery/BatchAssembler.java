package io.outrider.core.delivery;

import io.outrider.core.config.DeliverySettings;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.SqliteBuffer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Assembles a delivery loop's batches: reads after the output's cursor by count and bytes, and waits up to
 * {@code max_wait} after the batch's first event for it to fill.
 *
 * <p>It reads the buffer only when there can be something new to read: the buffer's append sequence, kept in memory,
 * says whether anything was appended since the last read. With nothing to deliver it sleeps until an append or a
 * stop, with no timeout at all: an idle agent must not wake up to find out that it is still idle.
 *
 * <p>A batch the output found too large for one request and cut where its events stopped fitting
 * ({@link io.outrider.spi.DeliveryResult#fitting()}) keeps the next batches to the bytes (as buffered) of the part
 * that fitted: a stream of events larger than {@code max_events} and {@code max_bytes} allow for is then read in
 * batches that go out whole, rather than each read in full, encoded, found too large and cut. The limit grows back
 * by an eighth after every {@value #WHOLE_BATCHES_BEFORE_GROWING} batches delivered whole, up to {@code max_bytes},
 * so smaller events later are batched as configured again; a stream whose events stay as large is cut once in every
 * {@value #WHOLE_BATCHES_BEFORE_GROWING} or so batches.
 *
 * <p>Used by the delivery thread only; a stop is seen at once when its caller makes {@code stopping} true and then
 * calls {@link SqliteBuffer#wakeAppendWaiters}.
 */
final class BatchAssembler
{
    /** Batches delivered whole, after the limit was learned or last grew, before it grows by an eighth. */
    static final int WHOLE_BATCHES_BEFORE_GROWING = 16;
    private static final long NOT_LEARNED = Long.MAX_VALUE;

    private final SqliteBuffer buffer;
    private final SqliteBuffer.Reader reader;
    private final String pipeline;
    private final DeliverySettings settings;
    private final BooleanSupplier stopping;
    private final Supplier<Duration> idleTimeout;
    // written by the delivery thread only; read by tests
    private volatile long reads;
    // the delivery thread's own: bytes (as buffered) a batch may hold since the output cut one, NOT_LEARNED when
    // max_bytes applies, and the batches delivered whole since that limit was set or last grew
    private long learnedMaxBytes = NOT_LEARNED;
    private int wholeSinceLearned;
    // the delivery thread's own: a batch nextIfReady read that could not go yet (not full, within max_wait), and the
    // sequence it was read after. The next batch after that sequence goes on from it: read again, its blocks would
    // be fetched from SQLite and split into events again, once for every answer that comes while a batch fills.
    private List<BufferedEvent> unsent;
    private long unsentAfter;

    BatchAssembler(SqliteBuffer buffer, SqliteBuffer.Reader reader, String pipeline, DeliverySettings settings, BooleanSupplier stopping)
    {
        this(buffer, reader, pipeline, settings, stopping, () -> SqliteBuffer.NO_TIMEOUT);
    }

    /**
     * @param idleTimeout how long {@link #next} may wait for an append when there is nothing to send, asked before each
     *        wait: the delivery thread has something of its own to do then (say what its loss report held back)
     */
    BatchAssembler(SqliteBuffer buffer, SqliteBuffer.Reader reader, String pipeline, DeliverySettings settings, BooleanSupplier stopping,
            Supplier<Duration> idleTimeout)
    {
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.stopping = requireNonNull(stopping, "stopping is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
    }

    /**
     * The next batch after {@code cursor}; empty when nothing came before a stop, the buffer's close, or an append of
     * another pipeline (the caller asks again).
     */
    List<BufferedEvent> next(long cursor)
            throws SQLException, InterruptedException
    {
        // taken before the read: whatever is appended after it wakes the waits below
        long seen = buffer.lastSeq();
        int maxEvents = settings.maxEvents();
        long maxBytes = maxBytes();
        List<BufferedEvent> batch = takeUnsent(cursor);
        boolean bytesFull = false;
        if (batch == null) {
            batch = new ArrayList<>(Math.min(maxEvents, 4096));
            bytesFull = read(batch, cursor, maxEvents, maxBytes);
        }
        else if (seen > lastSeq(batch)) {
            bytesFull = readMore(batch, maxEvents, maxBytes);
        }
        if (batch.isEmpty()) {
            // nothing up to seen is this output's: only a later append can bring it work
            buffer.awaitAppend(seen, idleTimeout.get(), stopping);
            return batch;
        }
        // wait for the batch to fill, not just for the next append: inputs commit small batches often, and
        // sending each pair of them as a request of its own defeats max_events. A stop ends the wait: a partial
        // batch waiting out a long max_wait would hold the drain back until its deadline and stay undelivered.
        long deadlineMillis = batch.get(0).ingestedMillis() + settings.maxWait().toMillis();
        while (batch.size() < maxEvents && !stopping.getAsBoolean() && !bytesFull) {
            long waitMillis = deadlineMillis - System.currentTimeMillis();
            if (waitMillis <= 0) {
                break;
            }
            buffer.awaitAppend(seen, Duration.ofMillis(waitMillis), stopping);
            long last = buffer.lastSeq();
            if (last == seen) {
                break; // max_wait is over, the loop is stopping, or the buffer closed
            }
            seen = last;
            bytesFull = readMore(batch, maxEvents, maxBytes);
        }
        return batch;
    }

    /**
     * The next batch after {@code afterSeq} if it can be sent now: full (by count or bytes), past its {@code max_wait},
     * or the loop is stopping; empty otherwise, without waiting. For a loop with batches outstanding, which must not
     * sleep in the buffer while their answers wait to be acknowledged.
     */
    List<BufferedEvent> nextIfReady(long afterSeq)
            throws SQLException
    {
        int maxEvents = settings.maxEvents();
        List<BufferedEvent> batch = takeUnsent(afterSeq);
        boolean bytesFull = false;
        if (batch == null) {
            if (buffer.lastSeq() <= afterSeq) {
                return List.of();
            }
            batch = new ArrayList<>(Math.min(maxEvents, 4096));
            bytesFull = read(batch, afterSeq, maxEvents, maxBytes());
        }
        else if (buffer.lastSeq() > lastSeq(batch)) {
            bytesFull = readMore(batch, maxEvents, maxBytes());
        }
        if (batch.isEmpty() || batch.size() >= maxEvents || bytesFull || stopping.getAsBoolean()
                || batch.get(0).ingestedMillis() + settings.maxWait().toMillis() <= System.currentTimeMillis()) {
            return batch;
        }
        unsent = batch;
        unsentAfter = afterSeq;
        return List.of();
    }

    /** The batch read after {@code afterSeq} that could not go yet, or null; either way none is kept afterwards. */
    private List<BufferedEvent> takeUnsent(long afterSeq)
    {
        List<BufferedEvent> batch = unsent;
        unsent = null;
        return batch != null && unsentAfter == afterSeq ? batch : null;
    }

    private static long lastSeq(List<BufferedEvent> batch)
    {
        return batch.get(batch.size() - 1).seq();
    }

    /**
     * The output found a batch too large and the first events of it, {@code fittingBytes} of them as buffered, would
     * have fitted: later batches hold at most that many bytes (a batch always holds at least one event).
     */
    void keepBatchesTo(long fittingBytes)
    {
        learnedMaxBytes = Math.max(1, fittingBytes);
        wholeSinceLearned = 0;
        // read to the old limit, it may not fit the new one
        unsent = null;
    }

    /** A batch was delivered without being cut: every {@value #WHOLE_BATCHES_BEFORE_GROWING} such, a learned limit grows. */
    void deliveredWhole()
    {
        if (learnedMaxBytes == NOT_LEARNED || ++wholeSinceLearned < WHOLE_BATCHES_BEFORE_GROWING) {
            return;
        }
        wholeSinceLearned = 0;
        learnedMaxBytes += Math.max(1, learnedMaxBytes / 8);
        if (learnedMaxBytes >= settings.maxBytes().bytes()) {
            learnedMaxBytes = NOT_LEARNED;
        }
    }

    /** The most bytes (as buffered) the next batch may hold: {@code max_bytes}, or less after a batch was cut. */
    long maxBytes()
    {
        return Math.min(settings.maxBytes().bytes(), learnedMaxBytes);
    }

    /** Adds to {@code batch} what follows its last event, up to the limits of the whole batch. */
    private boolean readMore(List<BufferedEvent> batch, int maxEvents, long maxBytes)
            throws SQLException
    {
        return read(batch, lastSeq(batch), maxEvents - batch.size(), maxBytes);
    }

    private boolean read(List<BufferedEvent> batch, long afterSeq, int maxEvents, long maxBytes)
            throws SQLException
    {
        reads++;
        return reader.readInto(batch, pipeline, afterSeq, maxEvents, maxBytes);
    }

    /** How often the buffer was read: a loop with nothing appended to read must not read again. */
    long reads()
    {
        return reads;
    }
}
