package io.outrider.core.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Imports a LiteSOC Sentinel configuration ({@code api_endpoint}, {@code heartbeat_interval}, {@code batch_size},
 * {@code log_watchers: [{path, type}]}, the key as {@code LITESOC_KEY} and optionally the server as
 * {@code LITESOC_SERVER} in its env file) into one pipeline: a file input per sshd watcher, the sshd and linux_auth
 * parsers, and an HTTP output in the {@code litesoc} format with its heartbeat. The key is referenced as {@code ${LITESOC_KEY}} and
 * never written into the YAML.
 */
public final class LiteSocImporter
{
    public static final String KEY_VARIABLE = "LITESOC_KEY";
    public static final String SERVER_VARIABLE = "LITESOC_SERVER";
    /** Where LiteSOC Sentinel's installer puts its env file. */
    public static final java.nio.file.Path SYSTEM_ENV_FILE = java.nio.file.Path.of("/etc/litesoc/agent.env");
    private static final List<String> SSHD_TYPES = List.of("sshd", "ssh", "openssh", "auth");

    /** The env file names LiteSOC Sentinel setups use beside their configuration, in the order they are looked for. */
    public static final List<String> ENV_FILE_NAMES = List.of("agent.env", "sentinel.env", ".env", "litesoc.env");

    /** The name newer LiteSOC agent installers give the key (the README's {@code LITESOC_AGENT_KEY=... bash}). */
    public static final String AGENT_KEY_VARIABLE = "LITESOC_AGENT_KEY";
    /** Where LiteSOC Sentinel sends without an api_endpoint. */
    static final String DEFAULT_ENDPOINT = "https://api.litesoc.io";

    private LiteSocImporter() {}

