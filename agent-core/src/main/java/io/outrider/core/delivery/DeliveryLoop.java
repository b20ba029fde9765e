package io.outrider.core.delivery;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.DeliverySettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.logging.RedactingFormatter;
import io.outrider.core.metrics.MetricCounter;
import io.outrider.core.metrics.MetricHistogram;
import io.outrider.core.pipeline.ComponentState;
import io.outrider.core.plugin.ClassLoaderSafeOutput;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Delivers one output's share of its pipeline's buffer, on a thread of its own, in buffer order.
 *
 * <p>Takes a batch after the output's cursor from a {@link BatchAssembler} (which sleeps while there is nothing to
 * deliver), calls {@link Output#deliver}, and acts on the {@link DeliveryResult}: retries transient failures with
 * exponential backoff and jitter (Failsafe), honouring the delay the collector asked for; splits rejected or too-large
 * batches to isolate the offending events and dead-letters only those (a too-large batch where the output says its
 * events stopped fitting, and the next batches to that size: {@link BatchAssembler}); pauses on unauthorized with a
 * slow retry. A stop wakes whatever the thread waits in. A pause or a retry's backoff that would last past the drain
 * deadline ends the loop at once (nothing more could be delivered before the deadline: an agent whose collector is
 * down or refuses its key stops without waiting the drain out); a shorter one runs its course and is followed by one
 * more attempt, and the deadline interrupts whatever is still going on then. An output that throws on a batch
 * {@value #THROWS_BEFORE_ISOLATING} times in a row has a bug that some event triggers: the batch is bisected like a
 * rejected one, each part that holds such an event thrown on {@value #THROWS_WHILE_ISOLATING} times, a
 * {@code retry_initial} apart, and the events it keeps throwing on are dead-lettered as output bugs, so one such event
 * cannot hold the whole pipeline back for long. A {@link LinkageError} (a class of the plugin's that cannot be found or
 * linked: a jar missing from its folder) is no event's fault: the batch is retried as a failure, never split, and
 * nothing of it goes to the dead letters; a stop ends such an output's backoff at once, as the class fails to load
 * again in this process. Events the output skipped because its format cannot carry them are counted
 * apart from the delivered ones and reported at WARN (a {@link LossReport}), except the summaries that end an input's
 * rounds, which are said once at INFO. The cursor advances (and dead letters are written) in one transaction only once the whole
 * batch is settled, or, for a batch that had to be split, once each first part of a split is: a crash re-delivers
 * what was not settled yet, it never skips.
 *
 * <p>An output that delivers asynchronously ({@link Output#deliverAsync}) has up to {@code delivery.in_flight}
 * batches outstanding in a {@link DeliveryWindow}, which settles their answers strictly in buffer order, each through
 * the one-at-a-time path above with the answer already received counting as its first attempt. {@code in_flight: 1},
 * or an output without asynchronous delivery, keeps strict order.
 */
public final class DeliveryLoop
{
    private static final System.Logger LOG = System.getLogger(DeliveryLoop.class.getName());
    private static final double RETRY_JITTER = 0.2;
    /** At most one WARN line about dead letters per output in this time; the counts in between are summed. */
    private static final Duration LOSS_REPORT_INTERVAL = Duration.ofSeconds(30);
    /** Attempts on one batch that all threw before the batch is treated as holding an event the output cannot take. */
    static final int THROWS_BEFORE_ISOLATING = 5;
    /**
     * Attempts on a part of a batch being bisected that all threw before the part is split again (or, one event, is
     * dead-lettered): the output has shown that it throws on the batch, so a part is not given five tries with growing
     * pauses (1,000 events took 2 min 44 s to settle that way with the default retry settings).
     */
    static final int THROWS_WHILE_ISOLATING = 2;

    private final ComponentSpec spec;
    private final Output output;
    private final SqliteBuffer buffer;
    private final SecretRegistry secrets;
    private final DeliverySettings settings;
    private final MetricCounter eventsOut;
    private final MetricCounter eventsSkipped;
    private final MetricCounter retries;
    private final MetricCounter deadLetters;
    private final MetricCounter failures;
    private final MetricHistogram deliveryDuration;
    private final RetryPolicy<DeliveryResult> retryPolicy;
    private final LossReport lossReport;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopping;
    // set by the delivery thread once its reader is open
    private volatile BatchAssembler batches;
    private volatile long drainDeadline = Long.MAX_VALUE;
    private volatile ComponentState state = ComponentState.STARTING;
    // text and time together: a reader must never see one error's text with another's time
    private volatile LastError lastError = LastError.NONE;
    // the delivery thread's only: when the last attempt was sent, and the outage the output last recovered from (its
    // reason, and when the recovery came), so that a batch sent during that outage and answered after it is not news
    private long attemptSentNanos;
    private String recoveredFrom = "";
    private long recoveredAtNanos = System.nanoTime();
    private volatile long cursor;
    private volatile long lastDeliveredMillis;
    private volatile long lastDeadLetteredMillis;
    private volatile String lastDeadLetterReason = "";
    // the delivery thread's own: throws in a row on the slice being delivered, and whether this batch logged one yet
    private int consecutiveThrows;
    private boolean batchLoggedAThrow;
    // the delivery thread's own: whether the batch being settled is bisected to find the events the output throws on
    private boolean isolating;
    // whether the plugin could not load a class since the last delivery (said once); a stop then waits out no backoff,
    // since a class that failed to load fails again in this process. Written by the delivery thread, read by stop()
    private volatile boolean pluginCannotLink;
    // the delivery thread's own: whether the operator was told that batches are cut to what the output takes
    private boolean saidBatchesAreCut;
    /** Whether a too-large answer whose fitting count was not below the batch was said (a plugin bug, said once). */
    private boolean saidFittingIsWrong;
    private boolean saidBatchesAreRefused;
    // the delivery thread's own: whether the operator was told that the output skips round summaries
    private boolean saidSummariesAreSkipped;
    // most batches outstanding: delivery.in_flight for an output that delivers asynchronously, else 1
    private final int inFlight;
    // the batches in flight, used only when inFlight > 1; stop() wakes the delivery thread waiting in it
    private final DeliveryWindow window;
    // the delivery thread's own: the answer already received for the batch being settled, taken as its first attempt
    private DeliveryWindow.Outstanding presetAnswer;
    // whether the delivery thread is in (or about to sleep in) a retry's backoff, and when that ends (System.nanoTime):
    // stop() interrupts only such a sleep, never an attempt, so it takes the lock the attempt clears the flag under
    private final Object backoffLock = new Object();
    private boolean inBackoff;
    private long backoffEndsAt;

    public DeliveryLoop(ComponentSpec spec, Output output, SqliteBuffer buffer, SecretRegistry secrets,
            MetricCounter eventsOut, MetricCounter eventsSkipped, MetricCounter retries, MetricCounter deadLetters, MetricCounter failures)
    {
        // a histogram no AgentMetrics scrapes: for callers that do not look at delivery times
        this(spec, output, buffer, secrets, eventsOut, eventsSkipped, retries, deadLetters, failures, new MetricHistogram(new double[] {Double.POSITIVE_INFINITY}));
    }

    /**
     * @param eventsSkipped counts the events the output reported as skipped ({@link DeliveryResult#skipped()})
     * @param deliveryDuration observes how long each call to {@link Output#deliver} takes, in seconds
     */
    public DeliveryLoop(ComponentSpec spec, Output output, SqliteBuffer buffer, SecretRegistry secrets,
            MetricCounter eventsOut, MetricCounter eventsSkipped, MetricCounter retries, MetricCounter deadLetters, MetricCounter failures,
            MetricHistogram deliveryDuration)
    {
        this.spec = requireNonNull(spec, "spec is null");
        this.output = requireNonNull(output, "output is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.settings = requireNonNull(spec.delivery(), "spec has no delivery settings");
        this.eventsOut = requireNonNull(eventsOut, "eventsOut is null");
        this.eventsSkipped = requireNonNull(eventsSkipped, "eventsSkipped is null");
        this.retries = requireNonNull(retries, "retries is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.failures = requireNonNull(failures, "failures is null");
        this.deliveryDuration = requireNonNull(deliveryDuration, "deliveryDuration is null");
        this.retryPolicy = RetryPolicy.<DeliveryResult>builder()
                .handleResultIf(result -> result.kind() == DeliveryResult.Kind.RETRY_LATER)
                // the whole delay is computed here: Failsafe's own jitter would also apply to the collector's
                // Retry-After and could bring the next attempt forward by a fifth of it
                // while a batch is bisected, a part the output threw on is tried again after retry_initial
                .withDelayFn(context -> backoff(isolating && consecutiveThrows > 0
                        ? settings.retryInitial()
                        : retryDelay(context.getAttemptCount(), context.getLastResult())))
                .withMaxRetries(-1)
                .onRetry(event -> retries.increment())
                // said when the attempt fails, not when the retry comes: a stop during the backoff ends the loop
                // before that, and the status must keep the collector's last word
                .onFailedAttempt(event -> {
                    DeliveryResult last = event.getLastResult();
                    String reason = last == null ? "" : secrets.redact(last.reason());
                    if (event.getAttemptCount() == 1 && attemptSentNanos - recoveredAtNanos < 0 && reason.equals(recoveredFrom)) {
                        // a batch sent in the outage that has just ended, answered with its reason: old news, retried
                        // quietly (an operator read "delivers again", "cannot deliver", "delivers again" within a second)
                        LOG.log(System.Logger.Level.DEBUG, () -> "output " + spec.qualifiedId() + " retries a batch sent before it delivered again: " + reason);
                        return;
                    }
                    state = ComponentState.RETRYING;
                    String previous = lastError.text();
                    error(reason);
                    // a collector that stops answering 503 and starts hanging is news: a changed reason is said again
                    // while a batch is bisected its parts' throws are not said one by one: the bisection was said once
                    if (!isolating && (event.getAttemptCount() == 1 || event.getAttemptCount() % 10 == 0 || !reason.equals(previous))) {
                        LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " cannot deliver (attempt " + event.getAttemptCount() + "): " + reason
                                + "; events stay buffered and are retried");
                    }
                })
                .build();
        this.inFlight = deliversAsync(output) ? settings.inFlight() : 1;
        this.window = new DeliveryWindow(output, buffer, inFlight, () -> stopping, () -> drainDeadline, () -> cursor, this::settleAnswered);
        this.lossReport = new LossReport(spec.qualifiedId(), LOSS_REPORT_INTERVAL, System::nanoTime, message -> LOG.log(System.Logger.Level.WARNING, message));
        this.thread = new Thread(this::run, "output-" + spec.qualifiedId());
        // stop() waits for it as long as the shutdown timeout allows; one stuck in a plugin must not keep the JVM alive after
        this.thread.setDaemon(true);
        this.thread.setContextClassLoader(spec.factory().plugin().classLoader());
    }

    /** Whether the output overrides {@link Output#deliverAsync}: only such outputs gain from batches in flight. */
    static boolean deliversAsync(Output output)
    {
        // the agent hands its outputs over wrapped in their plugin's class loader: the plugin's own class decides
        return ClassLoaderSafeOutput.overridesDeliverAsync(output);
    }

    /**
     * The pause after {@code failedAttempts} failed attempts. When the collector named a delay (Retry-After), at
     * least that, within {@code retry_initial} (a collector saying "now" again and again must not make the agent
     * hammer it) and {@code retry_max}: coming back earlier only earns another refusal. Otherwise exponential
     * backoff from {@code retry_initial} to {@code retry_max}. Either is spread by up to a fifth so that many agents
     * refused at the same moment do not come back in step; a Retry-After is only ever spread later.
     */
    private Duration retryDelay(int failedAttempts, DeliveryResult last)
    {
        double spread = RETRY_JITTER * ThreadLocalRandom.current().nextDouble();
        if (last != null && last.retryAfter().isPresent()) {
            Duration asked = last.retryAfter().get();
            if (asked.compareTo(settings.retryMax()) > 0) {
                asked = settings.retryMax();
            }
            else if (asked.compareTo(settings.retryInitial()) < 0) {
                asked = settings.retryInitial();
            }
            return asked.plusNanos((long) (asked.toNanos() * spread));
        }
        long initial = settings.retryInitial().toNanos();
        long max = settings.retryMax().toNanos();
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), Long.SIZE - 2);
        long backoff = initial > max >> doublings ? max : initial << doublings;
        long jittered = backoff + (long) (backoff * (2 * spread - RETRY_JITTER));
        return Duration.ofNanos(Math.min(max, jittered));
    }

    /**
     * Notes that the thread is about to sleep {@code delay} before the next attempt; when a stop is already under way
     * and the sleep would outlast its drain, the sleep is cut short by interrupting it (the attempt never starts).
     */
    private Duration backoff(Duration delay)
    {
        synchronized (backoffLock) {
            inBackoff = true;
            backoffEndsAt = System.nanoTime() + delay.toNanos();
            if (stopping && (backoffEndsAt - drainDeadline >= 0 || pluginCannotLink)) {
                Thread.currentThread().interrupt();
            }
        }
        return delay;
    }

    /** Starts the delivery thread and waits for {@link Output#start} to finish. @throws Exception what start threw */
    public void start()
            throws Exception
    {
        cursor = buffer.cursor(spec.pipelineId(), spec.id());
        thread.start();
        try {
            started.get();
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private void run()
    {
        try {
            output.start();
            started.complete(null);
        }
        catch (Throwable e) {
            state = ComponentState.FAILED;
            error(secrets.redact(String.valueOf(e.getMessage())));
            // closed before start() learns of the failure, so a caller that sees the exception sees a closed output
            closeOutput();
            started.completeExceptionally(e);
            return;
        }
        state = ComponentState.RUNNING;
        try (SqliteBuffer.Reader reader = buffer.newReader(spec.pipelineId(), spec.id())) {
            batches = new BatchAssembler(buffer, reader, spec.pipelineId(), settings, () -> stopping, () -> lossReport.untilDue(SqliteBuffer.NO_TIMEOUT));
            while (true) {
                lossReport.flushIfDue();
                if (stopping && (System.nanoTime() > drainDeadline || buffer.countAfter(spec.pipelineId(), spec.id(), cursor) == 0)) {
                    break;
                }
                if (inFlight > 1) {
                    if (!window.deliverNext(batches)) {
                        break;
                    }
                    continue;
                }
                List<BufferedEvent> batch = batches.next(cursor);
                if (batch.isEmpty()) {
                    if (buffer.isClosed()) {
                        break; // nothing is appended to a closed buffer: waiting for an append again would spin
                    }
                    continue;
                }
                deliver(batch);
            }
        }
        catch (InterruptedException e) {
            LOG.log(System.Logger.Level.INFO, "output " + spec.qualifiedId() + " stopped with undelivered events; they stay buffered for the next start");
        }
        catch (SQLException | RuntimeException e) {
            state = ComponentState.FAILED;
            error(secrets.redact(String.valueOf(e.getMessage())));
            LOG.log(System.Logger.Level.ERROR, "output " + spec.qualifiedId() + " delivery stopped: " + lastError.text(), e);
        }
        finally {
            lossReport.flush();
            closeOutput();
            if (state != ComponentState.FAILED) {
                state = ComponentState.STOPPED;
            }
        }
    }

    /** Settles a batch that was in flight through the one-at-a-time path, its answer counting as the first attempt. */
    private void settleAnswered(DeliveryWindow.Outstanding answered)
            throws InterruptedException, SQLException
    {
        presetAnswer = answered;
        try {
            deliver(answered.batch, answered.events);
        }
        finally {
            presetAnswer = null;
        }
    }

    private void deliver(List<BufferedEvent> batch)
            throws InterruptedException, SQLException
    {
        deliver(batch, new StoredEvents(batch));
    }

    private void deliver(List<BufferedEvent> batch, StoredEvents events)
            throws InterruptedException, SQLException
    {
        Settlement settled = new Settlement();
        batchLoggedAThrow = false;
        isolating = false;
        try {
            settle(events, settled);
        }
        finally {
            isolating = false;
        }
        if (!settled.split) {
            batches.deliveredWhole();
        }
        List<SqliteBuffer.DeadLetterRequest> dead = settled.dead;
        long last = batch.get(batch.size() - 1).seq();
        buffer.acknowledge(spec.pipelineId(), spec.id(), last, List.copyOf(dead.subList(settled.deadAcknowledged, dead.size())));
        cursor = last;
        int delivered = batch.size() - dead.size() - settled.skipped;
        eventsOut.add(delivered);
        eventsSkipped.add(settled.skipped);
        deadLetters.add(dead.size());
        LOG.log(System.Logger.Level.DEBUG, () -> "output " + spec.qualifiedId() + " delivered seq " + batch.get(0).seq() + ".." + last + " ("
                + delivered + " event(s)" + (settled.skipped == 0 ? "" : ", " + settled.skipped + " skipped")
                + (dead.isEmpty() ? "" : ", " + dead.size() + " to the dead letters") + ")");
        // only when it does: a batch that all went to the dead letters is no recovery
        if ((state == ComponentState.RETRYING || state == ComponentState.UNAUTHORIZED) && delivered > 0) {
            LOG.log(System.Logger.Level.INFO, "output " + spec.qualifiedId() + " delivers again");
            recoveredFrom = lastError.text();
            recoveredAtNanos = System.nanoTime();
        }
        if (delivered > 0) {
            pluginCannotLink = false;
        }
        state = ComponentState.RUNNING;
        long now = System.currentTimeMillis();
        if (dead.size() < batch.size()) {
            lastDeliveredMillis = now;
        }
        if (!dead.isEmpty()) {
            lastDeadLetterReason = dead.get(0).reason();
            lastDeadLetteredMillis = now;
        }
        int skippedData = settled.skipped - settled.skippedSummaries();
        if (skippedData > 0) {
            lossReport.skipped(skippedData, batch.size(), settled.skipReasons);
        }
        if (settled.skippedSummaries() > 0) {
            // a collector without an event for a round's summary loses no observation: said once, not warned about
            System.Logger.Level level = saidSummariesAreSkipped ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            saidSummariesAreSkipped = true;
            LOG.log(level, () -> "output " + spec.qualifiedId() + " does not send the summaries that end an input's rounds, such as a file integrity scan's: its format has no event for them ("
                    + String.join("; ", settled.summarySkipReasons.keySet()) + "); they are counted as skipped, and this is not said again");
        }
        if (dead.isEmpty()) {
            // an error is shown only while it is true: a stale "cannot reach" beside a collector that answers misleads
            error("");
            return;
        }
        if (settled.outputBug != null) {
            LOG.log(System.Logger.Level.ERROR, "output " + spec.qualifiedId() + " kept throwing on " + events(settled.outputBugEvents)
                    + " of a batch of " + batch.size() + " and sent " + (settled.outputBugEvents == 1 ? "it" : "them") + " to the dead letters ("
                    + settled.outputBug + "); the rest of the batch is settled; 'outrider dead-letters list' shows them");
            error("the output failed on " + events(settled.outputBugEvents) + " (sent to the dead letters): " + settled.outputBug);
        }
        int refused = dead.size() - settled.outputBugEvents;
        if (refused > 0) {
            String reason = settled.firstRefusal;
            // the reason says who refused: the collector's answer, or the output's own limit (max_body_size, ...)
            error(events(refused) + " refused (sent to the dead letters): " + reason);
            lossReport.deadLettered(refused, batch.size(), reason);
        }
    }

    private static String events(int count)
    {
        return count + (count == 1 ? " event" : " events");
    }

    /**
     * Whether the event is the summary that ends an input's round ({@link Fields#OUTRIDER_ROUND_COMPLETE}): an output
     * that skips it leaves out a count of what the round found, never a change or a line the round observed.
     */
    private static boolean isRoundSummary(BufferedEvent event)
    {
        try {
            return Boolean.TRUE.equals(event.event().field(Fields.OUTRIDER_ROUND_COMPLETE));
        }
        catch (UncheckedIOException e) {
            return false;
        }
    }

    /** What settling one batch came to; filled by {@link #settle} on the delivery thread. */
    private static final class Settlement
    {
        final List<SqliteBuffer.DeadLetterRequest> dead = new ArrayList<>();
        // reason (redacted) -> events skipped for it, in the order first seen: round summaries apart from the rest
        final Map<String, Integer> skipReasons = new LinkedHashMap<>();
        final Map<String, Integer> summarySkipReasons = new LinkedHashMap<>();
        int skipped;
        // how many of dead were acknowledged with a settled first part of a split batch
        int deadAcknowledged;
        // whether the batch had to be split (rejected, too large, an output bug) to be settled
        boolean split;
        String firstRefusal;
        String outputBug;
        int outputBugEvents;

        int skippedSummaries()
        {
            return summarySkipReasons.values().stream().mapToInt(Integer::intValue).sum();
        }

        void refused(BufferedEvent event, String reason)
        {
            dead.add(new SqliteBuffer.DeadLetterRequest(event, reason));
            if (firstRefusal == null) {
                firstRefusal = reason;
            }
        }
    }

    /**
     * Settles a slice of a batch: delivered (some events perhaps skipped), or dead-lettered event by event where the
     * collector refuses it or the output keeps throwing on it.
     */
    private void settle(StoredEvents events, Settlement settled)
            throws InterruptedException, SQLException
    {
        List<BufferedEvent> buffered = events.stored();
        while (true) {
            DeliveryResult result = deliverWithRetries(events);
            boolean outputBug = consecutiveThrows >= throwsBeforeIsolating();
            if (outputBug && !isolating && buffered.size() > 1) {
                isolating = true;
                LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " threw " + THROWS_BEFORE_ISOLATING + " times in a row on a batch of "
                        + buffered.size() + " events: splitting it to find the events it throws on (each part is tried " + THROWS_WHILE_ISOLATING
                        + " times, " + settings.retryInitial().toMillis() + " ms apart); the events it takes are delivered, those it keeps throwing on go to"
                        + " the dead letters");
            }
            switch (result.kind()) {
                case DELIVERED:
                    for (Map.Entry<Integer, String> skipped : result.skipped().entrySet()) {
                        int index = skipped.getKey();
                        if (index >= 0 && index < buffered.size()) {
                            settled.skipped++;
                            Map<String, Integer> reasons = isRoundSummary(buffered.get(index)) ? settled.summarySkipReasons : settled.skipReasons;
                            reasons.merge(secrets.redact(skipped.getValue()), 1, Integer::sum);
                        }
                        else {
                            LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " reported a skipped event at index " + index + " outside its batch of " + buffered.size());
                        }
                    }
                    return;
                case PARTIALLY_REJECTED:
                    for (Map.Entry<Integer, String> rejected : result.rejected().entrySet()) {
                        int index = rejected.getKey();
                        if (index >= 0 && index < buffered.size()) {
                            settled.refused(buffered.get(index), secrets.redact(rejected.getValue()));
                        }
                        else {
                            LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " reported a rejected event at index " + index + " outside its batch of " + buffered.size());
                        }
                    }
                    return;
                case REJECTED:
                case TOO_LARGE:
                    if (buffered.size() == 1) {
                        if (outputBug) {
                            settled.dead.add(new SqliteBuffer.DeadLetterRequest(buffered.get(0), result.reason()));
                            settled.outputBugEvents++;
                            if (settled.outputBug == null) {
                                settled.outputBug = result.reason();
                            }
                        }
                        else {
                            settled.refused(buffered.get(0), secrets.redact(result.reason()));
                        }
                        return;
                    }
                    // only the batch's first refusal says something about the collector's limit: the slices after
                    // it are refused for being no smaller than they are, or for one event too large by itself
                    int at = splitPoint(result, buffered, !settled.split);
                    settled.split = true;
                    settle(new StoredEvents(buffered.subList(0, at)), settled);
                    acknowledgeSettledPart(buffered.get(at - 1).seq(), settled);
                    settle(new StoredEvents(buffered.subList(at, buffered.size())), settled);
                    return;
                case UNAUTHORIZED:
                    if (state != ComponentState.UNAUTHORIZED) {
                        LOG.log(System.Logger.Level.ERROR, "output " + spec.qualifiedId() + " is not authorized by the collector: " + secrets.redact(result.reason())
                                + "; delivery is paused and retried every " + settings.unauthorizedRetry().toSeconds() + " s while events keep buffering");
                    }
                    state = ComponentState.UNAUTHORIZED;
                    error(secrets.redact(result.reason()));
                    failures.increment();
                    pause(settings.unauthorizedRetry());
                    break;
                default:
                    throw new IllegalStateException("unexpected delivery result " + result.kind());
            }
        }
    }

    /**
     * Moves the cursor over the first part of a split batch once it is settled, with the part's dead letters: the
     * output took those events (or they are dead letters now), and a stop or a crash while the rest is still being
     * split and retried (a minute or more for an output that keeps throwing) must not send them again.
     */
    private void acknowledgeSettledPart(long lastOfPart, Settlement settled)
            throws SQLException, InterruptedException
    {
        List<SqliteBuffer.DeadLetterRequest> dead = settled.dead;
        buffer.acknowledge(spec.pipelineId(), spec.id(), lastOfPart, List.copyOf(dead.subList(settled.deadAcknowledged, dead.size())));
        settled.deadAcknowledged = dead.size();
        cursor = lastOfPart;
    }

    /**
     * Where to split a batch the output refused: after the events that fit, when a too-large result says so (and the
     * next batches are kept to their size), else in halves. A batch refused as too large without a count (a
     * collector's 413, a broker's record limit) keeps the next batches to the bytes of its first half: without that,
     * every batch after it would be refused once before its halves went, a request lost each time (and nothing said).
     */
    private int splitPoint(DeliveryResult result, List<BufferedEvent> buffered, boolean firstRefusal)
    {
        if (result.kind() == DeliveryResult.Kind.TOO_LARGE && result.fitting().isPresent()) {
            int fitting = result.fitting().getAsInt();
            if (fitting < buffered.size()) {
                batches.keepBatchesTo(bufferedBytes(buffered.subList(0, fitting)));
                if (!saidBatchesAreCut) {
                    saidBatchesAreCut = true;
                    LOG.log(System.Logger.Level.INFO, "output " + spec.qualifiedId() + " takes " + fitting + " of a batch of " + buffered.size()
                            + " events in one request (" + secrets.redact(result.reason()) + "): the batch is sent in parts, and the next batches are read to the size"
                            + " that fitted, " + batches.maxBytes() + " bytes as buffered");
                }
                else {
                    LOG.log(System.Logger.Level.DEBUG, () -> "output " + spec.qualifiedId() + " takes " + fitting + " of a batch of " + buffered.size()
                            + " events in one request: next batches are read to " + batches.maxBytes() + " bytes as buffered");
                }
                return fitting;
            }
            // a plugin bug, said once per output (each split of each batch said it again: 27 lines for 30 events)
            if (!saidFittingIsWrong) {
                saidFittingIsWrong = true;
                LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " said " + fitting + " events of a batch of " + buffered.size()
                        + " fit in one request, yet found the batch too large (" + secrets.redact(result.reason()) + "): split in halves; a bug in plugin "
                        + spec.factory().plugin().name() + " (said once)");
            }
            return buffered.size() / 2;
        }
        int half = buffered.size() / 2;
        if (result.kind() == DeliveryResult.Kind.TOO_LARGE && firstRefusal) {
            long halfBytes = bufferedBytes(buffered.subList(0, half));
            if (halfBytes < batches.maxBytes()) {
                batches.keepBatchesTo(halfBytes);
            }
            if (!saidBatchesAreRefused) {
                saidBatchesAreRefused = true;
                LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " had a batch of " + buffered.size() + " events (" + bufferedBytes(buffered)
                        + " bytes as buffered) found too large (" + secrets.redact(result.reason()) + "): it is sent in halves until they are taken (an event"
                        + " too large by itself goes to the dead letters), and the next batches are read to " + batches.maxBytes() + " bytes as buffered,"
                        + " growing while they are taken. Every refusal costs a request: if the output has a size limit of its own, set it below the collector's");
            }
            else {
                LOG.log(System.Logger.Level.DEBUG, () -> "output " + spec.qualifiedId() + " had a batch of " + buffered.size() + " events found too large:"
                        + " next batches are read to " + batches.maxBytes() + " bytes as buffered");
            }
        }
        return half;
    }

    private static long bufferedBytes(List<BufferedEvent> events)
    {
        long bytes = 0;
        for (BufferedEvent event : events) {
            bytes += event.bytes();
        }
        return bytes;
    }

    private DeliveryResult deliverWithRetries(StoredEvents events)
            throws InterruptedException
    {
        consecutiveThrows = 0;
        try {
            return Failsafe.with(retryPolicy).get(() -> attempt(events));
        }
        catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                // Failsafe sets the flag again after an interrupted backoff; thrown as an InterruptedException it is
                // taken, and closing the output after it must not find it set
                Thread.interrupted();
                throw (InterruptedException) e.getCause();
            }
            throw e;
        }
    }

    private DeliveryResult attempt(StoredEvents events)
            throws InterruptedException
    {
        DeliveryWindow.Outstanding answered = presetAnswer;
        if (answered != null) {
            // the first attempt of a batch that was in flight: its answer came already
            presetAnswer = null;
            attemptSentNanos = answered.sentNanos();
            deliveryDuration.observe(answered.answerNanos() / 1e9);
            return outcome(events, answered.result(), answered.failure());
        }
        synchronized (backoffLock) {
            inBackoff = false;
        }
        // a stop that cut the backoff short may have come just as it ended: its interrupt is taken here, not in deliver
        if (Thread.interrupted()) {
            throw new InterruptedException("stopping");
        }
        if (stopping && System.nanoTime() > drainDeadline) {
            throw new InterruptedException("drain time is over");
        }
        events.forgetDecodeFailure();
        DeliveryResult result = null;
        Throwable failure = null;
        long startNanos = System.nanoTime();
        attemptSentNanos = startNanos;
        try {
            result = output.deliver(events);
        }
        catch (InterruptedException e) {
            throw e;
        }
        catch (RuntimeException | LinkageError e) {
            failure = e;
        }
        finally {
            deliveryDuration.observe((System.nanoTime() - startNanos) / 1e9);
        }
        return outcome(events, result, failure);
    }

    /** What one attempt came to: the output's result, or what it threw (or failed its stage with). */
    private DeliveryResult outcome(StoredEvents events, DeliveryResult result, Throwable failure)
    {
        if (failure == null) {
            // "in a row": an answer in between (a 503, say) means the output can handle these events
            consecutiveThrows = 0;
            if (result == null) {
                result = DeliveryResult.retryLater("output bug: plugin " + spec.factory().plugin().name() + " returned no result (null) from deliver");
            }
        }
        else if (events.decodeFailure() == null) {
            failures.increment();
            consecutiveThrows++;
            if (failure instanceof LinkageError) {
                return pluginCannotLink((LinkageError) failure);
            }
            String bug = "output bug: " + RedactingFormatter.redactLikeLogs(secrets, failure.getClass().getName() + ": " + failure.getMessage());
            if (consecutiveThrows >= throwsBeforeIsolating()) {
                // rejecting the slice bisects it: the events the output throws on end in the dead letters
                return DeliveryResult.rejected(bug);
            }
            // the first throw of a batch with its stack trace; the bisection's attempts would repeat it
            System.Logger.Level level = batchLoggedAThrow ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
            batchLoggedAThrow = true;
            LOG.log(level, "output " + spec.qualifiedId() + " threw while delivering (treated as retry later; after " + THROWS_BEFORE_ISOLATING
                    + " throws in a row the events it throws on go to the dead letters): " + RedactingFormatter.redactLikeLogs(secrets, String.valueOf(failure)), failure);
            return DeliveryResult.retryLater(failure.getClass().getSimpleName() + ": " + failure.getMessage());
        }
        if (events.decodeFailure() != null) {
            // whatever the output made of it: an event that cannot be read back can never be delivered; rejecting
            // the slice bisects down to that event and dead-letters it, and the rest is sent again
            return DeliveryResult.rejected(events.decodeFailure());
        }
        if (result.kind() == DeliveryResult.Kind.RETRY_LATER) {
            failures.increment();
        }
        return result;
    }

    /** How many throws in a row on the slice being delivered make it a slice with an event the output cannot take. */
    private int throwsBeforeIsolating()
    {
        return isolating ? THROWS_WHILE_ISOLATING : THROWS_BEFORE_ISOLATING;
    }

    /**
     * The output's plugin cannot find or link one of its classes (a jar missing from its folder, a library of the
     * wrong version): every event would fail alike, so the batch is neither split nor dead-lettered; it stays
     * buffered and is retried with the usual backoff. Said at ERROR once until the output delivers again.
     */
    private DeliveryResult pluginCannotLink(LinkageError failure)
    {
        // no event's fault: never counted towards isolating one
        consecutiveThrows = 0;
        LoadedPlugin plugin = spec.factory().plugin();
        String folder = plugin.location().map(Path::toString).orElse("the plugins folder");
        String cause = failure.getClass().getSimpleName() + ": " + RedactingFormatter.redactLikeLogs(secrets, String.valueOf(failure.getMessage()));
        if (!pluginCannotLink) {
            pluginCannotLink = true;
            LOG.log(System.Logger.Level.ERROR, "output " + spec.qualifiedId() + " cannot run: its plugin " + plugin.name() + " cannot load one of its classes (" + cause
                    + "); is a jar missing from " + folder + "? The events stay buffered and none goes to the dead letters; put the plugin's"
                    + " folder back as it was built, with all its jars, and restart the agent", failure);
        }
        return DeliveryResult.retryLater("plugin " + plugin.name() + " cannot load one of its classes: " + cause);
    }

    private void pause(Duration duration)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (this) {
            while (System.nanoTime() - deadline < 0) {
                // stop() notifies; a pause that ends after the drain's deadline would deliver nothing before it
                if (stopping && deadline - drainDeadline >= 0) {
                    throw new InterruptedException("stopping");
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, deadline - System.nanoTime()));
            }
        }
    }

    /** Stops after draining what is buffered, or at {@code deadline} (System.nanoTime) at the latest. */
    public void stop(long deadlineNanos)
    {
        drainDeadline = deadlineNanos;
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        synchronized (backoffLock) {
            if (inBackoff && (backoffEndsAt - deadlineNanos >= 0 || pluginCannotLink)) {
                thread.interrupt();
            }
        }
        // a delivery thread waiting for an answer of a batch in flight waits on the window
        window.wakeUp();
        // an idle loop sleeps in the buffer's wait for appends, with no timeout
        buffer.wakeAppendWaiters();
    }

    /** How often the delivery thread read the buffer for batches; 0 before it started reading. */
    long bufferReads()
    {
        BatchAssembler assembler = batches;
        return assembler == null ? 0 : assembler.reads();
    }

    /** Waits until the thread has ended, interrupting it at the deadline. */
    public void await(long deadlineNanos)
            throws InterruptedException
    {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(2_000);
        }
        if (thread.isAlive()) {
            // a deliver (or its stage) that never returns and ignores interrupts: the agent stops without it, and the
            // thread, a daemon, does not keep the process alive
            LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " (" + spec.type() + ") has not returned from its plugin's delivery within"
                    + " the shutdown timeout and 2 s more, interrupted; the agent stops without it: what it was sending stays buffered and is sent again after"
                    + " the restart (plugin " + spec.factory().plugin().name() + ")");
        }
    }

    private void closeOutput()
    {
        try {
            LoadedPlugin.withContextClassLoader(spec.factory().plugin().classLoader(), () -> {
                output.close();
                return null;
            });
        }
        catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "output " + spec.qualifiedId() + " failed to close: " + secrets.redact(String.valueOf(e)));
        }
    }

    public ComponentSpec spec()
    {
        return spec;
    }

    public ComponentState state()
    {
        return state;
    }

    /** The error that is true now (redacted), empty when there is none: cleared by a delivery without refusals. */
    public String lastError()
    {
        return lastError.text();
    }

    /** When {@link #lastError()} last happened (epoch milliseconds), 0 when there is none. */
    public long lastErrorMillis()
    {
        return lastError.atMillis();
    }

    private void error(String text)
    {
        lastError = text.isEmpty() ? LastError.NONE : new LastError(text, System.currentTimeMillis());
    }

    private record LastError(String text, long atMillis)
    {
        static final LastError NONE = new LastError("", 0);
    }

    public long cursor()
    {
        return cursor;
    }

    /** When the collector last accepted events (epoch milliseconds), 0 when it has not since the start. */
    public long lastDeliveredMillis()
    {
        return lastDeliveredMillis;
    }

    /** When events were last dead-lettered (epoch milliseconds), 0 when none were since the start. */
    public long lastDeadLetteredMillis()
    {
        return lastDeadLetteredMillis;
    }

    /** Why the first event of the last dead-lettered batch was refused (redacted), empty when none was. */
    public String lastDeadLetterReason()
    {
        return lastDeadLetterReason;
    }
}
