package io.outrider.core.pipeline;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class TestAfterBurstHousekeeping
{
    private static final AgentSettings.BufferSettings ROOMY = new AgentSettings.BufferSettings(DataSize.parse("256MiB"), AgentSettings.WhenFull.BLOCK, null);

    @TempDir
    Path dataDirectory;

    @Test
    void theBufferFileShrinksAtTheFirstLookAfterAnIntervalWithoutAppendsEvenWhenTheHeapCannotBeTrimmed()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, ROOMY, Clock.systemUTC())) {
            buffer.registerOutputs("ssh", Set.of("siem"));
            AtomicInteger heapLooks = new AtomicInteger();
            HeapTrimmer refusing = new HeapTrimmer(buffer::changes, OversizedVm.refusing(heapLooks));
            AfterBurstHousekeeping housekeeping = new AfterBurstHousekeeping(buffer, Optional.of(refusing));
            Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);

            buffer.append("ssh", "auth", burst(160), List.of());
            buffer.acknowledge("ssh", "siem", 160, List.of());
            long grown = Files.size(file);
            assertThat(housekeeping.look()).isTrue();
            assertThat(Files.size(file)).as("events were appended since the last look").isEqualTo(grown);

            housekeeping.look();
            assertThat(Files.size(file)).as("a whole interval without appends").isLessThan(1L << 20);
            assertThat(heapLooks).as("the heap trimmer looked in the same round, and threw").hasValue(1);
            assertThat(buffer.cursor("ssh", "siem")).isEqualTo(160);
        }
    }

    @Test
    void looksWhileTheBufferChangesAndStopsOnceItIsQuietAndTheHeapWasLookedAt()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, ROOMY, Clock.systemUTC())) {
            buffer.registerOutputs("ssh", Set.of("siem"));
            AtomicInteger collections = new AtomicInteger();
            HeapTrimmer trimmer = new HeapTrimmer(buffer::changes, OversizedVm.writable(collections));
            AfterBurstHousekeeping housekeeping = new AfterBurstHousekeeping(buffer, Optional.of(trimmer));
            assertThat(housekeeping.look()).as("nothing appended since the agent started").isFalse();

            buffer.append("ssh", "auth", burst(3), List.of());
            assertThat(housekeeping.look()).as("appended since the last look").isTrue();
            buffer.acknowledge("ssh", "siem", 2, List.of());
            assertThat(housekeeping.look()).as("acknowledged since the last look: an output still drains the burst").isTrue();
            assertThat(collections).as("not trimmed while outputs deliver").hasValue(0);
            assertThat(housekeeping.look()).as("an interval without a change: trimmed, nothing owed").isFalse();
            assertThat(collections).hasValue(1);
            assertThat(housekeeping.look()).isFalse();
            assertThat(collections).as("an agent that stays quiet is not collected again").hasValue(1);

            buffer.acknowledge("ssh", "siem", 3, List.of());
            assertThat(housekeeping.look()).isTrue();
            assertThat(collections).hasValue(1);
            assertThat(housekeeping.look()).isFalse();
            assertThat(collections).as("looked at again after the change").hasValue(2);
        }
    }

    @Test
    void theTimerHasALookPlannedWhileTheBufferChangesAndNoneWhileItIsQuietUntilItsNextChange()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, ROOMY, Clock.systemUTC())) {
            buffer.registerOutputs("ssh", Set.of("siem"));
            AtomicInteger collections = new AtomicInteger();
            AfterBurstHousekeeping housekeeping = new AfterBurstHousekeeping(buffer, Optional.of(new HeapTrimmer(buffer::changes, OversizedVm.writable(collections))));
            // the agent's timer, run by hand: each task is one that would run an interval after it was planned
            Deque<Runnable> planned = new ArrayDeque<>();
            housekeeping.start(planned::add);
            assertThat(planned).as("the first look").hasSize(1);

            buffer.append("ssh", "auth", burst(3), List.of());
            planned.remove().run();
            assertThat(planned).as("appended since the agent started").hasSize(1);
            planned.remove().run();
            assertThat(collections).as("an interval without appends: the heap is trimmed").hasValue(1);
            assertThat(planned).as("trimmed in that look, but it saw no change: quiet").isEmpty();

            buffer.acknowledge("ssh", "siem", 3, List.of());
            assertThat(planned).as("woken by the acknowledgement's commit").hasSize(1);
            planned.remove().run();
            assertThat(planned).as("the change was seen").hasSize(1);
            planned.remove().run();
            assertThat(planned).isEmpty();

            buffer.append("ssh", "auth", burst(1), List.of());
            buffer.append("ssh", "auth", burst(1), List.of());
            assertThat(planned).as("one wake for any number of changes").hasSize(1);
        }
    }

    private static List<Event> burst(int events)
    {
        return IntStream.rangeClosed(1, events)
                .mapToObj(number -> Event.builder().timestamp(Instant.ofEpochSecond(1_763_900_000L + number)).message("x".repeat(300_000)).build())
                .toList();
    }

    /**
     * A JVM with a heap that looks worth trimming; its heap flags can be changed, or not (then it refuses, and a
     * collection without them is a bug).
     */
    private record OversizedVm(AtomicInteger looks, AtomicInteger collections, boolean flagsWritable)
            implements HeapTrimmer.Vm
    {
        static OversizedVm writable(AtomicInteger collections)
        {
            return new OversizedVm(new AtomicInteger(), collections, true);
        }

        static OversizedVm refusing(AtomicInteger looks)
        {
            return new OversizedVm(looks, new AtomicInteger(), false);
        }

        @Override
        public MemoryUsage heap()
        {
            looks.incrementAndGet();
            return new MemoryUsage(0, 64L << 20, 128L << 20, 192L << 20);
        }

        @Override
        public long usedAfterLastCollection()
        {
            return 8L << 20;
        }

        @Override
        public String flag(String name)
        {
            return "50";
        }

        @Override
        public void setFlag(String name, String value)
        {
            if (!flagsWritable) {
                throw new IllegalArgumentException(name + " is not writeable");
            }
        }

        @Override
        public void fullCollection()
        {
            if (!flagsWritable) {
                throw new AssertionError("no collection without the flags");
            }
            collections.incrementAndGet();
        }
    }
}
