package io.outrider.core.delivery;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.DeliverySettings;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class TestBatchAssembler
{
    private static final String PIPELINE = "ssh_auth";
    private static final String OUTPUT_ID = "siem";

    @TempDir
    Path dataDirectory;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeEverything()
            throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void aBatchThatCouldNotGoYetIsNotReadAgainButFilledFromWhereItStopped()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        BatchAssembler batches = assembler(buffer, new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMinutes(5), Duration.ofMillis(10),
                Duration.ofMillis(200), null));
        append(buffer, 1, 3);

        // three events of ten, well within max_wait: the batch waits
        assertThat(batches.nextIfReady(0)).isEmpty();
        assertThat(batches.reads()).isEqualTo(1);
        // nothing appended since: nothing is read
        assertThat(batches.nextIfReady(0)).isEmpty();
        assertThat(batches.reads()).isEqualTo(1);

        // the first block goes from the buffer's tables: a batch read again from the start would begin at event 4
        deleteBlocksUpTo(buffer, 3);
        append(buffer, 4, 10);

        assertThat(batches.nextIfReady(0)).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(batches.reads()).isEqualTo(2);
    }

    @Test
    void aBatchThatCouldNotGoYetIsForgottenWhenTheNextReadStartsElsewhere()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        BatchAssembler batches = assembler(buffer, new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMinutes(5), Duration.ofMillis(10),
                Duration.ofMillis(200), null));
        append(buffer, 1, 6);

        assertThat(batches.nextIfReady(0)).isEmpty();
        append(buffer, 7, 14);

        // read after event 2 (say the window's last batch ended there): the kept batch from 1 is not this one
        assertThat(batches.nextIfReady(2)).extracting(BufferedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(3, 12).boxed().toList());
    }

    @Test
    void theWaitingLoopGoesOnFromABatchThatCouldNotGoYet()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        BatchAssembler batches = assembler(buffer, new DeliverySettings(10, DataSize.parse("1MiB"), Duration.ofMillis(300), Duration.ofMillis(10),
                Duration.ofMillis(200), null));
        append(buffer, 1, 3);
        assertThat(batches.nextIfReady(0)).isEmpty();
        deleteBlocksUpTo(buffer, 3);

        // the window emptied and the loop waits for its batch after the cursor: max_wait ends the wait
        assertThat(batches.next(0)).extracting(BufferedEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(batches.reads()).isEqualTo(1);
    }

    /** Takes the block ending at {@code lastSeq} out of the buffer's tables, behind the buffer's back. */
    private static void deleteBlocksUpTo(SqliteBuffer buffer, long lastSeq)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + buffer.file());
                Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("DELETE FROM blocks WHERE last_seq <= " + lastSeq)).isEqualTo(1);
        }
    }

    @Test
    void anIdleWaitEndsAtTheIdleTimeoutSoTheDeliveryThreadCanSayWhatItHeldBack()
            throws Exception
    {
        SqliteBuffer buffer = openBuffer();
        SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, OUTPUT_ID);
        closeables.add(reader);
        List<Duration> asked = new ArrayList<>();
        BatchAssembler batches = new BatchAssembler(buffer, reader, PIPELINE, DeliverySettings.defaults(), () -> false, () -> {
            asked.add(Duration.ofMillis(50));
            return Duration.ofMillis(50);
        });

        // with nothing buffered, a wait without that timeout would last until an append (@Timeout ends the test)
        assertThat(batches.next(0)).isEmpty();
        assertThat(batches.next(0)).isEmpty();

        assertThat(asked).hasSize(2);
    }

    private SqliteBuffer openBuffer()
            throws Exception
    {
        SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC());
        closeables.add(buffer);
        buffer.registerOutputs(PIPELINE, Set.of(OUTPUT_ID));
        return buffer;
    }

    private BatchAssembler assembler(SqliteBuffer buffer, DeliverySettings settings)
            throws SQLException
    {
        SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, OUTPUT_ID);
        closeables.add(reader);
        return new BatchAssembler(buffer, reader, PIPELINE, settings, () -> false);
    }

    private static void append(SqliteBuffer buffer, int first, int last)
            throws InterruptedException, SQLException
    {
        List<Event> events = IntStream.rangeClosed(first, last)
                .mapToObj(number -> Event.of(Instant.ofEpochSecond(1_763_900_000L + number), "sshd[4711]: Failed password for root from 198.51.100." + number))
                .toList();
        buffer.append(PIPELINE, "auth_log", events, List.of());
    }
}
