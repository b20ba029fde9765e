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
import io.outrider.core.storage.DeadLetter;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery loop with batches in flight ({@code delivery.in_flight}) for an output that delivers asynchronously:
 * answers completed by the test in any order are settled in buffer order, through the one-at-a-time path when they
 * are not plainly delivered.
 */
@Timeout(60)
class TestDeliveryWindow
{
    private static final String PIPELINE = "ssh_auth";
    private static final String OUTPUT_ID = "siem";
    private static final String SEQUENCE = "event.sequence";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long a check that something does NOT happen gives the loop to do it wrongly. */
    private static final long QUIET_MILLIS = 200;

    @TempDir
    Path dataDirectory;

    private final AgentMetrics metrics = new AgentMetrics();
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
    void acknowledgesInBufferOrderWhateverOrderTheAnswersComeIn()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 40);
        WindowOutput output = new WindowOutput(WindowOutput.ACCEPT_ALL);
        start(buffer, output, settings(10, 3));

        awaitSent(output, 3);
        assertThat(output.sent()).extracting(Sent::sequences).containsExactly(range(1, 10), range(11, 20), range(21, 30));
        output.sent().get(2).answer().complete(DeliveryResult.delivered());
        output.sent().get(1).answer().complete(DeliveryResult.delivered());
        Thread.sleep(QUIET_MILLIS);
        // batch 1 is still unanswered: nothing after it is acknowledged, and the window is full
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
        assertThat(counter("events_out")).isZero();
        assertThat(output.sent()).hasSize(3);

        output.sent().get(0).answer().complete(DeliveryResult.delivered());
        awaitSent(output, 4);
        assertThat(output.sent().get(3).sequences()).isEqualTo(range(31, 40));
        output.sent().get(3).answer().complete(DeliveryResult.delivered());
        awaitCursor(buffer, 40);
        awaitCounter("events_out", 40);
        assertThat(output.syncCalls()).isEmpty();
        assertThat(buffer.totalBytes()).isZero();
    }

    @Test
    void aFailureInTheWindowIsRetriedAndTheLaterDeliveredBatchesAcknowledgedAfterIt()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 30);
        WindowOutput output = new WindowOutput(WindowOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, settings(10, 3));

        awaitSent(output, 3);
        output.sent().get(0).answer().complete(DeliveryResult.delivered());
        awaitCursor(buffer, 10);
        output.sent().get(1).answer().complete(DeliveryResult.retryLater("HTTP 503: collector busy"));
        Thread.sleep(QUIET_MILLIS);
        // batch 3 is still in flight: the failed batch is not sent again beside it
        assertThat(output.syncCalls()).isEmpty();
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(10);

        output.sent().get(2).answer().complete(DeliveryResult.delivered());
        awaitCursor(buffer, 30);
        // only the failed batch went again; the one the collector took after it was not sent twice
        assertThat(output.syncCalls()).extracting(Sent::sequences).containsExactly(range(11, 20));
        assertThat(output.sent()).extracting(Sent::sequences).containsExactly(range(1, 10), range(11, 20), range(21, 30));
        awaitCounter("events_out", 30);
        assertThat(counter("delivery_retries")).isEqualTo(1);
        assertThat(counter("delivery_failures")).isEqualTo(1);
        assertThat(counter("dead_letters")).isZero();
        awaitState(loop, ComponentState.RUNNING);
    }

    /**
     * A walkthrough's collector came back while batches were in flight: "delivers again", then "cannot deliver (attempt
     * 1)" for a batch sent during the outage, then "delivers again". A batch sent before the recovery, answered with the
     * outage's reason, is retried without a word.
     */
    @Test
    void aBatchSentDuringAnOutageThatJustEndedIsRetriedQuietly()
            throws Exception
    {
        try (TestDeliveryLoop.LogCapture log = new TestDeliveryLoop.LogCapture(java.util.logging.Level.INFO)) {
            SqliteBuffer buffer = openBuffer();
            append(buffer, 1, 30);
            WindowOutput output = new WindowOutput(WindowOutput.ACCEPT_ALL);
            start(buffer, output, settings(10, 3));

            awaitSent(output, 3);
            output.sent().get(0).answer().complete(DeliveryResult.retryLater("cannot reach the collector: connection refused"));
            output.sent().get(1).answer().complete(DeliveryResult.retryLater("cannot reach the collector: connection refused"));
            output.sent().get(2).answer().complete(DeliveryResult.delivered());
            awaitCursor(buffer, 30);
            awaitCounter("events_out", 30);

            assertThat(log.messages()).filteredOn(message -> message.contains("deliver")).containsExactly(
                    "output ssh_auth.siem cannot deliver (attempt 1): cannot reach the collector: connection refused; events stay buffered and are retried",
                    "output ssh_auth.siem delivers again");
            assertThat(output.syncCalls()).extracting(Sent::sequences).containsExactly(range(1, 10), range(11, 20));
        }
    }

    @Test
    void aFailedStageCountsAsAThrowAndTheBatchIsSentAgain()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 20);
        WindowOutput output = new WindowOutput(WindowOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, settings(10, 2));

        awaitSent(output, 2);
        output.sent().get(0).answer().completeExceptionally(new IllegalStateException("encoder state corrupt"));
        output.sent().get(1).answer().complete(DeliveryResult.delivered());
        awaitCursor(buffer, 20);

        assertThat(output.syncCalls()).extracting(Sent::sequences).containsExactly(range(1, 10));
        awaitCounter("events_out", 20);
        assertThat(counter("delivery_failures")).isEqualTo(1);
        assertThat(counter("delivery_retries")).isEqualTo(1);
        awaitState(loop, ComponentState.RUNNING);
    }

    @Test
    void deadLettersAndBisectionSettleInsideTheWindow()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 30);
        // the one-at-a-time path: the collector refuses any slice with event 15
        WindowOutput output = new WindowOutput(batch -> batch.contains(15L) ? DeliveryResult.rejected("HTTP 400: mapping error in event 15")
                : DeliveryResult.delivered());
        start(buffer, output, settings(10, 3));

        awaitSent(output, 3);
        output.sent().get(2).answer().complete(DeliveryResult.delivered());
        output.sent().get(1).answer().complete(DeliveryResult.rejected("HTTP 400: mapping error in event 15"));
        output.sent().get(0).answer().complete(DeliveryResult.partiallyRejected(Map.of(2, "HTTP 400: event 3 has no timestamp")));
        awaitCursor(buffer, 30);

        assertThat(buffer.deadLetters(Optional.of(PIPELINE), Optional.of(OUTPUT_ID), 10))
                .extracting(DeadLetter::seq, DeadLetter::reason)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(3L, "HTTP 400: event 3 has no timestamp"),
                        org.assertj.core.groups.Tuple.tuple(15L, "HTTP 400: mapping error in event 15"));
        // the partial rejection is settled from its answer; only the rejected batch is bisected, batch 3 is not resent
        assertThat(output.syncCalls()).extracting(Sent::sequences).allSatisfy(slice -> assertThat(slice).allMatch(seq -> seq >= 11 && seq <= 20));
        assertThat(output.syncCalls().stream().filter(call -> call.result().kind() == DeliveryResult.Kind.DELIVERED)
                .flatMap(call -> call.sequences().stream()).sorted().toList())
                .isEqualTo(LongStream.rangeClosed(11, 20).filter(seq -> seq != 15).boxed().toList());
        awaitCounter("dead_letters", 2);
        awaitCounter("events_out", 28);
        assertThat(buffer.totalBytes()).isZero();
    }

    @Test
    void aTooLargeBatchInTheWindowIsCutWhereItsEventsStopFittingAndTheNextBatchesAreReadToThatSize()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        // events 10 to 39 take the same bytes as buffered; a request takes 4 of them
        append(buffer, 10, 39);
        WindowOutput output = new WindowOutput(batch -> batch.size() > 4 ? DeliveryResult.tooLarge("4 fit", 4) : DeliveryResult.delivered());
        start(buffer, output, settings(10, 2));

        awaitSent(output, 2);
        output.sent().get(1).answer().complete(DeliveryResult.delivered());
        output.sent().get(0).answer().complete(DeliveryResult.tooLarge("4 fit", 4));
        awaitCursor(buffer, 20);
        // the first batch is settled one slice at a time after its 4 fitting events; the second was delivered whole
        assertThat(output.syncCalls()).extracting(Sent::sequences)
                .containsExactly(range(10, 13), range(14, 19), range(14, 17), range(18, 19));

        // what is read next is read 4 at a time, two batches in flight
        awaitSent(output, 4);
        output.sent().get(2).answer().complete(DeliveryResult.delivered());
        output.sent().get(3).answer().complete(DeliveryResult.delivered());
        awaitSent(output, 5);
        output.sent().get(4).answer().complete(DeliveryResult.delivered());
        awaitCursor(buffer, 30);
        assertThat(output.sent()).extracting(Sent::sequences)
                .containsExactly(range(10, 19), range(20, 29), range(30, 33), range(34, 37), range(38, 39));
        awaitCounter("events_out", 30);
    }

    @Test
    void aStopWaitsForTheAnswersInFlightUntilItsDeadline()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 20);
        WindowOutput output = new WindowOutput(WindowOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, settings(10, 2));
        awaitSent(output, 2);

        long deadline = System.nanoTime() + WAIT.toNanos();
        loop.stop(deadline);
        output.sent().get(1).answer().complete(DeliveryResult.delivered());
        output.sent().get(0).answer().complete(DeliveryResult.delivered());
        loop.await(deadline);

        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(20);
        assertThat(counter("events_out")).isEqualTo(20);
        assertThat(loop.state()).isEqualTo(ComponentState.STOPPED);
        assertThat(output.closed()).isTrue();
    }

    @Test
    void aStopAbandonsUnansweredBatchesAtItsDeadlineAndAcknowledgesNothingOfThem()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 30);
        WindowOutput output = new WindowOutput(WindowOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, settings(10, 3));
        awaitSent(output, 3);
        output.sent().get(0).answer().complete(DeliveryResult.delivered());
        awaitCursor(buffer, 10);
        // batch 3 answered, batch 2 never is
        output.sent().get(2).answer().complete(DeliveryResult.delivered());

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        loop.stop(deadline);
        loop.await(deadline + TimeUnit.SECONDS.toNanos(10));
        output.sent().get(1).answer().complete(DeliveryResult.delivered());

        assertThat(loop.state()).isEqualTo(ComponentState.STOPPED);
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(10);
        assertThat(counter("events_out")).isEqualTo(10);
        assertThat(buffer.countAfter(PIPELINE, OUTPUT_ID, 10)).isEqualTo(20);
        assertThat(output.syncCalls()).isEmpty();
        assertThat(output.closed()).isTrue();
    }

    @Test
    void inFlightOneDeliversOneBatchAtATimeThroughDeliverAsBefore()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 30);
        WindowOutput output = new WindowOutput(WindowOutput.ACCEPT_ALL);
        start(buffer, output, settings(10, 1));

        awaitCursor(buffer, 30);
        assertThat(output.sent()).isEmpty();
        assertThat(output.syncCalls()).extracting(Sent::sequences).containsExactly(range(1, 10), range(11, 20), range(21, 30));
        awaitCounter("events_out", 30);
    }

    @Test
    void onlyOutputsThatOverrideDeliverAsyncArePipelined()
    {
        Output synchronous = new Output()
        {
            @Override
            public DeliveryResult deliver(List<Event> batch)
            {
                return DeliveryResult.delivered();
            }

            @Override
            public void close() {}
        };
        assertThat(DeliveryLoop.deliversAsync(synchronous)).isFalse();
        assertThat(DeliveryLoop.deliversAsync(new WindowOutput(WindowOutput.ACCEPT_ALL))).isTrue();
        // as the agent hands them over: wrapped in their plugin's class loader
        ClassLoader loader = getClass().getClassLoader();
        assertThat(DeliveryLoop.deliversAsync(new io.outrider.core.plugin.ClassLoaderSafeOutput(synchronous, loader))).isFalse();
        assertThat(DeliveryLoop.deliversAsync(new io.outrider.core.plugin.ClassLoaderSafeOutput(new WindowOutput(WindowOutput.ACCEPT_ALL), loader))).isTrue();
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private static DeliverySettings settings(int maxEvents, int inFlight)
    {
        return new DeliverySettings(maxEvents, DataSize.parse("1MiB"), Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(200),
                Duration.ofMillis(50), inFlight);
    }

    private SqliteBuffer openBuffer()
            throws Exception
    {
        SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC());
        buffers.add(buffer);
        buffer.registerOutputs(PIPELINE, Set.of(OUTPUT_ID));
        return buffer;
    }

    private DeliveryLoop start(SqliteBuffer buffer, WindowOutput output, DeliverySettings settings)
            throws Exception
    {
        Plugin plugin = new Plugin()
        {
            @Override
            public List<OutputFactory<?>> outputFactories()
            {
                return List.of(new WindowOutputFactory(output));
            }
        };
        LoadedPlugin loaded = new LoadedPlugin("test", Optional.empty(), "1", SpiVersion.CURRENT, plugin, getClass().getClassLoader());
        RegisteredFactory factory = new RegisteredFactory(ComponentKind.OUTPUT, WindowOutputFactory.TYPE, plugin.outputFactories().get(0), loaded);
        ComponentSpec spec = new ComponentSpec(PIPELINE, OUTPUT_ID, ComponentKind.OUTPUT, factory, new WindowOutputConfig("collector.example"),
                new ConfigLocation("outrider.yaml", 14, 7), settings);
        DeliveryLoop loop = new DeliveryLoop(spec, output, buffer, new SecretRegistry(),
                counterPoint("events_out"), counterPoint("events_skipped"), counterPoint("delivery_retries"), counterPoint("dead_letters"),
                counterPoint("delivery_failures"));
        loops.add(loop);
        loop.start();
        return loop;
    }

    private MetricCounter counterPoint(String name)
    {
        return metrics.componentCounter(name, name, PIPELINE, OUTPUT_ID, WindowOutputFactory.TYPE);
    }

    private long counter(String name)
    {
        return counterPoint(name).get();
    }

    private static void append(SqliteBuffer buffer, int first, int last)
            throws InterruptedException, SQLException
    {
        List<Event> events = IntStream.rangeClosed(first, last).mapToObj(TestDeliveryWindow::event).toList();
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

    private static void awaitSent(WindowOutput output, int count)
            throws InterruptedException
    {
        awaitTrue(() -> output.sent().size() >= count, count + " batches sent");
        assertThat(output.sent()).hasSize(count);
    }

    private static void awaitCursor(SqliteBuffer buffer, long seq)
            throws InterruptedException, SQLException
    {
        awaitTrue(() -> {
            try {
                return buffer.cursor(PIPELINE, OUTPUT_ID) >= seq;
            }
            catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "cursor at " + seq);
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(seq);
    }

    private void awaitCounter(String name, long expected)
            throws InterruptedException
    {
        awaitTrue(() -> counter(name) >= expected, name + " at " + expected);
        assertThat(counter(name)).as(name).isEqualTo(expected);
    }

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

    private static List<Long> range(long first, long last)
    {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    /** A batch the loop handed over: its events' sequences (read during the call) and the answer. */
    record Sent(List<Long> sequences, CompletableFuture<DeliveryResult> answer, DeliveryResult result) {}

    /**
     * An output whose asynchronous answers the test completes, and whose synchronous {@link #deliver} (the
     * one-at-a-time path) answers from a script on the events' sequences.
     */
    static final class WindowOutput
            implements Output
    {
        static final Function<List<Long>, DeliveryResult> ACCEPT_ALL = batch -> DeliveryResult.delivered();

        private final Function<List<Long>, DeliveryResult> script;
        private final List<Sent> sent = new CopyOnWriteArrayList<>();
        private final List<Sent> syncCalls = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        WindowOutput(Function<List<Long>, DeliveryResult> script)
        {
            this.script = requireNonNull(script, "script is null");
        }

        @Override
        public CompletionStage<DeliveryResult> deliverAsync(List<Event> batch)
        {
            CompletableFuture<DeliveryResult> answer = new CompletableFuture<>();
            sent.add(new Sent(sequences(batch), answer, null));
            return answer;
        }

        @Override
        public DeliveryResult deliver(List<Event> batch)
        {
            List<Long> sequences = sequences(batch);
            DeliveryResult result = script.apply(sequences);
            syncCalls.add(new Sent(sequences, CompletableFuture.completedFuture(result), result));
            return result;
        }

        @Override
        public void close()
        {
            closed = true;
        }

        List<Sent> sent()
        {
            return List.copyOf(sent);
        }

        List<Sent> syncCalls()
        {
            return List.copyOf(syncCalls);
        }

        boolean closed()
        {
            return closed;
        }

        private static List<Long> sequences(List<Event> batch)
        {
            return batch.stream().map(event -> (Long) event.field(SEQUENCE)).toList();
        }
    }

    /** @param host where the test's collector pretends to live */
    record WindowOutputConfig(String host) {}

    static final class WindowOutputFactory
            implements OutputFactory<WindowOutputConfig>
    {
        static final String TYPE = "windowed";

        private final WindowOutput output;

        WindowOutputFactory(WindowOutput output)
        {
            this.output = requireNonNull(output, "output is null");
        }

        @Override
        public String type()
        {
            return TYPE;
        }

        @Override
        public Class<WindowOutputConfig> configClass()
        {
            return WindowOutputConfig.class;
        }

        @Override
        public Output create(WindowOutputConfig config, ComponentContext context)
        {
            return output;
        }
    }
}
