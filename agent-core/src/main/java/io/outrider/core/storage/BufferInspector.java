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
        boolean blocks = hasTable("blocks");
        List<String> pipelines = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pipeline FROM events UNION SELECT pipeline FROM cursors UNION SELECT pipeline FROM dead_letters"
                        + (blocks ? " UNION SELECT pipeline FROM blocks" : "") + " ORDER BY 1")) {
            while (rows.next()) {
                pipelines.add(rows.getString(1));
            }
        }
        // dead letters replayed for one output are in no other output's backlog (a buffer of the first schema has none)
        boolean onlyOutput = hasColumn("events", "only_output");
        List<PipelineStats> stats = new ArrayList<>();
        for (String pipeline : pipelines) {
            // the rows of a buffer written before blocks (blocks of one), then the blocks, all newer
            long[] figures = pipelineFigures("SELECT COUNT(*), COALESCE(SUM(bytes), 0), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0), COALESCE(MIN(ingested), 0) FROM events WHERE pipeline = ?", pipeline);
            if (blocks) {
                long[] inBlocks = pipelineFigures("SELECT COALESCE(SUM(last_seq - first_seq + 1), 0), COALESCE(SUM(bytes), 0), COALESCE(MIN(first_seq), 0), COALESCE(MAX(last_seq), 0),"
                        + " COALESCE(MIN(ingested), 0) FROM blocks WHERE pipeline = ?", pipeline);
                if (figures[0] == 0) {
                    figures = inBlocks;
                }
                else if (inBlocks[0] > 0) {
                    figures = new long[] {figures[0] + inBlocks[0], figures[1] + inBlocks[1], figures[2], inBlocks[3], Math.min(figures[4], inBlocks[4])};
                }
            }
            List<CursorStats> cursors = new ArrayList<>();
            String backlog = "(SELECT COUNT(*) FROM events e WHERE e.pipeline = c.pipeline AND e.seq > c.seq" + (onlyOutput ? " AND (e.only_output IS NULL OR e.only_output = c.output)" : "") + ")";
            if (blocks) {
                backlog += " + (SELECT COALESCE(SUM(b.last_seq - MAX(b.first_seq, c.seq + 1) + 1), 0) FROM blocks b WHERE b.pipeline = c.pipeline AND b.last_seq > c.seq"
                        + " AND (b.only_output IS NULL OR b.only_output = c.output))";
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT c.output, c.seq, " + backlog + " FROM cursors c WHERE c.pipeline = ? ORDER BY c.output")) {
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
            stats.add(new PipelineStats(pipeline, figures[0], figures[1], figures[2], figures[3], figures[4], cursors, deadLetters));
        }
        return stats;
    }

    /** Events, bytes, first and last sequence number, oldest ingestion time of one pipeline, as {@code sql} counts them. */
    private long[] pipelineFigures(String sql, String pipeline)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, pipeline);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)};
            }
        }
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

    /** How the payloads are stored: the column of schema 5 on, else {@code 0} (stored as they are, {@link BlockCompression#RAW}). */
    private String payloadCodec()
            throws SQLException
    {
        return hasColumn("block_payloads", "codec") ? "p.codec" : "0";
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
        if (events.size() < limit && hasTable("blocks")) {
            try (PreparedStatement select = connection.prepareStatement("SELECT b.first_seq, b.last_seq, b.ingested, b.payload_offset, p.payload, " + payloadCodec()
                    + " FROM blocks b JOIN block_payloads p ON p.id = b.payload_id WHERE (? IS NULL OR b.pipeline = ?) ORDER BY b.first_seq LIMIT ?")) {
                select.setString(1, pipeline);
                select.setString(2, pipeline);
                select.setInt(3, limit - events.size());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next() && events.size() < limit) {
                        long ingested = rows.getLong(3);
                        BlockPayload.forEachReadable(BlockPayload.readable(rows.getBytes(5), rows.getInt(6)), rows.getInt(4), rows.getLong(1), rows.getLong(2), (seq, block, offset, length) -> {
                            events.add(new BufferedEvent(seq, ingested, length, BlockPayload.event(block, offset, length), codec));
                            return events.size() < limit;
                        });
                    }
                }
            }
        }
        return events;
    }

    /**
     * SQLite's full integrity check plus the buffer's own invariants (every block holds the events it says; every
     * event decodes; no cursor beyond the last sequence number ever used).
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
        long[] undecodable = {0};
        long[] firstBad = {-1};
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT seq, payload FROM events ORDER BY seq")) {
            while (rows.next()) {
                checkDecodes(rows.getLong(1), rows.getBytes(2), 0, -1, undecodable, firstBad);
            }
        }
        boolean blocks = hasTable("blocks");
        if (blocks) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT b.first_seq, b.last_seq, b.payload_offset, p.payload, " + payloadCodec() + " FROM blocks b LEFT JOIN block_payloads p ON p.id = b.payload_id"
                            + " ORDER BY b.first_seq")) {
                while (rows.next()) {
                    if (rows.getBytes(4) == null) {
                        findings.add("buffered block " + rows.getLong(1) + ".." + rows.getLong(2) + " has no payload");
                        continue;
                    }
                    byte[] payload;
                    try {
                        payload = BlockCompression.decompress(rows.getBytes(4), rows.getInt(5));
                    }
                    catch (IllegalStateException e) {
                        findings.add("buffered block " + rows.getLong(1) + ".." + rows.getLong(2) + ": " + e.getMessage());
                        continue;
                    }
                    try {
                        BlockPayload.forEach(payload, rows.getInt(3), rows.getLong(1), rows.getLong(2), (seq, block, offset, length) -> {
                            checkDecodes(seq, block, offset, length, undecodable, firstBad);
                            return true;
                        });
                    }
                    catch (IllegalStateException e) {
                        findings.add(e.getMessage());
                    }
                }
            }
        }
        if (undecodable[0] > 0) {
            findings.add(undecodable[0] + " buffered event(s) cannot be decoded (first at seq " + firstBad[0] + ")");
        }
        String lastEverWritten = blocks ? "(SELECT CAST(value AS INTEGER) - 1 FROM meta WHERE key = 'next_seq')" : "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)";
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT c.pipeline, c.output, c.seq FROM cursors c WHERE c.seq > " + lastEverWritten)) {
            while (rows.next()) {
                findings.add("cursor of " + rows.getString(1) + "." + rows.getString(2) + " is at " + rows.getLong(3) + ", beyond the last sequence number ever written");
            }
        }
        return findings;
    }

    /** Decodes one event ({@code length} -1: all of {@code payload}) and counts it when it does not. */
    private void checkDecodes(long seq, byte[] payload, int offset, int length, long[] undecodable, long[] firstBad)
    {
        try {
            codec.decode(length < 0 ? payload : BlockPayload.event(payload, offset, length));
        }
        catch (RuntimeException e) {
            undecodable[0]++;
            if (firstBad[0] < 0) {
                firstBad[0] = seq;
            }
        }
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
