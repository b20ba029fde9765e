package io.outrider.core.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** The buffer's tables, and the steps that bring a buffer written by an older version up to {@link #VERSION}. */
final class BufferSchema
{
    /** The schema this version writes; see {@link #createOrMigrate} for what each version added. */
    static final int VERSION = 5;

    private BufferSchema() {}

    /**
     * Creates the tables of a new buffer, or brings an older one up to {@link #VERSION}, each step in one
     * transaction with the version it reaches (in {@code meta}):
     * <ol>
     *   <li>the first schema;</li>
     *   <li>{@code events.only_output}: a dead letter replayed for the output that refused it is delivered to that
     *       output only (NULL: every output of the pipeline, as every event before);</li>
     *   <li>{@code field_names}: the field names the buffer learned (see {@link FieldNames}), for payload format
     *       0x03; payloads of the older formats need none and still decode.</li>
     *   <li>{@code blocks} and {@code block_payloads}: events are stored a block per batch an input commits (see
     *       {@link BlockPayload}), with the next sequence number in {@code meta} ({@code next_seq}, after every number
     *       {@code events} used). The rows of {@code events} are not converted: they are read and deleted as blocks
     *       of one until none are left.</li>
     *   <li>{@code block_payloads.codec}: how a payload is stored ({@link BlockCompression}); the payloads stored
     *       before it are as they are ({@code 0}), and are read as before.</li>
     * </ol>
     * A buffer of a newer version is refused with an error that says so, not moved aside as damaged: going back to
     * an older agent must not lose what the newer one buffered.
     */
    static void createOrMigrate(Connection connection, Path file)
            throws SQLException, BufferDamagedException
    {
        Optional<String> found;
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            try (ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
                found = rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
        int version;
        try {
            version = found.map(Integer::parseInt).orElse(0);
        }
        catch (NumberFormatException e) {
            throw new BufferDamagedException("schema version " + found.get() + " is not a number", null);
        }
        if (version > VERSION) {
            throw new SQLException("buffer " + file + " was written by a newer version of Outrider (buffer schema version " + version + "; this version reads up to "
                    + VERSION + "): run that version to deliver what it holds, or move the buffer aside to start a new one");
        }
        if (version < 1) {
            migrate(connection, 1, statement -> {
                // AUTOINCREMENT: sequence numbers are never reused, even when every row was deleted, because cursors point at them
                statement.executeUpdate("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, pipeline TEXT NOT NULL, component TEXT NOT NULL,"
                        + " ingested INTEGER NOT NULL, bytes INTEGER NOT NULL, payload BLOB NOT NULL)");
                statement.executeUpdate("CREATE INDEX IF NOT EXISTS events_by_pipeline ON events (pipeline, seq)");
                statement.executeUpdate("CREATE TABLE IF NOT EXISTS checkpoints (pipeline TEXT NOT NULL, component TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                        + " PRIMARY KEY (pipeline, component, key)) WITHOUT ROWID");
                statement.executeUpdate("CREATE TABLE IF NOT EXISTS cursors (pipeline TEXT NOT NULL, output TEXT NOT NULL, seq INTEGER NOT NULL,"
                        + " PRIMARY KEY (pipeline, output)) WITHOUT ROWID");
                statement.executeUpdate("CREATE TABLE IF NOT EXISTS dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, pipeline TEXT NOT NULL, output TEXT NOT NULL,"
                        + " seq INTEGER NOT NULL, failed_at INTEGER NOT NULL, reason TEXT NOT NULL, payload BLOB NOT NULL)");
                statement.executeUpdate("CREATE TABLE IF NOT EXISTS kv (pipeline TEXT NOT NULL, component TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                        + " PRIMARY KEY (pipeline, component, key)) WITHOUT ROWID");
                statement.executeUpdate("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            });
        }
        if (version < 2) {
            migrate(connection, 2, statement -> {
                statement.executeUpdate("ALTER TABLE events ADD COLUMN only_output TEXT");
                // few rows: only replayed dead letters are for one output
                statement.executeUpdate("CREATE INDEX events_for_one_output ON events (pipeline, seq) WHERE only_output IS NOT NULL");
            });
        }
        if (version < 3) {
            migrate(connection, 3, statement -> statement.executeUpdate("CREATE TABLE field_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"));
        }
        if (version < 4) {
            migrate(connection, 4, statement -> {
                // last_seq rather than a count: the index finds the blocks after a cursor, and those a cursor has all of, in one range
                // the payloads in a table of their own: cutting a block's delivered head updates this small row (its
                // first number, bytes and where in the payload it starts) and never rewrites the payload, and the
                // totals counted at open read these rows only
                statement.executeUpdate("CREATE TABLE blocks (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, pipeline TEXT NOT NULL, component TEXT NOT NULL,"
                        + " ingested INTEGER NOT NULL, bytes INTEGER NOT NULL, only_output TEXT, payload_id INTEGER NOT NULL, payload_offset INTEGER NOT NULL)");
                statement.executeUpdate("CREATE TABLE block_payloads (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
                statement.executeUpdate("CREATE INDEX blocks_by_pipeline ON blocks (pipeline, last_seq)");
                statement.executeUpdate("CREATE INDEX blocks_for_one_output ON blocks (pipeline, last_seq) WHERE only_output IS NOT NULL");
                // AUTOINCREMENT's record outlives the rows: every event may have been delivered and deleted
                statement.executeUpdate("INSERT INTO meta (key, value) SELECT 'next_seq', CAST(MAX(COALESCE((SELECT MAX(seq) FROM events), 0),"
                        + " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)) + 1 AS TEXT)");
            });
        }
        if (version < 5) {
            // a column with a constant default: SQLite adds it without rewriting a row
            migrate(connection, 5, statement -> statement.executeUpdate("ALTER TABLE block_payloads ADD COLUMN codec INTEGER NOT NULL DEFAULT 0"));
        }
    }

    private interface SchemaStep
    {
        void apply(Statement statement)
                throws SQLException;
    }

    private static void migrate(Connection connection, int toVersion, SchemaStep step)
            throws SQLException
    {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            step.apply(statement);
            statement.executeUpdate("INSERT INTO meta (key, value) VALUES ('schema_version', '" + toVersion + "') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            connection.commit();
        }
        catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            }
            catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        finally {
            connection.setAutoCommit(true);
        }
    }
}
