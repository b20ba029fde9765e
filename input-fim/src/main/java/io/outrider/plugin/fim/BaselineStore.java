package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileState.FileType;
import io.outrider.plugin.fim.FileState.HashState;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The baseline: one row per monitored path in a SQLite database in the component's data directory (WAL). Rows are
 * written into an open transaction as they come and committed in large steps, so a baseline of many files costs few
 * commits and holds at most a batch of rows in memory. Used by the input's run thread only.
 *
 * <p>The transaction is committed only after the events that describe its changes were committed by the agent, so a
 * crash in between leaves the old rows, and the change is reported again on restart rather than lost. For the same reason
 * {@code synchronous=NORMAL} is enough: a transaction lost to a power cut only repeats events.
 */
final class BaselineStore
        implements AutoCloseable
{
    static final String FILE_NAME = "fim-baseline.db";
    private static final int ROWS_PER_BATCH = 100;
    private static final String COLUMNS = "path, type, size, mtime_ns, ctime_ns, inode, device, uid, gid, owner, grp, mode, sha256, hash_state, error, link_target";

    private final Connection connection;
    private final PreparedStatement upsert;
    private final PreparedStatement delete;
    private final PreparedStatement selectUnder;
    private int batchedRows;

    private BaselineStore(Connection connection)
            throws SQLException
    {
        this.connection = connection;
        this.upsert = connection.prepareStatement("INSERT OR REPLACE INTO files (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.delete = connection.prepareStatement("DELETE FROM files WHERE path = ?");
        // '0' sorts right after '/': the range holds exactly the paths below the directory
        this.selectUnder = connection.prepareStatement("SELECT " + COLUMNS + " FROM files WHERE path = ? OR (path > ? AND path < ?)");
    }

    /** Opens (creating when needed) the baseline database in {@code directory}. */
    static BaselineStore open(Path directory)
            throws SQLException
    {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        Connection connection = config.createConnection("jdbc:sqlite:" + directory.resolve(FILE_NAME).toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS files ("
                    + "path TEXT PRIMARY KEY, type TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, "
                    + "inode INTEGER NOT NULL, device INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, owner TEXT NOT NULL, grp TEXT NOT NULL, "
                    + "mode INTEGER NOT NULL, sha256 TEXT, hash_state TEXT NOT NULL, error TEXT, link_target TEXT) WITHOUT ROWID");
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            connection.setAutoCommit(false);
            return new BaselineStore(connection);
        }
        catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    Optional<String> meta(String key)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    void putMeta(String key, String value)
            throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, value);
            insert.executeUpdate();
        }
        connection.commit();
    }

    long count()
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM files WHERE type <> 'DIRECTORY'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Every row, by path. */
    Map<String, FileState> loadAll()
            throws SQLException
    {
        Map<String, FileState> states = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT " + COLUMNS + " FROM files")) {
            while (rows.next()) {
                FileState state = read(rows);
                states.put(state.path(), state);
            }
        }
        return states;
    }

    /** The rows of {@code path} and of everything below it, added to {@code states}. */
    void loadUnder(Path path, Map<String, FileState> states)
            throws SQLException
    {
        String text = path.toString();
        String prefix = text.endsWith("/") ? text : text + "/";
        selectUnder.setString(1, text);
        selectUnder.setString(2, prefix);
        selectUnder.setString(3, prefix.substring(0, prefix.length() - 1) + "0");
        try (ResultSet rows = selectUnder.executeQuery()) {
            while (rows.next()) {
                FileState state = read(rows);
                states.put(state.path(), state);
            }
        }
    }

    /**
     * Writes {@code state} into the open transaction (in batches of {@value #ROWS_PER_BATCH}: binding a batch costs a
     * quarter less CPU than one statement per row, and a small batch's values are garbage before they are promoted).
     * Nothing is visible to another connection or survives a crash before {@link #commit}.
     */
    void write(FileState state)
            throws SQLException
    {
        bind(state);
        upsert.addBatch();
        batchedRows++;
        if (batchedRows >= ROWS_PER_BATCH) {
            executeBatch();
        }
    }

    /** Removes the row of {@code path} in the open transaction, after the rows written before. */
    void remove(String path)
            throws SQLException
    {
        executeBatch();
        delete.setString(1, path);
        delete.executeUpdate();
    }

    /** Commits the open transaction: what was written and removed since the last commit becomes the baseline. */
    void commit()
            throws SQLException
    {
        executeBatch();
        connection.commit();
    }

    private void executeBatch()
            throws SQLException
    {
        if (batchedRows > 0) {
            batchedRows = 0;
            upsert.executeBatch();
        }
    }

    private void bind(FileState state)
            throws SQLException
    {
        upsert.setString(1, state.path());
        upsert.setString(2, state.type().name());
        upsert.setLong(3, state.size());
        upsert.setLong(4, state.mtimeNanos());
        upsert.setLong(5, state.ctimeNanos());
        upsert.setLong(6, state.inode());
        upsert.setLong(7, state.device());
        upsert.setInt(8, state.uid());
        upsert.setInt(9, state.gid());
        upsert.setString(10, state.owner());
        upsert.setString(11, state.group());
        upsert.setInt(12, state.mode());
        setNullable(13, state.sha256());
        upsert.setString(14, state.hashState().name());
        setNullable(15, state.error());
        setNullable(16, state.linkTarget());
    }

    private void setNullable(int index, String value)
            throws SQLException
    {
        if (value == null) {
            upsert.setNull(index, Types.VARCHAR);
        }
        else {
            upsert.setString(index, value);
        }
    }

    private static FileState read(ResultSet rows)
            throws SQLException
    {
        return new FileState(
                rows.getString(1),
                FileType.valueOf(rows.getString(2).toUpperCase(Locale.ROOT)),
                rows.getLong(3),
                rows.getLong(4),
                rows.getLong(5),
                rows.getLong(6),
                rows.getLong(7),
                rows.getInt(8),
                rows.getInt(9),
                rows.getString(10),
                rows.getString(11),
                rows.getInt(12),
                rows.getString(13),
                HashState.valueOf(rows.getString(14)),
                rows.getString(15),
                rows.getString(16));
    }

    @Override
    public void close()
            throws SQLException
    {
        try {
            connection.rollback();
        }
        finally {
            connection.close();
        }
    }
}
