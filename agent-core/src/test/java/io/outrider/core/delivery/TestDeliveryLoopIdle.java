package io.outrider.core.delivery;

import io.outrider.config.ConfigLocation;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ComponentSpec;
import io.outrider.core.config.DeliverySettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.delivery.TestDeliveryLoop.ScriptedOutput;
import io.outrider.core.delivery.TestDeliveryLoop.ScriptedOutputConfig;
import io.outrider.core.delivery.TestDeliveryLoop.ScriptedOutputFactory;
import io.outrider.core.metrics.AgentMetrics;
import io.outrider.core.metrics.MetricCounter;
import io.outrider.core.pipeline.ComponentState;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.RegisteredFactory;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An output with nothing to deliver sleeps until an append or a stop: it neither reads the buffer again nor wakes up
 * on a timer to find out that it is still idle.
 */
@Timeout(60)
class TestDeliveryLoopIdle
{
    private static final String PIPELINE = "idle_pipeline";
    private static final String OUTPUT_ID = "sleeper";
    private static final String THREAD_NAME = "output-" + PIPELINE + "." + OUTPUT_ID;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Longer than the one-second re-read and the 100 ms stop check an idle loop used to make. */
    private static final Duration IDLE_WINDOW = Duration.ofMillis(1500);

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
    void anIdleLoopReadsTheBufferOnceAndSleepsWithoutATimeout()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        DeliveryLoop loop = start(buffer, new ScriptedOutput(ScriptedOutput.ACCEPT_ALL), settings(Duration.ofMillis(50)));

        awaitTrue(() -> loop.bufferReads() == 1 && deliveryThreadState() == Thread.State.WAITING, "the first read, then an untimed wait");
        Thread.sleep(IDLE_WINDOW.toMillis());

