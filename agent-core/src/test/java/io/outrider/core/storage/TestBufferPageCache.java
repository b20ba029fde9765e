package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class TestBufferPageCache
{
    @TempDir
    Path temporary;

    @Test
    void theWritingAndTheReadingConnectionsKeepAPageCacheOf512KiB()
            throws Exception
    {
        // every connection keeps its cache for the agent's life: SQLite's default (2,000 KiB) three times over stayed resident after a burst
        Path file = temporary.resolve(SqliteBuffer.FILE_NAME);
        for (AgentSettings.Durability durability : AgentSettings.Durability.values()) {
            try (Connection writer = BufferDatabase.openChecked(file, durability); Connection reader = BufferDatabase.connect(file, durability)) {
                assertThat(cacheSize(writer)).as("writer, durability %s", durability).isEqualTo(-512);
                assertThat(cacheSize(reader)).as("reader, durability %s", durability).isEqualTo(-512);
            }
        }
    }

    private static long cacheSize(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA cache_size")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }
}
