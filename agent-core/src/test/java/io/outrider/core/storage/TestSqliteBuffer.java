package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class TestSqliteBuffer
{
    private static final String PIPELINE = "ssh_auth";
    private static final String INPUT = "auth_log";
    private static final long ONE_MIB = 1 << 20;
    private static final long WAIT_SECONDS = 10;
    // about a tenth of the smallest buffer allowed, so that ten of them nearly fill it
    private static final int LARGE_MESSAGE_CHARS = 100_000;

    @TempDir
    Path dataDirectory;

    private final List<SqliteBuffer> opened = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void closeEverything()
            throws InterruptedException
    {
        opened.forEach(SqliteBuffer::close);
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    @Test
    void appendsReadsAndAcknowledges()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        List<Event> events = List.of(event(1), event(2), event(3));

        buffer.append(PIPELINE, INPUT, events, List.of());

        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            List<BufferedEvent> all = readAll(reader, 0);
            assertThat(all).extracting(BufferedEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(all).extracting(BufferedEvent::event).containsExactlyElementsOf(events);
            assertThat(all).allSatisfy(buffered -> assertThat(buffered.bytes()).isEqualTo(buffered.payload().length));
            assertThat(buffer.totalBytes()).isEqualTo(all.stream().mapToLong(BufferedEvent::bytes).sum());
            assertThat(buffer.lastSeq()).isEqualTo(3);
            assertThat(buffer.countAfter(PIPELINE, 0)).isEqualTo(3);
            assertThat(buffer.countAfter("other_pipeline", 0)).isZero();

            assertThat(reader.read(PIPELINE, 0, 2, Long.MAX_VALUE)).extracting(BufferedEvent::seq).containsExactly(1L, 2L);
            // a byte limit below one event still yields that event, or a large event could never be delivered
            assertThat(reader.read(PIPELINE, 0, 10, 1)).extracting(BufferedEvent::seq).containsExactly(1L);
            long twoEvents = all.get(0).bytes() + all.get(1).bytes();
            assertThat(reader.read(PIPELINE, 0, 10, twoEvents)).extracting(BufferedEvent::seq).containsExactly(1L, 2L);
            assertThat(reader.read(PIPELINE, 1, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq).containsExactly(2L, 3L);

            buffer.acknowledge(PIPELINE, "siem", 2, List.of());

            assertThat(buffer.cursor(PIPELINE, "siem")).isEqualTo(2);
            assertThat(readAll(reader, buffer.cursor(PIPELINE, "siem"))).extracting(BufferedEvent::seq).containsExactly(3L);
            assertThat(buffer.totalBytes()).isEqualTo(all.get(2).bytes());
            assertThat(buffer.countAfter(PIPELINE, 2)).isEqualTo(1);

            // an older acknowledgement never moves a cursor backwards
            buffer.acknowledge(PIPELINE, "siem", 1, List.of());
            assertThat(buffer.cursor(PIPELINE, "siem")).isEqualTo(2);

            buffer.acknowledge(PIPELINE, "siem", 3, List.of());
            assertThat(readAll(reader, 3)).isEmpty();
            assertThat(buffer.totalBytes()).isZero();
            assertThat(buffer.verify()).isEqualTo("ok");
        }
    }

    /** A plugin author's parser made an event of 50 million characters: the agent ran out of heap encoding it, at every restart. */
    @Test
    void anEventTooLargeForTheBufferIsStoredCutAndTheBatchGoesOn()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        String huge = "x".repeat(BatchEncoder.MAX_EVENT_BYTES + 1);
        Event tooLarge = Event.builder().timestamp(Instant.ofEpochSecond(1_765_000_000L)).message("line " + huge)
                .field("parsed.body", huge).field("http.response.status_code", 200).field("small", "kept").field("tags", List.of("a", "b"))
                .field(Fields.LOG_FLAGS, List.of("partial")).build();
        BatchEncoder batch = buffer.newBatchEncoder();

        assertThat(batch.add(event(1))).isFalse();
        assertThat(batch.add(tooLarge)).isTrue();
        assertThat(batch.add(event(3))).isFalse();
        buffer.append(PIPELINE, INPUT, batch, List.of(Checkpoint.of("offset", "3")));

        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            List<BufferedEvent> all = readAll(reader, 0);
            assertThat(all).extracting(BufferedEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(all.get(0).event()).isEqualTo(event(1));
            assertThat(all.get(2).event()).isEqualTo(event(3));
            Event cut = all.get(1).event();
            assertThat(cut.timestamp()).isEqualTo(tooLarge.timestamp());
            assertThat(cut.message()).isEqualTo(("line " + huge).substring(0, BatchEncoder.CUT_STRING_CHARS) + "…");
            assertThat(cut.fields()).containsExactly(
                    Map.entry("parsed.body", huge.substring(0, BatchEncoder.CUT_STRING_CHARS) + "…"),
                    Map.entry("http.response.status_code", 200L),
                    Map.entry("small", "kept"),
                    Map.entry(Fields.LOG_FLAGS, List.of("partial", "truncated")));
            assertThat(all.get(1).bytes()).isLessThan(4 * BatchEncoder.CUT_STRING_CHARS);
        }
    }

    @Test
    void commitsCheckpointsWithTheirEvents()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));

        buffer.append(PIPELINE, INPUT, List.of(event(1)), List.of(Checkpoint.of("inode:42", "100"), Checkpoint.of("inode:43", "7")));
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("inode:42", "100"), Map.entry("inode:43", "7"));

        buffer.append(PIPELINE, INPUT, List.of(event(2)), List.of(Checkpoint.of("inode:42", "250"), Checkpoint.forget("inode:43")));
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("inode:42", "250"));

        // a checkpoint may move without events (skipped bytes); another component's keys are its own
        buffer.append(PIPELINE, INPUT, List.of(), List.of(Checkpoint.of("inode:42", "300")));
        buffer.append(PIPELINE, "journal", List.of(), List.of(Checkpoint.of("cursor", "s=abc;i=1")));
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("inode:42", "300"));
        assertThat(buffer.checkpoints(PIPELINE, "journal")).containsExactly(Map.entry("cursor", "s=abc;i=1"));
        assertThat(buffer.checkpoints("other_pipeline", INPUT)).isEmpty();
        assertThat(buffer.lastSeq()).isEqualTo(2);

        // forgetting a key that was never set is harmless
        buffer.append(PIPELINE, INPUT, List.of(event(3)), List.of(Checkpoint.forget("never-set")));

        buffer.close();
        SqliteBuffer reopened = open(AgentSettings.WhenFull.BLOCK);
        assertThat(reopened.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("inode:42", "300"));
        assertThat(reopened.checkpoints(PIPELINE, "journal")).containsExactly(Map.entry("cursor", "s=abc;i=1"));
        try (SqliteBuffer.Reader reader = reopened.newReader()) {
            assertThat(readAll(reader, 0)).extracting(BufferedEvent::event).containsExactly(event(1), event(2), event(3));
        }
    }

    @Test
    void keepsOneCursorPerOutputAndRemovesRowsOnlyWhenEveryOutputHasThem()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        buffer.append(PIPELINE, INPUT, List.of(event(1), event(2), event(3), event(4), event(5)), List.of());
        long allBytes = buffer.totalBytes();
        List<BufferedEvent> all;
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            all = readAll(reader, 0);
        }

        buffer.acknowledge(PIPELINE, "siem", 5, List.of());
        assertThat(buffer.totalBytes()).isEqualTo(allBytes);
        assertThat(buffer.cursor(PIPELINE, "siem")).isEqualTo(5);
        assertThat(buffer.cursor(PIPELINE, "archive")).isZero();

        buffer.acknowledge(PIPELINE, "archive", 3, List.of());
        assertThat(buffer.totalBytes()).isEqualTo(all.get(3).bytes() + all.get(4).bytes());
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            assertThat(readAll(reader, buffer.cursor(PIPELINE, "siem"))).isEmpty();
            assertThat(readAll(reader, buffer.cursor(PIPELINE, "archive"))).extracting(BufferedEvent::seq).containsExactly(4L, 5L);
            // the rows both outputs have are gone from the file, not just hidden
            assertThat(readAll(reader, 0)).extracting(BufferedEvent::seq).containsExactly(4L, 5L);
        }

        buffer.close();
        SqliteBuffer reopened = open(AgentSettings.WhenFull.BLOCK);
        reopened.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        assertThat(reopened.cursor(PIPELINE, "siem")).isEqualTo(5);
        assertThat(reopened.cursor(PIPELINE, "archive")).isEqualTo(3);
        assertThat(reopened.totalBytes()).isEqualTo(all.get(3).bytes() + all.get(4).bytes());

        reopened.acknowledge(PIPELINE, "archive", 5, List.of());
        assertThat(reopened.totalBytes()).isZero();
        assertThat(reopened.countAfter(PIPELINE, 0)).isZero();
    }

    @Test
    void removingAnOutputReleasesWhatOnlyItWasHolding()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem", "retired"));
        buffer.append(PIPELINE, INPUT, List.of(event(1), event(2)), List.of());
        buffer.acknowledge(PIPELINE, "siem", 2, List.of());
        assertThat(buffer.totalBytes()).isPositive();

        buffer.registerOutputs(PIPELINE, Set.of("siem"));

        assertThat(buffer.totalBytes()).isZero();
        assertThat(buffer.countAfter(PIPELINE, 0)).isZero();
    }

    @Test
    void neverReusesSequenceNumbers()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, List.of(event(1), event(2), event(3)), List.of());
        buffer.acknowledge(PIPELINE, "siem", 3, List.of());
        assertThat(buffer.totalBytes()).isZero();
        buffer.close();

        SqliteBuffer reopened = open(AgentSettings.WhenFull.BLOCK);
        assertThat(reopened.lastSeq()).isEqualTo(3);
        assertThat(reopened.totalBytes()).isZero();
        reopened.append(PIPELINE, INPUT, List.of(event(4)), List.of());

        assertThat(reopened.lastSeq()).isEqualTo(4);
        try (SqliteBuffer.Reader reader = reopened.newReader()) {
            // the output's cursor (3) must not hide the new event: it needs a larger number than any before it
            assertThat(readAll(reader, reopened.cursor(PIPELINE, "siem")))
                    .extracting(BufferedEvent::seq, BufferedEvent::event)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, event(4)));
        }
    }

    @Test
    void blockPolicyHoldsAppendsBackUntilAnAcknowledgementFreesSpace()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        int fitting = fillWithLargeEvents(buffer);
        long fullBytes = buffer.totalBytes();
        assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.OK);

        CompletableFuture<Void> blocked = appendInBackground(buffer, largeEvent(fitting + 1), Checkpoint.of("offset", "after-blocked"));
        awaitWriteState(buffer, SqliteBuffer.WriteState.BACK_PRESSURE);

        // while held back, neither the event nor the input's checkpoint is committed
        assertThat(blocked).isNotDone();
        assertThat(buffer.totalBytes()).isEqualTo(fullBytes);
        assertThat(buffer.lastSeq()).isEqualTo(fitting);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsEntry("offset", String.valueOf(fitting));

        buffer.acknowledge(PIPELINE, "siem", 2, List.of());

        blocked.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.OK);
        assertThat(buffer.lastSeq()).isEqualTo(fitting + 1);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsEntry("offset", "after-blocked");
        assertThat(buffer.totalBytes()).isLessThanOrEqualTo(buffer.maxBytes());
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            assertThat(readAll(reader, 0)).extracting(BufferedEvent::seq).first().isEqualTo(3L);
            assertThat(readAll(reader, 0)).extracting(BufferedEvent::seq).last().isEqualTo((long) fitting + 1);
        }
        assertThat(buffer.droppedEvents(PIPELINE)).isZero();
    }

    @Test
    void anAppendNeverTakesTheDiskBelowMinFreeDisk()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, List.of(event(1)), List.of(Checkpoint.of("offset", "1")));
        long pages = buffer.pageCount();
        long pageSize = 4096;
        long minFreeDisk = buffer.minFreeDisk();
        // room for 10 more pages above min_free_disk: each page needs 2 (the WAL, then the database)
        buffer.overrideUsableSpace(() -> minFreeDisk + 2 * pageSize * 10);

        // a batch that needs fewer pages goes in
        buffer.append(PIPELINE, INPUT, List.of(event(2)), List.of(Checkpoint.of("offset", "2")));
        // a batch that needs more (two events of 100 KB) waits as on a full disk, without growing the file
        List<Event> batch = List.of(largeEvent(3), largeEvent(4));
        CompletableFuture<Void> held = new CompletableFuture<>();
        startThread(() -> {
            try {
                buffer.append(PIPELINE, INPUT, batch, List.of(Checkpoint.of("offset", "4")));
                held.complete(null);
            }
            catch (Throwable e) {
                held.completeExceptionally(e);
            }
        });
        awaitWriteState(buffer, SqliteBuffer.WriteState.DISK_FULL);
        Thread.sleep(1_500);
        assertThat(held).isNotDone();
        assertThat(buffer.pageCount()).isLessThanOrEqualTo(pages + 10);
        assertThat(buffer.lastSeq()).isEqualTo(2);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("offset", "2"));

        buffer.overrideUsableSpace(() -> minFreeDisk + (1L << 30));

        held.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.OK);
        assertThat(buffer.lastSeq()).isEqualTo(4);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("offset", "4"));
    }

    @Test
    void aFullDiskHoldsAppendsBackAndTheyCommitWhenSpaceReturns()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, List.of(event(1), event(2)), List.of(Checkpoint.of("offset", "2")));
        long bytesBefore = buffer.totalBytes();
        // the file may not grow by a single page: what SQLite sees when the disk is full
        assertThat(buffer.capPages(buffer.pageCount())).isEqualTo(buffer.pageCount());

        CompletableFuture<Void> held = appendInBackground(buffer, largeEvent(3), Checkpoint.of("offset", "3"));
        awaitWriteState(buffer, SqliteBuffer.WriteState.DISK_FULL);

        // held back like back-pressure: nothing of the batch committed, the input's position unchanged, retried
        // every second without failing the input
        Thread.sleep(2_500);
        assertThat(held).isNotDone();
        assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.DISK_FULL);
        assertThat(buffer.lastSeq()).isEqualTo(2);
        assertThat(buffer.totalBytes()).isEqualTo(bytesBefore);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("offset", "2"));
        // delivery goes on while the disk is full: removing delivered rows needs no new page
        buffer.acknowledge(PIPELINE, "siem", 1, List.of());
        assertThat(buffer.cursor(PIPELINE, "siem")).isEqualTo(1);
        // an acknowledgement that must write a dead letter waits for space like an append, and moves nothing meanwhile
        BufferedEvent refused = new BufferedEvent(2, 0, 0, EventCodec.standalone().encode(largeEvent(2)));
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        startThread(() -> {
            try {
                buffer.acknowledge(PIPELINE, "siem", 2, List.of(new SqliteBuffer.DeadLetterRequest(refused, "HTTP 400")));
                acknowledged.complete(null);
            }
            catch (Throwable e) {
                acknowledged.completeExceptionally(e);
            }
        });
        Thread.sleep(1_500);
        assertThat(acknowledged).isNotDone();
        assertThat(buffer.cursor(PIPELINE, "siem")).isEqualTo(1);
        assertThat(buffer.deadLetterCount(PIPELINE, "siem")).isZero();

        buffer.capPages(1_000_000);

        held.get(WAIT_SECONDS, TimeUnit.SECONDS);
        acknowledged.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(buffer.cursor(PIPELINE, "siem")).isEqualTo(2);
        assertThat(buffer.deadLetterCount(PIPELINE, "siem")).isEqualTo(1);
        assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.OK);
        assertThat(buffer.lastSeq()).isEqualTo(3);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("offset", "3"));
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            assertThat(readAll(reader, 0)).extracting(BufferedEvent::event).containsExactly(largeEvent(3));
        }
        assertThat(buffer.verify()).isEqualTo("ok");
    }

    @Test
    void aHeldBackAppendCommitsNothingWhenInterruptedOrClosed()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        int fitting = fillWithLargeEvents(buffer);

        CompletableFuture<Void> interrupted = new CompletableFuture<>();
        Thread appender = startThread(() -> {
            try {
                buffer.append(PIPELINE, INPUT, List.of(largeEvent(100)), List.of(Checkpoint.of("offset", "interrupted")));
                interrupted.complete(null);
            }
            catch (Throwable e) {
                interrupted.completeExceptionally(e);
            }
        });
        awaitWriteState(buffer, SqliteBuffer.WriteState.BACK_PRESSURE);
        appender.interrupt();
        assertThatThrownBy(() -> interrupted.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(buffer.lastSeq()).isEqualTo(fitting);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsEntry("offset", String.valueOf(fitting));

        CompletableFuture<Void> closed = appendInBackground(buffer, largeEvent(101), Checkpoint.of("offset", "closed"));
        awaitBlockedAppend(closed);
        buffer.close();
        assertThatThrownBy(() -> closed.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("buffer is closed");

        SqliteBuffer reopened = open(AgentSettings.WhenFull.BLOCK);
        assertThat(reopened.lastSeq()).isEqualTo(fitting);
        assertThat(reopened.checkpoints(PIPELINE, INPUT)).containsEntry("offset", String.valueOf(fitting));
    }

    @Test
    void dropOldestDropsExactlyTheOldestEventsAndCountsThem()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.DROP_OLDEST);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        int eventBytes = EventCodec.standalone().encode(largeEvent(1)).length;
        int fitting = fillWithLargeEvents(buffer);
        assertThat(buffer.totalBytes()).isEqualTo((long) fitting * eventBytes);

        buffer.append(PIPELINE, INPUT, List.of(largeEvent(fitting + 1)), List.of(Checkpoint.of("offset", "one more")));

        assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(1);
        assertThat(buffer.totalBytes()).isEqualTo((long) fitting * eventBytes);
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsEntry("offset", "one more");
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            assertThat(readAll(reader, 0)).extracting(BufferedEvent::seq).first().isEqualTo(2L);
        }

        // three more events need exactly as many bytes as the three oldest hold: no fourth event is sacrificed
        List<Event> three = List.of(largeEvent(fitting + 2), largeEvent(fitting + 3), largeEvent(fitting + 4));
        buffer.append(PIPELINE, INPUT, three, List.of());

        assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(4);
        assertThat(buffer.droppedEvents("other_pipeline")).isZero();
        assertThat(buffer.totalBytes()).isEqualTo((long) fitting * eventBytes).isLessThanOrEqualTo(buffer.maxBytes());
        assertThat(buffer.writeState()).isEqualTo(SqliteBuffer.WriteState.OK);
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            List<BufferedEvent> left = readAll(reader, buffer.cursor(PIPELINE, "siem"));
            assertThat(left).extracting(BufferedEvent::seq).first().isEqualTo(5L);
            assertThat(left).extracting(BufferedEvent::seq).last().isEqualTo((long) fitting + 4);
            assertThat(left).hasSize(fitting);
        }

        // the count is durable: operators see the loss after a restart too
        buffer.close();
        assertThat(open(AgentSettings.WhenFull.DROP_OLDEST).droppedEvents(PIPELINE)).isEqualTo(4);
    }

    @Test
    void keepsDeadLettersUntilReplayedOrPurged()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        buffer.append(PIPELINE, INPUT, List.of(event(1), event(2), event(3)), List.of());
        List<BufferedEvent> all;
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            all = readAll(reader, 0);
        }

        buffer.acknowledge(PIPELINE, "siem", 3, List.of(new SqliteBuffer.DeadLetterRequest(all.get(1), "HTTP 400: field [source.port] is not a number")));
        buffer.acknowledge(PIPELINE, "archive", 3, List.of(new SqliteBuffer.DeadLetterRequest(all.get(2), "record too large")));

        assertThat(buffer.totalBytes()).isZero();
        assertThat(buffer.deadLetterCount(PIPELINE, "siem")).isEqualTo(1);
        assertThat(buffer.deadLetterCount(PIPELINE, "archive")).isEqualTo(1);
        List<DeadLetter> letters = buffer.deadLetters(Optional.empty(), Optional.empty(), 10);
        assertThat(letters).extracting(DeadLetter::pipeline, DeadLetter::output, DeadLetter::seq, DeadLetter::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(PIPELINE, "siem", 2L, "HTTP 400: field [source.port] is not a number"),
                        org.assertj.core.groups.Tuple.tuple(PIPELINE, "archive", 3L, "record too large"));
        assertThat(letters.get(0).event()).isEqualTo(event(2));
        assertThat(buffer.deadLetters(Optional.of(PIPELINE), Optional.of("archive"), 10)).extracting(DeadLetter::seq).containsExactly(3L);
        assertThat(buffer.deadLetters(Optional.of("other_pipeline"), Optional.empty(), 10)).isEmpty();
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 1)).hasSize(1);

        // a replayed dead letter is a new event of its pipeline, with a new sequence number, for every output
        assertThat(buffer.replayDeadLetters(Optional.of(PIPELINE), Optional.of("siem"))).isEqualTo(1);
        assertThat(buffer.deadLetterCount(PIPELINE, "siem")).isZero();
        assertThat(buffer.lastSeq()).isEqualTo(4);
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            assertThat(readAll(reader, buffer.cursor(PIPELINE, "siem")))
                    .extracting(BufferedEvent::seq, BufferedEvent::event)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, event(2)));
            assertThat(readAll(reader, buffer.cursor(PIPELINE, "archive"))).extracting(BufferedEvent::seq).containsExactly(4L);
        }
        assertThat(buffer.totalBytes()).isEqualTo(all.get(1).bytes());
        assertThat(buffer.replayDeadLetters(Optional.of(PIPELINE), Optional.of("siem"))).isZero();

        assertThat(buffer.purgeDeadLetters(Optional.empty(), Optional.of("archive"))).isEqualTo(1);
        assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
        assertThat(buffer.purgeDeadLetters(Optional.empty(), Optional.empty())).isZero();
    }

    @Test
    void keepsComponentStateInAKeyValueStore()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        KeyValueStore store = buffer.store(PIPELINE, "sshd");
        KeyValueStore other = buffer.store(PIPELINE, "fim");

        store.put("session:12", "alice");
        store.put("session:7", "bob");
        store.put("host", "web-1");
        store.put("session:7", "carol");
        other.put("session:12", "someone else's");

        assertThat(store.get("session:7")).contains("carol");
        assertThat(store.get("missing")).isEmpty();
        assertThat(store.entries("session:")).containsExactly(Map.entry("session:12", "alice"), Map.entry("session:7", "carol"));
        assertThat(store.entries("")).containsOnlyKeys("host", "session:12", "session:7");
        assertThat(other.entries("")).containsExactly(Map.entry("session:12", "someone else's"));

        store.remove("session:12");
        store.remove("never-there");
        assertThat(store.get("session:12")).isEmpty();
        assertThat(other.get("session:12")).contains("someone else's");

        buffer.close();
        KeyValueStore reopened = open(AgentSettings.WhenFull.BLOCK).store(PIPELINE, "sshd");
        assertThat(reopened.entries("")).containsExactly(Map.entry("host", "web-1"), Map.entry("session:7", "carol"));
    }

    @Test
    void quarantinesAFileThatIsNotADatabase()
            throws Exception
    {
        byte[] garbage = new byte[64 * 1024];
        new Random(20261123).nextBytes(garbage);
        Files.write(dataDirectory.resolve(SqliteBuffer.FILE_NAME), garbage);

        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);

        assertThat(buffer.quarantinedFiles()).isEqualTo(1);
        List<Path> quarantined = quarantinedFiles();
        assertThat(quarantined).singleElement().satisfies(file -> {
            assertThat(file.getFileName().toString()).matches("buffer\\.db\\.\\d{8}-\\d{6}\\.bad");
            assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
        });
        assertWorks(buffer);

        // the count is kept over the data directory's life; a healthy file is not moved again
        buffer.close();
        SqliteBuffer reopened = open(AgentSettings.WhenFull.BLOCK);
        assertThat(reopened.quarantinedFiles()).isEqualTo(1);
        assertThat(quarantinedFiles()).hasSize(1);
        assertThat(reopened.lastSeq()).isEqualTo(1);
    }

    @Test
    void quarantinesATruncatedDatabase()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        for (int i = 0; i < 8; i++) {
            buffer.append(PIPELINE, INPUT, List.of(largeEvent(i)), List.of(Checkpoint.of("offset", String.valueOf(i))));
        }
        buffer.close();
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        assertThat(file.resolveSibling(SqliteBuffer.FILE_NAME + "-wal")).doesNotExist();
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2);
        }

        SqliteBuffer reopened = open(AgentSettings.WhenFull.BLOCK);

        assertThat(reopened.quarantinedFiles()).isEqualTo(1);
        assertThat(quarantinedFiles()).singleElement().satisfies(bad -> assertThat(Files.size(bad)).isEqualTo(size / 2));
        // the positions did not go with the events: the input resumes from the copy beside the buffer, which holds
        // the position before its first undelivered event (none: it reads them all again), not the last one
        assertThat(reopened.checkpoints(PIPELINE, INPUT)).isEmpty();
        assertThat(reopened.lastSeq()).isZero();
        assertWorks(reopened);
    }

    @Test
    void quarantinesAFileCutInsideItsHeader()
            throws Exception
    {
        SqliteBuffer buffer = open(AgentSettings.WhenFull.BLOCK);
        buffer.append(PIPELINE, INPUT, List.of(event(1)), List.of());
        buffer.close();
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(60);
        }

        SqliteBuffer reopened = open(AgentSettings.WhenFull.BLOCK);

        assertThat(reopened.quarantinedFiles()).isEqualTo(1);
        assertThat(quarantinedFiles()).hasSize(1);
        assertWorks(reopened);
    }

    private void assertWorks(SqliteBuffer buffer)
            throws Exception
    {
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, INPUT, List.of(event(1)), List.of(Checkpoint.of("offset", "1")));
        assertThat(buffer.verify()).isEqualTo("ok");
        assertThat(buffer.checkpoints(PIPELINE, INPUT)).containsExactly(Map.entry("offset", "1"));
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            assertThat(readAll(reader, 0)).extracting(BufferedEvent::event).containsExactly(event(1));
        }
    }

    private List<Path> quarantinedFiles()
            throws IOException
    {
        try (Stream<Path> files = Files.list(dataDirectory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".bad")).toList();
        }
    }

    /** Appends large events one at a time, each with its checkpoint, until the next would not fit; returns how many. */
    private static int fillWithLargeEvents(SqliteBuffer buffer)
            throws InterruptedException, SQLException
    {
        int eventBytes = EventCodec.standalone().encode(largeEvent(1)).length;
        int fitting = (int) (buffer.maxBytes() / eventBytes);
        assertThat(buffer.maxBytes()).isEqualTo(ONE_MIB);
        for (int i = 1; i <= fitting; i++) {
            buffer.append(PIPELINE, INPUT, List.of(largeEvent(i)), List.of(Checkpoint.of("offset", String.valueOf(i))));
        }
        assertThat(buffer.totalBytes()).isEqualTo((long) fitting * eventBytes);
        assertThat(buffer.droppedEvents(PIPELINE)).isZero();
        return fitting;
    }

    private CompletableFuture<Void> appendInBackground(SqliteBuffer buffer, Event event, Checkpoint checkpoint)
    {
        CompletableFuture<Void> done = new CompletableFuture<>();
        startThread(() -> {
            try {
                buffer.append(PIPELINE, INPUT, List.of(event), List.of(checkpoint));
                done.complete(null);
            }
            catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private Thread startThread(Runnable task)
    {
        Thread thread = new Thread(task, "test-appender-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    private static void awaitWriteState(SqliteBuffer buffer, SqliteBuffer.WriteState expected)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (buffer.writeState() != expected) {
            assertThat(System.nanoTime()).as("buffer write state %s within %s s", expected, WAIT_SECONDS).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The append is parked on the full buffer: it holds no lock, so the calling thread can go on. */
    private void awaitBlockedAppend(CompletableFuture<Void> append)
            throws InterruptedException
    {
        Thread appender = threads.get(threads.size() - 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (appender.getState() != Thread.State.TIMED_WAITING) {
            assertThat(append).as("append finished although the buffer is full").isNotDone();
            assertThat(System.nanoTime()).as("append parked within %s s", WAIT_SECONDS).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private SqliteBuffer open(AgentSettings.WhenFull whenFull)
            throws IOException, SQLException
    {
        SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(DataSize.ofBytes(ONE_MIB), whenFull, null), Clock.systemUTC());
        opened.add(buffer);
        return buffer;
    }

    private static List<BufferedEvent> readAll(SqliteBuffer.Reader reader, long afterSeq)
            throws SQLException
    {
        return reader.read(PIPELINE, afterSeq, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    static Event event(int number)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L + number, number))
                .message("sshd[" + number + "]: Accepted publickey for alice")
                .field("event.sequence", (long) number)
                .build();
    }

    private static Event largeEvent(int number)
    {
        // a fixed-width number keeps every large event exactly the same size
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L))
                .message(String.format("%06d", number) + IncompressibleText.of(number, LARGE_MESSAGE_CHARS))
                .build();
    }

    @Test
    void sizesInItsMessagesAreExactWhereWholeAndApproximateElsewhere()
    {
        assertThat(SqliteBuffer.approximateSize(20L << 20)).isEqualTo("20MiB");
        assertThat(SqliteBuffer.approximateSize(264_212_084L << 10)).isEqualTo("about 252.0GiB");
        assertThat(SqliteBuffer.approximateSize(1_536_000)).isEqualTo("about 1.5MiB");
        assertThat(SqliteBuffer.approximateSize(4_096)).isEqualTo("4KiB");
    }
}
