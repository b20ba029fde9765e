package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What does not wait for the lock appends and acknowledgements hold, and what that lock does not wait for: status
 * and metrics reads, and the checkpoint mirror's file (written and synced to disk about once a second).
 */
class TestBufferStatusReads
{
    @TempDir
    Path dataDirectory;

    @Test
    void backlogAndLagAreReadWhileAWriteHoldsTheLock()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null), Clock.systemUTC())) {
            buffer.registerOutputs("auth", Set.of("http"));
            buffer.append("auth", "input", List.of(Event.builder().timestamp(Instant.EPOCH).message("one").build(),
                    Event.builder().timestamp(Instant.EPOCH).message("two").build()), List.of());

            buffer.writeLock().lock();
            try {
                // read on another thread: this one holds the (reentrant) lock; a read that needed it would never end
                CompletableFuture<Long> backlog = CompletableFuture.supplyAsync(() -> BufferDatabase.sql(() -> buffer.countAfter("auth", 0)));
                CompletableFuture<Optional<Long>> oldest = CompletableFuture.supplyAsync(() -> BufferDatabase.sql(() -> buffer.oldestIngestedAfter("auth", 1)));
                CompletableFuture<Long> bytes = CompletableFuture.supplyAsync(buffer::totalBytes);

                assertThat(backlog.get(30, TimeUnit.SECONDS)).isEqualTo(2);
                assertThat(oldest.get(30, TimeUnit.SECONDS)).isPresent();
                assertThat(bytes.get(30, TimeUnit.SECONDS)).isPositive();
            }
            finally {
                buffer.writeLock().unlock();
            }
        }
    }

    @Test
    void theCheckpointMirrorIsWrittenWithoutTheWriteLock()
            throws Exception
    {
        MutableClock clock = new MutableClock();
        List<Boolean> lockedWhileWriting = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null), clock);
                SqliteBuffer.Reader reader = buffer.newReader("auth", "http")) {
            buffer.beforeMirrorFileWrite(() -> lockedWhileWriting.add(buffer.writeLock().isLocked()));
            buffer.registerOutputs("auth", Set.of("http"));
            // an input's first positions are copied at once
            buffer.append("auth", "input", List.of(), List.of(io.outrider.spi.Checkpoint.of("inode:1", "0")));
            buffer.append("auth", "input", List.of(Event.builder().timestamp(Instant.EPOCH).message("one").build()), List.of(io.outrider.spi.Checkpoint.of("inode:1", "10")));
            clock.advance(2_000);
            buffer.acknowledge("auth", "http", reader.read("auth", 0, 10, Long.MAX_VALUE).get(0).seq(), List.of());

            assertThat(lockedWhileWriting).hasSizeGreaterThanOrEqualTo(2).containsOnly(false);
        }
    }

    private static final class MutableClock
            extends Clock
    {
        private final java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(1_764_900_000_000L);

        void advance(long by)
        {
            millis.addAndGet(by);
        }

        @Override
        public java.time.ZoneId getZone()
        {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone)
        {
            return this;
        }

        @Override
        public long millis()
        {
            return millis.get();
        }

        @Override
        public Instant instant()
        {
            return Instant.ofEpochMilli(millis());
        }
    }
}
