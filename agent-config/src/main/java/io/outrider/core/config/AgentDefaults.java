package io.outrider.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** What an absent {@code agent:} setting means on this machine. */
public record AgentDefaults(Path dataDir, Path pluginsDir, String hostName)
{
    public AgentDefaults
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(hostName, "hostName is null");
    }

    /**
     * Defaults for this process: plugins from {@code $OUTRIDER_HOME/plugins} (the launcher sets it), data in
     * {@code $OUTRIDER_DATA_DIR}, else {@code /var/lib/outrider} when writable (a service), else
     * {@code ~/.local/state/outrider} (a user trying it out).
     */
    public static AgentDefaults forThisMachine(Map<String, String> environment)
    {
        Path home = Path.of(environment.getOrDefault("OUTRIDER_HOME", System.getProperty("outrider.home", ".")));
        Path dataDir;
        if (environment.containsKey("OUTRIDER_DATA_DIR")) {
            dataDir = Path.of(environment.get("OUTRIDER_DATA_DIR"));
        }
        else {
            Path system = Path.of("/var/lib/outrider");
            Path parent = system.getParent();
            boolean writable = Files.isDirectory(system) ? Files.isWritable(system) : Files.isWritable(parent);
            dataDir = writable ? system : Path.of(System.getProperty("user.home"), ".local", "state", "outrider");
        }
        return new AgentDefaults(dataDir.toAbsolutePath().normalize(), home.resolve("plugins").toAbsolutePath().normalize(), localHostName(environment));
    }

    static String localHostName(Map<String, String> environment)
    {
        try {
            Path hostname = Path.of("/etc/hostname");
            if (Files.isReadable(hostname)) {
                String name = Files.readString(hostname).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        }
        catch (java.io.IOException ignored) {
            // fall through to the other sources
        }
        String fromEnvironment = environment.getOrDefault("HOSTNAME", environment.get("COMPUTERNAME"));
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
