package io.outrider.core.storage;

import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Looks into a buffer file read-only, with or without a running agent: what {@code outrider buffer} shows. Unlike
 * {@link SqliteBuffer#open}, it never moves a damaged file aside; it reports what it finds.
 */
public final class BufferInspector
        implements AutoCloseable
{
    private final Path file;
    private final Connection connection;
    /** Decodes with the buffer's field names (none in a buffer of an older schema, whose payloads need none). */
    private final EventCodec codec;

    private BufferInspector(Path file, Connection connection)
    {
        this.file = file;
        this.connection = connection;
        // read when a payload first needs them: a damaged file must still open, for verify to report what it finds
        this.codec = EventCodec.of(FieldNames.readWhenNeeded(firstId -> hasTable("field_names") ? BufferDatabase.fieldNames(connection, firstId) : List.of()));
    }

    /** @throws SQLException when the file is not a database at all (reported by the caller as damage) */
    public static BufferInspector open(Path file)
            throws SQLException
    {
        requireNonNull(file, "file is null");
        if (!Files.isRegularFile(file)) {
            throw new SQLException("no buffer at " + file);
        }
        SqliteNativeLibrary.load();
        SqliteNativeLibrary.check();
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5_000);
        return new BufferInspector(file, DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties()));
    }

    /** One pipeline's share of the buffer. */
    public record PipelineStats(String pipeline, long events, long bytes, long firstSeq, long lastSeq, long oldestIngestedMillis, List<CursorStats> cursors, long deadLetters)
    {
    }

    /** One output's position: its cursor and how many events it has still to deliver. */
    public record CursorStats(String output, long seq, long backlog)
    {
    }

    public List<PipelineStats> stats()
            throws SQLException
    {
        List<String> pipelines = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pipeline FROM events UNION SELECT pipeline FROM cursors UNION SELECT pipeline FROM dead_letters ORDER BY 1")) {
            while (rows.next()) {
                pipelines.add(rows.getString(1));
            }
        }
        List<PipelineStats> stats = new ArrayList<>();
        for (String pipeline : pipelines) {
            long events;
            long bytes;
            long first;
            long last;
            long oldest;
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*), COALESCE(SUM(bytes), 0), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0), COALESCE(MIN(ingested), 0) FROM events WHERE pipeline = ?")) {
                select.setString(1, pipeline);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    events = rows.getLong(1);
                    bytes = rows.getLong(2);
                    first = rows.getLong(3);
                    last = rows.getLong(4);
                    oldest = rows.getLong(5);
                }
            }
            List<CursorStats> cursors = new ArrayList<>();
            // dead letters replayed for one output are in no other output's backlog (a buffer of the first schema has none)
            String forThisOutput = hasColumn("events", "only_output") ? " AND (e.only_output IS NULL OR e.only_output = c.output)" : "";
            try (PreparedStatement select = connection.prepareStatement("SELECT c.output, c.seq, (SELECT COUNT(*) FROM events e WHERE e.pipeline = c.pipeline AND e.seq > c.seq"
                    + forThisOutput + ") FROM cursors c WHERE c.pipeline = ? ORDER BY c.output")) {
                select.setString(1, pipeline);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        cursors.add(new CursorStats(rows.getString(1), rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
            long deadLetters;
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM dead_letters WHERE pipeline = ?")) {
                select.setString(1, pipeline);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    deadLetters = rows.getLong(1);
                }
            }
            stats.add(new PipelineStats(pipeline, events, bytes, first, last, oldest, cursors, deadLetters));
        }
        return stats;
    }

    private boolean hasTable(String table)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            select.setString(1, table);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }

    private boolean hasColumn(String table, String column)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?")) {
            select.setString(1, table);
            select.setString(2, column);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }

    /** The oldest {@code limit} buffered events of a pipeline (all pipelines when null), in order. */
    public List<BufferedEvent> oldest(String pipeline, int limit)
            throws SQLException
    {
        List<BufferedEvent> events = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, ingested, bytes, payload FROM events WHERE (? IS NULL OR pipeline = ?) ORDER BY seq LIMIT ?")) {
            select.setString(1, pipeline);
            select.setString(2, pipeline);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new BufferedEvent(rows.getLong(1), rows.getLong(2), rows.getInt(3), rows.getBytes(4), codec));
                }
            }
        }
        return events;
    }

    /**
     * SQLite's full integrity check plus the buffer's own invariants (every event decodes; no cursor beyond the
     * last sequence number ever used).
     *
     * @return findings; empty when the buffer is sound
     */
    public List<String> verify()
            throws SQLException
    {
        List<String> findings = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            while (rows.next()) {
                if (!"ok".equals(rows.getString(1))) {
                    findings.add("sqlite: " + rows.getString(1));
                }
            }
        }
        if (!findings.isEmpty()) {
            return findings;
        }
        long undecodable = 0;
        long firstBad = -1;
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT seq, payload FROM events ORDER BY seq")) {
            while (rows.next()) {
                try {
                    codec.decode(rows.getBytes(2));
                }
                catch (RuntimeException e) {
                    undecodable++;
                    if (firstBad < 0) {
                        firstBad = rows.getLong(1);
                    }
                }
            }
        }
        if (undecodable > 0) {
            findings.add(undecodable + " buffered event(s) cannot be decoded (first at seq " + firstBad + ")");
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT c.pipeline, c.output, c.seq FROM cursors c WHERE c.seq > COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)")) {
            while (rows.next()) {
                findings.add("cursor of " + rows.getString(1) + "." + rows.getString(2) + " is at " + rows.getLong(3) + ", beyond the last sequence number ever written");
            }
        }
        return findings;
    }

    public Path file()
    {
        return file;
    }

    @Override
    public void close()
            throws SQLException
    {
        connection.close();
    }
}
