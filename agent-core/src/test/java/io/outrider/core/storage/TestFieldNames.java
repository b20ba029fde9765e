package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer learns the field names of whatever plugin writes them, stores them with its events, and reads buffers of
 * the release before (format 0x02 payloads, schema version 1) after an upgrade.
 */
class TestFieldNames
{
    private static final AgentSettings.BufferSettings SETTINGS = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);
    /**
     * Written by the release before this format (commit dc682f9, schema version 1, payloads of format 0x02): outputs
     * http and console of pipeline auth, the three events repeated below appended by auth_log with the checkpoint
     * inode:1=1234, then http acknowledging all three with the third as a dead letter ("HTTP 400: bad field").
     */
    private static final String OLD_BUFFER = "buffer-v1-format2.db";

    @TempDir
    Path dataDirectory;

    @Test
    void aBufferRoundTripsTheFieldsOfAPluginCoreHasNeverHeardOf()
            throws Exception
    {
        Event scan = Event.builder().timestamp(Instant.parse("2026-12-05T11:00:00Z")).message("port scan")
                .field("acme.scanner.target", "198.51.100.4")
                .field("acme.scanner.ports", List.of(22L, 443L))
                .field("acme.scanner.finding", Map.of("acme.severity", "high"))
                .build();
        Event again = Event.builder().timestamp(Instant.parse("2026-12-05T11:00:01Z")).message("port scan")
                .field("acme.scanner.target", "198.51.100.5")
                .field("acme.scanner.ports", List.of(80L))
                .build();
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader reader = buffer.newReader("scans", "http")) {
            buffer.registerOutputs("scans", Set.of("http"));
            buffer.append("scans", "scanner", List.of(scan, again), List.of());

            List<BufferedEvent> stored = reader.read("scans", 0, 10, Long.MAX_VALUE);

            assertThat(stored).extracting(BufferedEvent::event).containsExactly(scan, again);
            // every name is one byte in every payload: the second event's names cost what an id costs
            assertThat(stored.get(1).bytes()).isEqualTo(EventCodec.standalone().encode(again).length);
            assertThat(new String(stored.get(1).payload(), StandardCharsets.ISO_8859_1)).doesNotContain("acme");
        }
        assertThat(storedNames()).containsExactly("acme.scanner.target", "acme.scanner.ports", "acme.scanner.finding", "acme.severity");
    }

    @Test
    void learnedNamesSurviveAReopenAndAreNotLearnedTwice()
            throws Exception
    {
        Event first = Event.builder().timestamp(Instant.EPOCH).message("one").field("acme.widget_id", "w-1").build();
        Event second = Event.builder().timestamp(Instant.EPOCH).message("two").field("acme.widget_id", "w-2").field("acme.colour", "blue").build();
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC())) {
            buffer.registerOutputs("widgets", Set.of("http"));
            buffer.append("widgets", "input", List.of(first), List.of());
        }
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader reader = buffer.newReader()) {
            buffer.append("widgets", "input", List.of(second), List.of());
            assertThat(reader.read("widgets", 0, 10, Long.MAX_VALUE)).extracting(BufferedEvent::event).containsExactly(first, second);
        }
        assertThat(storedNames()).containsExactly("acme.widget_id", "acme.colour");
    }

    @Test
    void anotherProcessReadsNamesLearnedAfterItOpenedTheBuffer()
            throws Exception
    {
        try (SqliteBuffer agent = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC())) {
            agent.registerOutputs("widgets", Set.of("http"));
            agent.append("widgets", "input", List.of(Event.builder().timestamp(Instant.EPOCH).message("before").field("acme.before", 1L).build()), List.of());
            try (SqliteBuffer cli = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                    SqliteBuffer.Reader cliReader = cli.newReader();
                    BufferInspector inspector = BufferInspector.open(agent.file())) {
                Event later = Event.builder().timestamp(Instant.EPOCH).message("after").field("acme.after", 2L).build();
                agent.append("widgets", "input", List.of(later), List.of());

                assertThat(cliReader.read("widgets", 1, 10, Long.MAX_VALUE)).extracting(BufferedEvent::event).containsExactly(later);
                assertThat(inspector.oldest("widgets", 10)).extracting(BufferedEvent::event).last().isEqualTo(later);
                assertThat(inspector.verify()).isEmpty();
            }
        }
    }

    @Test
    void aBufferOfTheReleaseBeforeIsReadAfterTheUpgrade()
            throws Exception
    {
        Files.createDirectories(dataDirectory);
        try (InputStream fixture = TestFieldNames.class.getResourceAsStream(OLD_BUFFER)) {
            Files.copy(fixture, dataDirectory.resolve(SqliteBuffer.FILE_NAME));
        }
        // the events MakeFixture wrote with the release before
        Event sshd = Event.builder().timestamp(Instant.parse("2026-12-05T09:00:01.123456789Z")).message("Failed password for invalid user admin from 203.0.113.7 port 52211 ssh2")
                .field("event.action", "ssh_login").field("event.outcome", "failure").field("source.ip", "203.0.113.7").field("source.port", 52211L)
                .field("user.name", "admin").field("sshd.invalid_user", true).field("sshd.auth_method", "password").build();
        Event winlog = Event.builder().timestamp(Instant.parse("2026-12-05T09:00:02Z")).message("An account failed to log on.")
                .field("winlog.event_id", 4625L).field("winlog.channel", "Security").field("winlog.provider_name", "Microsoft-Windows-Security-Auditing")
                .field("acme.widget_id", "w-42").field("acme.details", Map.of("sshd.key_type", "ED25519", "depth", 2.5)).field("tags", List.of("a", "b")).build();
        Event refused = Event.builder().timestamp(Instant.parse("2026-12-05T09:00:03Z")).message("Accepted publickey for alice")
                .field("sshd.key_fingerprint", "SHA256:abc").field("sshd.key_type", "ED25519").field("user.name", "alice").build();
        Event afterUpgrade = Event.builder().timestamp(Instant.parse("2026-12-05T12:00:00Z")).message("Accepted password for bob")
                .field("sshd.auth_method", "password").field("user.name", "bob").build();

        // the new CLI inspects it before any agent upgraded it: read-only, no field_names table, no only_output column
        try (BufferInspector inspector = BufferInspector.open(dataDirectory.resolve(SqliteBuffer.FILE_NAME))) {
            assertThat(inspector.verify()).isEmpty();
            assertThat(inspector.oldest("auth", 10)).extracting(BufferedEvent::event).containsExactly(sshd, winlog, refused);
            assertThat(inspector.stats()).singleElement().satisfies(stats -> assertThat(stats.cursors())
                    .extracting(BufferInspector.CursorStats::backlog).containsExactly(3L, 0L));
        }

        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader console = buffer.newReader("auth", "console");
                SqliteBuffer.Reader http = buffer.newReader("auth", "http")) {
            buffer.registerOutputs("auth", Set.of("http", "console"));
            assertThat(buffer.quarantinedFiles()).isZero();
            assertThat(buffer.totalEvents()).isEqualTo(3);
            assertThat(buffer.checkpoints("auth", "auth_log")).isEqualTo(Map.of("inode:1", "1234"));
            assertThat(buffer.cursor("auth", "http")).isEqualTo(3);
            assertThat(console.read("auth", 0, 10, Long.MAX_VALUE)).extracting(BufferedEvent::event).containsExactly(sshd, winlog, refused);
            assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).singleElement().satisfies(letter -> {
                assertThat(letter.output()).isEqualTo("http");
                assertThat(letter.reason()).isEqualTo("HTTP 400: bad field");
                assertThat(letter.event()).isEqualTo(refused);
            });

            assertThat(buffer.replayDeadLetters(Optional.empty(), Optional.empty(), SqliteBuffer.ReplayTo.REFUSING_OUTPUT).replayed()).isEqualTo(1);
            buffer.append("auth", "auth_log", List.of(afterUpgrade), List.of());

            assertThat(http.read("auth", 3, 10, Long.MAX_VALUE)).extracting(BufferedEvent::event).containsExactly(refused, afterUpgrade);
        }
        assertThat(storedNames()).containsExactly("sshd.auth_method", "user.name");
        try (BufferInspector inspector = BufferInspector.open(dataDirectory.resolve(SqliteBuffer.FILE_NAME))) {
            assertThat(inspector.verify()).isEmpty();
            assertThat(inspector.oldest("auth", 10)).extracting(BufferedEvent::event).containsExactly(sshd, winlog, refused, refused, afterUpgrade);
        }
    }

    @Test
    void stopsLearningAtItsCapAndSpellsOutTheRest()
    {
        EventCodec codec = EventCodec.standalone();
        Event.Builder many = Event.builder().timestamp(Instant.EPOCH).message("");
        for (int i = 0; i <= FieldNames.MAX_NAMES; i++) {
            many.field("acme.key_" + i, (long) i);
        }
        Event event = many.build();

        byte[] payload = codec.encode(event);

        assertThat(codec.names().size()).isEqualTo(FieldNames.MAX_NAMES);
        assertThat(new String(payload, StandardCharsets.ISO_8859_1)).contains("acme.key_" + FieldNames.MAX_NAMES).doesNotContain("acme.key_0");
        assertThat(codec.decode(payload)).isEqualTo(event);
    }

    private List<String> storedNames()
            throws SQLException
    {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteBuffer.FILE_NAME));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, name FROM field_names ORDER BY id")) {
            while (rows.next()) {
                assertThat(rows.getInt(1)).as("ids run on without a gap").isEqualTo(names.size());
                names.add(rows.getString(2));
            }
        }
        return names;
    }
}
