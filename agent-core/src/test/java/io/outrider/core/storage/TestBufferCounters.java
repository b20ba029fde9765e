package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer's event and byte totals against a model, over random sequences of appends (with {@code drop_oldest}
 * dropping), deliveries with dead letters, dead-letter replays (to the refusing output or to every output, also by a
 * second process on the same file, as the CLI does next to a running agent) and restarts. After every operation the totals must be the model's, never
 * negative; at the end, a fresh open of the same database must count the same. Each sequence comes from a seed; a
 * failure names the seed and lists the operations, and {@code -Doutrider.buffer.seed=N} runs that one sequence.
 */
class TestBufferCounters
{
    private static final Map<String, List<String>> OUTPUTS = Map.of(
            "auth", List.of("siem", "archive"),
            "fim", List.of("console"));
    private static final List<String> PIPELINES = List.of("auth", "fim");
    /** Small enough that appends drop the oldest events every few operations. */
    private static final AgentSettings.BufferSettings SETTINGS = new AgentSettings.BufferSettings(DataSize.parse("1MiB"), AgentSettings.WhenFull.DROP_OLDEST, null);
    private static final int SEQUENCES = 20;
    private static final int OPERATIONS = 40;

    @TempDir
    Path temporary;

    @Test
    void totalsFollowTheModelThroughRandomOperations()
            throws Exception
    {
        String only = System.getProperty("outrider.buffer.seed");
        if (only != null) {
            runSequence(Long.parseLong(only));
            return;
        }
        for (long seed = 1; seed <= SEQUENCES; seed++) {
            runSequence(seed);
        }
    }

