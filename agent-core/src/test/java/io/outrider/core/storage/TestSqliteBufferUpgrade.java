package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Buffers of schema versions 3 and 4 holding undelivered events are delivered in full after the upgrade. */
class TestSqliteBufferUpgrade
{
    private static final AgentSettings.BufferSettings SETTINGS = new AgentSettings.BufferSettings(DataSize.parse("64MiB"), AgentSettings.WhenFull.BLOCK, null);
    /**
     * Written by the code of main before blocks (schema version 3, one row per event, payloads of format 0x03):
     * outputs http and console of pipeline auth and siem of pipeline fim; auth_log appended events 1-3 (checkpoint
     * inode:1=100) and 4-5 (inode:1=200); http acknowledged 4 with event 2 as a dead letter ("HTTP 400: bad field"),
     * console acknowledged 2; the dead letter was replayed for http alone (seq 6); auth_log appended event 6 (seq 7,
     * inode:1=300) and fim event 7 (seq 8, checkpoint scan=1). Every event is 129 bytes.
     */
    private static final String V3_BUFFER = "buffer-v3-main.db";
    private static final int EVENT_BYTES = 129;
    /**
     * Written by the code of main at fdacb4c (schema version 4, blocks stored as they are): outputs http and console
     * of pipeline auth; auth_log appended events 1-60 in one batch (checkpoint inode:1=100) and 61-63
     * (inode:1=200); http read 25 and acknowledged them with event 10 as a dead letter ("HTTP 400: bad field"),
     * console acknowledged 40, so the first block was cut to 26-60; the dead letter was replayed (seq 64). Events are
     * {@link #v4Event}.
     */
    private static final String V4_BUFFER = "buffer-v4-main.db";

    @TempDir
    Path dataDirectory;

