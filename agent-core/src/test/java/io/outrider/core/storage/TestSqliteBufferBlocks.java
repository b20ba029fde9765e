package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The buffer stores a batch as blocks (up to {@link BlockPayload#MAX_EVENTS} events and {@link BlockPayload#MAX_BYTES})
 * while everything above it works per event: acknowledgements and dead letters inside a block, {@code drop_oldest}
 * of part of a block, a crash between a block's commit and its acknowledgement, and the totals.
 */
@Timeout(60)
class TestSqliteBufferBlocks
{
    private static final String PIPELINE = "ssh_auth";
    private static final String INPUT = "auth_log";
    private static final AgentSettings.BufferSettings ROOMY = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);

    @TempDir
    Path dataDirectory;

    private final List<SqliteBuffer> opened = new ArrayList<>();

    @AfterEach
    void close()
    {
        opened.forEach(SqliteBuffer::close);
    }

    @Test
    void aBatchIsStoredAsBlocksSplitByEventsAndBytes()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, events(1, 2_500), List.of());
        // 300 KB events: three fit in a block's MiB, the fourth starts the next
        buffer.append(PIPELINE, INPUT, IntStream.rangeClosed(1, 4).mapToObj(number -> sized(number, 300_000)).toList(), List.of());

        assertThat(blocks()).containsExactly(List.of(1L, 1_000L), List.of(1_001L, 2_000L), List.of(2_001L, 2_500L), List.of(2_501L, 2_503L), List.of(2_504L, 2_504L));
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            List<BufferedEvent> all = reader.read(PIPELINE, 0, Integer.MAX_VALUE, Long.MAX_VALUE);
            assertThat(all).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 2_504).boxed().toList());
            assertThat(all.get(1_499).event()).isEqualTo(event(1_500));
            assertThat(buffer.totalEvents()).isEqualTo(2_504);
            assertThat(buffer.totalBytes()).isEqualTo(all.stream().mapToLong(BufferedEvent::bytes).sum());
            // a read that starts and ends inside blocks
            assertThat(reader.read(PIPELINE, 998, 5, Long.MAX_VALUE)).extracting(BufferedEvent::seq).containsExactly(999L, 1_000L, 1_001L, 1_002L, 1_003L);
        }
        assertThat(buffer.countAfter(PIPELINE, 1_500)).isEqualTo(1_004);
        assertThat(buffer.countAfter(PIPELINE, "siem", 2_502)).isEqualTo(2);
    }

    @Test
    void aBatchEncodedAsItsEventsComeIsStoredAsTheSameBlocksAndTheEncoderStartsAfreshEachTime()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        BatchEncoder batch = buffer.newBatchEncoder();
        events(1, 1_500).forEach(batch::add);
        buffer.append(PIPELINE, INPUT, batch, List.of(Checkpoint.of("auth.log", "1500")));
        // dropped before it was appended: none of it may reach the next batch
        events(9_001, 9_010).forEach(batch::add);
        batch.clear();
        events(1_501, 1_502).forEach(batch::add);
        buffer.append(PIPELINE, INPUT, batch, List.of(Checkpoint.of("auth.log", "1502")));
        // appended with nothing added: moves the checkpoint only
        buffer.append(PIPELINE, INPUT, batch, List.of(Checkpoint.of("auth.log", "1503")));

        assertThat(blocks()).containsExactly(List.of(1L, 1_000L), List.of(1_001L, 1_500L), List.of(1_501L, 1_502L));
        List<BufferedEvent> all = readAll(buffer, 0);
        assertThat(all).extracting(BufferedEvent::event).containsExactlyElementsOf(events(1, 1_502));
        assertThat(buffer.totalEvents()).isEqualTo(1_502);
        assertThat(buffer.totalBytes()).isEqualTo(all.stream().mapToLong(BufferedEvent::bytes).sum());
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("auth.log", "1503"));

        // another buffer's field ids mean other names here: its batch is refused, and nothing of it committed
        SqliteBuffer other = open(dataDirectory.resolve("other"), ROOMY);
        BatchEncoder foreign = other.newBatchEncoder();
        foreign.add(event(1_503));
        assertThatThrownBy(() -> buffer.append(PIPELINE, INPUT, foreign, List.of(Checkpoint.of("auth.log", "1504"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the batch was encoded for another buffer");
        assertThat(buffer.totalEvents()).isEqualTo(1_502);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("auth.log", "1503"));
    }


    @Test
    void acknowledgementsOfBatchesEndingInsideABlockCutItWhereTheReaderStoppedWithoutReadingItBack()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, events(1, 1_000), List.of());
        List<BufferedEvent> all = readAll(buffer, 0);
        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            List<BufferedEvent> first = new ArrayList<>();
            reader.readInto(first, PIPELINE, 0, 300, Long.MAX_VALUE);
            buffer.acknowledge(PIPELINE, "siem", 300, List.of());
            assertThat(first).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
            assertThat(buffer.totalEvents()).isEqualTo(700);
            assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 301, 1_000));
            assertThat(blocks()).containsExactly(List.of(301L, 1_000L));

            // a batch filled in two reads, the second one stopped by bytes
            List<BufferedEvent> second = new ArrayList<>();
            reader.readInto(second, PIPELINE, 300, 100, Long.MAX_VALUE);
            reader.readInto(second, PIPELINE, 400, 500, bytes(all, 301, 600));
            assertThat(second).extracting(BufferedEvent::event).containsExactlyElementsOf(events(301, 600));
            buffer.acknowledge(PIPELINE, "siem", 600, List.of());
            assertThat(buffer.totalEvents()).isEqualTo(400);
            assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 601, 1_000));
            assertThat(buffer.payloadsReadToCut()).isZero();

            // where no reader stopped, the payload is read to cut it, to the same result
            List<BufferedEvent> third = new ArrayList<>();
            reader.readInto(third, PIPELINE, 600, 300, Long.MAX_VALUE);
            buffer.acknowledge(PIPELINE, "siem", 650, List.of());
            assertThat(buffer.payloadsReadToCut()).isEqualTo(1);
            assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 651, 1_000));
            buffer.acknowledge(PIPELINE, "siem", 900, List.of());
            assertThat(buffer.payloadsReadToCut()).isEqualTo(1);
            assertThat(buffer.totalEvents()).isEqualTo(100);
            assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 901, 1_000));
            assertThat(blocks()).containsExactly(List.of(901L, 1_000L));

            List<BufferedEvent> rest = new ArrayList<>();
            reader.readInto(rest, PIPELINE, 900, 500, Long.MAX_VALUE);
            assertThat(rest).extracting(BufferedEvent::event).containsExactlyElementsOf(events(901, 1_000));
            buffer.acknowledge(PIPELINE, "siem", 1_000, List.of());
            assertThat(buffer.totalEvents()).isZero();
            assertThat(blocks()).isEmpty();
        }
    }

    @Test
    void batchesInFlightAreCutWhereTheirReadsStoppedThoughLaterReadsStoppedElsewhere()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, events(1, 1_000), List.of());
        buffer.append(PIPELINE, INPUT, events(1_001, 2_000), List.of());
        List<BufferedEvent> all = readAll(buffer, 0);
        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            // three batches read ahead of their acknowledgements, as with delivery.in_flight: the first two end
            // inside the first block, the third at the end of what is buffered, where nothing is cut
            List<BufferedEvent> first = new ArrayList<>();
            reader.readInto(first, PIPELINE, 0, 300, Long.MAX_VALUE);
            List<BufferedEvent> second = new ArrayList<>();
            reader.readInto(second, PIPELINE, 300, 300, Long.MAX_VALUE);
            List<BufferedEvent> third = new ArrayList<>();
            reader.readInto(third, PIPELINE, 600, 5_000, Long.MAX_VALUE);
            assertThat(third).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(601, 2_000).boxed().toList());

            buffer.acknowledge(PIPELINE, "siem", 300, List.of());
            assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 301, 2_000));
            buffer.acknowledge(PIPELINE, "siem", 600, List.of());
            assertThat(buffer.totalEvents()).isEqualTo(1_400);
            assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 601, 2_000));
            assertThat(blocks()).containsExactly(List.of(601L, 1_000L), List.of(1_001L, 2_000L));
            assertThat(buffer.payloadsReadToCut()).isZero();

            // what is left of the cut block reads back as it was
            assertThat(readAll(buffer, 600)).extracting(BufferedEvent::event).containsExactlyElementsOf(events(601, 2_000));
            buffer.acknowledge(PIPELINE, "siem", 2_000, List.of());
            assertThat(buffer.totalEvents()).isZero();
            assertThat(blocks()).isEmpty();
        }
    }

    @Test
    void acknowledgementsEndingInsideABlockKeepExactlyWhatSomeOutputStillOwes()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        buffer.append(PIPELINE, INPUT, events(1, 10), List.of());
        List<BufferedEvent> all = readAll(buffer, 0);

        buffer.acknowledge(PIPELINE, "siem", 4, List.of());
        buffer.acknowledge(PIPELINE, "archive", 6, List.of());

        // both have 1-4: they are gone, from the totals and from every read
        assertThat(buffer.totalEvents()).isEqualTo(6);
        assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 5, 10));
        assertThat(readAll(buffer, 0)).extracting(BufferedEvent::seq).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(readAll(buffer, 6)).extracting(BufferedEvent::event).containsExactlyElementsOf(events(7, 10));
        assertThat(buffer.countAfter(PIPELINE, "siem", 4)).isEqualTo(6);
        assertThat(blocks()).containsExactly(List.of(5L, 10L));

        buffer.acknowledge(PIPELINE, "siem", 9, List.of());
        assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 7, 10));

        // the totals counted again from the blocks at open are the same
        buffer.close();
        buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        assertThat(buffer.totalEvents()).isEqualTo(4);
        assertThat(buffer.totalBytes()).isEqualTo(bytes(all, 7, 10));
        assertThat(readAll(buffer, buffer.cursor(PIPELINE, "siem"))).extracting(BufferedEvent::seq).containsExactly(10L);

        buffer.acknowledge(PIPELINE, "archive", 10, List.of());
        buffer.acknowledge(PIPELINE, "siem", 10, List.of());
        assertThat(buffer.totalEvents()).isZero();
        assertThat(buffer.totalBytes()).isZero();
        assertThat(blocks()).isEmpty();
    }

    @Test
    void aDeadLetterInTheMiddleOfABlockIsOneEventAndReplaysForItsOutputAlone()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        buffer.append(PIPELINE, INPUT, events(1, 9), List.of());
        List<BufferedEvent> all = readAll(buffer, 0);

        buffer.acknowledge(PIPELINE, "siem", 9, List.of(new SqliteBuffer.DeadLetterRequest(all.get(4), "HTTP 400: bad field")));

        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).singleElement().satisfies(letter -> {
            assertThat(letter.seq()).isEqualTo(5);
            assertThat(letter.output()).isEqualTo("siem");
            assertThat(letter.event()).isEqualTo(event(5));
        });
        // the archive still owes the whole block, the dead letter included
        assertThat(buffer.totalEvents()).isEqualTo(9);

        assertThat(buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT).replayed()).isEqualTo(1);
        try (SqliteBuffer.Reader siem = buffer.newReader(PIPELINE, "siem"); SqliteBuffer.Reader archive = buffer.newReader(PIPELINE, "archive")) {
            assertThat(siem.read(PIPELINE, 9, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq, BufferedEvent::event)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, event(5)));
            assertThat(archive.read(PIPELINE, 0, 20, Long.MAX_VALUE)).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList());
        }
        buffer.acknowledge(PIPELINE, "archive", 9, List.of());
        assertThat(buffer.totalEvents()).isEqualTo(1);
        buffer.acknowledge(PIPELINE, "siem", 10, List.of());
        assertThat(buffer.totalEvents()).isZero();
        assertThat(buffer.totalBytes()).isZero();
    }

    @Test
    void dropOldestTakesOnlyTheOldestEventsOfABlockItNeeds()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("1MiB"), AgentSettings.WhenFull.DROP_OLDEST, null));
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, IntStream.rangeClosed(1, 8).mapToObj(number -> sized(number, 100_000)).toList(), List.of());
        buffer.append(PIPELINE, INPUT, List.of(sized(9, 100_000)), List.of());
        buffer.append(PIPELINE, INPUT, List.of(sized(10, 100_000)), List.of());
        assertThat(buffer.droppedEvents(PIPELINE)).isZero();

        buffer.append(PIPELINE, INPUT, List.of(sized(11, 100_000)), List.of(Checkpoint.of("offset", "11")));

        assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(1);
        assertThat(blocks()).containsExactly(List.of(2L, 8L), List.of(9L, 9L), List.of(10L, 10L), List.of(11L, 11L));
        assertThat(buffer.totalEvents()).isEqualTo(10);
        List<BufferedEvent> left = readAll(buffer, 0);
        assertThat(left).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(2, 11).boxed().toList());
        assertThat(left.get(0).event()).isEqualTo(sized(2, 100_000));
        assertThat(buffer.totalBytes()).isEqualTo(bytes(left, 2, 11)).isLessThanOrEqualTo(buffer.maxBytes());
    }

    @Test
    void dropOldestOfABlockPartlyDeliveredCountsWhatSomeOutputStillOwed()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("1MiB"), AgentSettings.WhenFull.DROP_OLDEST, null));
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        buffer.append(PIPELINE, INPUT, IntStream.rangeClosed(1, 8).mapToObj(number -> sized(number, 100_000)).toList(), List.of());
        buffer.acknowledge(PIPELINE, "siem", 3, List.of());
        buffer.acknowledge(PIPELINE, "archive", 5, List.of());
        assertThat(blocks()).containsExactly(List.of(4L, 8L));
        buffer.append(PIPELINE, INPUT, IntStream.rangeClosed(9, 13).mapToObj(number -> sized(number, 100_000)).toList(), List.of());
        assertThat(buffer.droppedEvents(PIPELINE)).isZero();

        // three events' room: 4 and 5, which only the siem still owed, and 6, which both did
        try (SqliteBuffer.Reader archive = buffer.newReader(PIPELINE, "archive")) {
            assertThat(archive.read(PIPELINE, 5, 1, Long.MAX_VALUE)).extracting(BufferedEvent::seq).containsExactly(6L);
            buffer.append(PIPELINE, INPUT, IntStream.rangeClosed(14, 16).mapToObj(number -> sized(number, 100_000)).toList(), List.of());

            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(3);
            assertThat(blocks()).containsExactly(List.of(7L, 8L), List.of(9L, 13L), List.of(14L, 16L));
            assertThat(buffer.totalEvents()).isEqualTo(10);
            assertThat(readAll(buffer, buffer.cursor(PIPELINE, "siem"))).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(7, 16).boxed().toList());
            // 6 was in flight to the archive, but the siem never gets it: it stays counted
            buffer.acknowledge(PIPELINE, "archive", 6, List.of());
            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(3);
        }
        buffer.close();
        assertThat(open(dataDirectory, ROOMY).droppedEvents(PIPELINE)).isEqualTo(3);
    }

    @Test
    void aCrashBetweenABlocksCommitAndItsAcknowledgementRedeliversFromTheCursor()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, events(1, 10), List.of(Checkpoint.of("offset", "10")));
        Path committed = crashImage("committed");
        List<BufferedEvent> sent;
        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            sent = reader.read(PIPELINE, 0, 6, Long.MAX_VALUE);
        }
        buffer.acknowledge(PIPELINE, "siem", sent.get(5).seq(), List.of());
        Path acknowledged = crashImage("acknowledged");

        // killed after the commit, before the delivery: everything is there, from the start
        SqliteBuffer afterCommit = open(committed, ROOMY);
        afterCommit.registerOutputs(PIPELINE, Set.of("siem"));
        assertThat(afterCommit.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("offset", "10"));
        assertThat(afterCommit.cursor(PIPELINE, "siem")).isZero();
        assertThat(afterCommit.totalEvents()).isEqualTo(10);
        assertThat(readAll(afterCommit, 0)).extracting(BufferedEvent::event).containsExactlyElementsOf(events(1, 10));

        // killed after a part of the block was acknowledged: the rest, once, and the numbers go on
        SqliteBuffer afterAcknowledgement = open(acknowledged, ROOMY);
        afterAcknowledgement.registerOutputs(PIPELINE, Set.of("siem"));
        assertThat(afterAcknowledgement.cursor(PIPELINE, "siem")).isEqualTo(6);
        assertThat(afterAcknowledgement.totalEvents()).isEqualTo(4);
        assertThat(afterAcknowledgement.totalBytes()).isEqualTo(bytes(readAll(buffer, 0), 7, 10));
        assertThat(readAll(afterAcknowledgement, 6)).extracting(BufferedEvent::event).containsExactlyElementsOf(events(7, 10));
        afterAcknowledgement.append(PIPELINE, INPUT, events(11, 11), List.of());
        assertThat(afterAcknowledgement.lastSeq()).isEqualTo(11);
    }

    @Test
    void aBlockWhoseFramingIsDamagedIsReadUpToTheDamageAndTheRestReportedEventByEvent()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, events(1, 5), List.of());
        List<BufferedEvent> stored = readAll(buffer, 0);
        assertThat(stored).allSatisfy(event -> assertThat(event.bytes()).isLessThan(128));
        // bit rot in the length of event 3 (one byte, all events are shorter than 128): it now runs past the block
        int lengthOfThird = 1 + stored.get(0).bytes() + 1 + stored.get(1).bytes();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + buffer.file());
                java.sql.PreparedStatement update = connection.prepareStatement("UPDATE block_payloads SET payload = ? WHERE id = 1");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT payload FROM block_payloads WHERE id = 1")) {
            rows.next();
            byte[] block = rows.getBytes(1);
            block[lengthOfThird] = (byte) 0xFF;
            update.setBytes(1, block);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        List<BufferedEvent> read = readAll(buffer, 0);

        assertThat(read).extracting(BufferedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(read.subList(0, 2)).extracting(BufferedEvent::event).containsExactlyElementsOf(events(1, 2));
        assertThat(read.subList(2, 5)).allSatisfy(event -> assertThatThrownBy(event::event).hasMessage("buffered event cannot be decoded: it ends early"));
        try (BufferInspector inspector = BufferInspector.open(buffer.file())) {
            assertThat(inspector.verify()).containsExactly("buffered block 1..5 is damaged: event 3 ends early");
        }
        // an acknowledgement inside it cannot cut it: the block goes whole once delivered
        buffer.acknowledge(PIPELINE, "siem", 2, List.of());
        assertThat(buffer.totalEvents()).isEqualTo(5);
        assertThat(readAll(buffer, 2)).extracting(BufferedEvent::seq).containsExactly(3L, 4L, 5L);
        buffer.acknowledge(PIPELINE, "siem", 5, List.of());
        assertThat(buffer.totalEvents()).isZero();
        assertThat(blocks()).isEmpty();
    }

    @Test
    void aCompressedBlockThatNoLongerDecompressesIsReportedEventByEventAndGoesWholeOnceDelivered()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, events(1, 50), List.of());
        buffer.append(PIPELINE, INPUT, events(51, 100), List.of());
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + buffer.file());
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT id, codec FROM block_payloads ORDER BY id")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(2)).as("the first block is stored compressed").isEqualTo(BlockCompression.LZ4);
            }
            // bit rot: the first block's compressed payload loses its second half
            assertThat(statement.executeUpdate("UPDATE block_payloads SET payload = substr(payload, 1, length(payload) / 2) WHERE id = 1")).isEqualTo(1);
        }

        List<BufferedEvent> read = readAll(buffer, 0);

        assertThat(read).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(read.subList(0, 50)).allSatisfy(event -> assertThatThrownBy(event::event).hasMessage("buffered event cannot be decoded: it ends early"));
        assertThat(read.subList(50, 100)).extracting(BufferedEvent::event).containsExactlyElementsOf(events(51, 100));
        try (BufferInspector inspector = BufferInspector.open(buffer.file())) {
            assertThat(inspector.verify()).singleElement().asString().startsWith("buffered block 1..50: the block's compressed payload is damaged: ");
        }
        // an acknowledgement inside it cannot cut it: the block goes whole once delivered
        buffer.acknowledge(PIPELINE, "siem", 20, List.of());
        assertThat(buffer.totalEvents()).isEqualTo(100);
        buffer.acknowledge(PIPELINE, "siem", 50, List.of());
        assertThat(buffer.totalEvents()).isEqualTo(50);
        assertThat(blocks()).containsExactly(List.of(51L, 100L));
    }

    @Test
    void totalsFollowAModelOfEventsThroughBatchesThatSpanBlocks()
            throws Exception
    {
        Random random = new Random(20261205);
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        List<String> outputs = List.of("siem", "archive");
        buffer.registerOutputs(PIPELINE, Set.copyOf(outputs));
        TreeMap<Long, Integer> model = new TreeMap<>();
        Map<String, Long> cursors = new TreeMap<>(Map.of("siem", 0L, "archive", 0L));
        int created = 0;
        for (int step = 0; step < 60; step++) {
            int choice = random.nextInt(10);
            if (choice < 4) {
                int count = 1 + random.nextInt(random.nextBoolean() ? 2_400 : 20);
                long last = buffer.lastSeq();
                buffer.append(PIPELINE, INPUT, events(created + 1, created + count), List.of());
                created += count;
                readAll(buffer, last).forEach(event -> model.put(event.seq(), event.bytes()));
            }
            else if (choice < 9) {
                String output = outputs.get(random.nextInt(outputs.size()));
                long cursor = cursors.get(output);
                List<BufferedEvent> batch;
                try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, output)) {
                    batch = reader.read(PIPELINE, cursor, 1 + random.nextInt(1_500), Long.MAX_VALUE);
                }
                assertThat(batch).extracting(BufferedEvent::seq).containsExactlyElementsOf(model.tailMap(cursor, false).keySet().stream().limit(batch.size()).toList());
                if (!batch.isEmpty()) {
                    long upTo = batch.get(batch.size() - 1).seq();
                    buffer.acknowledge(PIPELINE, output, upTo, List.of());
                    cursors.put(output, upTo);
                    model.headMap(cursors.values().stream().mapToLong(Long::longValue).min().orElseThrow(), true).clear();
                }
            }
            else {
                buffer.close();
                buffer = open(dataDirectory, ROOMY);
                buffer.registerOutputs(PIPELINE, Set.copyOf(outputs));
            }
            assertThat(buffer.totalEvents()).as("events after step %s", step).isEqualTo(model.size());
            assertThat(buffer.totalBytes()).as("bytes after step %s", step).isEqualTo(model.values().stream().mapToLong(Integer::longValue).sum());
        }
        try (BufferInspector inspector = BufferInspector.open(buffer.file())) {
            assertThat(inspector.verify()).isEmpty();
            assertThat(inspector.stats()).singleElement().satisfies(stats -> {
                assertThat(stats.events()).isEqualTo(model.size());
                assertThat(stats.cursors()).extracting(BufferInspector.CursorStats::backlog)
                        .containsExactly(backlog(model, cursors.get("archive")), backlog(model, cursors.get("siem")));
            });
        }
    }

    private static long backlog(TreeMap<Long, Integer> model, long cursor)
    {
        return model.tailMap(cursor, false).size();
    }

    @Test
    void aReadThatEndsInsideABlockKeepsItsPayloadForTheNextAndEventsAreSlicesOfTheirBlock()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory, ROOMY);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, events(1, 2_500), List.of());

        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            List<BufferedEvent> first = reader.read(PIPELINE, 0, 600, Long.MAX_VALUE);
            List<BufferedEvent> second = reader.read(PIPELINE, 600, 600, Long.MAX_VALUE);
            List<BufferedEvent> third = reader.read(PIPELINE, 1_200, 2_000, Long.MAX_VALUE);

            assertThat(first.get(599).source()).as("one array for the events of a block").isSameAs(first.get(0).source());
            assertThat(second.get(0).source()).as("the block the first read stopped in is not read again").isSameAs(first.get(0).source());
            assertThat(third.get(0).source()).as("nor the one the second stopped in").isSameAs(second.get(599).source()).isNotSameAs(second.get(0).source());
            // what a dead letter stores: the event's own bytes
            assertThat(second.get(0).payload()).hasSize(second.get(0).length())
                    .isEqualTo(Arrays.copyOfRange(second.get(0).source(), second.get(0).offset(), second.get(0).offset() + second.get(0).length()));
            assertThat(List.of(first.get(0).event(), second.get(0).event(), second.get(599).event(), third.get(1_299).event()))
                    .containsExactly(event(1), event(601), event(1_200), event(2_500));
            assertThat(third).hasSize(1_300);
            // the third read ended with the buffer: it kept nothing, and reading the start again reads the block again
            assertThat(reader.read(PIPELINE, 0, 10, Long.MAX_VALUE).get(0).source()).isNotSameAs(first.get(0).source());
        }
    }

    private SqliteBuffer open(Path directory, AgentSettings.BufferSettings settings)
            throws IOException, SQLException
    {
        SqliteBuffer buffer = SqliteBuffer.open(directory, settings, Clock.systemUTC());
        opened.add(buffer);
        return buffer;
    }

    /** What a kill -9 now would leave on the disk: the database and its write-ahead log as they are, in a directory of their own. */
    private Path crashImage(String name)
            throws IOException
    {
        Path image = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-" + name);
        Files.createDirectories(image);
        for (String suffix : List.of("", "-wal")) {
            Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME + suffix);
            if (Files.exists(file)) {
                Files.copy(file, image.resolve(SqliteBuffer.FILE_NAME + suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return image;
    }

    /** The blocks of the buffer, as [first, last] sequence numbers. */
    private List<List<Long>> blocks()
            throws SQLException
    {
        List<List<Long>> blocks = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteBuffer.FILE_NAME));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT first_seq, last_seq FROM blocks ORDER BY first_seq")) {
            while (rows.next()) {
                blocks.add(List.of(rows.getLong(1), rows.getLong(2)));
            }
        }
        return blocks;
    }

    private static List<BufferedEvent> readAll(SqliteBuffer buffer, long afterSeq)
            throws SQLException
    {
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            return reader.read(PIPELINE, afterSeq, Integer.MAX_VALUE, Long.MAX_VALUE);
        }
    }

    private static long bytes(List<BufferedEvent> events, long first, long last)
    {
        return events.stream().filter(event -> event.seq() >= first && event.seq() <= last).mapToLong(BufferedEvent::bytes).sum();
    }

    private static List<Event> events(int first, int last)
    {
        return IntStream.rangeClosed(first, last).mapToObj(TestSqliteBufferBlocks::event).toList();
    }

    private static Event event(int number)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L + number))
                .message("sshd[" + number + "]: Failed password for root from 198.51.100." + (number % 256))
                .field("event.sequence", (long) number)
                .build();
    }

    private static Event sized(int number, int chars)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L))
                .message(String.format("%06d", number) + "x".repeat(chars))
                .build();
    }
}
