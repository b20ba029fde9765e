package io.outrider.core.storage;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.files.PrivateFiles;
import io.outrider.core.logging.LogSetup;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.logging.LogManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TestPrivateFiles
{
    @TempDir
    Path temporary;

    @BeforeEach
    void requirePosix()
            throws IOException
    {
        assumeTrue(Files.getFileStore(temporary).supportsFileAttributeView("posix"), "the temporary directory's file system has no POSIX permissions");
    }

    @AfterEach
    void resetLogging()
    {
        LogManager.getLogManager().reset();
    }

    @Test
    void theBufferCreatesItsDirectoryAndFilesPrivateWhateverTheUmask()
            throws Exception
    {
        Path dataDirectory = temporary.resolve("state").resolve("outrider");
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("1MiB"), null, null), Clock.systemUTC())) {
            buffer.registerOutputs("p", Set.of("siem"));
            buffer.append("p", "in", List.of(Event.builder().timestamp(Instant.EPOCH).message("Accepted password for root").build()), List.of(Checkpoint.of("offset", "1")));

            assertThat(mode(dataDirectory)).isEqualTo("rwx------");
            assertThat(mode(dataDirectory.getParent())).isEqualTo("rwx------");
            for (String name : List.of(SqliteBuffer.FILE_NAME, SqliteBuffer.FILE_NAME + "-wal", SqliteBuffer.FILE_NAME + "-shm", SqliteBuffer.RESERVE_FILE_NAME, CheckpointMirror.FILE_NAME)) {
                assertThat(dataDirectory.resolve(name)).exists();
                assertThat(mode(dataDirectory.resolve(name))).as(name).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void anExistingBufferLeftReadableIsMadePrivate()
            throws Exception
    {
        Path dataDirectory = temporary.resolve("data");
        AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("1MiB"), null, null);
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
            buffer.append("p", "in", List.of(), List.of(Checkpoint.of("offset", "1")));
        }
        Files.setPosixFilePermissions(dataDirectory.resolve(SqliteBuffer.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));

        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
            assertThat(mode(buffer.file())).isEqualTo("rw-------");
            assertThat(mode(dataDirectory.resolve(SqliteBuffer.FILE_NAME + "-wal"))).isEqualTo("rw-------");
        }
    }

    @Test
    void theLogDirectoryAndFileInTheDataDirectoryArePrivate()
            throws Exception
    {
        // a log file only when agent.log.file is set; in the data directory, the log creates that directory first
        Path dataDirectory = temporary.resolve("data");
        AgentSettings.LogSettings log = new AgentSettings.LogSettings(null, dataDirectory.resolve("logs").resolve("outrider.log"), null, null);
        AgentSettings settings = new AgentSettings(dataDirectory, "h", temporary, null, null, log, null, null);

        Path file = LogSetup.forAgent(settings, java.util.logging.Level.INFO, new SecretRegistry(), io.outrider.core.logging.RedactingFormatter.Style.SINGLE_LINE,
                new java.io.ByteArrayOutputStream()).orElseThrow();

        assertThat(mode(dataDirectory)).isEqualTo("rwx------");
        assertThat(mode(dataDirectory.resolve("logs"))).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void anExistingSharedDirectoryKeepsItsMode()
            throws Exception
    {
        Path shared = Files.createDirectory(temporary.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        PrivateFiles.createDirectories(shared.resolve("outrider"));
        PrivateFiles.createFile(shared.resolve("outrider").resolve("state"));

        assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
        assertThat(mode(shared.resolve("outrider"))).isEqualTo("rwx------");
        assertThat(mode(shared.resolve("outrider").resolve("state"))).isEqualTo("rw-------");
    }

    @Test
    void aDataDirectoryOpenToOthersIsReportedAndLeftAsItIs()
            throws Exception
    {
        Path dataDirectory = Files.createDirectory(temporary.resolve("data"));
        Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler()
        {
            @Override
            public void publish(java.util.logging.LogRecord record)
            {
                if (record.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(SqliteBuffer.class.getName());
        logger.addHandler(capture);
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, new AgentSettings.BufferSettings(DataSize.parse("1MiB"), null, null), Clock.systemUTC())) {
            assertThat(warnings).containsExactly("the data directory " + dataDirectory + " is open to other users (rwxr-xr-x); the agent's files in it are private,"
                    + " older ones may not be: chmod 700 " + dataDirectory);
            assertThat(mode(dataDirectory)).isEqualTo("rwxr-xr-x");
            assertThat(mode(buffer.file())).isEqualTo("rw-------");
        }
        finally {
            logger.removeHandler(capture);
        }
    }

    private static String mode(Path path)
            throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
