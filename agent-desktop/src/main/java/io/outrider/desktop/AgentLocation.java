package io.outrider.desktop;

import io.outrider.core.config.AgentDefaults;
import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.ConfigLoader;
import io.outrider.core.config.SecretRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the agent that uses a configuration file can be reached: its status endpoint, its data directory (control
 * token) and its log file, read from the file's {@code agent:} section with the agent's own defaults.
 *
 * @param statusEnabled {@code agent.status.enabled}: without it the tray can neither follow nor control the agent
 * @param listen {@code agent.status.listen}
 * @param logFile the log file the agent writes now: {@code agent.log.file} plus the rotation's {@code .0}; empty when
 *        {@code agent.log.file} is not set, and the agent logs to standard error only (the journal under systemd)
 */
public record AgentLocation(boolean statusEnabled, String listen, Path dataDir, Optional<Path> logFile)
{
    public AgentLocation
    {
        requireNonNull(listen, "listen is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(logFile, "logFile is null");
    }

    /** Reads the agent section of {@code configFile}; the agent's defaults when the file does not exist (yet). */
    public static AgentLocation of(Path configFile, Map<String, String> environment)
    {
        AgentDefaults defaults = AgentDefaults.forThisMachine(environment);
        String text = "";
        try {
            if (Files.isRegularFile(configFile)) {
                text = Files.readString(configFile, StandardCharsets.UTF_8);
            }
        }
        catch (IOException e) {
            // unreadable: the defaults are the best guess, and the window reports the error when it opens the file
        }
        AgentSettings agent = new ConfigLoader(environment, defaults, new SecretRegistry())
                .parse(Optional.of(configFile), configFile.toString(), text)
                .agent();
        // the agent's rotating handler writes generation 0 as the current file (see LogSetup)
        Optional<Path> logFile = Optional.ofNullable(agent.log().file()).map(file -> file.resolveSibling(file.getFileName() + ".0"));
        return new AgentLocation(agent.status().enabled(), agent.status().listen(), agent.dataDir(), logFile);
    }

    public AgentClient client()
    {
        return new AgentClient(listen, dataDir);
    }
}
