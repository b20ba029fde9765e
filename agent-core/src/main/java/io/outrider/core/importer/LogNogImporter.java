package io.outrider.core.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Imports a LogNog In configuration (its {@code config.yaml}: {@code server_url}, {@code api_key}, {@code hostname},
 * {@code watch_paths}, {@code fim_enabled}/{@code fim_paths}, {@code windows_events}, batching and retry settings)
 * and its container variables ({@code LOGNOG_SERVER}, {@code LOGNOG_API_KEY}, {@code LOGNOG_WATCH_PATHS},
 * {@code LOGNOG_FIM_ENABLED}, {@code LOGNOG_FIM_PATHS}, {@code LOGNOG_BATCH_SIZE}, {@code LOGNOG_BATCH_INTERVAL},
 * {@code LOGNOG_DEBUG}, which win over the file as they do for LogNog In) into file, FIM and Windows-event inputs
 * with an HTTP output in the {@code lognog} format. The key is referenced as {@code ${LOGNOG_API_KEY}}.
 */
public final class LogNogImporter
{
    public static final String KEY_VARIABLE = "LOGNOG_API_KEY";

    /** What a LogNog In watch or FIM path entry holds (its {@code WatchPath} and {@code FIMPath}). */
    private static final List<String> ENTRY_KEYS = List.of("path", "pattern", "recursive", "enabled");

    private LogNogImporter() {}

