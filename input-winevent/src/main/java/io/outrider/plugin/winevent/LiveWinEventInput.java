package io.outrider.plugin.winevent;

import io.outrider.support.ReadFrom;
import io.outrider.plugin.winevent.EventLogApi.RenderedEvent;
import io.outrider.plugin.winevent.EventLogApi.StartPosition;
import io.outrider.plugin.winevent.EventLogApi.Subscription;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics.Counter;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Input;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Reads live channels through an {@link EventLogApi}: one pull-mode subscription per channel, drained in turn on the
 * input's thread, each batch emitted with the channel's bookmark as checkpoint.
 *
 * <p>Restarts resume strictly after the committed bookmark. When Windows says that position is gone (log cleared,
 * rolled over, restored), the channel is read again from its <em>oldest</em> record, never "from now on", and the gap
 * is reported: counted ({@code position_lost_total}, {@code missing_records_total}) and emitted as an event. A channel
 * that does not exist or may not be read is an error for that channel, retried with backoff, while the others keep
 * running; so are transient failures of the event log service.
 */
public final class LiveWinEventInput
        implements Input
{
    /** Checkpoint keys are this prefix and the channel name. */
    public static final String CHECKPOINT_PREFIX = "channel:";
    public static final String ACTION_POSITION_LOST = "winlog.position_lost";
    public static final String GAP_LAST_RECORD_ID = "winlog.gap.last_record_id";
    public static final String GAP_OLDEST_RECORD_ID = "winlog.gap.oldest_record_id";
    public static final String GAP_MISSING_RECORDS = "winlog.gap.missing_records";

    /** A busy channel yields to the others after this many batches. */
    private static final int MAX_BATCHES_PER_TURN = 10;
    private static final Duration MAX_RETRY_INTERVAL = Duration.ofMinutes(5);

    private final List<ChannelState> channels;
    private final Supplier<EventLogApi> apiFactory;
    private final EventXmlMapper mapper;
    private final ComponentContext context;
    private final System.Logger logger;
    private final Duration pollInterval;
    private final ReadFrom readFrom;
    private final int batchSize;
    private final Counter positionLost;
    private final Counter missingRecords;
    private final Counter channelErrors;
    private final Counter reconnects;
    private final Counter parseErrors;
    private volatile boolean closed;
    private volatile EventLogApi api;

    public LiveWinEventInput(List<ChannelQuery> channels, WinEventInputConfig config, Supplier<EventLogApi> apiFactory, ComponentContext context)
    {
        requireNonNull(channels, "channels is null");
        requireNonNull(config, "config is null");
        this.apiFactory = requireNonNull(apiFactory, "apiFactory is null");
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.pollInterval = config.pollInterval();
        this.readFrom = config.readFromPosition();
        this.batchSize = config.batchSize();
        this.mapper = new EventXmlMapper(context.hostName(), config.includeXml());
        List<ChannelState> states = new ArrayList<>();
        for (ChannelQuery channel : channels) {
            states.add(new ChannelState(channel, context.checkpoints().get(channel.checkpointKey()), pollInterval, context.nanoTime()));
        }
        this.channels = List.copyOf(states);
        this.positionLost = context.metrics().counter("position_lost_total", "Times a channel's bookmarked position was gone (log cleared or rolled over)");
        this.missingRecords = context.metrics().counter("missing_records_total", "Records that disappeared before they could be read, where Windows could tell");
        this.channelErrors = context.metrics().counter("channel_errors_total", "Failures to open or read a channel");
        this.reconnects = context.metrics().counter("reconnects_total", "Subscriptions reopened after a failure");
        this.parseErrors = context.metrics().counter("parse_errors_total", "Events whose XML could not be mapped (emitted with error.message)");
        context.metrics().gauge("channels_failing", "Channels that cannot be read right now",
                () -> this.channels.stream().filter(state -> state.failing).count());
    }

    @Override
    public void run(Emitter emitter)
            throws Exception
    {
        EventLogApi api = apiFactory.get();
        this.api = api;
        try {
            forgetUnconfiguredChannels(emitter);
            while (!closed) {
                boolean moreWork = false;
                for (ChannelState state : channels) {
                    if (closed) {
                        break;
                    }
                    if (state.subscription == null && context.nanoTime() - state.retryAtNanos >= 0) {
                        open(api, state, emitter);
                    }
                    if (state.subscription != null && !closed) {
                        moreWork |= drain(state, emitter);
                    }
                }
                if (!closed && !moreWork) {
                    await(api);
                }
            }
        }
        finally {
            for (ChannelState state : channels) {
                state.closeSubscription();
            }
            api.close();
        }
    }

    @Override
    public void close()
    {
        closed = true;
        EventLogApi current = api;
        if (current != null) {
            current.wakeUp();
        }
    }

    private void forgetUnconfiguredChannels(Emitter emitter)
            throws InterruptedException
    {
        List<Checkpoint> forget = new ArrayList<>();
        for (String key : context.checkpoints().keySet()) {
            if (channels.stream().noneMatch(state -> state.channel.checkpointKey().equals(key))) {
                forget.add(Checkpoint.forget(key));
            }
        }
        if (!forget.isEmpty()) {
            emitter.commit(forget);
        }
    }

    private void await(EventLogApi api)
            throws InterruptedException
    {
        List<Subscription> open = new ArrayList<>();
        long wait = pollInterval.toNanos();
        long now = context.nanoTime();
        for (ChannelState state : channels) {
            if (state.subscription != null) {
                open.add(state.subscription);
            }
            else {
                wait = Math.min(wait, Math.max(0, state.retryAtNanos - now));
            }
        }
        try {
            api.await(open, Duration.ofNanos(wait));
        }
        catch (EventLogException e) {
            // Waiting itself failed (a handle went bad): reopen everything after a pause.
            logger.log(WARNING, "waiting for Windows events failed, reopening the subscriptions: " + e.getMessage());
            for (ChannelState state : channels) {
                if (state.subscription != null) {
                    state.closeSubscription();
                    scheduleRetry(state);
                }
            }
            Thread.sleep(Math.min(pollInterval.toMillis(), 1000));
        }
    }

    private void open(EventLogApi api, ChannelState state, Emitter emitter)
            throws InterruptedException
    {
        String channel = state.channel.channel();
        try {
            String position = state.position;
            if (position != null && !position.equals(Bookmarks.OLDEST)) {
                if (Bookmarks.recordId(position).isEmpty()) {
                    recoverFromOldest(api, state, emitter, "the checkpointed bookmark is not valid bookmark XML");
                }
                else {
                    try {
                        state.subscription = api.subscribe(channel, state.channel.query(), StartPosition.AFTER_BOOKMARK, Optional.of(position));
                    }
                    catch (EventLogException e) {
                        if (!EventLogErrors.isPositionLost(e.errorCode()) && !EventLogErrors.isInvalidBookmark(e.errorCode())) {
                            throw e;
                        }
                        recoverFromOldest(api, state, emitter, e.getMessage());
                    }
                }
            }
            else {
                StartPosition start = position != null || readFrom == ReadFrom.BEGINNING ? StartPosition.OLDEST : StartPosition.FUTURE;
                state.subscription = api.subscribe(channel, state.channel.query(), start, Optional.empty());
            }
            if (state.failing) {
                logger.log(INFO, "channel " + channel + " is readable again");
                reconnects.increment();
            }
            state.failing = false;
            state.retryInterval = pollInterval;
        }
        catch (EventLogException e) {
            failed(state, e, "cannot be opened");
        }
    }

    /**
     * Subscribes from the oldest record and reports what was lost between the last committed bookmark and the
     * oldest record that still exists.
     */
    private void recoverFromOldest(EventLogApi api, ChannelState state, Emitter emitter, String reason)
            throws EventLogException, InterruptedException
    {
        String channel = state.channel.channel();
        state.subscription = api.subscribe(channel, state.channel.query(), StartPosition.OLDEST, Optional.empty());
        OptionalLong lastRecordId = Bookmarks.recordId(state.position);
        OptionalLong oldestRecordId;
        try {
            oldestRecordId = api.oldestRecordId(channel);
        }
        catch (EventLogException e) {
            oldestRecordId = OptionalLong.empty();
        }
        Long missing = null;
        if (lastRecordId.isPresent() && oldestRecordId.isPresent() && oldestRecordId.getAsLong() > lastRecordId.getAsLong()) {
            missing = oldestRecordId.getAsLong() - lastRecordId.getAsLong() - 1;
            missingRecords.add(missing);
        }
        positionLost.increment();
        String message = "Windows event log channel " + channel + ": the read position is gone (" + reason + "); resuming from the oldest record, "
                + (missing == null ? "the number of records lost is unknown" : missing + " records were lost")
                + (lastRecordId.isPresent() ? ", last record read " + lastRecordId.getAsLong() : "")
                + (oldestRecordId.isPresent() ? ", oldest record now " + oldestRecordId.getAsLong() : "");
        logger.log(WARNING, message);
        Event gap = Event.builder()
                .timestamp(context.clock().instant())
                .message(message)
                .field(Fields.EVENT_KIND, "pipeline_error")
                .field(Fields.EVENT_MODULE, "winlog")
                .field(Fields.EVENT_ACTION, ACTION_POSITION_LOST)
                .field(Fields.EVENT_REASON, reason)
                .field(EventXmlMapper.CHANNEL, channel)
                .field(Fields.HOST_NAME, context.hostName())
                .field(GAP_LAST_RECORD_ID, lastRecordId.isPresent() ? lastRecordId.getAsLong() : null)
                .field(GAP_OLDEST_RECORD_ID, oldestRecordId.isPresent() ? oldestRecordId.getAsLong() : null)
                .field(GAP_MISSING_RECORDS, missing)
                .build();
        // The gap and the new position commit together: after a crash the input starts at the oldest record
        // without reporting the same gap twice.
        emitter.emit(List.of(gap), Checkpoint.of(state.channel.checkpointKey(), Bookmarks.OLDEST));
        state.position = Bookmarks.OLDEST;
    }

    /** Reads up to a turn's worth of batches. Returns whether the channel may have more right now. */
    private boolean drain(ChannelState state, Emitter emitter)
            throws InterruptedException
    {
        Subscription subscription = state.subscription;
        try {
            subscription.resetSignal();
            for (int turn = 0; turn < MAX_BATCHES_PER_TURN; turn++) {
                List<RenderedEvent> batch = subscription.next(batchSize);
                if (batch.isEmpty()) {
                    return false;
                }
                Optional<String> bookmark = subscription.bookmark();
                List<Event> events = new ArrayList<>(batch.size());
                for (RenderedEvent rendered : batch) {
                    events.add(map(rendered, state.channel.channel()));
                }
                if (bookmark.isPresent()) {
                    emitter.emit(events, Checkpoint.of(state.channel.checkpointKey(), bookmark.get()));
                    state.position = bookmark.get();
                }
                else {
                    emitter.emit(events, List.of());
                }
                if (closed) {
                    return false;
                }
            }
            return true;
        }
        catch (EventLogException e) {
            state.closeSubscription();
            if (EventLogErrors.isPositionLost(e.errorCode())) {
                // Reopen right away after the committed bookmark; open() falls back to the oldest record if needed.
                logger.log(WARNING, "channel " + state.channel.channel() + ": " + e.getMessage() + "; reopening after the last committed bookmark");
                reconnects.increment();
                state.retryAtNanos = context.nanoTime();
            }
            else {
                failed(state, e, "cannot be read");
            }
            return false;
        }
    }

    private Event map(RenderedEvent rendered, String channel)
    {
        try {
            return mapper.map(rendered.xml(), rendered.message(), context.clock().instant());
        }
        catch (EventXmlException e) {
            parseErrors.increment();
            logger.log(DEBUG, "channel " + channel + ": " + e.getMessage());
            return mapper.errorEvent(rendered.xml(), channel, e.getMessage(), context.clock().instant());
        }
    }

    private void failed(ChannelState state, EventLogException e, String what)
    {
        state.closeSubscription();
        channelErrors.increment();
        String channel = state.channel.channel();
        int code = e.errorCode();
        boolean configurationProblem = EventLogErrors.isChannelUnavailable(code) || EventLogErrors.isInvalidQuery(code);
        String message = "channel " + channel + " " + what + ": " + e.getMessage() + "; the other channels keep running, retrying in " + state.retryInterval.toMillis() + " ms";
        if (!state.failing) {
            logger.log(configurationProblem ? ERROR : WARNING, message);
        }
        else {
            logger.log(DEBUG, message);
        }
        state.failing = true;
        scheduleRetry(state);
    }

    private void scheduleRetry(ChannelState state)
    {
        state.retryAtNanos = context.nanoTime() + state.retryInterval.toNanos();
        Duration doubled = state.retryInterval.multipliedBy(2);
        state.retryInterval = doubled.compareTo(MAX_RETRY_INTERVAL) > 0 ? MAX_RETRY_INTERVAL : doubled;
    }

    /** What the input knows about one channel; touched only by the run thread (except the gauge's read). */
    private static final class ChannelState
    {
        final ChannelQuery channel;
        /** The committed checkpoint: bookmark XML, {@link Bookmarks#OLDEST}, or null before the first. */
        String position;
        Subscription subscription;
        long retryAtNanos;
        Duration retryInterval;
        volatile boolean failing;

        ChannelState(ChannelQuery channel, String position, Duration retryInterval, long nowNanos)
        {
            this.channel = channel;
            this.position = position;
            this.retryInterval = retryInterval;
            this.retryAtNanos = nowNanos;
        }

        void closeSubscription()
        {
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
        }
    }
}
