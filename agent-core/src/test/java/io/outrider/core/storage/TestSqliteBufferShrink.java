package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A buffer file a delivered burst grew is rewritten smaller, and only when most of it is free. */
@Timeout(120)
class TestSqliteBufferShrink
{
    private static final String PIPELINE = "ssh_auth";
    private static final String INPUT = "auth_log";
    private static final String OUTPUT = "siem";
    private static final AgentSettings.BufferSettings ROOMY = new AgentSettings.BufferSettings(DataSize.parse("256MiB"), AgentSettings.WhenFull.BLOCK, null);

    @TempDir
    Path dataDirectory;

    private final List<SqliteBuffer> opened = new ArrayList<>();

    @AfterEach
    void close()
    {
        opened.forEach(SqliteBuffer::close);
    }

    @Test
    void aDeliveredBurstsRoomGoesBackToTheDiskAndTheBufferGoesOn()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.append(PIPELINE, INPUT, burst(1, 160), List.of());
        long grown = Files.size(file());
        assertThat(grown).isGreaterThan(40L << 20);
        buffer.acknowledge(PIPELINE, OUTPUT, 160, List.of());
        assertThat(Files.size(file())).as("deleting keeps the pages").isEqualTo(grown);

        long shrunk = buffer.shrinkIfMostlyFree();

        assertThat(shrunk).isGreaterThan(40L << 20);
        assertThat(Files.size(file())).isLessThan(1L << 20);
        assertThat(Files.size(dataDirectory.resolve(SqliteBuffer.FILE_NAME + "-wal"))).as("the log the rewrite went through").isZero();
        assertThat(buffer.verify()).isEqualTo("ok");
        // nothing forgotten: the cursor, the sequence numbers, and what comes next is read and acknowledged as before
        assertThat(buffer.cursor(PIPELINE, OUTPUT)).isEqualTo(160);
        buffer.append(PIPELINE, INPUT, burst(161, 162), List.of());
        try (SqliteBuffer.Reader reader = buffer.newReader()) {
            assertThat(reader.read(PIPELINE, 160, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq).containsExactly(161L, 162L);
        }
        assertThat(buffer.totalEvents()).isEqualTo(2);
        assertThat(buffer.shrinkIfMostlyFree()).as("nothing more to give back").isZero();
    }

    @Test
    void aBufferStillHoldingMostOfItsBurstIsLeftAsItIs()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.append(PIPELINE, INPUT, burst(1, 160), List.of());
        buffer.acknowledge(PIPELINE, OUTPUT, 100, List.of());
        long size = Files.size(file());

        assertThat(buffer.shrinkIfMostlyFree()).isZero();

        assertThat(Files.size(file())).isEqualTo(size);
        assertThat(buffer.totalEvents()).isEqualTo(60);
    }

    @Test
    void aLookThatFoundTooLittleFreeLooksAgainOnceMoreIsDelivered()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.append(PIPELINE, INPUT, burst(1, 160), List.of());
        buffer.acknowledge(PIPELINE, OUTPUT, 100, List.of());
        assertThat(buffer.shrinkIfMostlyFree()).isZero();
        assertThat(buffer.shrinkIfMostlyFree()).as("nothing changed since the last look").isZero();

        buffer.acknowledge(PIPELINE, OUTPUT, 160, List.of());

        assertThat(buffer.shrinkIfMostlyFree()).isGreaterThan(40L << 20);
        assertThat(Files.size(file())).isLessThan(1L << 20);
    }

    @Test
    void aFewFreeMegabytesAreNotWorthARewrite()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.append(PIPELINE, INPUT, burst(1, 80), List.of());
        buffer.acknowledge(PIPELINE, OUTPUT, 80, List.of());
        long size = Files.size(file());
        assertThat(size).isLessThan(SqliteBuffer.SHRINK_MIN_FREE_BYTES);

        assertThat(buffer.shrinkIfMostlyFree()).isZero();

        assertThat(Files.size(file())).isEqualTo(size);
    }

    private SqliteBuffer open()
            throws Exception
    {
        SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, ROOMY, Clock.systemUTC());
        opened.add(buffer);
        buffer.registerOutputs(PIPELINE, Set.of(OUTPUT));
        return buffer;
    }

    private Path file()
    {
        return dataDirectory.resolve(SqliteBuffer.FILE_NAME);
    }

    /** Events of 300,000 characters each: a burst of 160 grows the file by about 46 MiB. */
    static List<Event> burst(int first, int last)
    {
        return IntStream.rangeClosed(first, last)
                .mapToObj(number -> Event.builder()
                        .timestamp(Instant.ofEpochSecond(1_763_900_000L + number))
                        // text compression cannot shrink: the burst takes on the disk what it counts as
                        .message(String.format("%06d", number) + IncompressibleText.of(number, 300_000))
                        .build())
                .toList();
    }
}
