package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A dead letter goes back to the output that refused it, not to the outputs that delivered it already (unless asked
 * for every output), and the buffer's totals stay exact; buffers of the first schema migrate.
 */
class TestDeadLetterReplay
{
    private static final AgentSettings.BufferSettings SETTINGS = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);

    @TempDir
    Path dataDirectory;

    @Test
    void replayGoesToTheRefusingOutputOnly()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader http = buffer.newReader("ssh", "http");
                SqliteBuffer.Reader console = buffer.newReader("ssh", "console")) {
            buffer.registerOutputs("ssh", Set.of("http", "console"));
            buffer.append("ssh", "auth_log", events("accepted", "refused", "accepted too"), List.of());
            List<BufferedEvent> batch = http.read("ssh", 0, 10, Long.MAX_VALUE);
            buffer.acknowledge("ssh", "http", batch.get(2).seq(), List.of(new SqliteBuffer.DeadLetterRequest(batch.get(1), "HTTP 400")));
            buffer.acknowledge("ssh", "console", console.read("ssh", 0, 10, Long.MAX_VALUE).get(2).seq(), List.of());
            assertThat(buffer.totalEvents()).isZero();

            SqliteBuffer.DeadLetterReplay replay = buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT);

            assertThat(replay).isEqualTo(new SqliteBuffer.DeadLetterReplay(1, Map.of()));
            assertThat(buffer.totalEvents()).isEqualTo(1);
            assertThat(console.read("ssh", buffer.cursor("ssh", "console"), 10, Long.MAX_VALUE)).as("the console printed it already").isEmpty();
            try (BufferInspector inspector = BufferInspector.open(buffer.file())) {
                assertThat(inspector.stats()).singleElement().satisfies(stats -> assertThat(stats.cursors())
                        .extracting(BufferInspector.CursorStats::output, BufferInspector.CursorStats::backlog)
                        .containsExactly(tuple("console", 0L), tuple("http", 1L)));
            }
            List<BufferedEvent> again = http.read("ssh", buffer.cursor("ssh", "http"), 10, Long.MAX_VALUE);
            assertThat(again).singleElement().satisfies(event -> assertThat(event.event().message()).isEqualTo("refused"));

            // delivered by the output that owed it: gone, although the console's cursor is behind it
            buffer.acknowledge("ssh", "http", again.get(0).seq(), List.of());
            assertThat(buffer.totalEvents()).isZero();
            assertThat(buffer.totalBytes()).isZero();
            assertThat(buffer.cursor("ssh", "console")).isLessThan(again.get(0).seq());
        }
        // counted the same from the rows
        try (SqliteBuffer reopened = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC())) {
            assertThat(reopened.totalEvents()).isZero();
            assertThat(reopened.totalBytes()).isZero();
        }
    }

    @Test
    void aDeadLetterReplayedForOneOutputIsInThatOutputsBacklogAndLagOnly()
            throws Exception
    {
        Instant replayedAt = Instant.parse("2026-12-05T10:00:00Z");
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.fixed(replayedAt, java.time.ZoneOffset.UTC));
                SqliteBuffer.Reader http = buffer.newReader("ssh", "http");
                SqliteBuffer.Reader console = buffer.newReader("ssh", "console")) {
            buffer.registerOutputs("ssh", Set.of("http", "console"));
            buffer.append("ssh", "auth_log", events("accepted", "refused"), List.of());
            List<BufferedEvent> batch = http.read("ssh", 0, 10, Long.MAX_VALUE);
            buffer.acknowledge("ssh", "http", batch.get(1).seq(), List.of(new SqliteBuffer.DeadLetterRequest(batch.get(1), "HTTP 400")));
            buffer.acknowledge("ssh", "console", console.read("ssh", 0, 10, Long.MAX_VALUE).get(1).seq(), List.of());
            buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT);

            long httpCursor = buffer.cursor("ssh", "http");
            long consoleCursor = buffer.cursor("ssh", "console");
            assertThat(buffer.countAfter("ssh", consoleCursor)).as("the pipeline holds the replayed letter").isEqualTo(1);
            assertThat(buffer.countAfter("ssh", "console", consoleCursor)).as("the console delivered it already").isZero();
            assertThat(buffer.oldestIngestedAfter("ssh", "console", consoleCursor)).isEmpty();
            assertThat(buffer.countAfter("ssh", "http", httpCursor)).isEqualTo(1);
            assertThat(buffer.oldestIngestedAfter("ssh", "http", httpCursor)).contains(replayedAt.toEpochMilli());
        }
    }

    @Test
    void replayToEveryOutputDeliversToAllOfThemAgain()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader http = buffer.newReader("ssh", "http");
                SqliteBuffer.Reader console = buffer.newReader("ssh", "console")) {
            buffer.registerOutputs("ssh", Set.of("http", "console"));
            buffer.append("ssh", "auth_log", events("refused"), List.of());
            List<BufferedEvent> batch = http.read("ssh", 0, 10, Long.MAX_VALUE);
            buffer.acknowledge("ssh", "http", batch.get(0).seq(), List.of(new SqliteBuffer.DeadLetterRequest(batch.get(0), "HTTP 400")));
            buffer.acknowledge("ssh", "console", batch.get(0).seq(), List.of());

            assertThat(buffer.replayDeadLetters(Optional.of("ssh"), Optional.of("http"), SqliteBuffer.ReplayTo.EVERY_OUTPUT)).isEqualTo(new SqliteBuffer.DeadLetterReplay(1, Map.of()));

            assertThat(http.read("ssh", batch.get(0).seq(), 10, Long.MAX_VALUE)).hasSize(1);
            assertThat(console.read("ssh", batch.get(0).seq(), 10, Long.MAX_VALUE)).hasSize(1);
        }
    }

    @Test
    void deadLettersOfAnOutputNoLongerConfiguredAreKept()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader reader = buffer.newReader()) {
            buffer.registerOutputs("ssh", Set.of("http", "console"));
            buffer.append("ssh", "auth_log", events("refused"), List.of());
            BufferedEvent refused = reader.read("ssh", 0, 10, Long.MAX_VALUE).get(0);
            buffer.acknowledge("ssh", "http", refused.seq(), List.of(new SqliteBuffer.DeadLetterRequest(refused, "HTTP 400")));
            buffer.registerOutputs("ssh", Set.of("console"));

            assertThat(buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT))
                    .isEqualTo(new SqliteBuffer.DeadLetterReplay(0, Map.of("ssh.http", 1)));
            assertThat(buffer.deadLetterCount("ssh", "http")).isEqualTo(1);
            assertThat(buffer.totalEvents()).isEqualTo(1);
        }
    }

    @Test
    void aBufferOfTheFirstSchemaMigratesAndKeepsItsEvents()
            throws Exception
    {
        Files.createDirectories(dataDirectory);
        SqliteNativeLibrary.load();
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        byte[] payload = EventCodec.standalone().encode(events("from the first schema").get(0));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement()) {
            // the schema as version 1 wrote it
            statement.executeUpdate("PRAGMA journal_mode = WAL");
            statement.executeUpdate("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            statement.executeUpdate("INSERT INTO meta (key, value) VALUES ('schema_version', '1')");
            statement.executeUpdate("CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, pipeline TEXT NOT NULL, component TEXT NOT NULL,"
                    + " ingested INTEGER NOT NULL, bytes INTEGER NOT NULL, payload BLOB NOT NULL)");
            statement.executeUpdate("CREATE INDEX events_by_pipeline ON events (pipeline, seq)");
            statement.executeUpdate("CREATE TABLE checkpoints (pipeline TEXT NOT NULL, component TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                    + " PRIMARY KEY (pipeline, component, key)) WITHOUT ROWID");
            statement.executeUpdate("CREATE TABLE cursors (pipeline TEXT NOT NULL, output TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (pipeline, output)) WITHOUT ROWID");
            statement.executeUpdate("CREATE TABLE dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, pipeline TEXT NOT NULL, output TEXT NOT NULL,"
                    + " seq INTEGER NOT NULL, failed_at INTEGER NOT NULL, reason TEXT NOT NULL, payload BLOB NOT NULL)");
            statement.executeUpdate("CREATE TABLE kv (pipeline TEXT NOT NULL, component TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                    + " PRIMARY KEY (pipeline, component, key)) WITHOUT ROWID");
            statement.executeUpdate("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            statement.executeUpdate("INSERT INTO cursors (pipeline, output, seq) VALUES ('ssh', 'http', 0), ('ssh', 'console', 0)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events (pipeline, component, ingested, bytes, payload) VALUES ('ssh', 'auth_log', 0, ?, ?)")) {
                insert.setInt(1, payload.length);
                insert.setBytes(2, payload);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dead_letters (pipeline, output, seq, failed_at, reason, payload) VALUES ('ssh', 'http', 7, 0, 'HTTP 400', ?)")) {
                insert.setBytes(1, payload);
                insert.executeUpdate();
            }
        }

        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader console = buffer.newReader("ssh", "console")) {
            assertThat(buffer.quarantinedFiles()).isZero();
            assertThat(buffer.totalEvents()).isEqualTo(1);
            assertThat(buffer.totalBytes()).isEqualTo(payload.length);
            assertThat(buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT)).isEqualTo(new SqliteBuffer.DeadLetterReplay(1, Map.of()));
            assertThat(console.read("ssh", 0, 10, Long.MAX_VALUE)).singleElement()
                    .satisfies(event -> assertThat(event.event().message()).isEqualTo("from the first schema"));
        }
        assertThat(schemaVersion(file)).isEqualTo(String.valueOf(BufferDatabase.SCHEMA_VERSION));
    }

    @Test
    void aBufferOfANewerVersionIsRefusedAndLeftAlone()
            throws Exception
    {
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC())) {
            buffer.registerOutputs("ssh", Set.of("http"));
            buffer.append("ssh", "auth_log", events("kept for the newer agent"), List.of());
        }
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }

        assertThatThrownBy(() -> SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC()))
                .isInstanceOf(SQLException.class)
                .hasMessage("buffer " + file + " was written by a newer version of Outrider (buffer schema version 99; this version reads up to "
                        + BufferDatabase.SCHEMA_VERSION + "): run that version to deliver what it holds, or move the buffer aside to start a new one");
        try (Stream<Path> files = Files.list(dataDirectory)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".bad"));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT SUM(last_seq - first_seq + 1) FROM blocks")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }

    private static String schemaVersion(Path file)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static List<Event> events(String... messages)
    {
        return Stream.of(messages).map(message -> Event.builder().timestamp(Instant.parse("2026-12-05T10:00:00Z")).message(message).build()).toList();
    }
}
