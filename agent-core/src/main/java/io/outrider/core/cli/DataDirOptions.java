package io.outrider.core.cli;

import io.outrider.core.config.AgentDefaults;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.storage.SqliteBuffer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/** Where the buffer is: {@code --data-dir DIR}, else the configuration's {@code agent.data_dir}, else the default. */
final class DataDirOptions
{
    @Mixin
    ConfigOptions config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the agent's data directory (default: from -c, else the default data directory)")
    Path dataDir;

    Optional<Path> resolve()
    {
        if (dataDir != null) {
            return Optional.of(dataDir);
        }
        Bootstrap bootstrap = ConfigOptions.bootstrap();
        if (config.file().isEmpty()) {
            return Optional.of(AgentDefaults.forThisMachine(bootstrap.environment()).dataDir());
        }
        return config.load(bootstrap, System.err).map(loaded -> loaded.configuration().agent().dataDir());
    }

    /** Opens the buffer of that data directory; empty (with a message) when there is none. */
    Optional<SqliteBuffer> open()
            throws IOException, SQLException
    {
        Optional<Path> dir = resolve();
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        if (!Files.exists(dir.get().resolve(SqliteBuffer.FILE_NAME))) {
            System.err.println("no buffer in " + dir.get() + " (" + SqliteBuffer.FILE_NAME + " does not exist)");
            return Optional.empty();
        }
        return Optional.of(SqliteBuffer.open(dir.get(), new AgentSettings.BufferSettings(null, null, null), Clock.systemUTC()));
    }
}
