package io.outrider.core.delivery;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.EventCodec;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** drop_oldest is said once, clearly, per pipeline, and what is held back comes out summed; storage logs nothing itself. */
@Timeout(60)
class TestDropReport
{
    private static final String PIPELINE = "ssh_auth";
    private static final String INPUT = "auth_log";
    private static final String FIRST_OF_ONE = "buffer full: dropped the oldest undelivered event of pipeline ssh_auth: the buffer reached buffer.max_bytes (1MiB)"
            + " and buffer.when_full is drop_oldest; dropped events are lost and counted in outrider_buffer_dropped_events_total."
            + " To lose none, let the outputs catch up, raise buffer.max_bytes, or set buffer.when_full: block to slow the inputs down instead";

    @TempDir
    Path dataDirectory;

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> lines = new ArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    // held in a field: java.util.logging keeps its loggers weakly
    private final Logger storageLogger = Logger.getLogger(SqliteBuffer.class.getName());
    private final Logger reportLogger = Logger.getLogger(DropReport.class.getName());
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                logged.add(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage());
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };
    private final List<SqliteBuffer> opened = new ArrayList<>();

    @BeforeEach
    void captureLogs()
    {
        storageLogger.addHandler(capture);
        reportLogger.addHandler(capture);
    }

    @AfterEach
    void close()
    {
        opened.forEach(SqliteBuffer::close);
        storageLogger.removeHandler(capture);
        reportLogger.removeHandler(capture);
    }

    @Test
    void theFirstDropIsSaidAtOnceTheRestOfTheIntervalSummedIntoOneLine()
            throws Exception
    {
        SqliteBuffer buffer = open();
        DropReport report = new DropReport(buffer.maxBytes(), Duration.ofSeconds(30), now::get, lines::add);
        buffer.reportDropsTo(report);
        int fitting = fill(buffer);

        append(buffer, fitting + 1);
        assertThat(lines).containsExactly(FIRST_OF_ONE);

        for (int i = 2; i <= 5; i++) {
            append(buffer, fitting + i);
        }
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        append(buffer, fitting + 6);
        assertThat(lines).as("held back within the interval").hasSize(1);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        append(buffer, fitting + 7);
        assertThat(lines).containsExactly(FIRST_OF_ONE, "buffer full: dropped 6 more undelivered events of pipeline ssh_auth in 6 drops since the last such message"
                + " (buffer.max_bytes 1MiB reached, buffer.when_full: drop_oldest)");

        append(buffer, fitting + 8);
        report.flush();
        report.flush();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo("buffer full: dropped 1 more undelivered event of pipeline ssh_auth in 1 drop since the last such message"
                + " (buffer.max_bytes 1MiB reached, buffer.when_full: drop_oldest)");
        // every event said is counted, and the storage said nothing of its own
        assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(1 + 6 + 1);
        assertThat(logged).isEmpty();
    }

    @Test
    void eventsAlreadyBeingSentAreNamedAndADropAfterAQuietIntervalIsExplainedAgain()
            throws Exception
    {
        SqliteBuffer buffer = open();
        buffer.registerOutputs(PIPELINE, Set.of("siem"));
        DropReport report = new DropReport(buffer.maxBytes(), Duration.ofSeconds(30), now::get, lines::add);
        buffer.reportDropsTo(report);
        int fitting = fill(buffer);

        try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
            List<BufferedEvent> inFlight = reader.read(PIPELINE, buffer.cursor(PIPELINE, "siem"), 2, Long.MAX_VALUE);
            assertThat(inFlight).hasSize(2);
            buffer.append(PIPELINE, INPUT, List.of(largeEvent(fitting + 1), largeEvent(fitting + 2), largeEvent(fitting + 3)),
                    List.of(Checkpoint.of("offset", String.valueOf(fitting + 3))));
            assertThat(lines).containsExactly("buffer full: dropped the 3 oldest undelivered events of pipeline ssh_auth (2 already being sent, not counted as dropped once delivered):"
                    + " the buffer reached buffer.max_bytes (1MiB) and buffer.when_full is drop_oldest; dropped events are lost and counted in outrider_buffer_dropped_events_total."
                    + " To lose none, let the outputs catch up, raise buffer.max_bytes, or set buffer.when_full: block to slow the inputs down instead");
            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(3);
            buffer.acknowledge(PIPELINE, "siem", inFlight.get(1).seq(), List.of());
            assertThat(buffer.droppedEvents(PIPELINE)).isEqualTo(1);
        }

        // nothing was held back: after the interval a drop is news again, explained in full
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        append(buffer, fitting + 4);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo(FIRST_OF_ONE);
        report.flush();
        assertThat(lines).hasSize(2);
    }

    @Test
    void heldBackDropsComeOutOnceTheirIntervalHasPassedEvenWhenTheDropsStopped()
    {
        DropReport report = new DropReport(DataSize.parse("1MiB").bytes(), Duration.ofSeconds(30), now::get, lines::add);
        report.flushDue();
        report.dropped(PIPELINE, 1, 0);
        report.dropped(PIPELINE, 3, 0);
        report.dropped(PIPELINE, 2, 0);

        now.addAndGet(Duration.ofSeconds(29).toNanos());
        report.flushDue();
        assertThat(lines).containsExactly(FIRST_OF_ONE);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        report.flushDue();
        report.flushDue();
        assertThat(lines).containsExactly(FIRST_OF_ONE,
                "buffer full: dropped 5 more undelivered events of pipeline ssh_auth in 2 drops since the last such message (buffer.max_bytes 1MiB reached, buffer.when_full: drop_oldest)");

        // a drop within the interval of that summary is held back again
        report.dropped(PIPELINE, 1, 0);
        report.flushDue();
        report.flush();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo("buffer full: dropped 1 more undelivered event of pipeline ssh_auth in 1 drop since the last such message"
                + " (buffer.max_bytes 1MiB reached, buffer.when_full: drop_oldest)");
    }

    @Test
    void asksForATimedFlushOnlyWhileDropsAreHeldBackAndThenForTheEndOfTheirInterval()
    {
        List<Duration> flushesAskedFor = new ArrayList<>();
        DropReport report = new DropReport(DataSize.parse("1MiB").bytes(), Duration.ofSeconds(30), now::get, lines::add);
        report.flushHeldBackWith(flushesAskedFor::add);

        // the first drop is said at once: nothing to time
        report.dropped(PIPELINE, 1, 0);
        assertThat(flushesAskedFor).isEmpty();

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        report.dropped(PIPELINE, 2, 0);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        report.dropped(PIPELINE, 3, 0);
        assertThat(flushesAskedFor).as("one flush for both held-back drops, when the first line's interval ends").containsExactly(Duration.ofSeconds(20));

        // another pipeline's first drop is said at once; its second ends its interval later than ssh_auth's
        report.dropped("fim", 1, 0);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        report.dropped("fim", 1, 0);
        assertThat(flushesAskedFor).hasSize(1);

        now.addAndGet(Duration.ofSeconds(14).toNanos());
        report.flushDue();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo("buffer full: dropped 5 more undelivered events of pipeline ssh_auth in 2 drops since the last such message"
                + " (buffer.max_bytes 1MiB reached, buffer.when_full: drop_oldest)");
        assertThat(flushesAskedFor).as("then one for fim's interval").containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(15));

        now.addAndGet(Duration.ofSeconds(15).toNanos());
        report.flushDue();
        assertThat(lines).hasSize(4);
        assertThat(flushesAskedFor).as("nothing is held back any more").hasSize(2);
    }

    @Test
    void eachPipelineHasItsOwnInterval()
    {
        DropReport report = new DropReport(DataSize.parse("1MiB").bytes(), Duration.ofSeconds(30), now::get, lines::add);

        report.dropped(PIPELINE, 1, 0);
        report.dropped("fim", 4, 0);
        report.dropped(PIPELINE, 2, 0);
        report.dropped("fim", 1, 1);

        assertThat(lines).containsExactly(FIRST_OF_ONE, FIRST_OF_ONE.replace("the oldest undelivered event of pipeline ssh_auth", "the 4 oldest undelivered events of pipeline fim"));
        report.flush();
        assertThat(lines).containsExactly(FIRST_OF_ONE, FIRST_OF_ONE.replace("the oldest undelivered event of pipeline ssh_auth", "the 4 oldest undelivered events of pipeline fim"),
                "buffer full: dropped 1 more undelivered event of pipeline fim in 1 drop since the last such message (buffer.max_bytes 1MiB reached, buffer.when_full: drop_oldest);"
                        + " 1 of them was already being sent and is not counted as dropped once delivered",
                "buffer full: dropped 2 more undelivered events of pipeline ssh_auth in 1 drop since the last such message (buffer.max_bytes 1MiB reached, buffer.when_full: drop_oldest)");
    }

    @Test
    void theAgentsReportWritesWarnLinesToTheLog()
    {
        DropReport.toLog(DataSize.parse("1MiB").bytes()).dropped(PIPELINE, 1, 0);

        assertThat(logged).containsExactly("WARNING " + DropReport.class.getName() + " " + FIRST_OF_ONE);
    }

    @Test
    void aBufferWithoutAReportStillSaysEveryDrop()
            throws Exception
    {
        SqliteBuffer buffer = open();
        int fitting = fill(buffer);

        append(buffer, fitting + 1);

        assertThat(logged).containsExactly("WARNING " + SqliteBuffer.class.getName() + " buffer full: dropped the 1 oldest undelivered event(s) of pipeline ssh_auth (buffer.when_full: drop_oldest)");
    }

    private static void append(SqliteBuffer buffer, int number)
            throws Exception
    {
        buffer.append(PIPELINE, INPUT, List.of(largeEvent(number)), List.of(Checkpoint.of("offset", String.valueOf(number))));
    }

    private static int fill(SqliteBuffer buffer)
            throws Exception
    {
        int fitting = (int) (buffer.maxBytes() / EventCodec.standalone().encode(largeEvent(1)).length);
        for (int i = 1; i <= fitting; i++) {
            append(buffer, i);
        }
        assertThat(buffer.droppedEvents(PIPELINE)).isZero();
        return fitting;
    }

    private SqliteBuffer open()
            throws Exception
    {
        SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("1MiB"), AgentSettings.WhenFull.DROP_OLDEST, null), Clock.systemUTC());
        opened.add(buffer);
        // what opening said (min_free_disk) is not a drop
        logged.clear();
        return buffer;
    }

    private static Event largeEvent(int number)
    {
        return Event.builder()
                .timestamp(Instant.ofEpochSecond(1_763_900_000L))
                .message(String.format("%06d", number) + "x".repeat(100_000))
                .build();
    }
}
