package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code drop_oldest} counts exactly the events an output never gets, not those it was already sending. */
@Timeout(60)
class TestSqliteBufferDropOldest
{
    private static final String PIPELINE = "ssh_auth";
    private static final String INPUT = "auth_log";
    private static final int LARGE_MESSAGE_CHARS = 100_000;

    @TempDir
    Path dataDirectory;

    private final List<SqliteBuffer> opened = new ArrayList<>();

    @AfterEach
    void close()
    {
        opened.forEach(SqliteBuffer::close);
    }

    @Test
    void eventsDroppedWhileInFlightAndThenDeliveredAreNotCounted()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        int fitting = fill(buffer);
        Set<Integer> delivered = new HashSet<>();

        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            List<BufferedEvent> inFlight = reader.read(PIPELINE, buffer.cursor(PIPELINE, "siem"), 3, Long.MAX_VALUE);
            assertThat(inFlight).extracting(BufferedEvent::seq).containsExactly(1L, 2L, 3L);

            // five more events push the five oldest out: three of them are being sent, two are lost
            for (int i = 1; i <= 5; i++) {
                buffer.append(PIPELINE, INPUT, List.of(largeEvent(fitting + i)), List.of(Checkpoint.of("offset", String.valueOf(fitting + i))));
            }
            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(5);

            // the send succeeds: those three were delivered after all
            inFlight.forEach(event -> delivered.add(number(event)));
            buffer.acknowledge(PIPELINE, "siem", 3, List.of());
            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(2);

            drain(buffer, reader, "siem", delivered);
        }

        assertThat(delivered).hasSize(fitting + 5 - 2).doesNotContain(4, 5);
        assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(fitting + 5 - delivered.size());
        buffer.close();
        assertThat(open().droppedEvents(PIPELINE)).isEqualTo(2);
    }

    @Test
    void eventsInFlightToOneOutputOnlyAreLostForTheOtherAndCounted()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        int fitting = fill(buffer);

        try (SqliteBuffer.Reader siem = buffer.newReader(PIPELINE, "siem"); SqliteBuffer.Reader archive = buffer.newReader(PIPELINE, "archive")) {
            siem.read(PIPELINE, 0, 2, Long.MAX_VALUE);
            archive.read(PIPELINE, 0, 1, Long.MAX_VALUE);
            buffer.append(PIPELINE, INPUT, List.of(largeEvent(fitting + 1), largeEvent(fitting + 2)), List.of());
            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(2);

            buffer.acknowledge(PIPELINE, "siem", 2, List.of());
            buffer.acknowledge(PIPELINE, "archive", 1, List.of());

            // event 1 reached both outputs; event 2 only the siem: the archive never gets it
            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(1);
        }
    }

    @Test
    void eventsInFlightWhenTheDeliveryStopsStayCounted()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        int fitting = fill(buffer);

        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            reader.read(PIPELINE, 0, 2, Long.MAX_VALUE);
            buffer.append(PIPELINE, INPUT, List.of(largeEvent(fitting + 1)), List.of());
        }
        // the loop ended without an acknowledgement: the next one reads from the cursor, where event 1 is gone
        buffer.acknowledge(PIPELINE, "siem", 2, List.of());

        assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(1);
    }

    @Test
    void theDroppedCountEqualsTheEventsNeverDeliveredWhileAppendsRaceASlowDelivery()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        int total = 300;
        Random random = new Random(20261205);
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            events.add(sizedEvent(i, 1_000 + random.nextInt(60_000)));
        }
        CompletableFuture<Void> appended = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < total; i += 3) {
                    buffer.append(PIPELINE, INPUT, events.subList(i, Math.min(total, i + 3)), List.of(Checkpoint.of("offset", String.valueOf(i))));
                }
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Set<Integer> delivered = new HashSet<>();
        List<Integer> deliveredInOrder = new ArrayList<>();
        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            while (!appended.isDone() || buffer.countAfter(PIPELINE, buffer.cursor(PIPELINE, "siem")) > 0) {
                List<BufferedEvent> batch = reader.read(PIPELINE, buffer.cursor(PIPELINE, "siem"), 8, Long.MAX_VALUE);
                if (batch.isEmpty()) {
                    Thread.sleep(1);
                    continue;
                }
                // a slow collector: appends overtake the batch while it is sent
                Thread.sleep(5);
                batch.forEach(event -> {
                    delivered.add(number(event));
                    deliveredInOrder.add(number(event));
                });
                buffer.acknowledge(PIPELINE, "siem", batch.get(batch.size() - 1).seq(), List.of());
            }
        }
        appended.get(30, TimeUnit.SECONDS);

        assertThat(deliveredInOrder).doesNotHaveDuplicates().isSorted();
        assertThat(buffer.droppedEvents(PIPELINE)).isPositive().isEqualTo(total - delivered.size());
    }

    private void drain(SqliteBuffer buffer, SqliteBuffer.Reader reader, String output, Set<Integer> delivered)
            throws Exception
    {
        while (true) {
            List<BufferedEvent> batch = reader.read(PIPELINE, buffer.cursor(PIPELINE, output), 4, Long.MAX_VALUE);
            if (batch.isEmpty()) {
                return;
            }
            batch.forEach(event -> delivered.add(number(event)));
            buffer.acknowledge(PIPELINE, output, batch.get(batch.size() - 1).seq(), List.of());
        }
    }

    private static int fill(SqliteBuffer buffer)
            throws Exception
    {
        int fitting = (int) (buffer.maxBytes() / EventCodec.standalone().encode(largeEvent(1)).length);
        for (int i = 1; i <= fitting; i++) {
            buffer.append(PIPELINE, INPUT, List.of(largeEvent(i)), List.of(Checkpoint.of("offset", String.valueOf(i))));
        }
        assertThat(buffer.droppedEvents(PIPELINE)).isZero();
        return fitting;
    }

    private SqliteBuffer open()
            throws Exception
    {
        SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("1MiB"), AgentSettings.WhenFull.DROP_OLDEST, null), Clock.systemUTC());
        opened.add(buffer);
        return buffer;
    }

    private static int number(BufferedEvent event)
    {
        return Integer.parseInt(event.event().message().substring(0, 6));
    }

    private static Event largeEvent(int number)
    {
        return sizedEvent(number, LARGE_MESSAGE_CHARS);
    }

    private static Event sizedEvent(int number, int chars)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L))
                .message(String.format("%06d", number) + "x".repeat(chars))
                .build();
    }
}