    @Test
    void undeliveredEventsOfAVersion3BufferAreDeliveredAfterTheUpgrade()
            throws Exception
    {
        Files.createDirectories(dataDirectory);
        try (InputStream fixture = TestSqliteBufferUpgrade.class.getResourceAsStream(V3_BUFFER)) {
            Files.copy(fixture, dataDirectory.resolve(SqliteBuffer.FILE_NAME));
        }
        try (BufferInspector inspector = BufferInspector.open(dataDirectory.resolve(SqliteBuffer.FILE_NAME))) {
            assertThat(inspector.verify()).isEmpty();
            assertThat(inspector.oldest("auth", 10)).extracting(BufferedEvent::seq).containsExactly(3L, 4L, 5L, 6L, 7L);
        }

        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader http = buffer.newReader("auth", "http");
                SqliteBuffer.Reader console = buffer.newReader("auth", "console");
                SqliteBuffer.Reader siem = buffer.newReader("fim", "siem")) {
            buffer.registerOutputs("auth", Set.of("http", "console"));
            buffer.registerOutputs("fim", Set.of("siem"));
            assertThat(buffer.quarantinedFiles()).isZero();
            assertThat(buffer.lostBuffers()).isZero();
            assertThat(buffer.totalEvents()).isEqualTo(6);
            assertThat(buffer.totalBytes()).isEqualTo(6 * EVENT_BYTES);
            assertThat(buffer.lastSeq()).isEqualTo(8);
            assertThat(buffer.checkpoints("auth", "auth_log")).isEqualTo(Map.of("inode:1", "300"));
            assertThat(buffer.cursor("auth", "http")).isEqualTo(4);
            assertThat(buffer.cursor("auth", "console")).isEqualTo(2);
            assertThat(buffer.countAfter("auth", "console", 2)).isEqualTo(4);
            assertThat(buffer.countAfter("auth", "http", 4)).isEqualTo(3);
            assertThat(buffer.deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();

            assertThat(console.read("auth", 2, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq, BufferedEvent::event)
                    .containsExactly(tuple(3, event(3)), tuple(4, event(4)), tuple(5, event(5)), tuple(7, event(6)));
            assertThat(http.read("auth", 4, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq, BufferedEvent::event)
                    .containsExactly(tuple(5, event(5)), tuple(6, event(2)), tuple(7, event(6)));

            // new events after the old ones, sequence numbers going on from the old buffer's
            buffer.append("auth", "auth_log", List.of(event(8), event(9)), List.of());
            assertThat(buffer.lastSeq()).isEqualTo(10);
            assertThat(http.read("auth", 6, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq, BufferedEvent::event)
                    .containsExactly(tuple(7, event(6)), tuple(9, event(8)), tuple(10, event(9)));

            buffer.acknowledge("auth", "console", 9, List.of());
            // http (at 4) still owes 5, 6 and 7: only 3 and 4 are gone
            assertThat(buffer.totalEvents()).isEqualTo(6);
            assertThat(console.read("auth", 9, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq).containsExactly(10L);
            buffer.acknowledge("auth", "http", 10, List.of());
            buffer.acknowledge("auth", "console", 10, List.of());
            assertThat(buffer.totalEvents()).isEqualTo(1);
            assertThat(siem.read("fim", 0, 10, Long.MAX_VALUE)).extracting(BufferedEvent::seq, BufferedEvent::event).containsExactly(tuple(8, event(7)));
            buffer.acknowledge("fim", "siem", 8, List.of());
            assertThat(buffer.totalEvents()).isZero();
            assertThat(buffer.totalBytes()).isZero();
            assertThat(buffer.verify()).isEqualTo("ok");
        }

        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC())) {
            assertThat(buffer.lastSeq()).isEqualTo(10);
            assertThat(buffer.totalEvents()).isZero();
            buffer.append("auth", "auth_log", List.of(event(10)), List.of());
            assertThat(buffer.lastSeq()).isEqualTo(11);
        }
        try (BufferInspector inspector = BufferInspector.open(dataDirectory.resolve(SqliteBuffer.FILE_NAME))) {
            assertThat(inspector.verify()).isEmpty();
            assertThat(inspector.oldest("auth", 10)).extracting(BufferedEvent::seq, BufferedEvent::event).containsExactly(tuple(11, event(10)));
        }
    }

    @Test
    void eventsOfAVersion4BufferAreReadAfterTheUpgradeBesideCompressedBlocks()
            throws Exception
    {
        Path file = dataDirectory.resolve(SqliteBuffer.FILE_NAME);
        try (InputStream fixture = TestSqliteBufferUpgrade.class.getResourceAsStream(V4_BUFFER)) {
            Files.copy(fixture, file);
        }
        try (BufferInspector inspector = BufferInspector.open(file)) {
            assertThat(inspector.verify()).isEmpty();
            assertThat(inspector.oldest("auth", 3)).extracting(BufferedEvent::seq, BufferedEvent::event)
                    .containsExactly(tuple(26, v4Event(26)), tuple(27, v4Event(27)), tuple(28, v4Event(28)));
        }

        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, SETTINGS, Clock.systemUTC());
                SqliteBuffer.Reader http = buffer.newReader("auth", "http");
                SqliteBuffer.Reader console = buffer.newReader("auth", "console")) {
            buffer.registerOutputs("auth", Set.of("http", "console"));
            assertThat(buffer.quarantinedFiles()).isZero();
            assertThat(buffer.totalEvents()).isEqualTo(39);
            assertThat(buffer.totalBytes()).isEqualTo(6396);
            assertThat(buffer.lastSeq()).isEqualTo(64);
            assertThat(buffer.checkpoints("auth", "auth_log")).isEqualTo(Map.of("inode:1", "200"));
            assertThat(buffer.cursor("auth", "http")).isEqualTo(25);
            assertThat(buffer.cursor("auth", "console")).isEqualTo(40);

            List<Event> expectedForHttp = new java.util.ArrayList<>();
            for (int n = 26; n <= 63; n++) {
                expectedForHttp.add(v4Event(n));
            }
            expectedForHttp.add(v4Event(10));
            assertThat(http.read("auth", 25, 100, Long.MAX_VALUE)).extracting(BufferedEvent::event).containsExactlyElementsOf(expectedForHttp);
            assertThat(console.read("auth", 40, 100, Long.MAX_VALUE)).extracting(BufferedEvent::seq).first().isEqualTo(41L);

            // a batch of this version: compressed, beside the old blocks stored as they are
            List<Event> batch = new java.util.ArrayList<>();
            for (int n = 100; n < 160; n++) {
                batch.add(v4Event(n));
            }
            buffer.append("auth", "auth_log", batch, List.of(Checkpoint.of("inode:1", "300")));
            assertThat(buffer.lastSeq()).isEqualTo(124);
            assertThat(http.read("auth", 64, 100, Long.MAX_VALUE)).extracting(BufferedEvent::event).containsExactlyElementsOf(batch);
            assertThat(payloadCodecs(file)).isEqualTo(Map.of(1L, BlockCompression.RAW, 61L, BlockCompression.RAW, 64L, BlockCompression.RAW, 65L, BlockCompression.LZ4));
            // a cut into the compressed block, then the rest
            buffer.acknowledge("auth", "http", 90, List.of());
            buffer.acknowledge("auth", "console", 90, List.of());
            assertThat(http.read("auth", 90, 100, Long.MAX_VALUE)).extracting(BufferedEvent::event).containsExactlyElementsOf(batch.subList(26, 60));
            assertThat(buffer.totalEvents()).isEqualTo(34);
            assertThat(buffer.verify()).isEqualTo("ok");
            buffer.acknowledge("auth", "http", 124, List.of());
            buffer.acknowledge("auth", "console", 124, List.of());
            assertThat(buffer.totalEvents()).isZero();
            assertThat(buffer.totalBytes()).isZero();
        }
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(String.valueOf(BufferSchema.VERSION));
        }
    }

    private static org.assertj.core.groups.Tuple tuple(long seq, Event event)
    {
        return org.assertj.core.groups.Tuple.tuple(seq, event);
    }

    /** How each stored payload is stored, by its id. */
    private static Map<Long, Integer> payloadCodecs(Path file)
            throws java.sql.SQLException
    {
        Map<Long, Integer> codecs = new java.util.HashMap<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SELECT id, codec FROM block_payloads")) {
            while (rows.next()) {
                codecs.put(rows.getLong(1), rows.getInt(2));
            }
        }
        return codecs;
    }

    /** The events of the version 4 fixture, as it was written. */
    private static Event v4Event(int n)
    {
        return Event.builder().timestamp(Instant.parse("2026-12-06T09:00:00Z").plusSeconds(n))
                .message("Failed password for invalid user admin" + n + " from 203.0.113." + (n % 250) + " port " + (52200 + n) + " ssh2")
                .field("event.action", "auth.login_failed").field("event.outcome", "failure").field("source.ip", "203.0.113." + (n % 250))
                .field("source.port", 52200L + n).field("user.name", "admin" + n).field("log.file.path", "/var/log/auth.log").build();
    }

    /** The events of the fixture, as it was written. */
    private static Event event(int n)
    {
        return Event.builder().timestamp(Instant.parse("2026-12-05T09:00:00Z").plusSeconds(n)).message("sshd[" + n + "]: Failed password for invalid user admin from 203.0.113." + n)
                .field("event.action", "ssh_login").field("event.outcome", "failure").field("source.ip", "203.0.113." + n).field("source.port", 52200L + n)
                .field("user.name", "admin").field("acme.widget_id", "w-" + n).build();
    }
}
