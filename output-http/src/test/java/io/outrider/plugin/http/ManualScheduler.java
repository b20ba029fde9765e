package io.outrider.plugin.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link HeartbeatScheduler} driven by the test: {@link #advance} moves its clock and runs the task, on the
 * calling thread, for every period boundary crossed. Its clock is the one the output's context should use.
 */
final class ManualScheduler
        implements HeartbeatScheduler
{
    private final ManualClock clock;
    private Runnable task;
    private Duration period;
    private Instant nextRun;
    private boolean stopped;
    private int runs;

    ManualScheduler(Instant start)
    {
        this.clock = new ManualClock(start);
    }

    Clock clock()
    {
        return clock;
    }

    @Override
    public synchronized void start(Runnable task, Duration period)
    {
        if (this.task != null) {
            throw new IllegalStateException("started twice");
        }
        this.task = task;
        this.period = period;
        this.nextRun = clock.instant();
        runDue();
    }

    synchronized void advance(Duration duration)
    {
        Instant end = clock.instant().plus(duration);
        while (task != null && !stopped && !nextRun.isAfter(end)) {
            clock.set(nextRun);
            runDue();
        }
        clock.set(end);
    }

    private void runDue()
    {
        if (stopped) {
            return;
        }
        runs++;
        task.run();
        nextRun = nextRun.plus(period);
    }

    synchronized int runs()
    {
        return runs;
    }

    synchronized boolean stopped()
    {
        return stopped;
    }

    @Override
    public synchronized void stop()
    {
        stopped = true;
    }

    private static final class ManualClock
            extends Clock
    {
        private volatile Instant now;

        ManualClock(Instant now)
        {
            this.now = now;
        }

        void set(Instant instant)
        {
            now = instant;
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
