package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The buffer on a real, small file system (tmpfs) that fills up. */
@Timeout(120)
class TestSqliteBufferDiskFull
{
    private static final String PIPELINE = "ssh_auth";
    private static final String INPUT = "auth_log";
    private static final String OUTPUT = "siem";
    private static final int BATCH = 50;

    @TempDir
    Path temporary;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(LogRecord record)
        {
            log.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final ExecutorService appender = Executors.newSingleThreadExecutor();

    @BeforeEach
    void captureLog()
    {
        Logger.getLogger(SqliteBuffer.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stop()
            throws InterruptedException
    {
        Logger.getLogger(SqliteBuffer.class.getName()).removeHandler(capture);
        appender.shutdownNow();
        appender.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void aDiskFilledToItsLastByteStillDrainsEveryEventExactlyOnceAndInputsResume()
            throws Exception
    {
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("disk"), "8m")) {
            AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("256MiB"), AgentSettings.WhenFull.BLOCK, null, DataSize.parse("1MiB"));
            // more than the file system holds: the input is held back before the end
            int total = 40_000;
            SqliteBuffer filled = SqliteBuffer.open(disk.path().resolve("data"), settings, Clock.systemUTC());
            filled.registerOutputs(PIPELINE, Set.of(OUTPUT));
            CompletableFuture<Void> filling = appendInBackground(filled, 1, total);
            // no collector: the buffer fills the disk until the input is held back
            awaitWriteState(filled, filling, SqliteBuffer.WriteState.DISK_FULL);
            // the agent restarts: SQLite removes the WAL on close, and the new one starts empty
            filled.close();
            assertThatThrownBy(() -> filling.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("buffer is closed");

            try (SqliteBuffer buffer = SqliteBuffer.open(disk.path().resolve("data"), settings, Clock.systemUTC())) {
                buffer.registerOutputs(PIPELINE, Set.of(OUTPUT));
                // and anyone else writing there (the agent's own log, say) takes every byte left
                disk.fillToTheLastByte(disk.path().resolve("other-writer"));
                assertThat(disk.usableSpace()).isZero();
                int held = Integer.parseInt(buffer.checkpoints(PIPELINE, INPUT).get("offset"));
                assertThat(held).isLessThan(total);
                assertThat(buffer.lastSeq()).isEqualTo(held);
                CompletableFuture<Void> input = appendInBackground(buffer, held + 1, total);

                // the collector is back: what is buffered drains although the disk has not a byte free
                List<Integer> delivered = new ArrayList<>();
                try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, OUTPUT)) {
                    deliver(buffer, reader, delivered, held);
                    // while the other writer holds the disk, the room the reserve gave back is kept for acknowledgements
                    assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.DISK_FULL);
                    assertThat(buffer.lastSeq()).isEqualTo(held);
                    assertThat(input).isNotDone();

                    // it lets go: the input goes on to its end, and that is delivered too
                    Files.delete(disk.path().resolve("other-writer"));
                    deliver(buffer, reader, delivered, total);
                }
                input.get(60, TimeUnit.SECONDS);

                assertThat(delivered).containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
                assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.OK);
                assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("offset", String.valueOf(total)));
                assertThat(buffer.totalBytes()).isZero();
                assertThat(buffer.verify()).isEqualTo("ok");
                Path reserve = disk.path().resolve("data").resolve(SqliteBuffer.RESERVE_FILE_NAME);
                assertThat(log).contains("WARNING disk is full: released the buffer's 1MiB reserve (" + reserve
                        + ") so that delivered events can be acknowledged and deleted; the buffer grows again once the disk has room for the reserve and min_free_disk");
                // said once by each buffer (a disk at its limit fills and frees with every append: a line each time
                // was dozens a second), and the end of it once
                assertThat(log).filteredOn(line -> line.startsWith("SEVERE disk is full: the buffer at ")).hasSize(2)
                        .allSatisfy(line -> assertThat(line).contains(" KiB are free, and the buffer keeps 1024 KiB free (buffer.min_free_disk)"));
                assertThat(log).filteredOn(line -> line.startsWith("INFO the disk has room again: the buffer at ")).containsExactly(
                        "INFO the disk has room again: the buffer at " + disk.path().resolve("data").resolve("buffer.db") + " is written again and inputs go on");
            }
            // the acknowledgements are durable: a restart sends nothing again
            try (SqliteBuffer reopened = SqliteBuffer.open(disk.path().resolve("data"), settings, Clock.systemUTC())) {
                assertThat(reopened.cursor(PIPELINE, OUTPUT)).isEqualTo(total);
                assertThat(reopened.countAfter(PIPELINE, 0)).isZero();
            }
        }
    }

    @Test
    void theRoomOfADeliveredBacklogGoesBackToTheDiskWhenTheReserveNeedsItAndInputsResume()
            throws Exception
    {
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("disk"), "4m")) {
            Path data = disk.path().resolve("data");
            Path otherWriter = disk.path().resolve("other-writer");
            AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("256MiB"), AgentSettings.WhenFull.BLOCK, null, DataSize.parse("512KiB"));
            int total = 20_000;
            SqliteBuffer filled = SqliteBuffer.open(data, settings, Clock.systemUTC());
            filled.registerOutputs(PIPELINE, Set.of(OUTPUT));
            CompletableFuture<Void> filling = appendInBackground(filled, 1, total);
            awaitWriteState(filled, filling, SqliteBuffer.WriteState.DISK_FULL);
            filled.close();
            assertThatThrownBy(() -> filling.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("buffer is closed");

            try (SqliteBuffer buffer = SqliteBuffer.open(data, settings, Clock.systemUTC())) {
                buffer.registerOutputs(PIPELINE, Set.of(OUTPUT));
                int held = (int) buffer.lastSeq();
                disk.fillToTheLastByte(otherWriter);
                CompletableFuture<Void> input = appendInBackground(buffer, held + 1, total);
                List<Integer> delivered = new ArrayList<>();
                try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, OUTPUT)) {
                    // acknowledging on a disk without a byte free takes the reserve
                    deliver(buffer, reader, delivered, held);
                    assertThat(data.resolve(SqliteBuffer.RESERVE_FILE_NAME)).doesNotExist();
                    // the other writer keeps all but 512KiB: less than the reserve needs, while the buffer file holds
                    // the delivered backlog's pages, free but its own
                    Files.delete(otherWriter);
                    disk.fillToTheLastByte(otherWriter);
                    try (FileChannel channel = FileChannel.open(otherWriter, StandardOpenOption.WRITE)) {
                        channel.truncate(channel.size() - (512 << 10));
                    }
                    long fileBytes = Files.size(data.resolve(SqliteBuffer.FILE_NAME));
                    Thread.sleep(1_500);
                    assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.DISK_FULL);
                    assertThat(buffer.lastSeq()).isEqualTo(held);

                    // the agent's housekeeping looks while no event is appended
                    long shrunk = buffer.shrinkIfMostlyFree();

                    assertThat(shrunk).isGreaterThan(fileBytes / 2);
                    assertThat(log).contains(String.format(Locale.ROOT, "INFO buffer file %s shrank from %.1f MiB to %.1f MiB: its delivered events' room"
                            + " goes back to the disk, which the buffer's reserve needs before the buffer may grow again",
                            data.resolve(SqliteBuffer.FILE_NAME), fileBytes / 1048576.0, (fileBytes - shrunk) / 1048576.0));
                    assertThat(data.resolve(SqliteBuffer.RESERVE_FILE_NAME)).exists();
                    // the input goes on: the rest arrives, as the disk fills and frees again
                    deliver(buffer, reader, delivered, total);
                }
                input.get(60, TimeUnit.SECONDS);
                assertThat(delivered).containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
                assertThat(buffer.verify()).isEqualTo("ok");
            }
        }
    }

    @Test
    void aFileSystemTooSmallForTheReserveMinFreeDiskAndEventsIsSaidAtOpen()
            throws Exception
    {
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("disk"), "3m")) {
            Path data = disk.path().resolve("data");
            try (SqliteBuffer buffer = SqliteBuffer.open(data, new AgentSettings.BufferSettings(DataSize.parse("256MiB"), null, null), Clock.systemUTC())) {
                assertThat(buffer.minFreeDisk()).isEqualTo(768L << 10);
                assertThat(log).contains("WARNING the file system of " + data.resolve(SqliteBuffer.FILE_NAME) + " is 3MiB: after the 1MiB the buffer keeps for"
                        + " acknowledgements and buffer.min_free_disk (768KiB) less than 2MiB is left for events, and inputs may be held back as on a full disk;"
                        + " put agent.data_dir on a larger one");
            }
        }
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("larger"), "8m")) {
            log.clear();
            try (SqliteBuffer buffer = SqliteBuffer.open(disk.path().resolve("data"), new AgentSettings.BufferSettings(DataSize.parse("256MiB"), null, null), Clock.systemUTC())) {
                assertThat(log).noneMatch(line -> line.startsWith("WARNING the file system of "));
            }
        }
    }

    @Test
    void retiringAnOutputDeletesWhatOnlyItHeldOnADiskFilledToItsLastByte()
            throws Exception
    {
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("disk"), "8m")) {
            Path data = disk.path().resolve("data");
            AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("256MiB"), AgentSettings.WhenFull.BLOCK, null, DataSize.parse("1MiB"));
            try (SqliteBuffer buffer = SqliteBuffer.open(data, settings, Clock.systemUTC())) {
                buffer.registerOutputs(PIPELINE, Set.of(OUTPUT, "retired"));
                appendInBackground(buffer, 1, 5_000).get(60, TimeUnit.SECONDS);
                buffer.acknowledge(PIPELINE, OUTPUT, 5_000, List.of());
            }

            try (SqliteBuffer buffer = SqliteBuffer.open(data, settings, Clock.systemUTC())) {
                disk.fillToTheLastByte(disk.path().resolve("other-writer"));
                assertThat(disk.usableSpace()).isZero();

                buffer.registerOutputs(PIPELINE, Set.of(OUTPUT));

                assertThat(buffer.countAfter(PIPELINE, 0)).isZero();
                assertThat(buffer.totalBytes()).isZero();
            }
        }
    }

    @Test
    void onASmallFileSystemTheDefaultMinFreeDiskScalesAndInputsAreNotHeldBackWhileThereIsRoom()
            throws Exception
    {
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("disk"), "20m")) {
            Path data = disk.path().resolve("data");
            try (SqliteBuffer buffer = SqliteBuffer.open(data, new AgentSettings.BufferSettings(DataSize.parse("256MiB"), null, null), Clock.systemUTC())) {
                buffer.registerOutputs(PIPELINE, Set.of(OUTPUT));

                assertThat(buffer.minFreeDisk()).isEqualTo(4L << 20);
                assertThat(log).contains("INFO buffer.min_free_disk is 4MiB, scaled to the 20MiB file system of " + data.resolve(SqliteBuffer.FILE_NAME)
                        + " (5 %, at least 4MiB or a quarter of the file system, at most 64MiB); set it to choose another");

                // about 8 MB of events on a file system with 20: never held back
                int total = 20_000;
                CompletableFuture<Void> input = appendInBackground(buffer, 1, total);
                while (!input.isDone()) {
                    assertThat(buffer.writeState()).as("write state while %s of %s events are appended", buffer.lastSeq(), total).isEqualTo(SqliteBuffer.WriteState.OK);
                    Thread.sleep(5);
                }
                input.get();
                assertThat(buffer.lastSeq()).isEqualTo(total);
                assertThat(disk.usableSpace()).isGreaterThanOrEqualTo(buffer.minFreeDisk());
            }
        }
    }

    /** Delivers batches of up to 500 until {@code upTo} events in all were delivered, the way a delivery loop does. */
    private static void deliver(SqliteBuffer buffer, SqliteBuffer.Reader reader, List<Integer> delivered, int upTo)
            throws Exception
    {
        while (delivered.size() < upTo) {
            List<BufferedEvent> batch = reader.read(PIPELINE, buffer.cursor(PIPELINE, OUTPUT), 500, Long.MAX_VALUE);
            if (batch.isEmpty()) {
                buffer.awaitAppend(buffer.cursor(PIPELINE, OUTPUT), Duration.ofMillis(100));
                continue;
            }
            batch.forEach(event -> delivered.add(number(event)));
            buffer.acknowledge(PIPELINE, OUTPUT, batch.get(batch.size() - 1).seq(), List.of());
        }
    }

    private CompletableFuture<Void> appendInBackground(SqliteBuffer buffer, int from, int total)
    {
        return CompletableFuture.runAsync(() -> {
            try {
                for (int first = from; first <= total; first += BATCH) {
                    List<Event> events = new ArrayList<>(BATCH);
                    int last = Math.min(total, first + BATCH - 1);
                    for (int number = first; number <= last; number++) {
                        events.add(event(number));
                    }
                    buffer.append(PIPELINE, INPUT, events, List.of(Checkpoint.of("offset", String.valueOf(last))));
                }
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, appender);
    }

    private static void awaitWriteState(SqliteBuffer buffer, CompletableFuture<Void> input, SqliteBuffer.WriteState expected)
            throws InterruptedException
    {
        while (buffer.writeState() != expected) {
            assertThat(input).as("the input finished before the disk was full").isNotDone();
            Thread.sleep(10);
        }
    }

    private static Event event(int number)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L + number))
                .message(String.format("%08d", number) + " sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 52044 ssh2 "
                        // text compression cannot shrink: the events take on the disk what they count as
                        + IncompressibleText.of(number, 150))
                .build();
    }

    private static int number(BufferedEvent event)
    {
        return Integer.parseInt(event.event().message().substring(0, 8));
    }
}
