package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.files.PrivateFiles;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A buffer that vanished is reported and counted, and inputs resume from the checkpoint mirror, never from the end. */
@Timeout(60)
class TestSqliteBufferLoss
{
    private static final String PIPELINE = "ssh_auth";
    private static final AgentSettings.BufferSettings SETTINGS = new AgentSettings.BufferSettings(DataSize.parse("16MiB"), null, null);

    @TempDir
    Path dataDirectory;

    private final SteppingClock clock = new SteppingClock();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(LogRecord record)
        {
            // what an operator sees: warnings and errors, under the agent's names for their levels
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                log.add((record.getLevel() == Level.SEVERE ? "ERROR" : "WARNING") + " " + record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final List<SqliteBuffer> opened = new ArrayList<>();

    @BeforeEach
    void captureLog()
    {
        Logger.getLogger(SqliteBuffer.class.getName()).addHandler(capture);
    }

    @AfterEach
    void close()
    {
        opened.forEach(SqliteBuffer::close);
        Logger.getLogger(SqliteBuffer.class.getName()).removeHandler(capture);
    }

    @Test
    void aBufferEmptiedToZeroBytesIsReportedCountedAndInputsResumeFromTheMirror()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        commitPositions(buffer);
        String bufferId = mirror(dataDirectory).bufferId();
        buffer.close();
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        log.clear();

        SqliteBuffer replaced = open(dataDirectory);

        assertThat(log).containsExactly("ERROR buffer " + file + " was empty (0 bytes), although " + dataDirectory.resolve("checkpoints.json") + " shows that buffer "
                + bufferId + " was there with events up to 3; a new buffer is started, the events that were not yet delivered are lost with it; inputs resume from the last positions whose events"
                + " were all delivered, copied to " + dataDirectory.resolve("checkpoints.json") + ": lines read since are read again");
        assertThat(replaced.lostBuffers()).isEqualTo(1);
        assertRestored(replaced);
        assertThat(replaced.lastSeq()).isZero();
        // the new buffer has an identity of its own, and a healthy reopen reports nothing
        assertThat(mirror(dataDirectory).bufferId()).isNotEqualTo(bufferId);
        replaced.close();
        log.clear();
        SqliteBuffer reopened = open(dataDirectory);
        assertThat(log).noneMatch(line -> line.startsWith("ERROR") || line.startsWith("WARNING"));
        assertThat(reopened.lostBuffers()).isEqualTo(1);
        assertRestored(reopened);
    }

    @Test
    void aBufferWhoseWriteAheadLogWasDeletedAfterAKillIsReportedCountedAndInputsResumeFromTheMirror()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        commitPositions(buffer);
        String bufferId = mirror(dataDirectory).bufferId();
        // what SIGKILL leaves on disk, the WAL then deleted: the database file and the mirror, not the WAL
        Path killed = PrivateFiles.createDirectories(dataDirectory.resolve("killed"));
        Path file = killed.resolve(SqliteBuffer.FILE_NAME);
        Files.copy(dataDirectory.resolve(SqliteBuffer.FILE_NAME), file);
        Files.copy(dataDirectory.resolve("checkpoints.json"), killed.resolve("checkpoints.json"));
        assertThat(dataDirectory.resolve(SqliteBuffer.FILE_NAME + "-wal")).isNotEmptyFile();
        long size = Files.size(file);
        assertThat(size).isPositive();
        log.clear();

        SqliteBuffer replaced = open(killed);

        assertThat(log).containsExactly("ERROR buffer " + file + " was there (" + size + " bytes) but held no buffer: its write-ahead log buffer.db-wal is gone, although "
                + killed.resolve("checkpoints.json") + " shows that buffer " + bufferId + " was there with events up to 3; a new buffer is started, the events that were not yet"
                + " delivered are lost with it; inputs resume from the last positions whose events were all delivered, copied to " + killed.resolve("checkpoints.json")
                + ": lines read since are read again");
        assertThat(replaced.lostBuffers()).isEqualTo(1);
        assertRestored(replaced);
    }

    @Test
    void aDeletedBufferWithTheMirrorLeftIsReportedAsMissing()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        commitPositions(buffer);
        buffer.close();
        Files.delete(dataDirectory.resolve(SqliteBuffer.FILE_NAME));

        SqliteBuffer replaced = open(dataDirectory);

