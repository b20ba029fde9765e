package io.outrider.support.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestExchangeThreads
{
    @Test
    void workSubmittedOnlyAfterThePreviousResultRunsOnOneThread()
            throws Exception
    {
        ExchangeThreads threads = new ExchangeThreads("exchange-", 8, 30, TimeUnit.SECONDS, () -> {});
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 200; i++) {
            // the caller sees each result and submits the next at once, as a delivery loop with in_flight 1 does
            assertThat(threads.submit(() -> names.add(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(names).containsExactly("exchange-1");
        assertThat(threads.threads()).isEqualTo(1);
        threads.shutDown();
    }

    @Test
    void startsAThreadOnlyWhileAllAreBusyAndNeverMoreThanTheBound()
            throws Exception
    {
        ExchangeThreads threads = new ExchangeThreads("exchange-", 2, 30, TimeUnit.SECONDS, () -> {});
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        List<CompletableFuture<String>> blocked = List.of(
                threads.submit(() -> block(running, release)),
                threads.submit(() -> block(running, release)));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = threads.submit(() -> Thread.currentThread().getName());
        assertThat(threads.threads()).isEqualTo(2);
        assertThat(queued).isNotDone();

        release.countDown();
        assertThat(queued.get(10, TimeUnit.SECONDS)).isIn("exchange-1", "exchange-2");
        for (CompletableFuture<String> future : blocked) {
            assertThat(future.get(10, TimeUnit.SECONDS)).isIn("exchange-1", "exchange-2");
        }
        threads.shutDown();
    }

    @Test
    void failuresCompleteTheFutureAndIdleThreadsEnd()
            throws Exception
    {
        ExchangeThreads threads = new ExchangeThreads("exchange-", 4, 50, TimeUnit.MILLISECONDS, () -> {});
        CompletableFuture<Object> failed = threads.submit(() -> {
            throw new java.io.IOException("refused");
        });
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasRootCauseMessage("refused");

        awaitNoThreads(threads);
        assertThat(threads.submit(() -> "again").get(10, TimeUnit.SECONDS)).isEqualTo("again");

        threads.shutDown();
        assertThatThrownBy(() -> threads.submit(() -> "late")).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void theLastThreadToEndForWantOfWorkRunsWhenIdleOnceAndShutDownDoesNot()
            throws Exception
    {
        AtomicInteger idle = new AtomicInteger();
        ExchangeThreads threads = new ExchangeThreads("exchange-", 2, 100, TimeUnit.MILLISECONDS, idle::incrementAndGet);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        List<CompletableFuture<String>> both = List.of(
                threads.submit(() -> block(running, release)),
                threads.submit(() -> block(running, release)));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        for (CompletableFuture<String> future : both) {
            future.get(10, TimeUnit.SECONDS);
        }
        awaitNoThreads(threads);
        // two threads ended, one quiet spell
        assertThat(idle.get()).isEqualTo(1);

        threads.submit(() -> "again").get(10, TimeUnit.SECONDS);
        awaitNoThreads(threads);
        assertThat(idle.get()).isEqualTo(2);

        threads.submit(() -> "last").get(10, TimeUnit.SECONDS);
        threads.shutDown();
        awaitNoThreads(threads);
        assertThat(idle.get()).isEqualTo(2);
    }

    private static void awaitNoThreads(ExchangeThreads threads)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.threads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(threads.threads()).isZero();
        // whenIdle runs right after the count fell, on the thread that is ending
        Thread.sleep(50);
    }

    private static String block(CountDownLatch running, CountDownLatch release)
            throws InterruptedException
    {
        running.countDown();
        release.await(10, TimeUnit.SECONDS);
        return Thread.currentThread().getName();
    }
}
