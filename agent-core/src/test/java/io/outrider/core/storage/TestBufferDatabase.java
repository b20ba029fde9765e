package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer's statements that every acknowledgement runs are prepared once and survive what the driver does to them. */
class TestBufferDatabase
{
    private static final String CURSOR = "SELECT seq FROM cursors WHERE pipeline = ? AND output = ?";

    @TempDir
    Path dataDirectory;

    @Test
    void aStatementIsPreparedOnceAndAgainOnlyAfterTheDriverClosedIt()
            throws Exception
    {
        BufferDatabase database = new BufferDatabase(BufferDatabase.openOrReplace(dataDirectory.resolve(SqliteBuffer.FILE_NAME), AgentSettings.Durability.NORMAL).connection());
        try {
            PreparedStatement first = database.locked(() -> database.prepared(CURSOR));
            database.locked(() -> database.inTransaction(() -> {
                PreparedStatement insert = database.prepared("INSERT INTO cursors (pipeline, output, seq) VALUES (?, ?, ?)");
                insert.setString(1, "ssh");
                insert.setString(2, "siem");
                insert.setLong(3, 42);
                return insert.executeUpdate();
            }));
            assertThat(database.locked(() -> database.prepared(CURSOR))).isSameAs(first);
            assertThat(cursor(database)).isEqualTo(42);

            // what the driver does to a statement whose step failed with an error such as SQLITE_FULL
            first.close();
            PreparedStatement again = database.locked(() -> database.prepared(CURSOR));
            assertThat(again).isNotSameAs(first);
            assertThat(cursor(database)).isEqualTo(42);
        }
        finally {
            database.close();
        }
    }

    private static long cursor(BufferDatabase database)
            throws Exception
    {
        return database.locked(() -> {
            PreparedStatement select = database.prepared(CURSOR);
            select.setString(1, "ssh");
            select.setString(2, "siem");
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1L;
            }
        });
    }
}
