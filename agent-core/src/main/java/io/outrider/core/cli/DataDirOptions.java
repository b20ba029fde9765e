package io.outrider.core.cli;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.CliEnvironment;
import io.outrider.core.storage.SqliteBuffer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/** Where the buffer is: {@code --data-dir DIR}, else the {@code agent.data_dir} of the configuration {@link ConfigOptions} finds. */
final class DataDirOptions
{
    @Mixin
    ConfigOptions config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the agent's data directory (default: the configuration's agent.data_dir, found as for -c)")
    Path dataDir;

    /**
     * The data directory; empty (with the reason printed) when the configuration's {@code agent:} section cannot be read.
     * Only that section is read: the buffer must stay readable when a pipeline does not load, say an output's
     * {@code ${VAR}} that only the service's environment sets, or a plugin that is gone after an upgrade.
     */
    Optional<Path> resolve(CliEnvironment cliEnvironment)
    {
        if (dataDir != null) {
            return Optional.of(dataDir);
        }
        Optional<ConfigOptions.Resolved> resolved = config.resolve(cliEnvironment, System.err);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        return ConfigOptions.loadAgentSettings(resolved.get(), System.err).map(AgentSettings::dataDir);
    }

    /** Opens the buffer of that data directory; empty (with a message) when there is none. */
    Optional<SqliteBuffer> open(CliEnvironment cliEnvironment)
            throws IOException, SQLException
    {
        Optional<Path> dir = resolve(cliEnvironment);
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
