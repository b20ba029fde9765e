package io.outrider.desktop;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The part of the configuration the window edits; see {@link DesktopConfig} for where each value lives in the file.
 *
 * @param serverUrl the collector's URL ({@code endpoint} of the {@code http} output); empty: no collector output
 * @param format the {@code http} output's wire format
 * @param apiKey the collector's API key; empty: none. Kept out of the YAML (a 0600 file next to it)
 * @param watchPaths files to tail (globs allowed); empty: no file input
 * @param fimEnabled whether the file integrity input exists
 * @param fimPaths what it monitors
 * @param sendHostname whether events carry this machine's host name ({@code agent.host_name} absent)
 * @param reportedHostName the name sent instead when {@code sendHostname} is off
 * @param debugLogging {@code agent.log.level: debug}
 * @param startAtLogin whether the tray starts with the desktop session (an XDG autostart entry, not YAML)
 */
public record DesktopSettings(
        String serverUrl,
        String format,
        String apiKey,
        List<String> watchPaths,
        boolean fimEnabled,
        List<String> fimPaths,
        boolean sendHostname,
        String reportedHostName,
        boolean debugLogging,
        boolean startAtLogin)
{
    public static final List<String> FORMATS = List.of("lognog", "litesoc", "ndjson", "json");

    public DesktopSettings
    {
        requireNonNull(serverUrl, "serverUrl is null");
        requireNonNull(format, "format is null");
        requireNonNull(apiKey, "apiKey is null");
        watchPaths = List.copyOf(watchPaths);
        fimPaths = List.copyOf(fimPaths);
        requireNonNull(reportedHostName, "reportedHostName is null");
    }

    @Override
    public String toString()
    {
        // never the API key
        return "DesktopSettings[serverUrl=" + serverUrl + ", format=" + format + ", apiKey=" + (apiKey.isEmpty() ? "" : "******")
                + ", watchPaths=" + watchPaths + ", fimEnabled=" + fimEnabled + ", fimPaths=" + fimPaths + ", sendHostname=" + sendHostname
                + ", reportedHostName=" + reportedHostName + ", debugLogging=" + debugLogging + ", startAtLogin=" + startAtLogin + "]";
    }
}
