package io.outrider.core.delivery;

import io.outrider.config.ConfigLocation;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.DeliverySettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.metrics.MetricCounter;
import io.outrider.core.pipeline.ComponentState;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.RegisteredFactory;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.DeadLetter;
import io.outrider.core.storage.EventCodec;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class TestDeliveryLoop
{
    private static final String PIPELINE = "ssh_auth";
    private static final String OUTPUT_ID = "siem";
    private static final String SEQUENCE = "event.sequence";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "tok-7f3a9c21e5";

    @TempDir
    Path dataDirectory;

    private final AgentMetrics metrics = new AgentMetrics();
    private final SecretRegistry secrets = new SecretRegistry();
    private final List<DeliveryLoop> loops = new ArrayList<>();
    private final List<SqliteBuffer> buffers = new ArrayList<>();

    @AfterEach
    void stopEverything()
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        loops.forEach(loop -> loop.stop(deadline));
        for (DeliveryLoop loop : loops) {
            loop.await(deadline);
        }
        buffers.forEach(SqliteBuffer::close);
    }

    @Test
    void retriesTransientFailuresWithoutLosingOrReorderingEvents()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 10);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt <= 3 ? DeliveryResult.retryLater("HTTP 503: collector busy") : DeliveryResult.delivered());

        DeliveryLoop loop = start(buffer, output, settings(100));
        awaitCursor(buffer, 10);

        assertThat(output.attempts()).hasSize(4);
        assertThat(output.attempts()).allSatisfy(attempt -> assertThat(sequences(attempt.batch())).containsExactlyElementsOf(range(1, 10)));
        awaitState(loop, ComponentState.RUNNING);
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(range(1, 10));
        assertThat(counter("delivery_retries")).isEqualTo(3);
        assertThat(counter("delivery_failures")).isEqualTo(3);
        awaitCounter("events_out", 10);
        assertThat(counter("dead_letters")).isZero();
        assertThat(loop.cursor()).isEqualTo(10);
        assertThat(buffer.totalBytes()).isZero();
    }

    @Test
    void waitsAtLeastAsLongAsTheCollectorAskedBeforeTryingAgain()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 3);
        Duration retryAfter = Duration.ofMillis(200);
        int refusals = 5;
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt <= refusals
                ? DeliveryResult.retryLater("HTTP 429: slow down", retryAfter)
                : DeliveryResult.delivered());

        // the backoff alone would come back after 10 ms; the collector's delay must win, and never be cut short by jitter
        start(buffer, output, new DeliverySettings(100, null, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(2), null));
        awaitCursor(buffer, 3);

        List<Attempt> attempts = output.attempts();
        assertThat(attempts).hasSize(refusals + 1);
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.ofNanos(attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()))
                    .as("pause before attempt %s", i + 1)
                    .isGreaterThanOrEqualTo(retryAfter);
        }
        assertThat(output.deliveredSequences()).containsExactly(1L, 2L, 3L);
        assertThat(counter("delivery_retries")).isEqualTo(refusals);
    }

    @Test
    void neverComesBackSoonerThanRetryInitialEvenWhenTheCollectorSaysNow()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 2);
        // "Retry-After: 0", or a date already past
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt <= 3 ? DeliveryResult.retryLater("HTTP 503", Duration.ZERO) : DeliveryResult.delivered());

        start(buffer, output, new DeliverySettings(100, null, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(200), null));
        awaitCursor(buffer, 2);

        List<Attempt> attempts = output.attempts();
        assertThat(attempts).hasSize(4);
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.ofNanos(attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()))
                    .as("pause before attempt %s", i + 1)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void backsOffExponentiallyUpToTheMaximum()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 2);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt <= 5 ? DeliveryResult.retryLater("connection refused") : DeliveryResult.delivered());

        start(buffer, output, new DeliverySettings(100, null, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(160), null));
        awaitCursor(buffer, 2);

        // 40, 80, 160, 160, 160 ms, each at most a fifth earlier for jitter; only lower bounds, as a busy machine is slower
        List<Duration> atLeast = List.of(Duration.ofMillis(32), Duration.ofMillis(64), Duration.ofMillis(128), Duration.ofMillis(128), Duration.ofMillis(128));
        List<Attempt> attempts = output.attempts();
        assertThat(attempts).hasSize(6);
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.ofNanos(attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()))
                    .as("pause before attempt %s", i + 1)
                    .isGreaterThanOrEqualTo(atLeast.get(i - 1));
        }
        assertThat(output.deliveredSequences()).containsExactly(1L, 2L);
    }

    @Test
    void isolatesAPoisonEventByBisectionAndDeadLettersOnlyIt()
            throws Exception
    {
        secrets.register(SECRET);
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 100);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> sequences(batch).contains(37L)
                ? DeliveryResult.rejected("HTTP 400: mapping error in event 37 (request token " + SECRET + ")")
                : DeliveryResult.delivered());

        DeliveryLoop loop = start(buffer, output, settings(20));
        awaitCursor(buffer, 100);

        List<Long> expected = new ArrayList<>(range(1, 100));
        expected.remove(Long.valueOf(37));
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(expected);
        List<DeadLetter> letters = buffer.deadLetters(Optional.empty(), Optional.empty(), 10);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.pipeline()).isEqualTo(PIPELINE);
            assertThat(letter.output()).isEqualTo(OUTPUT_ID);
            assertThat(letter.seq()).isEqualTo(37);
            assertThat(letter.event().field(SEQUENCE)).isEqualTo(37L);
            // the collector's reason, with the secret it echoed masked
            assertThat(letter.reason()).isEqualTo("HTTP 400: mapping error in event 37 (request token ******)");
        });
        awaitCounter("dead_letters", 1);
        awaitCounter("events_out", 99);
        assertThat(counter("delivery_retries")).isZero();
        assertThat(loop.state()).isEqualTo(ComponentState.RUNNING);
        assertThat(buffer.totalBytes()).isZero();
    }

    @Test
    void deadLettersAnEventThatCannotBeReadBackAndDeliversTheRest()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 40);
        // bit rot inside one stored event: the format marker survives, the rest is cut short
        replaceStoredEvent(buffer, 23, new byte[] {0x01, (byte) 0xFF});
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);

        start(buffer, output, settings(40));
        awaitCursor(buffer, 40);

        List<Long> expected = new ArrayList<>(range(1, 40));
        expected.remove(Long.valueOf(23));
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(expected);
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).singleElement().satisfies(letter -> {
            assertThat(letter.seq()).isEqualTo(23);
            assertThat(letter.reason()).isEqualTo("event 23 in the buffer cannot be decoded: buffered event cannot be decoded: it ends early");
        });
        awaitCounter("dead_letters", 1);
        awaitCounter("events_out", 39);
    }

    @Test
    void deadLettersTheEventsACollectorRejectsByIndex()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 5);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt == 1
                ? DeliveryResult.partiallyRejected(Map.of(1, "field [user.name] too long", 3, "timestamp out of range", 7, "not in this batch"))
                : DeliveryResult.delivered());

        start(buffer, output, settings(5));
        awaitCursor(buffer, 5);
        append(buffer, 6, 8);
        awaitCursor(buffer, 8);

        assertThat(buffer.deadLetters(Optional.of(PIPELINE), Optional.of(OUTPUT_ID), 10))
                .extracting(DeadLetter::seq, DeadLetter::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "field [user.name] too long"),
                        org.assertj.core.groups.Tuple.tuple(4L, "timestamp out of range"));
        // the partially rejected batch is settled at once: the accepted events are not sent again
        assertThat(output.attempts()).extracting(attempt -> sequences(attempt.batch()))
                .containsExactly(range(1, 5), range(6, 8));
        awaitCounter("events_out", 6);
        awaitCounter("dead_letters", 2);
    }

    @Test
    void saysAtWarnHowManyEventsWentToTheDeadLettersAndClearsTheErrorOnceDeliveryWorks()
            throws Exception
    {
        List<String> warnings = new CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(DeliveryLoop.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler()
        {
            @Override
            public void publish(java.util.logging.LogRecord record)
            {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        try {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 5);
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt == 1
                    ? DeliveryResult.partiallyRejected(Map.of(1, "HTTP 400: field [user.name] too long " + SECRET, 3, "HTTP 400: timestamp out of range"))
                    : DeliveryResult.delivered());
            secrets.register(SECRET);

            DeliveryLoop loop = start(buffer, output, settings(5));
            awaitCursor(buffer, 5);
            awaitTrue(() -> !loop.lastError().isEmpty(), "the refusal as the last error");
            assertThat(loop.lastError()).isEqualTo("2 events refused (sent to the dead letters): HTTP 400: field [user.name] too long ******");
            assertThat(loop.lastErrorMillis()).isPositive();
            // the warning follows the error on the delivery thread
            awaitTrue(() -> !warnings.isEmpty(), "the warning about the dead letters");
            assertThat(warnings).containsExactly("output ssh_auth.siem sent 2 events of a batch of 5 to the dead letters: they were refused "
                    + "(HTTP 400: field [user.name] too long ******); 'outrider dead-letters list' shows them and 'outrider dead-letters replay' sends them again");

            append(buffer, 6, 8);
            awaitCursor(buffer, 8);
            awaitTrue(() -> loop.lastError().isEmpty(), "the last error cleared by a delivery without refusals");
            assertThat(loop.lastErrorMillis()).isZero();
        }
        finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void countsSkippedEventsApartFromDeliveredOnesAndSaysWhyAtWarnOncePerInterval()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.WARNING)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 6);
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.deliveredSkipping(attempt == 1
                    ? Map.of(0, "no event.action for LiteSOC", 2, "no event.action for LiteSOC", 4, "message longer than 8 KiB", 9, "not in this batch")
                    : Map.of(0, "no event.action for LiteSOC")));

            DeliveryLoop loop = start(buffer, output, settings(6));
            awaitCursor(buffer, 6);
            awaitCounter("events_skipped", 3);
            awaitCounter("events_out", 3);
            // a second batch with a skip inside the same interval: counted, and said only by the next line or the flush
            append(buffer, 7, 8);
            awaitCursor(buffer, 8);
            awaitCounter("events_skipped", 4);
            awaitCounter("events_out", 4);
            assertThat(counter("dead_letters")).isZero();
            assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
            assertThat(loop.lastError()).isEmpty();
            loop.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            loop.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));

            assertThat(log.messages()).containsExactly(
                    "output ssh_auth.siem reported a skipped event at index 9 outside its batch of 6",
                    "output ssh_auth.siem skipped 3 events of a batch of 6: its format cannot carry them (2 × no event.action for LiteSOC; 1 × message longer than 8 KiB); "
                            + "skipped events are counted apart from delivered ones and are not kept",
                    "output ssh_auth.siem skipped 1 more event in 1 batch since the last such message");
        }
    }

    @Test
    void aSkippedRoundSummaryIsCountedAndSaidOnceAtInfoNotWarnedAbout()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.INFO)) {
            SqliteBuffer buffer = openBuffer();
            // a file integrity pipeline to a collector without an event for the scan's summary: every scan ends with one
            buffer.append(PIPELINE, "fim", List.of(event(1), roundSummary(2)), List.of());
            String reason = "a FIM scan_complete marker is not a file change; LogNog has no event for it";
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.deliveredSkipping(Map.of(batch.size() - 1, reason)));

            DeliveryLoop loop = start(buffer, output, settings(2));
            awaitCursor(buffer, 2);
            buffer.append(PIPELINE, "fim", List.of(event(3), roundSummary(4)), List.of());
            awaitCursor(buffer, 4);
            awaitCounter("events_skipped", 2);
            awaitCounter("events_out", 2);
            loop.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            loop.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));

            assertThat(log.messages()).containsExactly("output ssh_auth.siem does not send the summaries that end an input's rounds, such as a file integrity scan's: "
                    + "its format has no event for them (" + reason + "); they are counted as skipped, and this is not said again");
        }
    }

    @Test
    void aBatchThatSkipsARoundSummaryAndOtherEventsWarnsAboutTheOthersOnly()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.WARNING)) {
            SqliteBuffer buffer = openBuffer();
            buffer.append(PIPELINE, "fim", List.of(event(1), event(2), roundSummary(3)), List.of());
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.deliveredSkipping(Map.of(0, "no event.action for LiteSOC", 2, "litesoc has no event for scan_complete")));

            DeliveryLoop loop = start(buffer, output, settings(3));
            awaitCursor(buffer, 3);
            awaitCounter("events_skipped", 2);
            awaitCounter("events_out", 1);
            loop.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            loop.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));

            assertThat(log.messages()).containsExactly("output ssh_auth.siem skipped 1 event of a batch of 3: its format cannot carry it (1 × no event.action for LiteSOC); "
                    + "skipped events are counted apart from delivered ones and are not kept");
        }
    }

    @Test
    void deadLettersTheEventAnOutputKeepsThrowingOnAndDeliversTheRest()
            throws Exception
    {
        secrets.register(SECRET);
        try (LogCapture log = new LogCapture(java.util.logging.Level.WARNING)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 16);
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
                if (sequences(batch).contains(11L)) {
                    throw new IllegalArgumentException("cannot encode field user.name of event 11 (key " + SECRET + ")");
                }
                return DeliveryResult.delivered();
            });

            DeliveryLoop loop = start(buffer, output, settings(16));
            awaitCursor(buffer, 16);

            List<Long> expected = new ArrayList<>(range(1, 16));
            expected.remove(Long.valueOf(11));
            assertThat(output.deliveredSequences()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).singleElement().satisfies(letter -> {
                assertThat(letter.seq()).isEqualTo(11);
                assertThat(letter.reason()).isEqualTo("output bug: java.lang.IllegalArgumentException: cannot encode field user.name of event 11 (key ******)");
            });
            awaitCounter("dead_letters", 1);
            awaitCounter("events_out", 15);
            // the batch of 16 thrown on five times, then bisection: 8 -> 4 -> 2 -> 1, each part holding event 11 thrown on twice
            assertThat(output.attempts().stream().filter(attempt -> attempt.result() == null))
                    .hasSize(DeliveryLoop.THROWS_BEFORE_ISOLATING + 4 * DeliveryLoop.THROWS_WHILE_ISOLATING);
            awaitTrue(() -> loop.lastError().startsWith("the output failed"), "the output bug as the last error");
            assertThat(loop.lastError()).isEqualTo("the output failed on 1 event (sent to the dead letters): "
                    + "output bug: java.lang.IllegalArgumentException: cannot encode field user.name of event 11 (key ******)");
            // the first throw with its stack trace, the attempt, the bisection, and its outcome: said once each
            assertThat(log.messages()).containsExactly(
                    "output ssh_auth.siem threw while delivering (treated as retry later; after 5 throws in a row the events it throws on go to the dead letters): "
                            + "java.lang.IllegalArgumentException: cannot encode field user.name of event 11 (key ******)",
                    "output ssh_auth.siem cannot deliver (attempt 1): IllegalArgumentException: cannot encode field user.name of event 11 (key ******);"
                            + " events stay buffered and are retried",
                    "output ssh_auth.siem threw 5 times in a row on a batch of 16 events: splitting it to find the events it throws on (each part is tried"
                            + " 2 times, 10 ms apart); the events it takes are delivered, those it keeps throwing on go to the dead letters",
                    "output ssh_auth.siem kept throwing on 1 event of a batch of 16 and sent it to the dead letters "
                            + "(output bug: java.lang.IllegalArgumentException: cannot encode field user.name of event 11 (key ******)); the rest of the batch is settled; "
                            + "'outrider dead-letters list' shows them");
            assertThat(loop.state()).isEqualTo(ComponentState.RUNNING);
        }
    }

    /**
     * While a batch is split to find the event the output throws on, what the output took is acknowledged part by
     * part: a stop or a crash in the middle of the split (a minute or more with the default retry settings) must not
     * send it again.
     */
    @Test
    void theSettledPartsOfABatchBeingSplitAreAcknowledgedBeforeTheRestIsSettled()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 16);
        List<Long> cursorWhenEleventhWasTriedInAPairOfTwo = new CopyOnWriteArrayList<>();
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            List<Long> sequences = sequences(batch);
            if (sequences.contains(11L)) {
                if (sequences.equals(List.of(11L, 12L))) {
                    try {
                        cursorWhenEleventhWasTriedInAPairOfTwo.add(buffer.cursor(PIPELINE, OUTPUT_ID));
                    }
                    catch (java.sql.SQLException e) {
                        throw new AssertionError(e);
                    }
                }
                throw new IllegalArgumentException("cannot encode event 11");
            }
            return DeliveryResult.delivered();
        });

        start(buffer, output, settings(16));
        awaitCursor(buffer, 16);

        // 16 -> [1..8] delivered, [9..16] -> [9..12] -> [9..10] delivered, [11..12]: by then 1..10 are acknowledged
        assertThat(cursorWhenEleventhWasTriedInAPairOfTwo).isNotEmpty().allSatisfy(cursor -> assertThat(cursor).isEqualTo(10L));
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).extracting(letter -> letter.seq()).containsExactly(11L);
        List<Long> expected = new ArrayList<>(range(1, 16));
        expected.remove(Long.valueOf(11));
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(expected);
        awaitCounter("events_out", 15);
        awaitCounter("dead_letters", 1);
    }

    /**
     * A class the plugin cannot load (a jar missing from its folder) fails every event alike: the batch stays buffered
     * and is retried, never split into the dead letters, and once the plugin works it is delivered whole.
     */
    @Test
    void aPluginThatCannotLoadAClassKeepsItsEventsBufferedAndNeverDeadLettersThem()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.INFO)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 8);
            int broken = 3 * DeliveryLoop.THROWS_BEFORE_ISOLATING;
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
                if (attempt <= broken) {
                    throw new NoClassDefFoundError("io/outrider/support/EventDocument");
                }
                return DeliveryResult.delivered();
            });

            DeliveryLoop loop = start(buffer, output, settings(8));
            awaitTrue(() -> output.attempts().size() > DeliveryLoop.THROWS_BEFORE_ISOLATING, "more attempts than make an output bug");
            assertThat(loop.lastError()).isEqualTo("plugin test cannot load one of its classes: NoClassDefFoundError: io/outrider/support/EventDocument");
            awaitCursor(buffer, 8);

            // never split: every attempt carried the whole batch, and the last one delivered it
            assertThat(output.attempts()).hasSize(broken + 1);
            assertThat(output.attempts()).allSatisfy(attempt -> assertThat(sequences(attempt.batch())).isEqualTo(range(1, 8)));
            assertThat(output.deliveredSequences()).isEqualTo(range(1, 8));
            assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
            awaitCounter("events_out", 8);
            // said after the acknowledgement that moved the cursor
            awaitTrue(() -> log.messages().contains("output ssh_auth.siem delivers again"), "the recovery said");
            assertThat(log.messages()).filteredOn(message -> !message.contains("cannot deliver (attempt")).containsExactly(
                    "output ssh_auth.siem cannot run: its plugin test cannot load one of its classes (NoClassDefFoundError: io/outrider/support/EventDocument);"
                            + " is a jar missing from the plugins folder? The events stay buffered and none goes to the dead letters; put the plugin's folder"
                            + " back as it was built, with all its jars, and restart the agent",
                    "output ssh_auth.siem delivers again");
        }
    }

    @Test
    void aNullResultIsRetriedAndBlamedOnThePlugin()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.WARNING)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 2);
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt == 1 ? null : DeliveryResult.delivered());

            start(buffer, output, settings(8));
            awaitCursor(buffer, 2);

            assertThat(output.attempts()).hasSize(2);
            assertThat(log.messages()).containsExactly("output ssh_auth.siem cannot deliver (attempt 1): output bug: plugin test returned no result (null) from deliver;"
                    + " events stay buffered and are retried");
        }
    }

    /** "Delivers again" is said when the output delivers, not when the batch it could not take went to the dead letters. */
    @Test
    void aBatchThatAllWentToTheDeadLettersIsNotARecovery()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.INFO)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 1);
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
                throw new IllegalStateException("cannot encode");
            });

            start(buffer, output, settings(8));
            awaitCursor(buffer, 1);
            awaitCounter("dead_letters", 1);

            assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).hasSize(1);
            assertThat(log.messages()).noneMatch(message -> message.contains("delivers again"));
            assertThat(log.messages()).anyMatch(message -> message.startsWith("output ssh_auth.siem kept throwing on 1 event of a batch of 1"));
        }
    }

    @Test
    void onlyThrowsInARowCountTowardsAnOutputBug()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 2);
        int throwsBefore = DeliveryLoop.THROWS_BEFORE_ISOLATING - 1;
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            if (attempt == throwsBefore + 1) {
                return DeliveryResult.retryLater("collector.example answered HTTP 503");
            }
            if (attempt <= 2 * throwsBefore + 1) {
                throw new IllegalStateException("connection pool exhausted");
            }
            return DeliveryResult.delivered();
        });

        start(buffer, output, settings(10));
        awaitCursor(buffer, 2);

        // eight throws, but never five in a row: nothing is an output bug, the batch is never split, everything is delivered
        assertThat(output.attempts().stream().filter(attempt -> attempt.result() == null)).hasSize(2 * throwsBefore);
        assertThat(output.attempts()).allSatisfy(attempt -> assertThat(sequences(attempt.batch())).containsExactly(1L, 2L));
        assertThat(output.deliveredSequences()).containsExactly(1L, 2L);
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
    }

    @Test
    void saysAtWarnWhenTheReasonForRetryingChanges()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.WARNING)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 2);
            ScriptedOutput output = new ScriptedOutput((attempt, batch) -> switch (attempt) {
                case 1, 2 -> DeliveryResult.retryLater("collector.example answered HTTP 503: ingest paused");
                case 3 -> DeliveryResult.retryLater("cannot reach collector.example: no answer within request_timeout (PT1S)");
                default -> DeliveryResult.delivered();
            });

            start(buffer, output, settings(10));
            awaitCursor(buffer, 2);

            assertThat(log.messages()).containsExactly(
                    "output ssh_auth.siem cannot deliver (attempt 1): collector.example answered HTTP 503: ingest paused; events stay buffered and are retried",
                    "output ssh_auth.siem cannot deliver (attempt 3): cannot reach collector.example: no answer within request_timeout (PT1S); events stay buffered and are retried");
        }
    }

    @Test
    void splitsTooLargeBatchesUntilTheCollectorTakesThem()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 40);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            if (batch.size() > 4) {
                return DeliveryResult.tooLarge("HTTP 413: at most 4 events per request");
            }
            if (sequences(batch).contains(7L)) {
                return DeliveryResult.tooLarge("HTTP 413: event exceeds 1 MB");
            }
            return DeliveryResult.delivered();
        });

        start(buffer, output, settings(40));
        awaitCursor(buffer, 40);

        List<Long> expected = new ArrayList<>(range(1, 40));
        expected.remove(Long.valueOf(7));
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(expected);
        assertThat(output.attempts()).filteredOn(attempt -> attempt.result().kind() == DeliveryResult.Kind.DELIVERED)
                .allSatisfy(attempt -> assertThat(attempt.batch()).hasSizeBetween(1, 4));
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10))
                .extracting(DeadLetter::seq, DeadLetter::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, "HTTP 413: event exceeds 1 MB"));
        awaitCounter("events_out", 39);
        awaitCounter("dead_letters", 1);
    }

    @Test
    void splitsATooLargeBatchAfterTheEventsThatFitAndKeepsTheNextBatchesToTheirSize()
            throws Exception
    {
        // a request takes at most 8 events
        int eventBytes = eventBytesFrom100To299();
        SqliteBuffer buffer = openBuffer();
        append(buffer, 100, 299);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) ->
                batch.size() > 8 ? DeliveryResult.tooLarge(batch.size() + " events are more than " + SECRET + " takes", 8) : DeliveryResult.delivered());
        secrets.register(SECRET);

        try (LogCapture log = new LogCapture(java.util.logging.Level.INFO)) {
            start(buffer, output, settings(20));
            awaitCursor(buffer, 200);
            // said once, for the first cut: the later ones are the same news
            // the output's reason is shown as any other: without the secret
            assertThat(log.messages()).containsExactly("output ssh_auth.siem takes 8 of a batch of 20 events in one request (20 events are more than"
                    + " ****** takes): the batch is sent in parts, and the next batches are read to the size that fitted, " + 8 * eventBytes
                    + " bytes as buffered");
        }

        List<Integer> sizes = new ArrayList<>();
        // the first batch is cut after 8, and so is its rest; the batches after it are read 8 at a time
        sizes.addAll(List.of(20, 8, 12, 8, 4));
        sizes.addAll(java.util.Collections.nCopies(BatchAssembler.WHOLE_BATCHES_BEFORE_GROWING, 8));
        // then the limit grows by an eighth, to 9 events, which is cut again; the rest goes 8 at a time
        sizes.addAll(List.of(9, 8, 1, 8, 8, 8, 8, 8, 3));
        assertThat(output.attempts()).extracting(attempt -> attempt.batch().size()).containsExactlyElementsOf(sizes);
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(range(100, 299));
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
        awaitCounter("events_out", 200);
    }

    @Test
    void keepsTheNextBatchesToHalfABatchTheCollectorRefusedAsTooLargeAndSaysSoOnce()
            throws Exception
    {
        // the collector takes at most 6 events and says only "413"
        int eventBytes = eventBytesFrom100To299();
        SqliteBuffer buffer = openBuffer();
        append(buffer, 100, 299);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) ->
                batch.size() > 6 ? DeliveryResult.tooLarge("collector answered HTTP 413 to a key of " + SECRET) : DeliveryResult.delivered());
        secrets.register(SECRET);

        try (LogCapture log = new LogCapture(java.util.logging.Level.INFO)) {
            start(buffer, output, settings(20));
            awaitCursor(buffer, 200);
            assertThat(log.messages()).containsExactly("output ssh_auth.siem had a batch of 20 events (" + 20 * eventBytes + " bytes as buffered) found"
                    + " too large (collector answered HTTP 413 to a key of ******): it is sent in halves until they are taken (an event too large by itself"
                    + " goes to the dead letters), and the next batches are read to " + 10 * eventBytes + " bytes as buffered, growing while they are taken."
                    + " Every refusal costs a request: if the output has a size limit of its own, set it below the collector's");
        }

        List<Integer> sizes = output.attempts().stream().map(attempt -> attempt.batch().size()).toList();
        // the first batch goes in halves of halves; the next is read to half of it, refused once, and the rest of the
        // batches to half of that: taken at once, until the limit has grown past what the collector takes
        List<Integer> expectedStart = new ArrayList<>(List.of(20, 10, 5, 5, 10, 5, 5, 10, 5, 5));
        expectedStart.addAll(java.util.Collections.nCopies(BatchAssembler.WHOLE_BATCHES_BEFORE_GROWING, 5));
        assertThat(sizes.subList(0, expectedStart.size())).containsExactlyElementsOf(expectedStart);
        // halving every batch would have cost 30 refused requests (20, 10 and 10 for each of ten)
        assertThat(output.attempts()).filteredOn(attempt -> attempt.result().kind() == DeliveryResult.Kind.TOO_LARGE).hasSizeLessThan(10);
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(range(100, 299));
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
        awaitCounter("events_out", 200);
    }

    @Test
    void splitsInHalvesWhenAnOutputSaysMoreEventsFitThanItsBatchHolds()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 8);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) ->
                batch.size() > 2 ? DeliveryResult.tooLarge("confused", 50) : DeliveryResult.delivered());

        start(buffer, output, settings(8));
        awaitCursor(buffer, 8);

        assertThat(output.attempts()).extracting(attempt -> attempt.batch().size()).containsExactly(8, 4, 2, 2, 4, 2, 2);
        assertThat(output.deliveredSequences()).containsExactlyElementsOf(range(1, 8));
    }

    /** A plugin author's output said every event fitted while refusing the batch: a WARN for each of the splits. */
    @Test
    void aWrongFittingCountIsSaidOnceWithTheReason()
            throws Exception
    {
        try (LogCapture log = new LogCapture(java.util.logging.Level.WARNING)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 8);
            ScriptedOutput output = new ScriptedOutput((attempt, batch) ->
                    batch.size() > 1 ? DeliveryResult.tooLarge("HTTP 413 at 900 bytes", batch.size()) : DeliveryResult.delivered());

            start(buffer, output, settings(8));
            awaitCursor(buffer, 8);

            assertThat(log.messages()).containsExactly("output ssh_auth.siem said 8 events of a batch of 8 fit in one request, yet found the batch too large"
                    + " (HTTP 413 at 900 bytes): split in halves; a bug in plugin test (said once)");
        }
    }

    @Test
    void pausesWhileUnauthorizedAndResumesWhenTheCollectorAcceptsAgain()
            throws Exception
    {
        secrets.register(SECRET);
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 6);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.unauthorized("HTTP 401: API key " + SECRET + " was revoked"));

        DeliveryLoop loop = start(buffer, output, new DeliverySettings(100, null, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofMillis(50)));
        awaitTrue(() -> output.attempts().size() >= 3, "three unauthorized attempts");

        assertThat(loop.state()).isEqualTo(ComponentState.UNAUTHORIZED);
        assertThat(loop.lastError()).isEqualTo("HTTP 401: API key ****** was revoked");
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
        assertThat(loop.cursor()).isZero();
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
        awaitTrue(() -> counter("delivery_failures") >= 3, "three failures counted");
        assertThat(counter("events_out")).isZero();
        // events keep buffering while paused
        append(buffer, 7, 9);

        output.script(ScriptedOutput.ACCEPT_ALL);
        awaitCursor(buffer, 9);
        awaitState(loop, ComponentState.RUNNING);

        assertThat(output.deliveredSequences()).containsExactlyElementsOf(range(1, 9));
        awaitCounter("events_out", 9);
    }

    @Test
    void treatsAnExceptionFromTheOutputAsATransientFailure()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 4);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            if (attempt <= 2) {
                throw new IllegalStateException("connection pool exhausted");
            }
            return DeliveryResult.delivered();
        });

        DeliveryLoop loop = start(buffer, output, settings(100));
        awaitCursor(buffer, 4);
        awaitState(loop, ComponentState.RUNNING);

        assertThat(output.attempts()).hasSize(3);
        assertThat(output.deliveredSequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(counter("delivery_retries")).isEqualTo(2);
        assertThat(counter("delivery_failures")).isEqualTo(2);
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
    }

    @Test
    void treatsANullResultAsAFailedAttempt()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 3);
        // against the contract, but a plugin bug must neither lose the batch nor go uncounted
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt <= 2 ? null : DeliveryResult.delivered());

        DeliveryLoop loop = start(buffer, output, settings(100));
        awaitCursor(buffer, 3);
        awaitState(loop, ComponentState.RUNNING);

        assertThat(output.attempts()).hasSize(3);
        assertThat(output.attempts()).allSatisfy(attempt -> assertThat(sequences(attempt.batch())).containsExactly(1L, 2L, 3L));
        assertThat(counter("delivery_retries")).isEqualTo(2);
        assertThat(counter("delivery_failures")).isEqualTo(2);
        awaitCounter("events_out", 3);
    }

    @Test
    void reportsTheOutputsErrorWhileRetrying()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 2);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            throw new IllegalStateException("connection refused");
        });

        DeliveryLoop loop = start(buffer, output, settings(100));
        awaitTrue(() -> output.attempts().size() >= 3, "three attempts");

        assertThat(loop.state()).isEqualTo(ComponentState.RETRYING);
        assertThat(loop.lastError()).isEqualTo("IllegalStateException: connection refused");
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
    }

    @Test
    void drainsTheBacklogBeforeClosingTheOutput()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 50);
        CountDownLatch stopRequested = new CountDownLatch(1);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            // hold the first batch until stop() was called, so that the whole backlog is still there
            if (!stopRequested.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("stop() was not called");
            }
            return DeliveryResult.delivered();
        });
        DeliveryLoop loop = start(buffer, output, settings(10));
        awaitTrue(() -> output.calls() >= 1, "the first delivery");

        long deadline = System.nanoTime() + WAIT.toNanos();
        loop.stop(deadline);
        stopRequested.countDown();
        loop.await(deadline);

        assertThat(output.deliveredSequences()).containsExactlyElementsOf(range(1, 50));
        assertThat(output.attempts()).hasSize(5);
        assertThat(output.closedAfterCalls()).isEqualTo(5);
        assertThat(loop.state()).isEqualTo(ComponentState.STOPPED);
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(50);
        assertThat(buffer.totalBytes()).isZero();
    }

    @Test
    void sendsAPartialBatchAtOnceWhenAskedToStop()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, new DeliverySettings(100, null, Duration.ofMinutes(5), Duration.ofMillis(10), Duration.ofMillis(200), null));
        append(buffer, 1, 3);
        Thread.sleep(100);

        // the batch waits for more events for up to five minutes; stopping must not wait that long, nor leave it behind
        long deadline = System.nanoTime() + WAIT.toNanos();
        loop.stop(deadline);
        loop.await(deadline);

        assertThat(output.deliveredSequences()).containsExactly(1L, 2L, 3L);
        assertThat(loop.state()).isEqualTo(ComponentState.STOPPED);
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(3);
    }

    @Test
    void stopsAtTheDeadlineWhenTheCollectorStaysDownAndKeepsTheEvents()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 5);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.retryLater("connection refused"));
        DeliveryLoop loop = start(buffer, output, settings(100));
        awaitTrue(() -> output.calls() >= 2, "two attempts");

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        loop.stop(deadline);
        loop.await(deadline);

        assertThat(loop.state()).isEqualTo(ComponentState.STOPPED);
        assertThat(output.closedAfterCalls()).isEqualTo(output.calls());
        // giving up at the deadline is not one more failed attempt, and the status keeps the collector's last word
        assertThat(counter("delivery_failures")).isEqualTo(output.calls());
        assertThat(loop.lastError()).isEqualTo("connection refused");
        assertThat(output.deliveredSequences()).isEmpty();
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
        assertThat(buffer.countAfter(PIPELINE, 0)).isEqualTo(5);
    }

    @Test
    void stopsWithoutWaitingForTheDrainDeadlineWhenWhatIsLeftIsADeadLetterReplayedForAnotherOutput()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        buffer.registerOutputs(PIPELINE, Set.of(OUTPUT_ID, "http"));
        append(buffer, 1, 1);
        try (SqliteBuffer.Reader http = buffer.newReader(PIPELINE, "http")) {
            BufferedEvent refused = http.read(PIPELINE, 0, 10, Long.MAX_VALUE).get(0);
            buffer.acknowledge(PIPELINE, "http", refused.seq(), List.of(new SqliteBuffer.DeadLetterRequest(refused, "HTTP 400")));
        }
        assertThat(buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT).replayed()).isEqualTo(1);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.delivered());
        DeliveryLoop loop = start(buffer, output, settings(100));
        awaitCursor(buffer, 1);

        // a deadline far beyond the test's timeout: the loop must see it has nothing left to drain, not wait for it
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        loop.stop(deadline);
        loop.await(deadline);

        assertThat(loop.state()).isEqualTo(ComponentState.STOPPED);
        assertThat(output.deliveredSequences()).containsExactly(1L);
        assertThat(buffer.countAfter(PIPELINE, "http", buffer.cursor(PIPELINE, "http"))).as("still owed to the output that refused it").isEqualTo(1);
    }

    @Test
    void continuesFromTheCursorAfterARestart()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 30);
        // the collector takes two batches, then goes down for good
        ScriptedOutput first = new ScriptedOutput((attempt, batch) -> attempt <= 2 ? DeliveryResult.delivered() : DeliveryResult.retryLater("connection reset"));
        DeliveryLoop firstLoop = start(buffer, first, settings(10));
        awaitCursor(buffer, 20);
        awaitTrue(() -> first.calls() >= 4, "the third batch to be retried");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        firstLoop.stop(deadline);
        firstLoop.await(deadline);
        assertThat(first.deliveredSequences()).containsExactlyElementsOf(range(1, 20));
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(20);
        buffer.close();

        SqliteBuffer reopened = openBuffer();
        ScriptedOutput second = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        DeliveryLoop secondLoop = start(reopened, second, settings(10));
        append(reopened, 31, 35);
        awaitCursor(reopened, 35);

        awaitTrue(() -> secondLoop.cursor() == 35, "the loop's own cursor at 35");
        assertThat(second.deliveredSequences()).containsExactlyElementsOf(range(21, 35));
        assertThat(reopened.totalBytes()).isZero();
    }

    @Test
    void deliversEventsAppendedWhileRunningInOrder()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt % 3 == 0 ? DeliveryResult.retryLater("flaky network") : DeliveryResult.delivered());
        start(buffer, output, settings(7));

        for (int first = 1; first <= 100; first += 10) {
            append(buffer, first, first + 9);
        }
        awaitCursor(buffer, 100);

        assertThat(output.deliveredSequences()).containsExactlyElementsOf(range(1, 100));
        assertThat(output.attempts()).allSatisfy(attempt -> assertThat(attempt.batch()).hasSizeBetween(1, 7));
        awaitCounter("events_out", 100);
    }

    @Test
    void letsABatchFillWhileEventsTrickleIn()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        // max_wait is long enough that only a full batch explains a delivery
        start(buffer, output, new DeliverySettings(10, null, Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(200), null));

        for (int number = 1; number <= 10; number++) {
            append(buffer, number, number);
            Thread.sleep(20);
        }
        awaitCursor(buffer, 10);

        assertThat(output.attempts()).extracting(attempt -> sequences(attempt.batch())).containsExactly(range(1, 10));
    }

    @Test
    void sendsABatchThatIsFullByBytesWithoutWaitingForMore()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 10);
        // events 1 to 9 encode to the same size; three fit in max_bytes, a fourth does not
        int eventBytes = EventCodec.standalone().encode(event(1)).length;
        assertThat(EventCodec.standalone().encode(event(9)).length).isEqualTo(eventBytes);
        assertThat(EventCodec.standalone().encode(event(10)).length).isGreaterThan(eventBytes / 2);
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);

        start(buffer, output, new DeliverySettings(100, DataSize.ofBytes(3L * eventBytes + eventBytes / 2), Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(200), null));
        awaitCursor(buffer, 9);

        // event 10 alone is not known to fill a batch: it waits for more, up to max_wait
        assertThat(output.attempts()).extracting(attempt -> sequences(attempt.batch()))
                .containsExactly(range(1, 3), range(4, 6), range(7, 9));
    }

    @Test
    void reportsAnOutputThatCannotStartAndClosesIt()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 3);
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        output.failStartWith(new IOException("cannot load the CA file /etc/outrider/ca.pem"));
        DeliveryLoop loop = newLoop(buffer, output, settings(100));

        assertThatThrownBy(loop::start)
                .isInstanceOf(IOException.class)
                .hasMessage("cannot load the CA file /etc/outrider/ca.pem");

        assertThat(loop.state()).isEqualTo(ComponentState.FAILED);
        assertThat(loop.lastError()).isEqualTo("cannot load the CA file /etc/outrider/ca.pem");
        assertThat(output.closedAfterCalls()).isZero();
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private static DeliverySettings settings(int maxEvents)
    {
        return new DeliverySettings(maxEvents, DataSize.parse("1MiB"), Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofMillis(50));
    }

    private SqliteBuffer openBuffer()
            throws Exception
    {
        SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC());
        buffers.add(buffer);
        buffer.registerOutputs(PIPELINE, Set.of(OUTPUT_ID));
        return buffer;
    }

    private DeliveryLoop start(SqliteBuffer buffer, ScriptedOutput output, DeliverySettings settings)
            throws Exception
    {
        DeliveryLoop loop = newLoop(buffer, output, settings);
        loop.start();
        assertThat(output.started()).isTrue();
        return loop;
    }

    private DeliveryLoop newLoop(SqliteBuffer buffer, ScriptedOutput output, DeliverySettings settings)
    {
        Plugin plugin = new Plugin()
        {
            @Override
            public List<OutputFactory<?>> outputFactories()
            {
                return List.of(new ScriptedOutputFactory(output));
            }
        };
        LoadedPlugin loaded = new LoadedPlugin("test", Optional.empty(), "1", SpiVersion.CURRENT, plugin, getClass().getClassLoader());
        RegisteredFactory factory = new RegisteredFactory(ComponentKind.OUTPUT, ScriptedOutputFactory.TYPE, plugin.outputFactories().get(0), loaded);
        ComponentSpec spec = new ComponentSpec(PIPELINE, OUTPUT_ID, ComponentKind.OUTPUT, factory, new ScriptedOutputConfig("collector.example"),
                new ConfigLocation("outrider.yaml", 14, 7), settings);
        DeliveryLoop loop = new DeliveryLoop(spec, output, buffer, secrets,
                counterPoint("events_out"), counterPoint("events_skipped"), counterPoint("delivery_retries"), counterPoint("dead_letters"),
                counterPoint("delivery_failures"));
        loops.add(loop);
        return loop;
    }

    private MetricCounter counterPoint(String name)
    {
        return metrics.componentCounter(name, name, PIPELINE, OUTPUT_ID, ScriptedOutputFactory.TYPE);
    }

    private long counter(String name)
    {
        return counterPoint(name).get();
    }

    /**
     * Replaces the stored payload of event {@code seq} inside its block (payloads one after another from the block's
     * offset on, each after its length as a varint), as damage on the disk would.
     */
    private static void replaceStoredEvent(SqliteBuffer buffer, long seq, byte[] damaged)
            throws SQLException, IOException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + buffer.file())) {
            long first;
            long payloadId;
            int offset;
            byte[] block;
            try (PreparedStatement select = connection.prepareStatement("SELECT b.first_seq, b.payload_id, b.payload_offset, p.payload, p.codec FROM blocks b"
                    + " JOIN block_payloads p ON p.id = b.payload_id WHERE b.first_seq <= ?1 AND b.last_seq >= ?1")) {
                select.setLong(1, seq);
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).as("a block holds event %s", seq).isTrue();
                    first = rows.getLong(1);
                    payloadId = rows.getLong(2);
                    offset = rows.getInt(3);
                    block = rows.getInt(5) == 0 ? rows.getBytes(4) : decompressed(rows.getBytes(4));
                }
            }
            java.io.ByteArrayOutputStream rewritten = new java.io.ByteArrayOutputStream();
            rewritten.write(block, 0, offset);
            for (long current = first; offset < block.length; current++) {
                int length = 0;
                int shift = 0;
                byte next;
                do {
                    next = block[offset++];
                    length |= (next & 0x7F) << shift;
                    shift += 7;
                }
                while (next < 0);
                byte[] payload = current == seq ? damaged : java.util.Arrays.copyOfRange(block, offset, offset + length);
                for (int value = payload.length; ; value >>>= 7) {
                    if ((value & ~0x7F) == 0) {
                        rewritten.write(value);
                        break;
                    }
                    rewritten.write((value & 0x7F) | 0x80);
                }
                rewritten.write(payload);
                offset += length;
            }
            // stored as it is (codec 0), as a damaged block written before compression would be
            try (PreparedStatement update = connection.prepareStatement("UPDATE block_payloads SET payload = ?, codec = 0 WHERE id = ?")) {
                update.setBytes(1, rewritten.toByteArray());
                update.setLong(2, payloadId);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }
    }

    /** A payload stored compressed (codec 1): its length as a varint, then an LZ4 block. */
    private static byte[] decompressed(byte[] stored)
    {
        int length = 0;
        int offset = 0;
        for (int shift = 0; ; shift += 7) {
            byte next = stored[offset++];
            length |= (next & 0x7F) << shift;
            if (next >= 0) {
                break;
            }
        }
        byte[] block = new byte[length];
        net.jpountz.lz4.LZ4Factory.safeInstance().safeDecompressor().decompress(stored, offset, stored.length - offset, block, 0);
        return block;
    }

    private static void append(SqliteBuffer buffer, int first, int last)
            throws InterruptedException, SQLException
    {
        List<Event> events = IntStream.rangeClosed(first, last).mapToObj(TestDeliveryLoop::event).toList();
        buffer.append(PIPELINE, "auth_log", events, List.of());
    }

    private static Event event(int number)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L + number))
                .message("sshd[4711]: Failed password for root from 198.51.100." + number)
                .field(SEQUENCE, (long) number)
                .build();
    }

    /** The event that ends an input's round, as a file integrity scan's scan_complete. */
    private static Event roundSummary(int number)
    {
        return event(number).toBuilder()
                .field(Fields.EVENT_ACTION, "scan_complete")
                .field(Fields.OUTRIDER_ROUND_COMPLETE, true)
                .build();
    }

    private static void awaitCursor(SqliteBuffer buffer, long seq)
            throws InterruptedException
    {
        awaitTrue(() -> {
            try {
                return buffer.cursor(PIPELINE, OUTPUT_ID) >= seq;
            }
            catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "cursor at " + seq);
        // nothing is acknowledged beyond what there is
        try {
            assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(seq);
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counters move just after the cursor is committed: wait for them rather than read them too early. */
    private void awaitCounter(String name, long expected)
            throws InterruptedException
    {
        awaitTrue(() -> counter(name) >= expected, name + " at " + expected);
        assertThat(counter(name)).as(name).isEqualTo(expected);
    }

    /** The loop records its state last, after the cursor and the counters of a settled batch. */
    private static void awaitState(DeliveryLoop loop, ComponentState expected)
            throws InterruptedException
    {
        awaitTrue(() -> loop.state() == expected, "state " + expected);
    }

    private static void awaitTrue(BooleanSupplier condition, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static List<Long> sequences(List<Event> batch)
    {
        return batch.stream().map(event -> (Long) event.field(SEQUENCE)).toList();
    }

    /** What each of the events 100 to 299 takes as buffered: the same for all, so a batch's bytes count its events. */
    private static int eventBytesFrom100To299()
    {
        int eventBytes = EventCodec.standalone().encode(event(100)).length;
        assertThat(EventCodec.standalone().encode(event(299)).length).isEqualTo(eventBytes);
        return eventBytes;
    }

    private static List<Long> range(long first, long last)
    {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    /** Collects what {@link DeliveryLoop} logs at a level and above, while open. */
    static final class LogCapture
            extends java.util.logging.Handler
            implements AutoCloseable
    {
        private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(DeliveryLoop.class.getName());
        private final java.util.logging.Level threshold;
        private final List<String> messages = new CopyOnWriteArrayList<>();

        LogCapture(java.util.logging.Level threshold)
        {
            this.threshold = requireNonNull(threshold, "threshold is null");
            logger.addHandler(this);
        }

        @Override
        public void publish(java.util.logging.LogRecord record)
        {
            if (record.getLevel().intValue() >= threshold.intValue()) {
                messages.add(record.getMessage());
            }
        }

        List<String> messages()
        {
            return List.copyOf(messages);
        }

        @Override
        public void flush() {}

        @Override
        public void close()
        {
            logger.removeHandler(this);
        }
    }

    /** One call of {@link Output#deliver}: when, what, and the answer (null when it threw). */
    record Attempt(long nanoTime, List<Event> batch, DeliveryResult result) {}

    @FunctionalInterface
    interface Script
    {
        /** The answer to the {@code attempt}-th call (1-based). */
        DeliveryResult answer(int attempt, List<Event> batch)
                throws InterruptedException;
    }

    /** An output whose collector is a script; it records every call for the test to inspect. */
    static final class ScriptedOutput
            implements Output
    {
        static final Script ACCEPT_ALL = (attempt, batch) -> DeliveryResult.delivered();

        private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        private volatile Script script;
        private volatile int calls;
        private volatile boolean started;
        private volatile int closedAfterCalls = -1;
        private volatile boolean closedWhileInterrupted;
        private volatile Exception startFailure;

        ScriptedOutput(Script script)
        {
            this.script = requireNonNull(script, "script is null");
        }

        void script(Script script)
        {
            this.script = requireNonNull(script, "script is null");
        }

        /** Makes {@link #start} throw, as an output does whose configuration cannot work. */
        void failStartWith(Exception failure)
        {
            this.startFailure = requireNonNull(failure, "failure is null");
        }

        @Override
        public void start()
                throws Exception
        {
            if (startFailure != null) {
                throw startFailure;
            }
            started = true;
        }

        @Override
        public DeliveryResult deliver(List<Event> batch)
                throws InterruptedException
        {
            int attempt = ++calls;
            long now = System.nanoTime();
            DeliveryResult result = null;
            try {
                result = script.answer(attempt, batch);
                return result;
            }
            finally {
                attempts.add(new Attempt(now, List.copyOf(batch), result));
            }
        }

        @Override
        public void close()
        {
            closedWhileInterrupted = Thread.currentThread().isInterrupted();
            closedAfterCalls = calls;
        }

        boolean started()
        {
            return started;
        }

        int calls()
        {
            return calls;
        }

        int closedAfterCalls()
        {
            return closedAfterCalls;
        }

        /** Whether the delivery thread's interrupt flag was set when it closed the output (it should never be). */
        boolean closedWhileInterrupted()
        {
            return closedWhileInterrupted;
        }

        List<Attempt> attempts()
        {
            return List.copyOf(attempts);
        }

        /** Events of the accepted batches, in delivery order; each event as often as it was accepted. */
        List<Long> deliveredSequences()
        {
            return attempts.stream()
                    .filter(attempt -> attempt.result() != null && attempt.result().kind() == DeliveryResult.Kind.DELIVERED)
                    .flatMap(attempt -> sequences(attempt.batch()).stream())
                    .toList();
        }
    }

    /** @param host where the scripted collector pretends to live */
    record ScriptedOutputConfig(String host) {}

    /** Hands out the test's output, so that the spec names a factory the way a plugin's would. */
    static final class ScriptedOutputFactory
            implements OutputFactory<ScriptedOutputConfig>
    {
        static final String TYPE = "scripted";

        private final ScriptedOutput output;

        ScriptedOutputFactory(ScriptedOutput output)
        {
            this.output = requireNonNull(output, "output is null");
        }

        @Override
        public String type()
        {
            return TYPE;
        }

        @Override
        public Class<ScriptedOutputConfig> configClass()
        {
            return ScriptedOutputConfig.class;
        }

        @Override
        public Output create(ScriptedOutputConfig config, ComponentContext context)
        {
            return output;
        }
    }
}
