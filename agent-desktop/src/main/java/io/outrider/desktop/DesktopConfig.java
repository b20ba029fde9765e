package io.outrider.desktop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Maps {@link DesktopSettings} to and from a configuration file. The window owns exactly these keys and nothing else:
 * <pre>
 * agent:
 *   host_name: NAME                      # only when "Send hostname" is off
 *   log:
 *     level: debug                       # only when "Debug logging" is on
 * pipelines:
 *   desktop:
 *     inputs:
 *       watched_files:                   # absent when the list is empty
 *         type: file
 *         paths: [GLOB, ...]
 *       file_integrity:                  # absent when monitoring is off
 *         type: fim
 *         paths: [PATH, ...]
 *     outputs:
 *       collector:                       # absent when there is no server URL
 *         type: http
 *         format: lognog
 *         endpoint: URL
 *         api_key: ${file:desktop-api-key}
 * </pre>
 * A key is only written when its value changed, so saving an unchanged window leaves the file as it was. Other keys of
 * these components ({@code exclude}, {@code delivery}, ...) and everything else in the file are kept byte for byte.
 */
public final class DesktopConfig
{
    public static final String PIPELINE_ID = "desktop";
    public static final String SECRET_FILE_NAME = "desktop-api-key";

    static final List<String> HOST_NAME = List.of("agent", "host_name");
    static final List<String> LOG_LEVEL = List.of("agent", "log", "level");
    static final List<String> WATCHED_FILES = List.of("pipelines", PIPELINE_ID, "inputs", "watched_files");
    static final List<String> FILE_INTEGRITY = List.of("pipelines", PIPELINE_ID, "inputs", "file_integrity");
    static final List<String> COLLECTOR = List.of("pipelines", PIPELINE_ID, "outputs", "collector");

    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:([^}]+)}");

    private final Path configFile;
    private final YamlDocument document;

    private DesktopConfig(Path configFile, YamlDocument document)
    {
        this.configFile = requireNonNull(configFile, "configFile is null");
        this.document = requireNonNull(document, "document is null");
    }

    /**
     * Reads the file; a missing file is an empty configuration (the window creates it).
     *
     * @throws YamlDocument.YamlEditException when it is not YAML with a mapping at the top
     */
    public static DesktopConfig read(Path configFile)
            throws IOException
    {
        String text = Files.exists(configFile) ? Files.readString(configFile, StandardCharsets.UTF_8) : "";
        return new DesktopConfig(configFile, YamlDocument.parse(text));
    }

    public Path configFile()
    {
        return configFile;
    }

    public String text()
    {
        return document.text();
    }

    /** The window's view of the file; the API key is read from the secret file the YAML points at. */
    public DesktopSettings settings(boolean startAtLogin)
    {
        Optional<String> hostName = document.scalar(HOST_NAME);
        boolean fimEnabled = document.node(FILE_INTEGRITY).isPresent();
        return new DesktopSettings(
                document.scalar(child(COLLECTOR, "endpoint")).orElse(""),
                document.scalar(child(COLLECTOR, "format")).orElse(DesktopSettings.FORMATS.get(0)),
                apiKey(),
                document.strings(child(WATCHED_FILES, "paths")),
                fimEnabled,
                document.strings(child(FILE_INTEGRITY, "paths")),
                hostName.isEmpty(),
                hostName.orElse(""),
                document.scalar(LOG_LEVEL).map(level -> level.equalsIgnoreCase("debug")).orElse(false),
                startAtLogin);
    }

    /** The secret file the collector's {@code api_key} names, or the default one next to the configuration. */
    public Path secretFile()
    {
        return apiKeyReference()
                .map(FILE_REFERENCE::matcher)
                .filter(Matcher::matches)
                .map(matcher -> configDirectory().resolve(matcher.group(1)))
                .orElse(configDirectory().resolve(SECRET_FILE_NAME));
    }

    /**
     * The file's text with {@code settings} applied, touching only the keys whose value differs from {@link #settings}.
     * The API key is written as a {@code ${file:...}} reference to {@link #secretFile()}; writing that file is the
     * caller's job.
     */
    public String apply(DesktopSettings settings)
    {
        DesktopSettings current = settings(settings.startAtLogin());
        YamlDocument edited = document;

        if (settings.sendHostname() != current.sendHostname() || !settings.reportedHostName().equals(current.reportedHostName())) {
            edited = settings.sendHostname() ? edited.remove(HOST_NAME) : edited.set(HOST_NAME, settings.reportedHostName());
        }
        if (settings.debugLogging() != current.debugLogging()) {
            edited = settings.debugLogging() ? edited.set(LOG_LEVEL, "debug") : edited.removePruning(LOG_LEVEL, 1);
        }

        if (settings.watchPaths().isEmpty()) {
            edited = edited.removePruning(WATCHED_FILES, 1);
        }
        else if (!settings.watchPaths().equals(current.watchPaths()) || edited.node(WATCHED_FILES).isEmpty()) {
            edited = edited.set(child(WATCHED_FILES, "type"), "file").set(child(WATCHED_FILES, "paths"), settings.watchPaths());
        }

        if (!settings.fimEnabled()) {
            edited = edited.removePruning(FILE_INTEGRITY, 1);
        }
        else if (!current.fimEnabled() || !settings.fimPaths().equals(current.fimPaths())) {
            edited = edited.set(child(FILE_INTEGRITY, "type"), "fim").set(child(FILE_INTEGRITY, "paths"), settings.fimPaths());
        }

        if (settings.serverUrl().isEmpty()) {
            edited = edited.removePruning(COLLECTOR, 1);
        }
        else {
            boolean created = edited.node(COLLECTOR).isEmpty();
            if (created) {
                edited = edited.set(child(COLLECTOR, "type"), "http");
            }
            if (created || !settings.format().equals(current.format()) || document.scalar(child(COLLECTOR, "format")).isEmpty()) {
                edited = edited.set(child(COLLECTOR, "format"), settings.format());
            }
            if (created || !settings.serverUrl().equals(current.serverUrl())) {
                edited = edited.set(child(COLLECTOR, "endpoint"), settings.serverUrl());
            }
            if (settings.apiKey().isEmpty()) {
                edited = edited.remove(child(COLLECTOR, "api_key"));
            }
            else if (!isFileReference(apiKeyReference())) {
                // an existing ${file:...} reference stays as it is; only the file it names gets the new key
                edited = edited.set(child(COLLECTOR, "api_key"), "${file:" + SECRET_FILE_NAME + "}");
            }
        }
        return edited.text();
    }

    /** Whether saving {@code settings} has to (re)write the secret file. */
    public boolean secretChanges(DesktopSettings settings)
    {
        return !settings.serverUrl().isEmpty() && !settings.apiKey().isEmpty()
                && (!settings.apiKey().equals(apiKey()) || !isFileReference(apiKeyReference()));
    }

    /** What the window does not edit: the file without the keys it owns, shown read-only. */
    public String otherSettings()
    {
        YamlDocument rest = document;
        List<List<String>> owned = List.of(HOST_NAME, LOG_LEVEL,
                child(WATCHED_FILES, "type"), child(WATCHED_FILES, "paths"),
                child(FILE_INTEGRITY, "type"), child(FILE_INTEGRITY, "paths"),
                child(COLLECTOR, "type"), child(COLLECTOR, "format"), child(COLLECTOR, "endpoint"), child(COLLECTOR, "api_key"));
        for (List<String> key : owned) {
            // keys of the same components that the window does not know (exclude, delivery...) stay visible
            rest = rest.removePruning(key, 1);
        }
        return rest.text();
    }

    private String apiKey()
    {
        Optional<String> reference = apiKeyReference();
        if (reference.isEmpty()) {
            return "";
        }
        if (!isFileReference(reference)) {
            // a literal key (or ${VAR}) in the YAML: shown so a save moves it into the secret file
            return reference.get();
        }
        try {
            return Files.readString(secretFile(), StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            return "";
        }
    }

    private Optional<String> apiKeyReference()
    {
        return document.scalar(child(COLLECTOR, "api_key"));
    }

    private static boolean isFileReference(Optional<String> reference)
    {
        return reference.isPresent() && FILE_REFERENCE.matcher(reference.get()).matches();
    }

    private Path configDirectory()
    {
        return configFile.toAbsolutePath().getParent();
    }

    private static List<String> child(List<String> path, String key)
    {
        return java.util.stream.Stream.concat(path.stream(), java.util.stream.Stream.of(key)).toList();
    }
}