    private void runSequence(long seed)
            throws Exception
    {
        Path dataDirectory = temporary.resolve("seed-" + seed);
        Random random = new Random(seed);
        Model model = new Model();
        List<String> history = new ArrayList<>();
        Harness harness = new Harness(dataDirectory);
        harness.open();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                history.add(harness.step(random, model));
                assertTotals(harness.buffer, model, seed, history);
            }
            harness.close();
            harness.open();
            history.add("reopen (final check)");
            assertTotals(harness.buffer, model, seed, history);
        }
        finally {
            harness.close();
        }
    }

    private static void assertTotals(SqliteBuffer buffer, Model model, long seed, List<String> history)
    {
        String context = "seed " + seed + " (-Doutrider.buffer.seed=" + seed + "), after:\n  " + String.join("\n  ", history);
        assertThat(buffer.totalEvents()).as("buffered events; %s", context).isEqualTo(model.events()).isNotNegative();
        assertThat(buffer.totalBytes()).as("buffered bytes; %s", context).isEqualTo(model.bytes()).isNotNegative();
    }

    /** A buffered event; {@code onlyFor}: a dead letter replayed for the output that refused it, null for every output. */
    private record Row(String pipeline, long bytes, String onlyFor) {}

    private record Letter(String pipeline, String output, long bytes) {}

    /** What the buffer holds, in memory: rows by sequence number, cursors, dead letters. */
    private static final class Model
    {
        final TreeMap<Long, Row> rows = new TreeMap<>();
        final Map<String, Map<String, Long>> cursors = new HashMap<>();
        final List<Letter> deadLetters = new ArrayList<>();

        Model()
        {
            OUTPUTS.forEach((pipeline, outputs) -> outputs.forEach(output -> cursors.computeIfAbsent(pipeline, ignored -> new LinkedHashMap<>()).put(output, 0L)));
        }

        long events()
        {
            return rows.size();
        }

        long bytes()
        {
            return rows.values().stream().mapToLong(Row::bytes).sum();
        }

        /** drop_oldest before an append of {@code batchBytes}: the oldest rows of any pipeline go until the batch fits. */
        void dropFor(long batchBytes, long maxBytes)
        {
            long buffered = bytes();
            if (buffered + batchBytes <= maxBytes || buffered == 0) {
                return;
            }
            long toFree = buffered + batchBytes - maxBytes;
            long freed = 0;
            for (Iterator<Row> oldest = rows.values().iterator(); oldest.hasNext() && freed < toFree; ) {
                freed += oldest.next().bytes();
                oldest.remove();
            }
        }

        List<Long> deliverable(String pipeline, String output, long after, int count)
        {
            return rows.tailMap(after, false).entrySet().stream()
                    .filter(entry -> entry.getValue().pipeline().equals(pipeline) && (entry.getValue().onlyFor() == null || entry.getValue().onlyFor().equals(output)))
                    .map(Map.Entry::getKey)
                    .limit(count)
                    .toList();
        }

        void acknowledge(String pipeline, String output, long seq)
        {
            Map<String, Long> pipelineCursors = cursors.get(pipeline);
            pipelineCursors.merge(output, seq, Math::max);
            long everyoneHas = pipelineCursors.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            rows.entrySet().removeIf(entry -> entry.getValue().pipeline().equals(pipeline)
                    && entry.getKey() <= (entry.getValue().onlyFor() == null ? everyoneHas : pipelineCursors.get(entry.getValue().onlyFor())));
        }
    }

    /** The real buffer, with one delivery reader per output, as the agent uses it. */
    private static final class Harness
    {
        private final Path dataDirectory;
        private SqliteBuffer buffer;
        private final Map<String, SqliteBuffer.Reader> readers = new HashMap<>();
        private SqliteBuffer.Reader inspector;
        private int eventsCreated;

        Harness(Path dataDirectory)
        {
            this.dataDirectory = dataDirectory;
        }

        void open()
                throws IOException, SQLException
        {
            buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
            for (String pipeline : PIPELINES) {
                buffer.registerOutputs(pipeline, Set.copyOf(OUTPUTS.get(pipeline)));
                for (String output : OUTPUTS.get(pipeline)) {
                    readers.put(pipeline + "." + output, buffer.newReader(pipeline, output));
                }
            }
            inspector = buffer.newReader();
        }

        void close()
        {
            readers.values().forEach(SqliteBuffer.Reader::close);
            readers.clear();
            if (inspector != null) {
                inspector.close();
                inspector = null;
            }
            if (buffer != null) {
                buffer.close();
                buffer = null;
            }
        }

        /** Runs one random operation on the buffer and the model; returns what it did, for the history. */
        String step(Random random, Model model)
                throws Exception
        {
            int choice = random.nextInt(14);
            String pipeline = PIPELINES.get(random.nextInt(PIPELINES.size()));
            List<String> outputs = OUTPUTS.get(pipeline);
            String output = outputs.get(random.nextInt(outputs.size()));
            if (choice < 6) {
                int count = random.nextInt(5);
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    eventsCreated++;
                    events.add(Event.builder()
                            .timestamp(Instant.ofEpochSecond(1_763_900_000L + eventsCreated))
                            .message("x".repeat(random.nextInt(120_000)))
                            .field("event.sequence", (long) eventsCreated)
                            .build());
                }
                long last = buffer.lastSeq();
                long batchBytes = events.stream().mapToLong(event -> EventCodec.standalone().encode(event).length).sum();
                model.dropFor(batchBytes, SETTINGS.maxBytes().bytes());
                buffer.append(pipeline, "input", events, List.of());
                // the sizes the buffer stored, read back by sequence number
                for (BufferedEvent stored : inspector.read(pipeline, last, Integer.MAX_VALUE, Long.MAX_VALUE)) {
                    model.rows.put(stored.seq(), new Row(pipeline, stored.bytes(), null));
                }
                return "append " + count + " event(s) (" + batchBytes + " bytes) to " + pipeline;
            }
            if (choice < 11) {
                int count = random.nextInt(6);
                long cursor = buffer.cursor(pipeline, output);
                List<BufferedEvent> batch = readers.get(pipeline + "." + output).read(pipeline, cursor, count, Long.MAX_VALUE);
                assertThat(batch).extracting(BufferedEvent::seq).as("what %s.%s reads", pipeline, output)
                        .containsExactlyElementsOf(model.deliverable(pipeline, output, cursor, count));
                List<SqliteBuffer.DeadLetterRequest> dead = new ArrayList<>();
                for (BufferedEvent event : batch) {
                    if (random.nextInt(3) == 0) {
                        dead.add(new SqliteBuffer.DeadLetterRequest(event, "HTTP 400"));
                        model.deadLetters.add(new Letter(pipeline, output, event.bytes()));
                    }
                }
                long upTo = batch.isEmpty() ? cursor : batch.get(batch.size() - 1).seq();
                buffer.acknowledge(pipeline, output, upTo, dead);
                model.acknowledge(pipeline, output, upTo);
                return pipeline + "." + output + " delivers " + batch.size() + " event(s) up to " + upTo + ", " + dead.size() + " dead-lettered";
            }
            if (choice < 13) {
                boolean elsewhere = choice == 12;
                SqliteBuffer.ReplayTo replayTo = random.nextBoolean() ? SqliteBuffer.ReplayTo.REFUSING_OUTPUT : SqliteBuffer.ReplayTo.EVERY_OUTPUT;
                long last = buffer.lastSeq();
                int replayed;
                if (elsewhere) {
                    // the CLI next to a running agent: another connection, another buffer object, the same file
                    try (SqliteBuffer cli = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC())) {
                        replayed = cli.replayDeadLetters(Optional.of(pipeline), Optional.of(output), replayTo).replayed();
                    }
                }
                else {
                    replayed = buffer.replayDeadLetters(Optional.of(pipeline), Optional.of(output), replayTo).replayed();
                }
                List<Letter> letters = model.deadLetters.stream().filter(letter -> letter.pipeline().equals(pipeline) && letter.output().equals(output)).toList();
                assertThat(replayed).as("dead letters replayed").isEqualTo(letters.size());
                model.deadLetters.removeAll(letters);
                for (BufferedEvent stored : inspector.read(pipeline, last, Integer.MAX_VALUE, Long.MAX_VALUE)) {
                    model.rows.put(stored.seq(), new Row(pipeline, stored.bytes(), replayTo == SqliteBuffer.ReplayTo.REFUSING_OUTPUT ? output : null));
                }
                return "replay " + replayed + " dead letter(s) of " + pipeline + "." + output + " to " + replayTo + (elsewhere ? " from another process" : "");
            }
            close();
            open();
            return "reopen";
        }
    }

    /**
     * 'outrider dead-letters replay' beside a running agent put the events back, and the idle output, waiting for an
     * append of its own process, delivered nothing until a new line came or the agent restarted.
     */
    @Test
    void aReplayByAnotherProcessWakesTheOutputsWaitingForAppends()
            throws Exception
    {
        AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);
        Path dataDirectory = temporary.resolve("agent");
        try (SqliteBuffer agent = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
            agent.registerOutputs("auth", Set.of("siem"));
            agent.append("auth", "input", List.of(Event.builder().timestamp(Instant.EPOCH).message("refused by the collector").build()), List.of());
            try (SqliteBuffer.Reader reader = agent.newReader("auth", "siem")) {
                BufferedEvent refused = reader.read("auth", 0, 10, Long.MAX_VALUE).get(0);
                agent.acknowledge("auth", "siem", refused.seq(), List.of(new SqliteBuffer.DeadLetterRequest(refused, "HTTP 400")));
                long seen = agent.lastSeq();
                java.util.concurrent.CompletableFuture<Void> waiting = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        agent.awaitAppend(seen, SqliteBuffer.NO_TIMEOUT, () -> false);
                    }
                    catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });

                try (SqliteBuffer cli = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
                    assertThat(cli.replayDeadLetters(Optional.empty(), Optional.empty())).isEqualTo(1);
                }
                Thread.sleep(200);
                assertThat(waiting).isNotDone();

                agent.noticeChangesElsewhere();

                waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(agent.lastSeq()).isGreaterThan(seen);
                assertThat(reader.read("auth", refused.seq(), 10, Long.MAX_VALUE)).singleElement()
                        .satisfies(event -> assertThat(event.event().message()).isEqualTo("refused by the collector"));
            }
        }
    }

    @Test
    void replayByAnotherProcessKeepsTheRunningBuffersTotalsExact()
            throws Exception
    {
        AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);
        Path dataDirectory = temporary.resolve("agent");
        try (SqliteBuffer agent = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
            agent.registerOutputs("auth", Set.of("siem"));
            agent.append("auth", "input", List.of(Event.builder().timestamp(Instant.EPOCH).message("refused by the collector").build()), List.of());
            try (SqliteBuffer.Reader reader = agent.newReader("auth", "siem")) {
                List<BufferedEvent> batch = reader.read("auth", 0, 10, Long.MAX_VALUE);
                agent.acknowledge("auth", "siem", batch.get(0).seq(), List.of(new SqliteBuffer.DeadLetterRequest(batch.get(0), "HTTP 400")));
                assertThat(agent.totalBytes()).isZero();

                try (SqliteBuffer cli = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
                    assertThat(cli.replayDeadLetters(Optional.empty(), Optional.empty())).isEqualTo(1);
                }
                // status reads the totals before the agent writes anything: another process's commit is counted already
                assertThat(agent.totalEvents()).isEqualTo(1);
                assertThat(agent.totalBytes()).isEqualTo(batch.get(0).bytes());

                List<BufferedEvent> replayed = reader.read("auth", batch.get(0).seq(), 10, Long.MAX_VALUE);
                assertThat(replayed).hasSize(1);
                agent.acknowledge("auth", "siem", replayed.get(0).seq(), List.of());
                assertThat(agent.totalEvents()).isZero();
                assertThat(agent.totalBytes()).isZero();
            }
        }
    }

    @Test
    void anAcknowledgementOfMoreThanOneChunkDeletesEveryRowAndCountsIt()
            throws Exception
    {
        AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);
        Path dataDirectory = temporary.resolve("chunks");
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
            buffer.registerOutputs("auth", Set.of("siem"));
            for (int batch = 0; batch < 5; batch++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    events.add(Event.builder().timestamp(Instant.EPOCH).message("event " + batch + "." + i).build());
                }
                buffer.append("auth", "input", events, List.of());
            }
            assertThat(buffer.totalEvents()).isEqualTo(2_500);

            // deleted a chunk per transaction: the acknowledgement's own, then the rest
            buffer.acknowledge("auth", "siem", buffer.lastSeq(), List.of());

            assertThat(buffer.totalEvents()).isZero();
            assertThat(buffer.totalBytes()).isZero();
        }
        try (BufferInspector inspector = BufferInspector.open(dataDirectory.resolve(SqliteBuffer.FILE_NAME))) {
            assertThat(inspector.stats()).singleElement().satisfies(stats -> assertThat(stats.events()).isZero());
        }
    }
}
