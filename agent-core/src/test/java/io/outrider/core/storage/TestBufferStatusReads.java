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

/** What status and metrics read of the buffer does not wait for the lock appends and acknowledgements hold. */
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
}
