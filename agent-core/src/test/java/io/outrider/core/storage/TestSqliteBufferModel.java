package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of appends, reads, acknowledgements (with dead letters), dead-letter replays and restarts, run
 * against the real buffer and against a plain in-memory model of what it promises. After every step each output
 * must be about to read exactly what the model says, and the committed checkpoints, cursors, dead letters and byte
 * count must agree.
 */
class TestSqliteBufferModel
{
    private static final String PIPELINE = "ssh_auth";
    private static final String INPUT = "auth_log";
    private static final List<String> OUTPUTS = List.of("siem", "archive");
    private static final AgentSettings.BufferSettings SETTINGS = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);

    @Property(tries = 60)
    void bufferBehavesLikeItsModel(@ForAll("steps") List<Step> steps)
            throws Exception
    {
        Path dataDirectory = Files.createTempDirectory("outrider-buffer-model");
        Model model = new Model();
        Harness harness = new Harness(dataDirectory);
        try {
            harness.open();
            for (Step step : steps) {
                harness.apply(step, model);
                harness.assertAgrees(model, step);
            }
        }
        finally {
            harness.close();
            deleteRecursively(dataDirectory);
        }
    }

    @Provide
    Arbitrary<List<Step>> steps()
    {
        Arbitrary<Checkpoint> checkpoint = Combinators.combine(
                        Arbitraries.of("inode:1", "inode:2", "inode:3"),
                        Arbitraries.strings().withCharRange('!', '~').withChars('\u00e9', '\u65e5').ofMaxLength(12),
                        Arbitraries.integers().between(0, 3))
                .as((key, value, forgetOneInFour) -> forgetOneInFour == 0 ? Checkpoint.forget(key) : Checkpoint.of(key, value));
        Arbitrary<Step> append = Combinators.combine(
                        Arbitraries.strings().ofMaxLength(30).list().ofMaxSize(5),
                        checkpoint.list().ofMaxSize(3))
                .as(Append::new);
        Arbitrary<Step> acknowledge = Combinators.combine(
                        Arbitraries.of(OUTPUTS),
                        Arbitraries.integers().between(0, 6),
                        Arbitraries.integers().between(0, 5).set().ofMaxSize(2))
                .as(Acknowledge::new);
        Arbitrary<Step> read = Combinators.combine(Arbitraries.of(OUTPUTS), Arbitraries.integers().between(1, 4)).as(Read::new);
        Arbitrary<Step> replay = Arbitraries.of(OUTPUTS).map(ReplayDeadLetters::new);
        Arbitrary<Step> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                        Tuple.of(5, append),
                        Tuple.of(5, acknowledge),
                        Tuple.of(2, read),
                        Tuple.of(1, replay),
                        Tuple.of(2, reopen))
                .list().ofMinSize(1).ofMaxSize(25);
    }

    sealed interface Step
            permits Append, Acknowledge, Read, ReplayDeadLetters, Reopen
    {
    }

    /** An input commits these events (one per message) with these checkpoints. */
    record Append(List<String> messages, List<Checkpoint> checkpoints)
            implements Step
    {
    }

    /** An output acknowledges the next {@code count} events it would read; those at {@code deadIndexes} as dead letters. */
    record Acknowledge(String output, int count, Set<Integer> deadIndexes)
            implements Step
    {
    }

    /** An output reads a batch of at most {@code maxEvents}: a peek that changes nothing. */
    record Read(String output, int maxEvents)
            implements Step
    {
    }

    record ReplayDeadLetters(String output)
            implements Step
    {
    }

    /** The agent stops and starts again over the same file. */
    record Reopen()
            implements Step
    {
    }

    private record ModelDeadLetter(String output, long seq, String reason, Event event) {}

    /** What the buffer promises, in memory. */
    private static final class Model
    {
        final SortedMap<Long, Event> rows = new TreeMap<>();
        final Map<String, Long> cursors = new LinkedHashMap<>();
        final Map<String, String> checkpoints = new TreeMap<>();
        final List<ModelDeadLetter> deadLetters = new ArrayList<>();
        long lastSeq;
        int eventsCreated;

        Model()
        {
            OUTPUTS.forEach(output -> cursors.put(output, 0L));
        }

        Event newEvent(String message)
        {
            eventsCreated++;
            return Event.builder()
                    .timestamp(Instant.ofEpochSecond(1_763_900_000L + eventsCreated, eventsCreated))
                    .message(message)
                    .field("event.sequence", (long) eventsCreated)
                    .build();
        }

        void append(List<Event> events, List<Checkpoint> entries)
        {
            events.forEach(event -> rows.put(++lastSeq, event));
            for (Checkpoint entry : entries) {
                if (entry.isForget()) {
                    checkpoints.remove(entry.key());
                }
                else {
                    checkpoints.put(entry.key(), entry.value());
                }
            }
        }

        SortedMap<Long, Event> unread(String output)
        {
            return rows.tailMap(cursors.get(output) + 1);
        }

        void acknowledge(String output, long seq)
        {
            cursors.put(output, Math.max(cursors.get(output), seq));
            long everyoneHas = cursors.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            rows.headMap(everyoneHas + 1).clear();
        }

        void replay(String output)
        {
            for (Iterator<ModelDeadLetter> letters = deadLetters.iterator(); letters.hasNext(); ) {
                ModelDeadLetter letter = letters.next();
                if (letter.output().equals(output)) {
                    rows.put(++lastSeq, letter.event());
                    letters.remove();
                }
            }
        }

        long totalBytes()
        {
            return rows.values().stream().mapToLong(event -> EventCodec.standalone().encode(event).length).sum();
        }
    }

    /** The real buffer, as the agent uses it. */
    private static final class Harness
    {
        private final Path dataDirectory;
        private SqliteBuffer buffer;
        private SqliteBuffer.Reader reader;

        Harness(Path dataDirectory)
        {
            this.dataDirectory = dataDirectory;
        }

        void open()
                throws IOException, SQLException
        {
            buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
            buffer.registerOutputs(PIPELINE, Set.copyOf(OUTPUTS));
            reader = buffer.newReader();
        }

        void close()
        {
            if (reader != null) {
                reader.close();
            }
            if (buffer != null) {
                buffer.close();
            }
        }

        void apply(Step step, Model model)
                throws Exception
        {
            if (step instanceof Append append) {
                List<Event> events = append.messages().stream().map(model::newEvent).toList();
                buffer.append(PIPELINE, INPUT, events, append.checkpoints());
                model.append(events, append.checkpoints());
            }
            else if (step instanceof Acknowledge acknowledge) {
                String output = acknowledge.output();
                List<BufferedEvent> taken = reader.read(PIPELINE, buffer.cursor(PIPELINE, output), acknowledge.count(), Long.MAX_VALUE);
                List<SqliteBuffer.DeadLetterRequest> dead = new ArrayList<>();
                for (int index : acknowledge.deadIndexes()) {
                    if (index < taken.size()) {
                        BufferedEvent event = taken.get(index);
                        String reason = "refused #" + event.seq() + " at index " + index;
                        dead.add(new SqliteBuffer.DeadLetterRequest(event, reason));
                        model.deadLetters.add(new ModelDeadLetter(output, event.seq(), reason, model.rows.get(event.seq())));
                    }
                }
                long upTo = taken.isEmpty() ? model.cursors.get(output) : taken.get(taken.size() - 1).seq();
                buffer.acknowledge(PIPELINE, output, upTo, dead);
                model.acknowledge(output, upTo);
            }
            else if (step instanceof Read read) {
                List<BufferedEvent> batch = reader.read(PIPELINE, buffer.cursor(PIPELINE, read.output()), read.maxEvents(), Long.MAX_VALUE);
                assertThat(toMap(batch)).as("batch of %s after %s", read.output(), step)
                        .containsExactlyEntriesOf(firstEntries(model.unread(read.output()), read.maxEvents()));
            }
            else if (step instanceof ReplayDeadLetters replay) {
                long expected = model.deadLetters.stream().filter(letter -> letter.output().equals(replay.output())).count();
                assertThat(buffer.replayDeadLetters(Optional.of(PIPELINE), Optional.of(replay.output()))).isEqualTo(expected);
                model.replay(replay.output());
            }
            else if (step instanceof Reopen) {
                close();
                open();
            }
        }

        void assertAgrees(Model model, Step after)
                throws SQLException
        {
            for (String output : OUTPUTS) {
                long cursor = buffer.cursor(PIPELINE, output);
                assertThat(cursor).as("cursor of %s after %s", output, after).isEqualTo(model.cursors.get(output));
                List<BufferedEvent> next = reader.read(PIPELINE, cursor, Integer.MAX_VALUE, Long.MAX_VALUE);
                assertThat(toMap(next)).as("what %s reads next after %s", output, after).containsExactlyEntriesOf(model.unread(output));
                assertThat(buffer.countAfter(PIPELINE, cursor)).isEqualTo(model.unread(output).size());
                assertThat(buffer.countAfter(PIPELINE, output, cursor)).as("backlog of %s after %s", output, after).isEqualTo(model.unread(output).size());
            }
            assertThat(buffer.checkpoints(PIPELINE, INPUT)).as("checkpoints after %s", after).isEqualTo(model.checkpoints);
            assertThat(buffer.lastSeq()).as("last sequence number after %s", after).isEqualTo(model.lastSeq);
            assertThat(buffer.totalBytes()).as("buffered bytes after %s", after).isEqualTo(model.totalBytes());
            assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), Integer.MAX_VALUE))
                    .as("dead letters after %s", after)
                    .map(letter -> new ModelDeadLetter(letter.output(), letter.seq(), letter.reason(), letter.event()))
                    .containsExactlyElementsOf(model.deadLetters);
        }
    }

    private static Map<Long, Event> toMap(List<BufferedEvent> batch)
    {
        Map<Long, Event> events = new LinkedHashMap<>();
        batch.forEach(buffered -> events.put(buffered.seq(), buffered.event()));
        return events;
    }

    private static Map<Long, Event> firstEntries(SortedMap<Long, Event> events, int count)
    {
        Map<Long, Event> first = new LinkedHashMap<>();
        for (Map.Entry<Long, Event> entry : events.entrySet()) {
            if (first.size() == count) {
                break;
            }
            first.put(entry.getKey(), entry.getValue());
        }
        return first;
    }

    private static void deleteRecursively(Path directory)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