    /**
     * @param sourceName how messages name the config file, or null when importing from the environment only
     * @param configText the config file's text, or null
     * @param windows whether this machine runs Windows (live event-log channels only work there)
     */
    public static ImportResult convert(String sourceName, String configText, Map<String, String> environment, boolean windows)
            throws ImportException
    {
        List<String> problems = new ArrayList<>();
        List<String> notCarried = new ArrayList<>();
        String name = sourceName == null ? "the environment" : sourceName;
        SourceConfig source = configText == null ? SourceConfig.empty(name, problems) : SourceConfig.parse(name, configText, problems);

        Optional<String> server = env(environment, "LOGNOG_SERVER").or(() -> source.string("server_url")).or(() -> source.string("server"));
        if (server.isEmpty()) {
            problems.add("no LogNog server: set server_url in " + name + " or LOGNOG_SERVER in the environment");
        }
        Optional<String> key = env(environment, KEY_VARIABLE).or(() -> source.string("api_key"));
        if (key.isEmpty()) {
            problems.add("no LogNog API key: set api_key in " + name + " or " + KEY_VARIABLE + " in the environment");
        }
        else if (source.has("api_key")) {
            notCarried.add("the API key written in " + name + " (api_key) was moved to the env file as " + KEY_VARIABLE + "; remove it from the old file");
        }

        List<String> watchGlobs = new ArrayList<>();
        Optional<String> watchFromEnvironment = env(environment, "LOGNOG_WATCH_PATHS");
        if (watchFromEnvironment.isPresent()) {
            split(watchFromEnvironment.get()).forEach(glob -> addPath(asWatched(glob), watchGlobs, notCarried, windows, "watch path"));
            source.entries("watch_paths");
        }
        else {
            for (Map<String, Object> entry : source.entries("watch_paths")) {
                globOf(entry, name, problems, notCarried, windows, "watch path", true).ifPresent(watchGlobs::add);
            }
        }
        boolean fim = env(environment, "LOGNOG_FIM_ENABLED").map(LogNogImporter::truthy).or(() -> source.bool("fim_enabled")).orElse(false);
        List<String> fimGlobs = new ArrayList<>();
        Optional<String> fimFromEnvironment = env(environment, "LOGNOG_FIM_PATHS");
        List<Map<String, Object>> fimEntries = source.entries("fim_paths");
        if (fim) {
            if (fimFromEnvironment.isPresent()) {
                split(fimFromEnvironment.get()).forEach(glob -> addPath(glob, fimGlobs, notCarried, windows, "FIM path"));
            }
            else {
                for (Map<String, Object> entry : fimEntries) {
                    globOf(entry, name, problems, notCarried, windows, "FIM path", false).ifPresent(fimGlobs::add);
                }
            }
            if (fimGlobs.isEmpty()) {
                notCarried.add("file integrity monitoring is enabled but no FIM path could be imported, so it was left out");
            }
        }
        else if (!fimEntries.isEmpty()) {
            notCarried.add(fimEntries.size() + " FIM path(s) were not imported because fim_enabled is false");
        }

        Optional<SourceConfig> windowsEvents = source.section("windows_events");
        String winevent = null;
        if (windowsEvents.isPresent() && windowsEvents.get().bool("enabled").orElse(false)) {
            SourceConfig events = windowsEvents.get();
            List<String> channels = events.list("channels").stream().map(String::valueOf).toList();
            List<Object> eventIds = events.list("event_ids");
            Optional<Double> poll = events.number("poll_interval");
            if (!windows) {
                notCarried.add("windows_events (" + (channels.isEmpty() ? "default channels" : String.join(", ", channels))
                        + "): live Windows event logs can only be read on Windows; run import-config on the Windows host");
            }
            else {
                StringBuilder input = new StringBuilder("{ type: winevent");
                if (!channels.isEmpty()) {
                    input.append(", channels: ").append(YamlText.list(channels));
                }
                if (!eventIds.isEmpty()) {
                    input.append(", event_ids: [").append(String.join(", ", eventIds.stream().map(id -> id instanceof Number ? String.valueOf(id) : YamlText.quote(String.valueOf(id))).toList())).append(']');
                }
                poll.ifPresent(seconds -> input.append(", poll_interval: ").append(Math.max(1, Math.round(seconds * 1000))).append("ms"));
                winevent = input.append(" }").toString();
            }
            for (String unknown : events.unusedKeys()) {
                notCarried.add(events.unusedKeyNote("LogNog In", "windows_events.", unknown));
            }
        }

        Optional<String> hostname = source.string("hostname");
        Optional<Boolean> sendHostname = source.bool("send_hostname");
        if (sendHostname.isPresent() && !sendHostname.get()) {
            notCarried.add("send_hostname: false — the LogNog format always carries the host name in Outrider");
        }
        Optional<String> batchSize = env(environment, "LOGNOG_BATCH_SIZE").or(() -> source.number("batch_size").map(n -> String.valueOf(Math.round(n))));
        Optional<String> batchInterval = env(environment, "LOGNOG_BATCH_INTERVAL").or(() -> source.number("batch_interval_seconds").map(String::valueOf));
        Optional<Double> retryBackoff = source.number("retry_backoff_seconds");
        if (source.number("retry_max_attempts").isPresent()) {
            notCarried.add("retry_max_attempts: Outrider never gives up on an event; it retries with capped backoff and keeps events buffered until delivered");
        }
        if (source.bool("start_on_boot").orElse(false)) {
            notCarried.add("start_on_boot: starting at boot is an install-time choice in Outrider (install.sh enables the systemd service)");
        }
        boolean debug = env(environment, "LOGNOG_DEBUG").map(LogNogImporter::truthy).or(() -> source.bool("debug_logging")).orElse(false);
        for (String unknown : source.unusedKeys()) {
            notCarried.add(source.unusedKeyNote("LogNog In", "", unknown));
        }
        if (watchGlobs.isEmpty() && fimGlobs.isEmpty() && winevent == null && problems.isEmpty()) {
            problems.add(name + ": nothing to watch: no watch_paths, no FIM paths and no Windows event channels could be imported");
        }
        if (!problems.isEmpty()) {
            throw new ImportException(problems);
        }
        notCarried.add("events LogNog In had buffered but not yet sent (its buffer.db), and its position in each log file: Outrider starts at the end of each file");
        if (!fimGlobs.isEmpty()) {
            notCarried.add("LogNog In's FIM baseline (baseline.db): Outrider builds its own baseline at first start, so changes made before then are not reported");
        }

        StringBuilder yaml = new StringBuilder();
        yaml.append("# Imported from the LogNog In configuration ").append(name).append(" by outrider import-config.\n");
        yaml.append("# The API key is not in this file: ${").append(KEY_VARIABLE).append("} is read from the environment\n");
        yaml.append("# (the agent's env file, mode 0600, e.g. /etc/outrider/agent.env).\n");
        if (hostname.isPresent() || debug) {
            yaml.append("agent:\n");
            hostname.ifPresent(host -> yaml.append("  host_name: ").append(YamlText.quote(host)).append('\n'));
            if (debug) {
                yaml.append("  log: { level: debug }\n");
            }
        }
        yaml.append("pipelines:\n");
        yaml.append("  lognog:\n");
        yaml.append("    inputs:\n");
        if (!watchGlobs.isEmpty()) {
            yaml.append("      files: { type: file, paths: ").append(YamlText.list(watchGlobs)).append(" }\n");
        }
        if (!fimGlobs.isEmpty()) {
            yaml.append("      fim: { type: fim, paths: ").append(YamlText.list(fimGlobs)).append(" }\n");
        }
        if (winevent != null) {
            yaml.append("      windows_events: ").append(winevent).append('\n');
        }
        yaml.append("    outputs:\n");
        yaml.append("      lognog:\n");
        yaml.append("        type: http\n");
        yaml.append("        format: lognog\n");
        yaml.append("        endpoint: ").append(YamlText.quote(server.orElseThrow())).append('\n');
        yaml.append("        api_key: \"${").append(KEY_VARIABLE).append("}\"\n");
        yaml.append("        source: lognog-in\n");
        List<String> delivery = new ArrayList<>();
        batchSize.ifPresent(size -> delivery.add("max_events: " + size.strip()));
        batchInterval.ifPresent(seconds -> delivery.add("max_wait: " + Math.round(Double.parseDouble(seconds.strip()) * 1000) + "ms"));
        retryBackoff.ifPresent(seconds -> delivery.add("retry_initial: " + Math.max(1, Math.round(seconds * 1000)) + "ms"));
        if (!delivery.isEmpty()) {
            yaml.append("        delivery: { ").append(String.join(", ", delivery)).append(" }\n");
        }
        return new ImportResult(yaml.toString(), Map.of(KEY_VARIABLE, key.orElseThrow()), notCarried);
    }

