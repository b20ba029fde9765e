package io.outrider.desktop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestAutostartEntry
{
    @TempDir
    Path directory;

    @Test
    void writesAnXdgAutostartEntryThatStartsTheTrayForTheFile()
            throws Exception
    {
        Path config = directory.resolve("my configs").resolve("outrider.yaml");
        AutostartEntry entry = AutostartEntry.forUser(Map.of("XDG_CONFIG_HOME", directory.toString(), "OUTRIDER_HOME", "/opt/outrider"), config);
        assertThat(entry.file()).isEqualTo(directory.resolve("autostart").resolve("outrider-tray.desktop"));
        assertThat(entry.enabled()).isFalse();

        entry.setEnabled(true);
        assertThat(entry.enabled()).isTrue();
        assertThat(Files.readString(entry.file())).isEqualTo("""
                [Desktop Entry]
                Type=Application
                Name=Outrider tray
                Comment=Shows the Outrider agent's state in the system tray
                Exec=/opt/outrider/bin/outrider tray -c "%s"
                Terminal=false
                X-GNOME-Autostart-enabled=true
                """.formatted(config));

        entry.setEnabled(false);
        assertThat(Files.exists(entry.file())).isFalse();
    }
}
