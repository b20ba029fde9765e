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
 * Without a {@code desktop} pipeline, the window works on the first pipeline with an {@code http} output (the one
 * {@code outrider import-config} or a hand-written file already has): its first {@code http} output is the collector,
 * its first {@code file} and {@code fim} inputs are the watched files and file integrity monitoring, each shown and
 * edited where it is, so that a second collector is not added beside the first. A key is only written when its value changed, so saving an unchanged
 * window leaves the file as it was. Other keys of these components ({@code exclude}, {@code delivery}, ...) and
 * everything else in the file are kept byte for byte.
 */
public final class DesktopConfig
{
    public static final String PIPELINE_ID = "desktop";
    public static final String SECRET_FILE_NAME = "desktop-api-key";

    static final List<String> HOST_NAME = List.of("agent", "host_name");
    static final List<String> LOG_LEVEL = List.of("agent", "log", "level");

    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:([^}]+)}");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]+}");

    private final Path configFile;
    private final YamlDocument document;
    private final List<String> watchedFiles;
    private final List<String> fileIntegrity;
    private final List<String> collector;

    private DesktopConfig(Path configFile, YamlDocument document)
    {
        this.configFile = requireNonNull(configFile, "configFile is null");
        this.document = requireNonNull(document, "document is null");
        String pipeline = pipeline(document);
        this.watchedFiles = component(document, pipeline, "inputs", "watched_files", "file");
        this.fileIntegrity = component(document, pipeline, "inputs", "file_integrity", "fim");
        this.collector = component(document, pipeline, "outputs", "collector", "http");
    }

    /** The desktop pipeline when the file has one, else the first pipeline with an http output, else "desktop". */
    private static String pipeline(YamlDocument document)
    {
        List<String> pipelines = document.keys(List.of("pipelines"));
        if (pipelines.contains(PIPELINE_ID)) {
            return PIPELINE_ID;
        }
        for (String pipeline : pipelines) {
            if (firstOfType(document, List.of("pipelines", pipeline, "outputs"), "http").isPresent()) {
                return pipeline;
            }
        }
        return PIPELINE_ID;
    }

    /** The window's own key in {@code pipeline}, else the first component of {@code type} there, else where the window's will go. */
    private static List<String> component(YamlDocument document, String pipeline, String kind, String ownKey, String type)
    {
        List<String> own = List.of("pipelines", pipeline, kind, ownKey);
        if (document.node(own).isPresent()) {
            return own;
        }
        return firstOfType(document, List.of("pipelines", pipeline, kind), type).orElse(own);
    }

    private static Optional<List<String>> firstOfType(YamlDocument document, List<String> components, String type)
    {
        for (String id : document.keys(components)) {
            List<String> path = child(components, id);
            if (document.scalar(child(path, "type")).filter(type::equals).isPresent()) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** The window's fields that a validation problem can be shown beside. */
    public enum Field
    {
        SERVER_URL, FORMAT, API_KEY, WATCH_PATHS, FIM_PATHS, HOST_NAME
    }

    /**
     * The field a validation problem at {@code problemPath} (dotted, as {@code outrider validate} names it, e.g.
     * {@code pipelines.desktop.outputs.collector.endpoint}) concerns; empty when it concerns no field of the window.
     */
    public Optional<Field> fieldOf(String problemPath)
    {
        if (problemPath.equals(String.join(".", HOST_NAME))) {
            return Optional.of(Field.HOST_NAME);
        }
        if (within(problemPath, child(collector, "endpoint"))) {
            return Optional.of(Field.SERVER_URL);
        }
        if (within(problemPath, child(collector, "format"))) {
            return Optional.of(Field.FORMAT);
        }
        if (within(problemPath, child(collector, "api_key"))) {
            return Optional.of(Field.API_KEY);
        }
        if (problemPath.equals(String.join(".", watchedFiles)) || within(problemPath, child(watchedFiles, "paths"))) {
            return Optional.of(Field.WATCH_PATHS);
        }
        if (problemPath.equals(String.join(".", fileIntegrity)) || within(problemPath, child(fileIntegrity, "paths"))) {
            return Optional.of(Field.FIM_PATHS);
        }
        return Optional.empty();
    }

    /** {@code path} is {@code key} or below it ({@code key.0}, {@code key[0]}). */
    private static boolean within(String path, List<String> key)
    {
        String dotted = String.join(".", key);
        return path.equals(dotted) || path.startsWith(dotted + ".") || path.startsWith(dotted + "[");
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
        boolean fimEnabled = document.node(fileIntegrity).isPresent();
        return new DesktopSettings(
                document.scalar(child(collector, "endpoint")).orElse(""),
                document.scalar(child(collector, "format")).orElse(DesktopSettings.FORMATS.get(0)),
                apiKey(),
                document.strings(child(watchedFiles, "paths")),
                fimEnabled,
                document.strings(child(fileIntegrity, "paths")),
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
            edited = edited.removePruning(watchedFiles, 1);
        }
        else if (!settings.watchPaths().equals(current.watchPaths()) || edited.node(watchedFiles).isEmpty()) {
            edited = edited.blockStyle(watchedFiles).set(child(watchedFiles, "type"), "file").set(child(watchedFiles, "paths"), settings.watchPaths());
        }

        if (!settings.fimEnabled()) {
            edited = edited.removePruning(fileIntegrity, 1);
        }
        else if (!current.fimEnabled() || !settings.fimPaths().equals(current.fimPaths())) {
            edited = edited.blockStyle(fileIntegrity).set(child(fileIntegrity, "type"), "fim").set(child(fileIntegrity, "paths"), settings.fimPaths());
        }

        if (settings.serverUrl().isEmpty()) {
            edited = edited.removePruning(collector, 1);
        }
        else {
            boolean created = edited.node(collector).isEmpty();
            boolean format = created || !settings.format().equals(current.format()) || document.scalar(child(collector, "format")).isEmpty();
            boolean endpoint = created || !settings.serverUrl().equals(current.serverUrl());
            boolean removeKey = settings.apiKey().isEmpty() && apiKeyReference().isPresent();
            // an existing ${file:...} reference stays as it is, only the file it names gets a new key; a ${VAR} stays
            // unless another key was typed
            boolean referToSecretFile = !settings.apiKey().isEmpty() && !isFileReference(apiKeyReference())
                    && !(isVariableReference(apiKeyReference()) && settings.apiKey().equals(current.apiKey()));
            if (format || endpoint || removeKey || referToSecretFile) {
                // an imported or hand-written {type: http, ...} becomes a block its keys can be set in
                edited = edited.blockStyle(collector);
            }
            if (created) {
                edited = edited.set(child(collector, "type"), "http");
            }
            if (format) {
                edited = edited.set(child(collector, "format"), settings.format());
            }
            if (endpoint) {
                edited = edited.set(child(collector, "endpoint"), settings.serverUrl());
            }
            if (removeKey) {
                edited = edited.remove(child(collector, "api_key"));
            }
            else if (referToSecretFile) {
                edited = edited.set(child(collector, "api_key"), "${file:" + SECRET_FILE_NAME + "}");
            }
        }
        return edited.text();
    }

    /** Whether saving {@code settings} has to (re)write the secret file. */
    public boolean secretChanges(DesktopSettings settings)
    {
        return !settings.serverUrl().isEmpty() && !settings.apiKey().isEmpty()
                && (!settings.apiKey().equals(apiKey()) || !(isFileReference(apiKeyReference()) || isVariableReference(apiKeyReference())));
    }

    /** What the window does not edit: the file without the keys it owns, shown read-only. */
    public String otherSettings()
    {
        YamlDocument rest = document;
        List<List<String>> owned = List.of(HOST_NAME, LOG_LEVEL,
                child(watchedFiles, "type"), child(watchedFiles, "paths"),
                child(fileIntegrity, "type"), child(fileIntegrity, "paths"),
                child(collector, "type"), child(collector, "format"), child(collector, "endpoint"), child(collector, "api_key"));
        for (List<String> key : owned) {
            // keys of the same components that the window does not know (exclude, delivery...) stay visible
            try {
                rest = rest.removePruning(key, 1);
            }
            catch (YamlDocument.YamlEditException e) {
                // a component in flow style ({type: file, ...}) is shown whole
            }
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
            // a literal key in the YAML: shown so a save moves it into the secret file; a ${VAR} (an imported
            // configuration's) is shown as written and stays unless another key is typed
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
        return document.scalar(child(collector, "api_key"));
    }

    private static boolean isFileReference(Optional<String> reference)
    {
        return reference.isPresent() && FILE_REFERENCE.matcher(reference.get()).matches();
    }

    /** {@code ${VAR}}: the key comes from the environment or the env file, and stays there. */
    private static boolean isVariableReference(Optional<String> reference)
    {
        return reference.isPresent() && REFERENCE.matcher(reference.get()).matches() && !isFileReference(reference);
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