    /**
     * {@code {path, pattern, recursive, enabled}} → one glob: path/pattern, or path/**&#47;pattern when recursive. An
     * entry without pattern and recursive (a plain list element, {@code - /var/log/**&#47;*.log}) is a glob or a file
     * as it is, and for the file input a directory becomes {@code dir/**} (every file under it, as LogNog In watches
     * it; the FIM input already takes a plain directory as everything below it).
     */
    private static Optional<String> globOf(Map<String, Object> entry, String name, List<String> problems, List<String> notCarried, boolean windows,
            String what, boolean directoryAsTree)
    {
        Object path = entry.get("path");
        if (path == null || String.valueOf(path).isBlank()) {
            problems.add(name + ": a " + what + " has no 'path'");
            return Optional.empty();
        }
        String base = String.valueOf(path).strip();
        if ("false".equals(String.valueOf(entry.get("enabled")))) {
            notCarried.add(what + " " + base + " is disabled in LogNog In and was not imported");
            return Optional.empty();
        }
        for (String key : entry.keySet()) {
            if (!ENTRY_KEYS.contains(key)) {
                // LogNog In itself refuses such an entry (its WatchPath takes these four): said, not dropped quietly
                notCarried.add(what + " " + base + ": '" + key + "' is no LogNog In setting of a " + what + " (those are " + String.join(", ", ENTRY_KEYS)
                        + ") and was not imported");
            }
        }
        String glob;
        if (entry.get("pattern") == null && entry.get("recursive") == null) {
            glob = directoryAsTree ? asWatched(base) : base;
        }
        else {
            String pattern = entry.get("pattern") == null ? "*" : String.valueOf(entry.get("pattern")).strip();
            // LogNog In's default, as for an entry without pattern: the pattern matches at any depth
            boolean recursive = entry.get("recursive") == null || "true".equals(String.valueOf(entry.get("recursive")).toLowerCase(Locale.ROOT));
            String separator = separator(base);
            String directory = base.endsWith(separator) ? base.substring(0, base.length() - 1) : base;
            glob = directory + separator + (recursive ? "**" + separator : "") + pattern;
        }
        List<String> added = new ArrayList<>();
        addPath(glob, added, notCarried, windows, what);
        return added.stream().findFirst();
    }

    /** A glob or a file stays as it is; a directory (an existing one, or a path ending in a separator) becomes dir/**. */
    private static String asWatched(String path)
    {
        if (path.contains("*") || path.contains("?") || path.contains("[") || path.contains("{")) {
            return path;
        }
        String separator = separator(path);
        boolean directory = path.endsWith(separator) || path.endsWith("/") || isDirectory(path);
        if (!directory) {
            return path;
        }
        String trimmed = path.endsWith(separator) || path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed + separator + "**";
    }

    private static boolean isDirectory(String path)
    {
        try {
            return java.nio.file.Files.isDirectory(java.nio.file.Path.of(path));
        }
        catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static String separator(String path)
    {
        return path.contains("\\") && !path.contains("/") ? "\\" : "/";
    }

    private static void addPath(String glob, List<String> into, List<String> notCarried, boolean windows, String what)
    {
        boolean windowsPath = glob.matches("^[A-Za-z]:[\\\\/].*") || glob.startsWith("\\\\");
        if (windowsPath != windows) {
            notCarried.add(what + " " + glob + " is a " + (windowsPath ? "Windows" : "Unix") + " path and cannot be watched on this machine");
            return;
        }
        if (!windowsPath && !glob.startsWith("/")) {
            notCarried.add(what + " " + glob + " is not an absolute path and was not imported");
            return;
        }
        into.add(glob);
    }

    private static Optional<String> env(Map<String, String> environment, String name)
    {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static List<String> split(String commaSeparated)
    {
        List<String> parts = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return parts;
    }

    private static boolean truthy(String text)
    {
        return List.of("true", "yes", "on", "1").contains(text.strip().toLowerCase(Locale.ROOT));
    }
}
