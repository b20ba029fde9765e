package io.outrider.plugin.http;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs the heartbeat: once at once, then every period, until stopped. Abstracted so tests drive time by hand.
 */
interface HeartbeatScheduler
{
    /** Runs {@code task} now and then every {@code period}; called at most once. */
    void start(Runnable task, Duration period);

    /** Stops the task (interrupting a run in progress) and waits a bounded time for it to end. Idempotent. */
    void stop();

    /** The production scheduler: one daemon thread. */
    static HeartbeatScheduler daemonThread(String threadName)
    {
        return new DaemonThreadScheduler(threadName);
    }

    /** One daemon thread of a {@link ScheduledThreadPoolExecutor}. */
    final class DaemonThreadScheduler
            implements HeartbeatScheduler
    {
        private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

        private final ScheduledThreadPoolExecutor executor;

        DaemonThreadScheduler(String threadName)
        {
            requireNonNull(threadName, "threadName is null");
            this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
            });
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        }

        @Override
        public void start(Runnable task, Duration period)
        {
            executor.scheduleAtFixedRate(task, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void stop()
        {
            executor.shutdownNow();
            try {
                executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean isTerminated()
        {
            return executor.isTerminated();
        }
    }
}