        assertThat(log).anyMatch(line -> line.startsWith("ERROR buffer " + dataDirectory.resolve(SqliteBuffer.FILE_NAME) + " was missing, although "));
        assertThat(replaced.lostBuffers()).isEqualTo(1);
        assertRestored(replaced);
    }

    @Test
    void aQuarantinedBufferIsReplacedAndInputsResumeFromTheMirror()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        commitPositions(buffer);
        buffer.close();
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        Files.write(file, "this is not a database, it is long enough to have a header though".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        log.clear();

        SqliteBuffer replaced = open(dataDirectory);

        Path moved;
        try (Stream<Path> files = Files.list(dataDirectory)) {
            moved = files.filter(path -> path.getFileName().toString().endsWith(".bad")).findFirst().orElseThrow();
        }
        assertThat(log).containsExactly("ERROR buffer " + file + " is damaged (File opened that is not a database file); moved it aside to " + moved
                + "; the events it held that were not yet delivered are lost with it; inputs resume from the last positions whose events were all delivered, copied to "
                + dataDirectory.resolve("checkpoints.json") + ": lines read since are read again");
        assertThat(replaced.quarantinedFiles()).isEqualTo(1);
        assertRestored(replaced);
    }

    @Test
    void aBufferShortOfCommitsTheMirrorSawKeepsItsOwnOlderPositionsAndTakesTheMissingOnesFromTheMirror()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        commitPositions(buffer);
        buffer.close();
        // the database as it was before its last commits reached it from a WAL that was then lost
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        byte[] older = Files.readAllBytes(file);
        SqliteBuffer later = open(dataDirectory);
        clock.advance(Duration.ofSeconds(1));
        later.append(PIPELINE, "auth_log", List.of(event(4)), List.of(Checkpoint.of("inode:42", "1400")));
        later.append(PIPELINE, "fim", List.of(event(5)), List.of(Checkpoint.of("baseline", "9")));
        later.acknowledge(PIPELINE, "siem", 5, List.of());
        later.close();
        Files.write(file, older);
        log.clear();

        SqliteBuffer shortened = open(dataDirectory);

        assertThat(log).containsExactly("ERROR buffer " + file + " lost its last commits: its last event is 3, " + dataDirectory.resolve("checkpoints.json")
                + " saw 5 (its write-ahead log buffer.db-wal was lost?); the events after 3 that were not yet delivered are lost with them;"
                + " inputs resume from the older positions the buffer kept, or where it kept none from the last positions whose events were all delivered, copied to "
                + dataDirectory.resolve("checkpoints.json") + ": lines read since are read again");
        assertThat(shortened.lostBuffers()).isEqualTo(1);
        // re-reading from the older position duplicates what event 4 held; the newer one would skip it if it was undelivered
        assertRestored(shortened);
        assertThat(shortened.checkpoints(PIPELINE, "fim")).containsExactly(Map.entry("baseline", "9"));
    }

    @Test
    void aFirstStartIsNoLoss()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);

        assertThat(log).noneMatch(line -> line.startsWith("ERROR") || line.startsWith("WARNING"));
        assertThat(buffer.lostBuffers()).isZero();
        assertThat(buffer.checkpoints(PIPELINE, "auth_log")).isEmpty();
        assertThat(mirror(dataDirectory).checkpoints()).isEmpty();
        assertThat(Files.getPosixFilePermissions(dataDirectory.resolve("checkpoints.json"))).isEqualTo(PrivateFiles.FILE);
    }

    @Test
    void theMirrorHoldsThePositionsBeforeUndeliveredEventsAtMostOnceASecondAndOnClose()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, "auth_log", List.of(event(1)), List.of(Checkpoint.of("inode:42", "100")));
        buffer.acknowledge(PIPELINE, "siem", 1, List.of());
        // written at open a moment ago: this commit waits for the next copy
        assertThat(mirror(dataDirectory).checkpoints()).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        buffer.append(PIPELINE, "auth_log", List.of(event(2)), List.of(Checkpoint.of("inode:42", "200"), Checkpoint.of("inode:43", "7")));
        // event 2 is not delivered: the copy keeps the positions before it
        assertThat(mirror(dataDirectory).checkpoints()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100"))));
        assertThat(mirror(dataDirectory).lastSeq()).isEqualTo(2);

        buffer.acknowledge(PIPELINE, "siem", 2, List.of());
        buffer.append(PIPELINE, "auth_log", List.of(event(3)), List.of(Checkpoint.of("inode:42", "300"), Checkpoint.forget("inode:43")));
        assertThat(mirror(dataDirectory).checkpoints()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100"))));

        buffer.close();
        assertThat(mirror(dataDirectory).checkpoints()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "200", "inode:43", "7"))));
        assertThat(mirror(dataDirectory).lastSeq()).isEqualTo(3);
    }

    @Test
    void undeliveredEventsOfAVanishedBufferAreReadAgain()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        // what a file input commits at its first start, before it read a line
        buffer.append(PIPELINE, "auth_log", List.of(), List.of(Checkpoint.of("started", "2026-12-05T12:00:00Z")));
        buffer.append(PIPELINE, "auth_log", List.of(event(1)), List.of(Checkpoint.of("inode:42", "100")));
        clock.advance(Duration.ofSeconds(1));
        buffer.append(PIPELINE, "auth_log", List.of(event(2)), List.of(Checkpoint.of("inode:42", "200")));
        buffer.append(PIPELINE, "auth_log", List.of(event(3)), List.of(Checkpoint.of("inode:42", "300")));
        // the collector is down: nothing is acknowledged
        buffer.close();
        zero(dataDirectory.resolve(SqliteBuffer.FILE_NAME));
        log.clear();

        SqliteBuffer replaced = open(dataDirectory);

        assertThat(log).singleElement().asString().startsWith("ERROR buffer " + dataDirectory.resolve(SqliteBuffer.FILE_NAME) + " was empty (0 bytes)")
                .contains(" was there with events up to 3; ");
        // the position before event 1: the lines of events 1 to 3 are read again
        assertThat(replaced.checkpoints(PIPELINE, "auth_log")).containsExactly(Map.entry("started", "2026-12-05T12:00:00Z"));
    }

    @Test
    void anInputsFirstPositionsAreCopiedAtOnce()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        // a file input's first start, less than a second after the mirror was written at open
        buffer.append(PIPELINE, "auth_log", List.of(), List.of(Checkpoint.of("started", "2026-12-05T12:00:00Z")));

        assertThat(mirror(dataDirectory).checkpoints()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("started", "2026-12-05T12:00:00Z"))));
        // its next positions wait for the interval
        buffer.append(PIPELINE, "auth_log", List.of(), List.of(Checkpoint.of("inode:42", "0")));
        assertThat(mirror(dataDirectory).checkpoints()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("started", "2026-12-05T12:00:00Z"))));
    }

    @Test
    void aPartlyDeliveredBufferResumesFromThePositionsOfTheEventsEveryOutputSettled()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        buffer.registerOutputs(PIPELINE, Set.of("siem", "archive"));
        buffer.append(PIPELINE, "auth_log", List.of(event(1)), List.of(Checkpoint.of("inode:42", "100")));
        clock.advance(Duration.ofSeconds(1));
        buffer.append(PIPELINE, "auth_log", List.of(event(2), event(3)), List.of(Checkpoint.of("inode:42", "300")));
        clock.advance(Duration.ofSeconds(1));
        buffer.append(PIPELINE, "auth_log", List.of(event(4)), List.of(Checkpoint.of("inode:42", "400")));
        buffer.append(PIPELINE, "journal", List.of(event(5)), List.of(Checkpoint.of("cursor", "s=abc;i=5")));
        buffer.acknowledge(PIPELINE, "siem", 5, List.of());
        // archive has event 3 at most (one of them dead-lettered): the positions after event 3 are the last it settled
        buffer.acknowledge(PIPELINE, "archive", 1, List.of());
        buffer.acknowledge(PIPELINE, "archive", 3, List.of(new SqliteBuffer.DeadLetterRequest(new BufferedEvent(2, 0, 1, new byte[] {1}), "refused")));
        clock.advance(Duration.ofSeconds(1));
        buffer.writeMirrorIfDue();
        assertThat(mirror(dataDirectory).checkpoints()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "300"))));
        buffer.close();
        zero(dataDirectory.resolve(SqliteBuffer.FILE_NAME));

        SqliteBuffer replaced = open(dataDirectory);

        assertThat(replaced.checkpoints(PIPELINE, "auth_log")).containsExactly(Map.entry("inode:42", "300"));
        // the journal's only commit is not delivered everywhere: it starts from its configured start
        assertThat(replaced.checkpoints(PIPELINE, "journal")).isEmpty();
    }

    @Test
    void aDeliveredBufferResumesFromTheCurrentPositionsIncludingCommitsWithoutEvents()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, "auth_log", List.of(event(1), event(2)), List.of(Checkpoint.of("inode:42", "200")));
        buffer.acknowledge(PIPELINE, "siem", 2, List.of());
        // a line the parser dropped: the position moves without an event
        buffer.append(PIPELINE, "auth_log", List.of(), List.of(Checkpoint.of("inode:42", "250")));
        buffer.close();
        zero(dataDirectory.resolve(SqliteBuffer.FILE_NAME));

        SqliteBuffer replaced = open(dataDirectory);

        assertThat(replaced.checkpoints(PIPELINE, "auth_log")).containsExactly(Map.entry("inode:42", "250"));
    }

    @Test
    void theMirrorCatchesUpWithoutFurtherCommitsOrAcknowledgements()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, "auth_log", List.of(event(1)), List.of(Checkpoint.of("inode:42", "100")));
        buffer.acknowledge(PIPELINE, "siem", 1, List.of());
        // a burst the collector never got: the copy must still learn of it, or a loss would report "events up to 0"
        buffer.append(PIPELINE, "auth_log", List.of(event(2), event(3)), List.of(Checkpoint.of("inode:42", "300")));
        assertThat(mirror(dataDirectory).lastSeq()).isZero();

        clock.advance(Duration.ofSeconds(1));

        // the buffer's own timer writes it: nothing else happens here
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mirror(dataDirectory).lastSeq() != 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(mirror(dataDirectory).lastSeq()).isEqualTo(3);
        assertThat(mirror(dataDirectory).checkpoints()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100"))));
    }

    @Test
    void aHealthyReopenWithUndeliveredEventsKeepsTheDeliveredPositionsOfTheMirror()
            throws Exception
    {
        SqliteBuffer buffer = open(dataDirectory);
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, "auth_log", List.of(), List.of(Checkpoint.of("inode:42", "0")));
        clock.advance(Duration.ofSeconds(1));
        buffer.append(PIPELINE, "auth_log", List.of(event(1)), List.of(Checkpoint.of("inode:42", "100")));
        buffer.close();
        log.clear();

        SqliteBuffer reopened = open(dataDirectory);
        assertThat(log).isEmpty();
        reopened.registerOutputs(PIPELINE, Set.of("siem"));
        clock.advance(Duration.ofSeconds(1));
        reopened.append(PIPELINE, "auth_log", List.of(event(2)), List.of(Checkpoint.of("inode:42", "200")));
        reopened.close();
        zero(dataDirectory.resolve(SqliteBuffer.FILE_NAME));

        SqliteBuffer replaced = open(dataDirectory);

        // event 1 was never delivered, before the restart or after it
        assertThat(replaced.checkpoints(PIPELINE, "auth_log")).containsExactly(Map.entry("inode:42", "0"));
    }

    /**
     * Three commits of two inputs, all delivered; a second later the mirror has the final positions, written as the
     * buffer's timer does.
     */
    private void commitPositions(SqliteBuffer buffer)
            throws Exception
    {
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        buffer.append(PIPELINE, "auth_log", List.of(event(1)), List.of(Checkpoint.of("inode:42", "1100")));
        buffer.append(PIPELINE, "journal", List.of(event(2)), List.of(Checkpoint.of("cursor", "s=abc;i=7")));
        buffer.append(PIPELINE, "auth_log", List.of(event(3)), List.of(Checkpoint.of("inode:42", "1250"), Checkpoint.of("inode:43", "80")));
        buffer.acknowledge(PIPELINE, "siem", 3, List.of());
        clock.advance(Duration.ofSeconds(1));
        buffer.writeMirrorIfDue();
        assertThat(mirror(dataDirectory).lastSeq()).isEqualTo(3);
    }

    private static void zero(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    private static void assertRestored(SqliteBuffer buffer)
            throws Exception
    {
        assertThat(buffer.checkpoints(PIPELINE, "auth_log")).containsExactly(Map.entry("inode:42", "1250"), Map.entry("inode:43", "80"));
        assertThat(buffer.checkpoints(PIPELINE, "journal")).containsExactly(Map.entry("cursor", "s=abc;i=7"));
    }

    private static CheckpointMirror.Snapshot mirror(Path directory)
            throws IOException
    {
        return new CheckpointMirror(directory).read().orElseThrow();
    }

    private SqliteBuffer open(Path directory)
            throws Exception
    {
        SqliteBuffer buffer = SqliteBuffer.open(directory, SETTINGS, clock);
        opened.add(buffer);
        return buffer;
    }

    private static Event event(int number)
    {
        return Event.builder().timestamp(Instant.ofEpochSecond(1_763_900_000L + number)).message("sshd[" + number + "]: Accepted publickey for alice").build();
    }

    /** A clock that moves only when told: the mirror's pace is a matter of time. */
    private static final class SteppingClock
            extends Clock
    {
        private volatile Instant now = Instant.parse("2026-12-05T12:00:00Z");

        void advance(Duration duration)
        {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
