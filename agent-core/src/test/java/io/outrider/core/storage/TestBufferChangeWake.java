package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SqliteBuffer#onNextChange}: what lets the agent's housekeeping sleep while the buffer is quiet. A wake that
 * never comes leaves a burst's heap and file in place for good; one that comes for nothing wakes an idle agent.
 */
@Timeout(60)
class TestBufferChangeWake
{
    private static final AgentSettings.BufferSettings SETTINGS = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);

    @TempDir
    Path dataDirectory;

    private SqliteBuffer buffer;

    @AfterEach
    void close()
    {
        if (buffer != null) {
            buffer.close();
        }
    }

    @Test
    void theNextAppendWakesOnceOnItsOwnThreadAfterItCommitted()
            throws Exception
    {
        open("siem");
        List<String> wakes = new CopyOnWriteArrayList<>();
        buffer.onNextChange(buffer.changes(), () -> wakes.add(Thread.currentThread().getName() + " sees " + buffer.lastSeq()));
        assertThat(wakes).as("nothing changed yet").isEmpty();

        Thread appender = new Thread(() -> append(1, 2), "appender");
        appender.start();
        appender.join();
        append(3, 3);

        assertThat(wakes).containsExactly("appender sees 2");
    }

    @Test
    void anAcknowledgementThatRemovesEventsWakesAndOneThatRemovesNothingDoesNot()
            throws Exception
    {
        open("siem", "archive");
        append(1, 4);
        List<Long> wakes = new CopyOnWriteArrayList<>();
        buffer.onNextChange(buffer.changes(), () -> wakes.add(buffer.totalEvents()));

        buffer.acknowledge("ssh", "siem", 4, List.of());
        assertThat(wakes).as("the archive output still owes them all: nothing removed").isEmpty();

        buffer.acknowledge("ssh", "archive", 3, List.of());
        assertThat(wakes).containsExactly(1L);
    }

    @Test
    void aChangeBetweenTheLookAndTheWaitWakesAtOnce()
            throws Exception
    {
        open("siem");
        long seen = buffer.changes();
        append(1, 1);
        List<String> wakes = new CopyOnWriteArrayList<>();

        buffer.onNextChange(seen, () -> wakes.add(Thread.currentThread().getName()));

        assertThat(wakes).containsExactly(Thread.currentThread().getName());
        append(2, 2);
        assertThat(wakes).as("once").hasSize(1);
    }

    @Test
    void theChangeCountGrowsWithEveryCommitThatAppendsOrRemovesEventsAndSurvivesNothing()
            throws Exception
    {
        open("siem");
        long before = buffer.changes();
        append(1, 2);
        buffer.acknowledge("ssh", "siem", 2, List.of());

        assertThat(buffer.changes()).isEqualTo(before + 2);
    }

    private void open(String... outputs)
            throws Exception
    {
        buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
        buffer.registerOutputs("ssh", Set.of(outputs));
    }

    private void append(int first, int last)
    {
        List<Event> events = IntStream.rangeClosed(first, last)
                .mapToObj(number -> Event.builder().timestamp(Instant.ofEpochSecond(1_763_900_000L + number)).message("line " + number).build())
                .toList();
        try {
            buffer.append("ssh", "auth", events, List.of());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
