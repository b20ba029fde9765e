package io.outrider.plugin.winevent;

import com.sun.jna.platform.win32.WinError;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Windows event log in memory behind {@link EventLogApi}, for tests on any OS: channels of records with
 * increasing record ids, subscriptions with signals and bookmarks in the XML form Windows writes, and scripted
 * faults: clearing, rollover, stale results, rejected bookmarks, missing channels, access denied, RPC failures.
 * Queries are recorded, not evaluated (query building is tested on its own). Thread-safe.
 */
final class FakeEventLogApi
        implements EventLogApi
{
    /** One subscribe call as the input made it. */
    record SubscribeCall(String channel, String query, StartPosition start, Optional<String> bookmark) {}

    private final Map<String, FakeChannel> channels = new HashMap<>();
    private final Map<String, Deque<Integer>> subscribeFaults = new HashMap<>();
    private final Map<String, Deque<Integer>> readFaults = new HashMap<>();
    private final List<SubscribeCall> subscribeCalls = new ArrayList<>();
    private final List<FakeSubscription> subscriptions = new ArrayList<>();
    private boolean woken;
    private boolean closed;

    synchronized FakeEventLogApi createChannel(String name)
    {
        channels.computeIfAbsent(name, ignored -> new FakeChannel());
        return this;
    }

    /** Appends events (their record ids are rewritten to the channel's next ids). Returns the ids given. */
    synchronized List<Long> append(String channel, List<String> xmls)
    {
        FakeChannel fake = channel(channel);
        List<Long> ids = new ArrayList<>();
        for (String xml : xmls) {
            long id = fake.nextRecordId++;
            fake.records.add(new FakeRecord(id, xml.replaceFirst("<EventRecordID>\\d+</EventRecordID>", "<EventRecordID>" + id + "</EventRecordID>")));
            ids.add(id);
        }
        for (FakeSubscription subscription : subscriptions) {
            if (subscription.channel.equals(channel) && !subscription.closed) {
                subscription.signaled = true;
            }
        }
        notifyAll();
        return ids;
    }

    /** Clears the channel: every record goes, record ids go on; open subscriptions become stale. */
    synchronized void clear(String channel)
    {
        FakeChannel fake = channel(channel);
        fake.records.clear();
        for (FakeSubscription subscription : subscriptions) {
            if (subscription.channel.equals(channel)) {
                subscription.stale = true;
                subscription.signaled = true;
            }
        }
        notifyAll();
    }

    /** Drops the oldest records, as a full log that overwrites does; a subscription that had not read them goes stale. */
    synchronized void rollover(String channel, int records)
    {
        FakeChannel fake = channel(channel);
        long lastDropped = -1;
        for (int i = 0; i < records && !fake.records.isEmpty(); i++) {
            lastDropped = fake.records.remove(0).id;
        }
        for (FakeSubscription subscription : subscriptions) {
            if (subscription.channel.equals(channel) && subscription.lastRead < lastDropped) {
                subscription.stale = true;
                subscription.signaled = true;
            }
        }
        notifyAll();
    }

    synchronized void denyAccess(String channel, boolean denied)
    {
        channel(channel).accessDenied = denied;
    }

    /** The next subscribe to {@code channel} fails with {@code errorCode}. */
    synchronized void failNextSubscribe(String channel, int errorCode)
    {
        subscribeFaults.computeIfAbsent(channel, ignored -> new ArrayDeque<>()).add(errorCode);
    }

    /** The next read of {@code channel} fails with {@code errorCode}. */
    synchronized void failNextRead(String channel, int errorCode)
    {
        readFaults.computeIfAbsent(channel, ignored -> new ArrayDeque<>()).add(errorCode);
        for (FakeSubscription subscription : subscriptions) {
            if (subscription.channel.equals(channel)) {
                subscription.signaled = true;
            }
        }
        notifyAll();
    }

    synchronized List<SubscribeCall> subscribeCalls()
    {
        return List.copyOf(subscribeCalls);
    }

    synchronized long openSubscriptions()
    {
        return subscriptions.stream().filter(subscription -> !subscription.closed).count();
    }

    synchronized boolean isClosed()
    {
        return closed;
    }

    @Override
    public synchronized Subscription subscribe(String channel, String query, StartPosition start, Optional<String> bookmark)
            throws EventLogException
    {
        subscribeCalls.add(new SubscribeCall(channel, query, start, bookmark));
        Deque<Integer> faults = subscribeFaults.get(channel);
        if (faults != null && !faults.isEmpty()) {
            throw new EventLogException("EvtSubscribe", faults.poll(), "channel " + channel);
        }
        FakeChannel fake = channels.get(channel);
        if (fake == null) {
            throw new EventLogException("EvtSubscribe", WinError.ERROR_EVT_CHANNEL_NOT_FOUND, "channel " + channel);
        }
        if (fake.accessDenied) {
            throw new EventLogException("EvtSubscribe", WinError.ERROR_ACCESS_DENIED, "channel " + channel);
        }
        long lastRead;
        switch (start) {
            case OLDEST -> lastRead = Long.MIN_VALUE;
            case FUTURE -> lastRead = fake.nextRecordId - 1;
            case AFTER_BOOKMARK -> {
                String xml = bookmark.orElseThrow();
                OptionalLong recordId = Bookmarks.recordId(xml);
                if (recordId.isEmpty() || !xml.contains("Channel='" + channel + "'")) {
                    throw new EventLogException("EvtCreateBookmark", WinError.ERROR_INVALID_PARAMETER, "");
                }
                if (fake.records.stream().noneMatch(record -> record.id == recordId.getAsLong())) {
                    throw new EventLogException("EvtSubscribe", WinError.ERROR_NOT_FOUND, "channel " + channel);
                }
                lastRead = recordId.getAsLong();
            }
            default -> throw new IllegalArgumentException(start.name());
        }
        FakeSubscription subscription = new FakeSubscription(channel, lastRead);
        subscriptions.add(subscription);
        return subscription;
    }

    @Override
    public synchronized OptionalLong oldestRecordId(String channel)
            throws EventLogException
    {
        FakeChannel fake = channels.get(channel);
        if (fake == null) {
            throw new EventLogException("EvtOpenLog", WinError.ERROR_EVT_CHANNEL_NOT_FOUND, "channel " + channel);
        }
        return fake.records.isEmpty() ? OptionalLong.empty() : OptionalLong.of(fake.records.get(0).id);
    }

    @Override
    public synchronized void await(List<Subscription> waitingOn, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!woken && waitingOn.stream().noneMatch(subscription -> ((FakeSubscription) subscription).signaled)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        woken = false;
    }

    @Override
    public synchronized void wakeUp()
    {
        woken = true;
        notifyAll();
    }

    @Override
    public synchronized void close()
    {
        closed = true;
    }

    private FakeChannel channel(String name)
    {
        FakeChannel fake = channels.get(name);
        if (fake == null) {
            throw new IllegalArgumentException("no channel " + name);
        }
        return fake;
    }

    private static final class FakeChannel
    {
        final List<FakeRecord> records = new ArrayList<>();
        long nextRecordId = 1;
        boolean accessDenied;
    }

    private record FakeRecord(long id, String xml) {}

    private final class FakeSubscription
            implements Subscription
    {
        final String channel;
        long lastRead;
        boolean signaled = true;
        boolean stale;
        boolean closed;
        boolean positioned;

        FakeSubscription(String channel, long lastRead)
        {
            this.channel = channel;
            this.lastRead = lastRead;
            this.positioned = lastRead != Long.MIN_VALUE;
        }

        @Override
        public String channel()
        {
            return channel;
        }

        @Override
        public void resetSignal()
        {
            synchronized (FakeEventLogApi.this) {
                signaled = false;
            }
        }

        @Override
        public List<RenderedEvent> next(int max)
                throws EventLogException
        {
            synchronized (FakeEventLogApi.this) {
                if (closed) {
                    throw new EventLogException("EvtNext", WinError.ERROR_INVALID_HANDLE, "channel " + channel);
                }
                Deque<Integer> faults = readFaults.get(channel);
                if (faults != null && !faults.isEmpty()) {
                    throw new EventLogException("EvtNext", faults.poll(), "channel " + channel);
                }
                if (stale) {
                    throw new EventLogException("EvtNext", WinError.ERROR_EVT_QUERY_RESULT_STALE, "channel " + channel);
                }
                List<RenderedEvent> batch = new ArrayList<>();
                for (FakeRecord record : channels.get(channel).records) {
                    if (batch.size() == max) {
                        break;
                    }
                    if (record.id > lastRead) {
                        batch.add(new RenderedEvent(record.xml, Optional.empty()));
                        lastRead = record.id;
                        positioned = true;
                    }
                }
                return batch;
            }
        }

        @Override
        public Optional<String> bookmark()
        {
            synchronized (FakeEventLogApi.this) {
                return positioned ? Optional.of(Bookmarks.of(channel, lastRead)) : Optional.empty();
            }
        }

        @Override
        public void close()
        {
            synchronized (FakeEventLogApi.this) {
                closed = true;
            }
        }
    }
}