        assertThat(loop.bufferReads()).as("buffer reads of an idle loop").isEqualTo(1);
        // TIMED_WAITING would be a loop that wakes up on a timer while there is nothing to do
        assertThat(deliveryThreadState()).isEqualTo(Thread.State.WAITING);
    }

    @Test
    void anAppendWakesASleepingLoopWhichSleepsAgainOnceItDelivered()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, settings(Duration.ofMillis(50)));
        awaitTrue(() -> deliveryThreadState() == Thread.State.WAITING, "the idle loop asleep");

        append(buffer, 1, 3);

        awaitTrue(() -> loop.cursor() == 3, "events 1..3 delivered");
        assertThat(output.deliveredSequences()).containsExactly(1L, 2L, 3L);
        awaitTrue(() -> deliveryThreadState() == Thread.State.WAITING, "the loop asleep again");
        long reads = loop.bufferReads();
        Thread.sleep(IDLE_WINDOW.toMillis());
        assertThat(loop.bufferReads()).as("buffer reads after the delivery").isEqualTo(reads);
        assertThat(deliveryThreadState()).isEqualTo(Thread.State.WAITING);
    }

    @Test
    void anAppendToAnotherPipelineWakesTheLoopForOneReadOnly()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        buffer.registerOutputs("other_pipeline", Set.of("other_output"));
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, settings(Duration.ofMillis(50)));
        awaitTrue(() -> loop.bufferReads() == 1 && deliveryThreadState() == Thread.State.WAITING, "the idle loop asleep");

        buffer.append("other_pipeline", "input", List.of(event(1)), List.of());

        awaitTrue(() -> loop.bufferReads() == 2 && deliveryThreadState() == Thread.State.WAITING, "one read, then asleep again");
        Thread.sleep(IDLE_WINDOW.toMillis());
        assertThat(loop.bufferReads()).isEqualTo(2);
        assertThat(output.calls()).isZero();
    }

    @Test
    void aStopEndsAnIdleLoopLongBeforeTheDrainDeadline()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        DeliveryLoop loop = start(buffer, output, settings(Duration.ofMillis(50)));
        awaitTrue(() -> deliveryThreadState() == Thread.State.WAITING, "the idle loop asleep");

        // a loop that missed the stop would sleep on until await() interrupts it at this deadline
        long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        loop.stop(drainDeadline);

        awaitTrue(() -> loop.state() == ComponentState.STOPPED, "the loop stopped");
        assertThat(output.closedAfterCalls()).isZero();
    }

    @Test
    void aStopEndsAPartialBatchsMaxWaitAndDeliversIt()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        ScriptedOutput output = new ScriptedOutput(ScriptedOutput.ACCEPT_ALL);
        // the batch could wait ten minutes for more events; the stop must not
        DeliveryLoop loop = start(buffer, output, settings(Duration.ofMinutes(10)));
        append(buffer, 1, 2);
        awaitTrue(() -> loop.bufferReads() >= 1 && deliveryThreadState() == Thread.State.TIMED_WAITING, "a partial batch waiting for max_wait");

        loop.stop(System.nanoTime() + TimeUnit.MINUTES.toNanos(10));

        awaitTrue(() -> loop.state() == ComponentState.STOPPED, "the loop stopped");
        assertThat(output.deliveredSequences()).containsExactly(1L, 2L);
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(2);
    }

    @Test
    void aStopEndsAnUnauthorizedPauseThatOutlastsTheDrainAtOnce()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 1);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.unauthorized("HTTP 401: API key revoked"));
        DeliveryLoop loop = start(buffer, output,
                new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofHours(1)));
        awaitTrue(() -> loop.state() == ComponentState.UNAUTHORIZED, "the output paused as unauthorized");

        // the pause lasts an hour, the drain ten minutes: the output would try again only after the drain is over
        loop.stop(System.nanoTime() + TimeUnit.MINUTES.toNanos(10));

        awaitTrue(() -> loop.state() == ComponentState.STOPPED, "the loop stopped");
        assertThat(output.calls()).isEqualTo(1);
        assertThat(output.closedWhileInterrupted()).isFalse();
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
    }

    @Test
    void aStopEndsARetryBackoffThatOutlastsTheDrainAtOnce()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 2);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> DeliveryResult.retryLater("connection refused"));
        DeliveryLoop loop = start(buffer, output,
                new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMillis(10), Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(50)));
        awaitTrue(() -> output.calls() == 1 && deliveryThreadState() == Thread.State.TIMED_WAITING, "the first attempt failed and the backoff began");

        loop.stop(System.nanoTime() + TimeUnit.MINUTES.toNanos(10));

        awaitTrue(() -> loop.state() == ComponentState.STOPPED, "the loop stopped");
        assertThat(output.calls()).isEqualTo(1);
        assertThat(output.closedWhileInterrupted()).isFalse();
        assertThat(loop.lastError()).isEqualTo("connection refused");
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
        assertThat(buffer.countAfter(PIPELINE, 0)).isEqualTo(2);
    }

    /**
     * An output whose plugin cannot load a class fails alike on every attempt in this process: a stop (the operator
     * restarting after putting the jar back) waits out no backoff, however short. It waited up to the drain's 10 s.
     */
    @Test
    void aStopEndsTheBackoffOfAnOutputWhosePluginCannotLoadAClassAtOnce()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 2);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            throw new NoClassDefFoundError("io/outrider/support/EventDocument");
        });
        DeliveryLoop loop = start(buffer, output,
                new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMillis(10), Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofMillis(50)));
        awaitTrue(() -> output.calls() == 1 && deliveryThreadState() == Thread.State.TIMED_WAITING, "the first attempt failed and the backoff began");

        // a drain far longer than the backoff: before, the backoff ran its course and one more attempt followed
        loop.stop(System.nanoTime() + TimeUnit.MINUTES.toNanos(10));

        awaitTrue(() -> loop.state() == ComponentState.STOPPED, "the loop stopped");
        assertThat(output.calls()).isEqualTo(1);
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
        assertThat(buffer.countAfter(PIPELINE, 0)).isEqualTo(2);
    }

    @Test
    void aStopDuringAnAttemptThatFailsSkipsABackoffThatWouldOutlastTheDrain()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 1);
        CountDownLatch attempting = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> {
            attempting.countDown();
            stopped.await();
            return DeliveryResult.retryLater("HTTP 503");
        });
        DeliveryLoop loop = start(buffer, output,
                new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMillis(10), Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(50)));
        attempting.await();

        // the stop comes while the collector is answering; its answer asks for an hour's wait
        loop.stop(System.nanoTime() + TimeUnit.MINUTES.toNanos(10));
        stopped.countDown();

        awaitTrue(() -> loop.state() == ComponentState.STOPPED, "the loop stopped");
        assertThat(output.calls()).isEqualTo(1);
        assertThat(output.closedWhileInterrupted()).isFalse();
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isZero();
    }

    @Test
    void aBackoffShorterThanTheDrainRunsItsCourseAndTheNextAttemptDelivers()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        append(buffer, 1, 2);
        ScriptedOutput output = new ScriptedOutput((attempt, batch) -> attempt == 1 ? DeliveryResult.retryLater("HTTP 503") : DeliveryResult.delivered());
        DeliveryLoop loop = start(buffer, output,
                new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMillis(10), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(50)));
        awaitTrue(() -> output.calls() == 1 && deliveryThreadState() == Thread.State.TIMED_WAITING, "the first attempt failed and the backoff began");

        loop.stop(System.nanoTime() + TimeUnit.MINUTES.toNanos(10));

        awaitTrue(() -> loop.state() == ComponentState.STOPPED, "the loop stopped");
        assertThat(output.deliveredSequences()).containsExactly(1L, 2L);
        assertThat(buffer.cursor(PIPELINE, OUTPUT_ID)).isEqualTo(2);
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private static DeliverySettings settings(Duration maxWait)
    {
        return new DeliverySettings(100, DataSize.parse("1MiB"), maxWait, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofMillis(50));
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
                new ConfigLocation("outrider.yaml", 3, 7), settings);
        DeliveryLoop loop = new DeliveryLoop(spec, output, buffer, new SecretRegistry(),
                counter("events_out"), counter("events_skipped"), counter("delivery_retries"), counter("dead_letters"), counter("delivery_failures"));
        loops.add(loop);
        loop.start();
        return loop;
    }

    private MetricCounter counter(String name)
    {
        return metrics.componentCounter(name, name, PIPELINE, OUTPUT_ID, ScriptedOutputFactory.TYPE);
    }

    private static void append(SqliteBuffer buffer, int first, int last)
            throws InterruptedException, SQLException
    {
        buffer.append(PIPELINE, "auth_log", IntStream.rangeClosed(first, last).mapToObj(TestDeliveryLoopIdle::event).toList(), List.of());
    }

    private static Event event(int number)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L + number))
                .message("sshd[4711]: Accepted publickey for deploy from 198.51.100." + number)
                .field("event.sequence", (long) number)
                .build();
    }

    /** The state of this test's delivery thread; TERMINATED once it is gone. */
    private static Thread.State deliveryThreadState()
    {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(THREAD_NAME))
                .map(Thread::getState)
                .findFirst()
                .orElse(Thread.State.TERMINATED);
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
}
