package io.outrider.support.http;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The threads that run an HTTP output's exchanges, each blocking on its socket for the whole request: as many as
 * there are exchanges at once (up to a bound), none when there is nothing to send.
 *
 * <p>A thread is started only when every thread there is is busy, and a thread counts as free from the moment its
 * exchange's result is decided, before the caller learns it. So sequential requests (a batch, its answer, the next
 * batch) run on one thread, and {@code delivery.in_flight: 2} on two: {@link java.util.concurrent.ThreadPoolExecutor}
 * starts a thread per task up to its core size, and a cached pool races its caller and starts one whenever the
 * caller sees the answer before the thread has gone back to wait. A thread idle for {@code keepAliveNanos} ends, and
 * the last one to end runs {@code whenIdle}: the output has had nothing to send for that long.
 *
 * <p>Thread-safe.
 */
final class ExchangeThreads
{
    private final String namePrefix;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final Runnable whenIdle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private int threads;
    private int busy;
    private int started;
    private boolean shutDown;

    /**
     * @param namePrefix thread names are this followed by 1, 2, ... in the order the threads start
     * @param whenIdle run by the last thread to end for want of work, on that thread; not when the threads end after
     *        {@link #shutDown()}. It must not throw and must be quick: an exchange submitted meanwhile starts a new
     *        thread and does not wait for it
     */
    ExchangeThreads(String namePrefix, int maxThreads, long keepAlive, TimeUnit unit, Runnable whenIdle)
    {
        this.namePrefix = requireNonNull(namePrefix, "namePrefix is null");
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be at least 1: " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.keepAliveNanos = unit.toNanos(keepAlive);
        this.whenIdle = requireNonNull(whenIdle, "whenIdle is null");
    }

    /**
     * Runs {@code work} on a free thread, or the next one to become free when {@code maxThreads} are busy; the future
     * completes with its result or its exception.
     *
     * @throws RejectedExecutionException after {@link #shutDown()}
     */
    <T> CompletableFuture<T> submit(Callable<T> work)
    {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            T value = null;
            Throwable failure = null;
            try {
                value = work.call();
            }
            catch (Throwable t) {
                failure = t;
            }
            finished();
            if (failure == null) {
                result.complete(value);
            }
            else {
                result.completeExceptionally(failure);
            }
        };
        boolean start = false;
        lock.lock();
        try {
            if (shutDown) {
                throw new RejectedExecutionException("the HTTP client is closed");
            }
            queue.addLast(task);
            if (threads - busy < queue.size() && threads < maxThreads) {
                threads++;
                started++;
                start = true;
            }
            else {
                workArrived.signal();
            }
        }
        finally {
            lock.unlock();
        }
        if (start) {
            Thread thread = new Thread(this::work, namePrefix + started);
            thread.setDaemon(true);
            thread.start();
        }
        return result;
    }

    /** Starts no more work; the threads end once the queue is empty. */
    void shutDown()
    {
        lock.lock();
        try {
            shutDown = true;
            workArrived.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** The threads alive now (tests). */
    int threads()
    {
        lock.lock();
        try {
            return threads;
        }
        finally {
            lock.unlock();
        }
    }

    private void finished()
    {
        lock.lock();
        try {
            busy--;
        }
        finally {
            lock.unlock();
        }
    }

    private void work()
    {
        while (true) {
            Runnable task;
            boolean lastToEnd = false;
            lock.lock();
            try {
                long wait = keepAliveNanos;
                while (queue.isEmpty()) {
                    if (shutDown || wait <= 0) {
                        threads--;
                        lastToEnd = threads == 0 && !shutDown;
                        break;
                    }
                    try {
                        wait = workArrived.awaitNanos(wait);
                    }
                    catch (InterruptedException e) {
                        // nobody interrupts these threads but the JVM's end
                        threads--;
                        return;
                    }
                }
                task = queue.pollFirst();
                if (task != null) {
                    busy++;
                }
            }
            finally {
                lock.unlock();
            }
            if (task == null) {
                if (lastToEnd) {
                    whenIdle.run();
                }
                return;
            }
            task.run();
        }
    }
}
