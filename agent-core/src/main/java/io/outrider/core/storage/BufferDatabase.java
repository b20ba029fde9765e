package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.files.PrivateFiles;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The buffer's database: the one writing connection every part of the buffer shares, the lock that serialises its
 * use, the transaction helper, and opening it (the tables and their migrations are {@link BufferSchema}'s). Opening
 * checks integrity; a file that fails is reported as {@link BufferDamagedException} for {@link SqliteBuffer#open} to
 * move aside.
 */
final class BufferDatabase
{
    private static final System.Logger LOG = System.getLogger(SqliteBuffer.class.getName());
    /** The schema this version writes; see {@link BufferSchema} for what each version added. */
    static final int SCHEMA_VERSION = BufferSchema.VERSION;
    /**
     * SQLite's page cache per connection, in KiB ({@code PRAGMA cache_size}; SQLite's default is 2,000 KiB). Every
     * connection fills its cache during a burst and keeps it for the agent's life, and the agent holds one for writing,
     * one for the event log and one per output reader. Blocks are appended at the end of the table and read back
     * soon after, from the WAL in the operating system's page cache: a larger cache of their own saves the readers
     * nothing measurable (bench/e2e-throughput.sh) and costs up to 2 MB resident per connection (docs/footprint.md).
     */
    static final int PAGE_CACHE_KIB = 512;

    private final Connection writer;
    /** The writer's statements prepared once (see {@link #prepared}), by their SQL. Guarded by the write lock. */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    /** Serialises every use of {@link #writer}; the space guard's condition belongs to it. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** What to do when another connection (another process) committed since this one last looked; see {@link #inTransaction}. */
    private SqlAction changedElsewhere = () -> {};
    /** SQLite's {@code data_version} as this connection last saw it: it moves only with other connections' commits. */
    private long seenDataVersion;
    /**
     * Whether the {@code events} table of a buffer written before blocks (schema version 3 or older) still held rows
     * when this buffer opened: they are read and deleted as blocks of one until none are left. Nothing writes that
     * table any more, so a buffer that opened without them never looks there.
     */
    private final boolean legacyEvents;

    BufferDatabase(Connection writer)
            throws SQLException
    {
        this.writer = requireNonNull(writer, "writer is null");
        this.legacyEvents = locked(() -> queryLong("SELECT EXISTS (SELECT 1 FROM events)") == 1);
    }

    /** See {@link #legacyEvents}. */
    boolean legacyEvents()
    {
        return legacyEvents;
    }

    /**
     * Takes {@code count} sequence numbers, within the caller's transaction: the first of them is returned, and the next
     * one is kept in {@code meta}, so that no number is used twice, even when every block was deleted. The caller holds
     * the write lock.
     */
    long takeSequenceNumbers(int count)
            throws SQLException
    {
        long first = nextSeq();
        PreparedStatement update = prepared("UPDATE meta SET value = ? WHERE key = 'next_seq'");
        update.setString(1, String.valueOf(first + count));
        update.executeUpdate();
        return first;
    }

    /** The sequence number the next event gets; the caller holds the write lock. */
    long nextSeq()
            throws SQLException
    {
        try (ResultSet rows = prepared("SELECT value FROM meta WHERE key = 'next_seq'").executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("the buffer's meta table has no next_seq");
            }
            return Long.parseLong(rows.getString(1));
        }
    }

    Connection writer()
    {
        return writer;
    }

    ReentrantLock writeLock()
    {
        return writeLock;
    }

    interface SqlWork<T>
    {
        T run()
                throws SQLException;
    }

    interface SqlAction
    {
        void run()
                throws SQLException;
    }

    /**
     * Runs {@code action} at the start of every transaction after another connection committed (the CLI working on
     * the buffer of a running agent), within that transaction, so that what was derived from the rows can be derived
     * again before anything is counted against it.
     */
    void onChangedElsewhere(SqlAction action)
            throws SQLException
    {
        locked(() -> {
            changedElsewhere = requireNonNull(action, "action is null");
            seenDataVersion = queryLong("PRAGMA data_version");
            return null;
        });
    }

    /**
     * Runs the {@link #onChangedElsewhere} action now if another connection committed since this one last looked, so
     * that figures read between transactions (status, metrics) include another process's changes. Does nothing when
     * the write lock is busy: the next transaction looks anyway, and a reader of a figure must not wait for an append.
     */
    void refreshIfChangedElsewhere()
    {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            // the version first: a commit after it is seen as a change by the next look, and counted again
            long dataVersion = queryLong("PRAGMA data_version");
            if (dataVersion != seenDataVersion) {
                changedElsewhere.run();
                seenDataVersion = dataVersion;
            }
        }
        catch (SQLException e) {
            // the figures stay as they were; the next transaction looks again
        }
        finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction on the writer; the caller holds the write lock. The transaction takes
     * SQLite's write lock when it begins (the writer's transactions are IMMEDIATE), so that a commit by another
     * process is either seen at its start ({@link #onChangedElsewhere}) or waits for its end. A failure is rethrown as
     * it was: after some errors (SQLITE_FULL among them) SQLite has already rolled the transaction back itself, and
     * the driver's own rollback and its commit on leaving manual mode then fail with "no transaction is active",
     * which must not hide the error that tells what happened.
     */
    <T> T inTransaction(SqlWork<T> work)
            throws SQLException
    {
        boolean autoCommit = writer.getAutoCommit();
        writer.setAutoCommit(false);
        T result;
        try {
            long dataVersion;
            try (ResultSet rows = prepared("PRAGMA data_version").executeQuery()) {
                rows.next();
                dataVersion = rows.getLong(1);
            }
            if (dataVersion != seenDataVersion) {
                changedElsewhere.run();
                seenDataVersion = dataVersion;
            }
            result = work.run();
            writer.commit();
        }
        catch (SQLException | RuntimeException e) {
            // the driver finalizes a statement that failed (a full disk, say) without marking it closed: prepare anew
            forgetPrepared();
            try {
                writer.rollback();
            }
            catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            try {
                writer.setAutoCommit(autoCommit);
            }
            catch (SQLException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        writer.setAutoCommit(autoCommit);
        return result;
    }

    /** Runs {@code work} under the write lock. */
    <T> T locked(SqlWork<T> work)
            throws SQLException
    {
        writeLock.lock();
        try {
            return work.run();
        }
        finally {
            writeLock.unlock();
        }
    }

    /** For callers that cannot throw {@link SQLException} (the key-value store of the SPI). */
    static <T> T sql(SqlWork<T> work)
    {
        try {
            return work.run();
        }
        catch (SQLException e) {
            throw new IllegalStateException("state database error: " + e.getMessage(), e);
        }
    }

    /**
     * A statement on the writer, prepared on its first use and kept until the database closes: an acknowledgement runs
     * about ten small statements, and preparing each anew was a good part of its cost. The caller holds the write
     * lock, binds every parameter, and closes the result sets it opens but never the statement. A failed
     * transaction forgets them all ({@link #inTransaction}): the driver finalizes a statement that failed without
     * marking it closed.
     */
    PreparedStatement prepared(String sql)
            throws SQLException
    {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = writer.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** A single number a query or pragma answers; the caller holds the write lock. */
    long queryLong(String sql)
            throws SQLException
    {
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    Optional<String> meta(String key)
            throws SQLException
    {
        return locked(() -> {
            try (PreparedStatement select = writer.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                select.setString(1, key);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    void setMeta(String key, String value)
            throws SQLException
    {
        locked(() -> {
            try (PreparedStatement upsert = writer.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                upsert.setString(1, key);
                upsert.setString(2, value);
                return upsert.executeUpdate();
            }
        });
    }

    /** The names of the {@code field_names} table from {@code firstId} on, while their ids run on without a gap. */
    static List<String> fieldNames(Connection connection, int firstId)
            throws SQLException
    {
        List<String> names = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, name FROM field_names WHERE id >= ? ORDER BY id")) {
            select.setInt(1, firstId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next() && rows.getLong(1) == firstId + names.size()) {
                    names.add(rows.getString(2));
                }
            }
        }
        return names;
    }

    /** Stores names learned since the last commit, within the caller's transaction; the caller holds the write lock. */
    void storeFieldNames(FieldNames.Unstored unstored)
            throws SQLException
    {
        if (unstored.names().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO field_names (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
            for (int i = 0; i < unstored.names().size(); i++) {
                insert.setInt(1, unstored.firstId() + i);
                insert.setString(2, unstored.names().get(i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A PASSIVE checkpoint: it copies what no reader still needs and waits for nobody. */
    void checkpointWal()
    {
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rows.next();
        }
        catch (SQLException e) {
            // not fatal: the WAL stays as it is until the next checkpoint
        }
    }

    /**
     * Rewrites the file with only its used pages ({@code VACUUM}), then truncates the write-ahead log the rewrite went
     * through. Readers on other connections keep reading meanwhile (they see the rows as they were; every table keys
     * its rows by an INTEGER PRIMARY KEY or has none, so no id changes). A reader still in the log leaves it for a later
     * checkpoint to truncate. The caller holds the write lock.
     */
    void vacuum()
            throws SQLException
    {
        // SQLite refuses to VACUUM while a statement of the connection is not reset, and the driver leaves kept ones
        // stepped: they are prepared again on their next use
        forgetPrepared();
        try (Statement statement = writer.createStatement()) {
            statement.executeUpdate("VACUUM");
        }
        try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            rows.next();
        }
    }

    /** Integrity check of the open database: "ok" or SQLite's findings. */
    String verify()
            throws SQLException
    {
        return locked(() -> {
            try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
                List<String> findings = new ArrayList<>();
                while (rows.next()) {
                    findings.add(rows.getString(1));
                }
                return String.join("\n", findings);
            }
        });
    }

    void close()
    {
        forgetPrepared();
        closeQuietly(writer);
    }

    private void forgetPrepared()
    {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            }
            catch (SQLException e) {
                // on close, the connection closes next, and with it whatever is left; else the statement is dropped
            }
        }
        prepared.clear();
    }

    /**
     * A database opened by {@link #openOrReplace}: its connection, what was found before SQLite made a file of
     * nothing (for the loss report), and the damage that made it move a file aside, if it did.
     */
    record Opened(Path file, Connection connection, String found, Optional<String> damage)
    {
    }

    /**
     * Opens (or creates) the buffer's database {@code file}, in a data directory made private. A file that fails
     * SQLite's integrity check, is not a database, or cannot be opened is moved aside as {@code <name>.<time>.bad}
     * (with its WAL) and a new one is created in its place.
     */
    static Opened openOrReplace(Path file, AgentSettings.Durability durability)
            throws IOException, SQLException
    {
        Path dataDirectory = file.getParent();
        PrivateFiles.createDirectories(dataDirectory);
        warnIfShared(dataDirectory);
        Path reserve = dataDirectory.resolve(SqliteBuffer.RESERVE_FILE_NAME);
        if (Files.exists(reserve) && Files.getFileStore(dataDirectory).getUsableSpace() < Files.size(reserve)) {
            // a disk this full may not even have room for SQLite's -wal and -shm: opening comes first
            Files.delete(reserve);
            LOG.log(System.Logger.Level.WARNING, "disk is nearly full: released the buffer's reserve " + reserve + " to open the buffer");
        }
        // what was there before SQLite makes a new file of nothing: a buffer that vanished must not pass for a first start
        String found = !Files.exists(file) ? "missing" : Files.size(file) == 0 ? "empty (0 bytes)" : "there (" + Files.size(file) + " bytes) but held no buffer: its write-ahead log "
                + file.getFileName() + "-wal " + (Files.exists(file.resolveSibling(file.getFileName() + "-wal")) ? "did not hold it either" : "is gone");
        Optional<String> damage = Optional.empty();
        Connection connection;
        try {
            PrivateFiles.createFile(file);
            connection = openChecked(file, durability);
        }
        catch (BufferDamagedException e) {
            Path moved = quarantine(file);
            damage = Optional.of("buffer " + file + " is damaged (" + e.getMessage() + "); moved it aside to " + moved);
            try {
                PrivateFiles.createFile(file);
                connection = openChecked(file, durability);
            }
            catch (BufferDamagedException again) {
                throw new IOException("a new buffer at " + file + " cannot be created: " + again.getMessage(), again);
            }
        }
        // SQLite gives its -wal and -shm the database's mode when it creates them; ones left by an older version are not
        for (String suffix : List.of("-wal", "-shm")) {
            PrivateFiles.restrict(file.resolveSibling(file.getFileName() + suffix));
        }
        return new Opened(file, connection, found, damage);
    }

    /**
     * A data directory made by an older version or by hand keeps its mode (it may be a directory others need, such
     * as a home directory); the buffer's own files are private regardless, but rotated logs of older versions are not.
     */
    private static void warnIfShared(Path dataDirectory)
    {
        try {
            if (Files.getFileStore(dataDirectory).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dataDirectory);
                if (!PrivateFiles.DIRECTORY.containsAll(mode)) {
                    LOG.log(System.Logger.Level.WARNING, "the data directory " + dataDirectory + " is open to other users ("
                            + PosixFilePermissions.toString(mode) + "); the agent's files in it are private, older ones may not be: chmod 700 " + dataDirectory);
                }
            }
        }
        catch (IOException | UnsupportedOperationException e) {
            // nothing to tell
        }
    }

    static Connection openChecked(Path file, AgentSettings.Durability durability)
            throws BufferDamagedException, SQLException
    {
        Connection connection = null;
        try {
            connection = connect(file, durability, true);
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
                    String result = rows.next() ? rows.getString(1) : "no result";
                    if (!"ok".equals(result)) {
                        throw new BufferDamagedException("integrity check: " + result, null);
                    }
                }
            }
            BufferSchema.createOrMigrate(connection, file);
            return connection;
        }
        catch (SQLiteException e) {
            closeQuietly(connection);
            SQLiteErrorCode code = e.getResultCode();
            // only damage the file itself proves; a file we may not open (permissions) or an I/O error of the disk is
            // not the file's fault, and moving it aside would throw away a healthy buffer
            if (code == SQLiteErrorCode.SQLITE_NOTADB || code.name().startsWith("SQLITE_CORRUPT")) {
                throw new BufferDamagedException(code.message, e);
            }
            throw e;
        }
        catch (BufferDamagedException | SQLException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** A reader's connection. */
    static Connection connect(Path file, AgentSettings.Durability durability)
            throws SQLException
    {
        return connect(file, durability, false);
    }

    private static Connection connect(Path file, AgentSettings.Durability durability, boolean writer)
            throws SQLException
    {
        SqliteNativeLibrary.load();
        SqliteNativeLibrary.check();
        SQLiteConfig config = new SQLiteConfig();
        if (writer) {
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(durability == AgentSettings.Durability.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // negative: a size in KiB rather than in pages
        config.setCacheSize(-PAGE_CACHE_KIB);
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    }

    /** Moves a damaged database (with its WAL and shared memory) aside as {@code <name>.<time>.bad}. */
    static Path quarantine(Path file)
            throws IOException
    {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path target = file.resolveSibling(file.getFileName() + "." + stamp + ".bad");
        for (int i = 1; Files.exists(target); i++) {
            target = file.resolveSibling(file.getFileName() + "." + stamp + "-" + i + ".bad");
        }
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
        for (String suffix : List.of("-wal", "-shm")) {
            Path companion = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(companion)) {
                Files.move(companion, target.resolveSibling(target.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    /**
     * Whether SQLite refused a write because the disk (or the file's page cap) is full. The driver reports it as
     * its own exception type, or wrapped in a batch failure that only carries the message.
     */
    static boolean isDiskFull(SQLException failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException && ((SQLiteException) cause).getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
                return true;
            }
            if (cause instanceof SQLException && ((SQLException) cause).getNextException() != null
                    && isDiskFull(((SQLException) cause).getNextException())) {
                return true;
            }
            if (String.valueOf(cause.getMessage()).contains("[SQLITE_FULL]")) {
                return true;
            }
        }
        return false;
    }

    static void closeQuietly(Connection connection)
    {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // closing: nothing left to protect
        }
    }
}