    /** The key of a set of variables, by the name that holds it: LITESOC_KEY, else LITESOC_AGENT_KEY. */
    private static Optional<Map.Entry<String, String>> keyOf(Map<String, String> variables)
    {
        for (String name : List.of(KEY_VARIABLE, AGENT_KEY_VARIABLE)) {
            String value = variables.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(Map.entry(name, value));
            }
        }
        return Optional.empty();
    }

    /**
     * The LiteSOC env file for a configuration: the first of {@link #ENV_FILE_NAMES} beside it, else
     * {@code systemEnvFile} ({@link #SYSTEM_ENV_FILE} outside tests), when it exists. A file that exists but cannot be
     * read is returned too, so that reading it says why.
     */
    public static Optional<java.nio.file.Path> envFileFor(java.nio.file.Path configFile, java.nio.file.Path systemEnvFile)
    {
        java.nio.file.Path directory = configFile.toAbsolutePath().getParent();
        for (String name : ENV_FILE_NAMES) {
            java.nio.file.Path candidate = directory.resolve(name);
            if (java.nio.file.Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return java.nio.file.Files.exists(systemEnvFile) ? Optional.of(systemEnvFile) : Optional.empty();
    }

    /**
     * @param sourceName how messages name the config file
     * @param envFile the LiteSOC env file's variables (empty when there is none)
     * @param environment this process's environment (LITESOC_KEY from a container)
     */
    public static ImportResult convert(String sourceName, String configText, Map<String, String> envFile, Map<String, String> environment)
            throws ImportException
    {
        List<String> problems = new ArrayList<>();
        List<String> notCarried = new ArrayList<>();
        SourceConfig source = SourceConfig.parse(sourceName, configText, problems);

        // LITESOC_SERVER replaces the file's api_endpoint, said when they differ; without either, Sentinel's default
        Optional<String> configured = source.string("api_endpoint").or(() -> source.string("endpoint"));
        Optional<String> server = Optional.ofNullable(envFile.get(SERVER_VARIABLE)).map(String::strip).filter(value -> !value.isEmpty())
                .or(() -> Optional.ofNullable(environment.get(SERVER_VARIABLE)).map(String::strip).filter(value -> !value.isEmpty()));
        String endpoint;
        if (server.isPresent()) {
            endpoint = server.get();
            configured.filter(value -> !value.equals(server.get())).ifPresent(value -> notCarried.add("api_endpoint " + value + " of " + sourceName + " was replaced by "
                    + SERVER_VARIABLE + " (" + server.get() + ")" + (envFile.containsKey(SERVER_VARIABLE) ? " of the env file" : " of the environment")));
        }
        else if (configured.isPresent()) {
            endpoint = configured.get();
        }
        else {
            endpoint = DEFAULT_ENDPOINT;
            notCarried.add(sourceName + " has no api_endpoint: the events go to " + DEFAULT_ENDPOINT + ", LiteSOC Sentinel's default");
        }
        Optional<Map.Entry<String, String>> fromEnvFile = keyOf(envFile);
        Optional<Map.Entry<String, String>> fromEnvironment = keyOf(environment);
        Optional<String> written = source.has("api_key") ? source.string("api_key") : Optional.empty();
        Optional<String> key = fromEnvFile.map(Map.Entry::getValue).or(() -> fromEnvironment.map(Map.Entry::getValue)).or(() -> written);
        if (fromEnvFile.isPresent() && fromEnvironment.isPresent() && !fromEnvFile.get().getValue().equals(fromEnvironment.get().getValue())) {
            notCarried.add(fromEnvironment.get().getKey() + " of this shell's environment differs from " + fromEnvFile.get().getKey()
                    + " of the LiteSOC env file; the env file's was written, as the installed Sentinel used it");
        }
        if (written.isPresent()) {
            if (key.equals(written)) {
                notCarried.add("the API key written in " + sourceName + " (api_key) was moved to the env file as " + KEY_VARIABLE + "; remove it from the old file");
            }
            else {
                notCarried.add("the api_key written in " + sourceName + " was not used: LiteSOC Sentinel reads its key from " + KEY_VARIABLE
                        + (key.get().equals(written.get()) ? "" : ", which holds another one") + "; that one was written; remove api_key from the old file");
            }
        }
        if (key.isEmpty()) {
            problems.add("no LiteSOC API key: " + KEY_VARIABLE + " (or " + AGENT_KEY_VARIABLE + ") is neither in the LiteSOC env file nor in the environment, and "
                    + sourceName + " has no api_key");
        }
        Optional<Long> interval = source.number("heartbeat_interval").map(Math::round);
        if (interval.isPresent() && interval.get() <= 0) {
            notCarried.add("heartbeat_interval " + interval.get() + " of " + sourceName + " is 60s, as LiteSOC Sentinel reads 0 or less (0s would turn the heartbeat off)");
        }
        String heartbeat = interval.filter(seconds -> seconds > 0).orElse(60L) + "s";
        Optional<Long> batchSize = source.number("batch_size").map(Math::round);
        if (batchSize.isPresent() && batchSize.get() < 1) {
            problems.add(sourceName + ": 'batch_size' should be at least 1");
        }

        Map<String, String> inputs = new LinkedHashMap<>();
        for (Map<String, Object> watcher : source.entries("log_watchers")) {
            Object path = watcher.get("path");
            String type = String.valueOf(watcher.getOrDefault("type", "sshd")).toLowerCase(Locale.ROOT);
            if (path == null || String.valueOf(path).isBlank()) {
                problems.add(sourceName + ": a log watcher has no 'path'");
                continue;
            }
            if (Boolean.FALSE.equals(watcher.get("enabled")) || "false".equals(String.valueOf(watcher.get("enabled")))) {
                notCarried.add("log watcher " + path + " is disabled in LiteSOC and was not imported");
                continue;
            }
            if (!String.valueOf(path).startsWith("/")) {
                // LiteSOC Sentinel runs on Linux: a relative or Windows path watched nothing there either
                notCarried.add("log watcher " + path + " is not an absolute Linux path and was not imported");
                continue;
            }
            if (!SSHD_TYPES.contains(type)) {
                notCarried.add("log watcher " + path + " (type " + type + "): Outrider has no '" + type + "' parser for LiteSOC events; it was not imported");
                continue;
            }
            String id = YamlText.id(String.valueOf(path).replaceAll(".*/", ""), "log");
            String unique = id;
            for (int i = 2; inputs.containsKey(unique); i++) {
                unique = id + "_" + i;
            }
            inputs.put(unique, String.valueOf(path));
        }
        if (inputs.isEmpty() && problems.isEmpty()) {
            problems.add(sourceName + ": no log watcher of type sshd to import ('log_watchers: [{path: /var/log/auth.log, type: sshd}]')");
        }
        for (String unknown : source.unusedKeys()) {
            if (!unknown.equals("api_key")) {
                notCarried.add(source.unusedKeyNote("LiteSOC", "", unknown));
            }
        }
        if (!problems.isEmpty()) {
            throw new ImportException(problems);
        }
        notCarried.add("events LiteSOC had read but not yet sent, and its position in each log file: Outrider starts at the end of each file (set read_from: beginning to send whole files again)");

        StringBuilder yaml = new StringBuilder();
        yaml.append("# Imported from the LiteSOC Sentinel configuration ").append(sourceName).append(" by outrider import-config.\n");
        yaml.append("# The API key is not in this file: ${").append(KEY_VARIABLE).append("} is read from the environment\n");
        yaml.append("# (the agent's env file, mode 0600, e.g. /etc/outrider/agent.env).\n");
        yaml.append("pipelines:\n");
        yaml.append("  litesoc:\n");
        yaml.append("    inputs:\n");
        inputs.forEach((id, path) -> yaml.append("      ").append(id).append(": { type: file, paths: ").append(YamlText.list(List.of(path))).append(" }\n"));
        yaml.append("    parsers:\n");
        yaml.append("      sshd: { type: sshd }\n");
        yaml.append("      # sudo, su and PAM logons of other services; LiteSOC receives those it has an event for\n");
        yaml.append("      linux_auth: { type: linux_auth }\n");
        yaml.append("    # LiteSOC takes security events only\n");
        yaml.append("    unmatched: drop\n");
        yaml.append("    outputs:\n");
        yaml.append("      litesoc:\n");
        yaml.append("        type: http\n");
        yaml.append("        format: litesoc\n");
        yaml.append("        endpoint: ").append(YamlText.quote(endpoint)).append('\n');
        yaml.append("        api_key: \"${").append(KEY_VARIABLE).append("}\"\n");
        yaml.append("        heartbeat_interval: ").append(heartbeat).append('\n');
        batchSize.ifPresent(size -> yaml.append("        delivery: { max_events: ").append(size).append(" }\n"));
        return new ImportResult(yaml.toString(), Map.of(KEY_VARIABLE, key.orElseThrow()), notCarried);
    }
}
