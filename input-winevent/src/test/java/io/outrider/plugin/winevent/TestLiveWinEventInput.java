package io.outrider.plugin.winevent;

import com.sun.jna.platform.win32.WinError;
import io.outrider.plugin.winevent.EventLogApi.StartPosition;
import io.outrider.plugin.winevent.FakeEventLogApi.SubscribeCall;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Input;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class TestLiveWinEventInput
{
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SECURITY = "Security";
    private static final String SYSTEM = "System";
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";
    // the fake API gives each appended event the next record ID: the project's fixtures, cycled, are enough
    private static final List<String> SECURITY_EVENTS = Corpus.repeated(Corpus.SECURITY, 310);
    private static final List<String> SYSTEM_EVENTS = Corpus.repeated(Corpus.SYSTEM, 200);

    @TempDir
    Path data;

    private final FakeEventLogApi api = new FakeEventLogApi().createChannel(SECURITY).createChannel(SYSTEM);
    private final WinEventInputFactory factory = new WinEventInputFactory(true, () -> api);
    private final List<Running> running = new ArrayList<>();

    @AfterEach
    void stopInputs()
            throws InterruptedException
    {
        for (Running input : running) {
            input.stop();
        }
    }

    @Test
    void readsEveryChannelFromTheOldestRecordAndCheckpointsBookmarks()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 300));
        api.append(SYSTEM, SYSTEM_EVENTS.subList(0, 200));
        WinEventInputConfig config = config(List.of(SECURITY, SYSTEM), "beginning");
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        Running input = start(config, context, emitter);

        List<Event> events = emitter.awaitEvents(500, TIMEOUT);
        assertThat(recordIds(events, SECURITY)).containsExactlyElementsOf(range(1, 300));
        assertThat(recordIds(events, SYSTEM)).containsExactlyElementsOf(range(1, 200));
        assertThat(eventIds(events, SECURITY)).containsExactlyElementsOf(SECURITY_EVENTS.subList(0, 300).stream().map(Corpus::eventId).toList());
        assertThat(emitter.committedCheckpoints()).isEqualTo(Map.of(
                "channel:Security", Bookmarks.of(SECURITY, 300),
                "channel:System", Bookmarks.of(SYSTEM, 200)));
        List<ChannelQuery> queries = WinEventInputFactory.channelQueries(config);
        assertThat(api.subscribeCalls()).containsExactly(
                new SubscribeCall(SECURITY, queries.get(0).query(), StartPosition.OLDEST, java.util.Optional.empty()),
                new SubscribeCall(SYSTEM, queries.get(1).query(), StartPosition.OLDEST, java.util.Optional.empty()));

        api.append(SECURITY, SECURITY_EVENTS.subList(300, 310));
        emitter.awaitEvents(510, TIMEOUT);
        input.stop();
        assertThat(api.openSubscriptions()).isZero();
        assertThat(api.isClosed()).isTrue();
        assertThat(emitter.events()).hasSize(510);
    }

    @Test
    void restartResumesStrictlyAfterTheBookmark()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 100));
        WinEventInputConfig config = config(List.of(SECURITY), "beginning");
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        start(config, context, emitter);
        emitter.awaitEvents(100, TIMEOUT);
        stopAll();

        api.append(SECURITY, SECURITY_EVENTS.subList(100, 150));
        CollectingEmitter resumed = new CollectingEmitter();
        start(config, context.withCheckpoints(emitter.committedCheckpoints()), resumed);
        resumed.awaitEvents(50, TIMEOUT);
        stopAll();

        assertThat(recordIds(resumed.events(), SECURITY)).containsExactlyElementsOf(range(101, 150));
        SubscribeCall last = api.subscribeCalls().get(api.subscribeCalls().size() - 1);
        assertThat(last.start()).isEqualTo(StartPosition.AFTER_BOOKMARK);
        assertThat(last.bookmark()).contains(Bookmarks.of(SECURITY, 100));
        assertThat(context.metrics().counterValue("position_lost_total")).isZero();
    }

    @Test
    void readFromEndStartsWithEventsWrittenFromNowOn()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 100));
        CollectingEmitter emitter = new CollectingEmitter();
        start(config(List.of(SECURITY), "end"), context(Map.of()), emitter);
        awaitCondition(() -> api.subscribeCalls().size() == 1, "the subscription");
        api.append(SECURITY, SECURITY_EVENTS.subList(100, 105));
        emitter.awaitEvents(5, TIMEOUT);
        stopAll();
        assertThat(recordIds(emitter.events(), SECURITY)).containsExactlyElementsOf(range(101, 105));
        assertThat(api.subscribeCalls().get(0).start()).isEqualTo(StartPosition.FUTURE);
    }

    @Test
    void logClearedWhileStoppedResumesFromTheOldestRecordAndReportsTheGap()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 100));
        WinEventInputConfig config = config(List.of(SECURITY), "beginning");
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        start(config, context, emitter);
        emitter.awaitEvents(100, TIMEOUT);
        stopAll();

        api.append(SECURITY, SECURITY_EVENTS.subList(100, 120));
        api.clear(SECURITY);
        api.append(SECURITY, SECURITY_EVENTS.subList(120, 130));
        CollectingEmitter resumed = new CollectingEmitter();
        TestingComponentContext restarted = context.withCheckpoints(emitter.committedCheckpoints());
        start(config, restarted, resumed);
        List<Event> events = resumed.awaitEvents(11, TIMEOUT);
        stopAll();

        Event gap = events.get(0);
        assertThat(gap.message()).isEqualTo("Windows event log channel Security: the read position is gone (EvtSubscribe failed: "
                + "ERROR_NOT_FOUND (1168): the bookmarked record no longer exists (channel Security)); resuming from the oldest record, "
                + "20 records were lost, last record read 100, oldest record now 121");
        assertThat(gap.field(Fields.EVENT_ACTION)).isEqualTo("winlog.position_lost");
        assertThat(gap.field(EventXmlMapper.CHANNEL)).isEqualTo(SECURITY);
        assertThat(gap.field(LiveWinEventInput.GAP_LAST_RECORD_ID)).isEqualTo(100L);
        assertThat(gap.field(LiveWinEventInput.GAP_OLDEST_RECORD_ID)).isEqualTo(121L);
        assertThat(gap.field(LiveWinEventInput.GAP_MISSING_RECORDS)).isEqualTo(20L);
        assertThat(recordIds(events, SECURITY)).containsExactlyElementsOf(range(121, 130));
        assertThat(restarted.metrics().counterValue("position_lost_total")).isEqualTo(1);
        assertThat(restarted.metrics().counterValue("missing_records_total")).isEqualTo(20);
        assertThat(resumed.committedCheckpoints()).containsEntry("channel:Security", Bookmarks.of(SECURITY, 130));

        CollectingEmitter third = new CollectingEmitter();
        start(config, restarted.withCheckpoints(resumed.committedCheckpoints()), third);
        api.append(SECURITY, SECURITY_EVENTS.subList(130, 131));
        third.awaitEvents(1, TIMEOUT);
        stopAll();
        assertThat(third.events()).extracting(event -> event.field(EventXmlMapper.RECORD_ID)).containsExactly(131L);
    }

    @Test
    void logClearedWhileRunningReopensAfterTheBookmarkThenFromTheOldest()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 50));
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        start(config(List.of(SECURITY), "beginning"), context, emitter);
        emitter.awaitEvents(50, TIMEOUT);

        api.clear(SECURITY);
        api.append(SECURITY, SECURITY_EVENTS.subList(50, 55));
        List<Event> events = emitter.awaitEvents(56, TIMEOUT);
        stopAll();

        assertThat(events.get(50).field(Fields.EVENT_ACTION)).isEqualTo("winlog.position_lost");
        assertThat(events.get(50).field(LiveWinEventInput.GAP_MISSING_RECORDS)).isEqualTo(0L);
        assertThat(recordIds(events, SECURITY)).containsExactlyElementsOf(range(1, 55));
        assertThat(api.subscribeCalls()).extracting(SubscribeCall::start)
                .containsExactly(StartPosition.OLDEST, StartPosition.AFTER_BOOKMARK, StartPosition.OLDEST);
        assertThat(context.metrics().counterValue("position_lost_total")).isEqualTo(1);
    }

    @Test
    void rolloverPastTheBookmarkKeepsEveryRecordThatStillExists()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 100));
        WinEventInputConfig config = config(List.of(SECURITY), "beginning");
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        start(config, context, emitter);
        emitter.awaitEvents(100, TIMEOUT);
        stopAll();

        api.append(SECURITY, SECURITY_EVENTS.subList(100, 200));
        api.rollover(SECURITY, 150);
        CollectingEmitter resumed = new CollectingEmitter();
        TestingComponentContext restarted = context.withCheckpoints(emitter.committedCheckpoints());
        start(config, restarted, resumed);
        List<Event> events = resumed.awaitEvents(51, TIMEOUT);
        stopAll();

        assertThat(events.get(0).field(LiveWinEventInput.GAP_MISSING_RECORDS)).isEqualTo(50L);
        assertThat(recordIds(events, SECURITY)).containsExactlyElementsOf(range(151, 200));
        assertThat(restarted.metrics().counterValue("missing_records_total")).isEqualTo(50);
    }

    @Test
    void staleResultWhileTheBookmarkStillExistsLosesAndRepeatsNothing()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 100));
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        start(config(List.of(SECURITY), "beginning"), context, emitter);
        emitter.awaitEvents(100, TIMEOUT);

        api.failNextRead(SECURITY, WinError.ERROR_EVT_QUERY_RESULT_STALE);
        api.failNextRead(SECURITY, WinError.ERROR_EVT_QUERY_RESULT_INVALID_POSITION);
        api.append(SECURITY, SECURITY_EVENTS.subList(100, 150));
        emitter.awaitEvents(150, TIMEOUT);
        stopAll();

        assertThat(recordIds(emitter.events(), SECURITY)).containsExactlyElementsOf(range(1, 150));
        assertThat(context.metrics().counterValue("position_lost_total")).isZero();
        assertThat(context.metrics().counterValue("reconnects_total")).isEqualTo(2);
        assertThat(api.subscribeCalls()).extracting(SubscribeCall::start)
                .containsExactly(StartPosition.OLDEST, StartPosition.AFTER_BOOKMARK, StartPosition.AFTER_BOOKMARK);
    }

    @Test
    void invalidBookmarksFallBackToTheOldestRecord()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 10));
        api.append(SYSTEM, SYSTEM_EVENTS.subList(0, 10));
        TestingComponentContext context = context(Map.of(
                "channel:Security", "not a bookmark",
                "channel:System", Bookmarks.of("Application", 5)));
        CollectingEmitter emitter = new CollectingEmitter();
        start(config(List.of(SECURITY, SYSTEM), "end"), context, emitter);
        List<Event> events = emitter.awaitEvents(22, TIMEOUT);
        stopAll();

        List<Event> gaps = events.stream().filter(event -> "winlog.position_lost".equals(event.field(Fields.EVENT_ACTION))).toList();
        assertThat(gaps).extracting(event -> event.field(Fields.EVENT_REASON)).containsExactly(
                "the checkpointed bookmark is not valid bookmark XML",
                "EvtCreateBookmark failed: ERROR_INVALID_PARAMETER (87)");
        assertThat(gaps).allSatisfy(gap -> assertThat(gap.field(LiveWinEventInput.GAP_MISSING_RECORDS)).isNull());
        assertThat(recordIds(events, SECURITY)).containsExactlyElementsOf(range(1, 10));
        assertThat(recordIds(events, SYSTEM)).containsExactlyElementsOf(range(1, 10));
        assertThat(context.metrics().counterValue("position_lost_total")).isEqualTo(2);
    }

    @Test
    void missingOrForbiddenChannelIsAnErrorForThatChannelWhileTheOthersRun()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 20));
        api.denyAccess(SECURITY, true);
        api.append(SYSTEM, SYSTEM_EVENTS.subList(0, 20));
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        start(config(List.of(SECURITY, SYSTEM, SYSMON), "beginning"), context, emitter);

        emitter.awaitEvents(20, TIMEOUT);
        awaitCondition(() -> context.metrics().gaugeValue("channels_failing") == 2, "two failing channels");
        assertThat(recordIds(emitter.events(), SYSTEM)).containsExactlyElementsOf(range(1, 20));
        assertThat(context.metrics().counterValue("channel_errors_total")).isGreaterThanOrEqualTo(2);

        api.denyAccess(SECURITY, false);
        api.createChannel(SYSMON);
        api.append(SYSMON, Corpus.events(Corpus.SYSMON).subList(0, 3));
        List<Event> events = emitter.awaitEvents(43, TIMEOUT);
        stopAll();
        assertThat(recordIds(events, SECURITY)).containsExactlyElementsOf(range(1, 20));
        assertThat(recordIds(events, SYSMON)).containsExactlyElementsOf(range(1, 3));
        assertThat(context.metrics().gaugeValue("channels_failing")).isZero();
    }

    @Test
    void rpcFailuresAreRetriedWithoutLossOrDuplicates()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 60));
        api.failNextSubscribe(SECURITY, WinError.RPC_S_SERVER_UNAVAILABLE);
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        start(config(List.of(SECURITY), "beginning"), context, emitter);
        emitter.awaitEvents(60, TIMEOUT);

        api.failNextRead(SECURITY, WinError.RPC_S_CALL_FAILED);
        api.append(SECURITY, SECURITY_EVENTS.subList(60, 90));
        emitter.awaitEvents(90, TIMEOUT);
        stopAll();

        assertThat(recordIds(emitter.events(), SECURITY)).containsExactlyElementsOf(range(1, 90));
        assertThat(context.metrics().counterValue("channel_errors_total")).isEqualTo(2);
        assertThat(context.metrics().counterValue("reconnects_total")).isEqualTo(2);
    }

    @Test
    void crashBeforeCommitRereadsTheUncommittedBatch()
            throws Exception
    {
        api.append(SECURITY, SECURITY_EVENTS.subList(0, 200));
        WinEventInputConfig config = config(List.of(SECURITY), "beginning");
        TestingComponentContext context = context(Map.of());
        CollectingEmitter emitter = new CollectingEmitter();
        emitter.failAfter(3);
        Running crashed = start(config, context, emitter);
        assertThat(joined(crashed.thread, TIMEOUT)).isTrue();
        assertThat(crashed.failure.get()).hasMessage("simulated crash before commit");
        assertThat(emitter.events()).hasSize(100);

        start(config, context.withCheckpoints(emitter.committedCheckpoints()), emitter);
        emitter.awaitEvents(200, TIMEOUT);
        stopAll();
        assertThat(recordIds(emitter.events(), SECURITY)).containsExactlyElementsOf(range(1, 200));
    }

    @Test
    void closeWakesAnInputWaitingForEventsAndStaleCheckpointsAreForgotten()
            throws Exception
    {
        WinEventInputConfig config = new WinEventInputConfig(List.of(SECURITY), null, null, null, null, Duration.ofMinutes(10),
                "beginning", 50, null, null);
        CollectingEmitter emitter = new CollectingEmitter();
        Running input = start(config, context(Map.of("channel:Application", Bookmarks.of("Application", 9))), emitter);
        awaitCondition(() -> api.subscribeCalls().size() == 1 && emitter.batches() == 1, "the subscription");
        long started = System.nanoTime();
        input.input.close();
        assertThat(joined(input.thread, Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
        assertThat(input.failure.get()).isNull();
        assertThat(emitter.committedCheckpoints()).isEmpty();
    }

    private WinEventInputConfig config(List<String> channels, String readFrom)
    {
        return new WinEventInputConfig(channels, null, null, null, null, Duration.ofMillis(20), readFrom, 50, null, null);
    }

    private TestingComponentContext context(Map<String, String> checkpoints)
    {
        return TestingComponentContext.builder(data).checkpoints(checkpoints).hostName("agent-host").build();
    }

    private Running start(WinEventInputConfig config, TestingComponentContext context, CollectingEmitter emitter)
            throws Exception
    {
        factory.validate(config);
        Input input = factory.create(config, context);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                input.run(emitter);
            }
            catch (Throwable e) {
                failure.set(e);
            }
        }, "winevent-test-input");
        thread.start();
        Running started = new Running(input, thread, failure);
        running.add(started);
        return started;
    }

    private void stopAll()
            throws InterruptedException
    {
        for (Running input : running) {
            input.stop();
        }
        running.clear();
    }

    private static void awaitCondition(BooleanSupplier condition, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static List<Long> recordIds(List<Event> events, String channel)
    {
        return events.stream()
                .filter(event -> channel.equals(event.field(EventXmlMapper.CHANNEL)) && event.field(EventXmlMapper.RECORD_ID) != null)
                .map(event -> (Long) event.field(EventXmlMapper.RECORD_ID))
                .toList();
    }

    private static List<Integer> eventIds(List<Event> events, String channel)
    {
        return events.stream()
                .filter(event -> channel.equals(event.field(EventXmlMapper.CHANNEL)))
                .map(event -> (Integer) event.field(EventXmlMapper.EVENT_ID))
                .toList();
    }

    private static boolean joined(Thread thread, Duration timeout)
            throws InterruptedException
    {
        thread.join(timeout.toMillis());
        return !thread.isAlive();
    }

    private static List<Long> range(long first, long last)
    {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private record Running(Input input, Thread thread, AtomicReference<Throwable> failure)
    {
        void stop()
                throws InterruptedException
        {
            input.close();
            if (!joined(thread, TIMEOUT)) {
                throw new AssertionError("the input did not stop within " + TIMEOUT);
            }
            if (failure.get() != null && !"simulated crash before commit".equals(failure.get().getMessage())) {
                throw new AssertionError("the input failed", failure.get());
            }
        }
    }
}
