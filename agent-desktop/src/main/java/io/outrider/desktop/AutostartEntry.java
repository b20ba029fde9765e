package io.outrider.desktop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * "Start at login": an XDG autostart entry ({@code ~/.config/autostart/outrider-tray.desktop}) that desktop sessions
 * (GNOME, KDE, Xfce, LXQt, ...) run when the user logs in. It starts the tray; the agent service itself starts at
 * boot through the system's service manager.
 */
public final class AutostartEntry
{
    public static final String FILE_NAME = "outrider-tray.desktop";

    private final Path file;
    private final String command;

    public AutostartEntry(Path autostartDirectory, String command)
    {
        this.file = requireNonNull(autostartDirectory, "autostartDirectory is null").resolve(FILE_NAME);
        this.command = requireNonNull(command, "command is null");
    }

    /** The user's autostart folder ({@code $XDG_CONFIG_HOME/autostart}, else {@code ~/.config/autostart}), starting the tray for {@code configFile}. */
    public static AutostartEntry forUser(Map<String, String> environment, Path configFile)
    {
        String configHome = environment.get("XDG_CONFIG_HOME");
        Path directory = configHome != null && !configHome.isBlank()
                ? Path.of(configHome, "autostart")
                : Path.of(System.getProperty("user.home"), ".config", "autostart");
        String home = environment.getOrDefault("OUTRIDER_HOME", System.getProperty("outrider.home", ""));
        String launcher = home.isEmpty() ? "outrider" : Path.of(home, "bin", "outrider").toAbsolutePath().normalize().toString();
        return new AutostartEntry(directory, quote(launcher) + " tray -c " + quote(configFile.toAbsolutePath().normalize().toString()));
    }

    public Path file()
    {
        return file;
    }

    public boolean enabled()
    {
        return Files.isRegularFile(file);
    }

    public void setEnabled(boolean enabled)
            throws IOException
    {
        if (!enabled) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                [Desktop Entry]
                Type=Application
                Name=Outrider tray
                Comment=Shows the Outrider agent's state in the system tray
                Exec=%s
                Terminal=false
                X-GNOME-Autostart-enabled=true
                """.formatted(command), StandardCharsets.UTF_8);
    }

    /** Desktop Entry Exec quoting: double quotes around arguments with spaces or specials. */
    private static String quote(String argument)
    {
        if (argument.chars().allMatch(c -> Character.isLetterOrDigit(c) || "/._-+:@".indexOf(c) >= 0)) {
            return argument;
        }
        return "\"" + argument.replace("\\", "\\\\\\\\").replace("\"", "\\\"").replace("`", "\\`").replace("$", "\\$") + "\"";
    }
}
