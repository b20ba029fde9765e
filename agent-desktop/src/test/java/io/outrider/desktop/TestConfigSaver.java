package io.outrider.desktop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;
import io.outrider.core.control.ControlToken;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TestConfigSaver
{
    static final String UNKNOWN_PARTS = """
            # Written by hand; the window must keep every byte of this.
            agent:
              status: {enabled: false}   # flow style is fine where the window does not edit
              buffer:
                max_bytes: 64MiB
            pipelines:
              ssh_auth:
                inputs:
                  auth_log: {type: file, paths: [/var/log/auth.log]}
                outputs:
                  console: {type: console}
            """;

    @TempDir
    Path directory;

    private Path configFile;
    private Path autostartDirectory;
    private ConfigSaver saver;

    @BeforeEach
    void setUp()
            throws Exception
    {
        configFile = directory.resolve("outrider.yaml");
        autostartDirectory = directory.resolve("autostart");
        Files.writeString(configFile, UNKNOWN_PARTS);
        saver = new ConfigSaver(DesktopTestPlugin.validator(directory.resolve("plugins")), new AutostartEntry(autostartDirectory, "outrider tray -c " + configFile),
                file -> "The agent reloaded: test");
    }

    static DesktopSettings settings(String url, String apiKey, List<String> watch, boolean fim, List<String> fimPaths)
    {
        return new DesktopSettings(url, "lognog", apiKey, watch, fim, fimPaths, true, "", false, false);
    }

    @Test
    void savesTheSubsetKeepsTheRestAndPutsTheKeyInASecretFile()
            throws Exception
    {
        ConfigSaver.Outcome outcome = saver.save(configFile, new DesktopSettings("https://collector.example", "litesoc", "s3cret-key",
                List.of("/var/log/syslog", "/home/me/logs/**/*.log"), true, List.of("/etc"), false, "my-laptop", true, true));

        assertThat(outcome).isEqualTo(new ConfigSaver.Outcome(true, "Saved outrider.yaml. The agent reloaded: test"));
        String saved = Files.readString(configFile);
        assertThat(saved).isEqualTo("""
                # Written by hand; the window must keep every byte of this.
                agent:
                  status: {enabled: false}   # flow style is fine where the window does not edit
                  buffer:
                    max_bytes: 64MiB
                  host_name: my-laptop
                  log:
                    level: debug
                pipelines:
                  ssh_auth:
                    inputs:
                      auth_log: {type: file, paths: [/var/log/auth.log]}
                    outputs:
                      console: {type: console}
                  desktop:
                    inputs:
                      watched_files:
                        type: file
                        paths:
                          - /var/log/syslog
                          - /home/me/logs/**/*.log
                      file_integrity:
                        type: fim
                        paths:
                          - /etc
                    outputs:
                      collector:
                        type: http
                        format: litesoc
                        endpoint: https://collector.example
                        api_key: ${file:desktop-api-key}
                """);
        assertThat(saved).doesNotContain("s3cret-key");
        Path secret = directory.resolve("desktop-api-key");
        assertThat(Files.readString(secret)).isEqualTo("s3cret-key\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(Files.readString(autostartDirectory.resolve(AutostartEntry.FILE_NAME))).contains("Exec=outrider tray -c " + configFile);

        // what the window reads back is what it saved, and saving it again changes nothing
        DesktopSettings reread = DesktopConfig.read(configFile).settings(true);
        assertThat(reread).isEqualTo(new DesktopSettings("https://collector.example", "litesoc", "s3cret-key",
                List.of("/var/log/syslog", "/home/me/logs/**/*.log"), true, List.of("/etc"), false, "my-laptop", true, true));
        assertThat(saver.save(configFile, reread).saved()).isTrue();
        assertThat(Files.readString(configFile)).isEqualTo(saved);

        // switching things off removes exactly what the window added
        assertThat(saver.save(configFile, settings("https://collector.example", "", List.of("/var/log/syslog"), false, List.of())).saved()).isTrue();
        assertThat(Files.readString(configFile)).isEqualTo(UNKNOWN_PARTS + """
                  desktop:
                    inputs:
                      watched_files:
                        type: file
                        paths:
                          - /var/log/syslog
                    outputs:
                      collector:
                        type: http
                        format: lognog
                        endpoint: https://collector.example
                """);
        assertThat(Files.exists(autostartDirectory.resolve(AutostartEntry.FILE_NAME))).isFalse();
    }

    @Test
    void anImportedCollectorIsShownAndEditedWhereItIsWithItsKeyLeftInTheEnvFile()
            throws Exception
    {
        // as `outrider import-config --from lognog` writes it: inputs in flow style, the key a variable of agent.env
        String imported = """
                # Imported from the LogNog In configuration config.yaml by outrider import-config.
                pipelines:
                  lognog:
                    inputs:
                      files: { type: file, paths: ["/var/log/syslog", "/var/log/auth.log"] }
                      fim: { type: fim, paths: ["/etc/passwd"] }   # LogNog In's FIM
                    outputs:
                      lognog:
                        type: http
                        format: lognog
                        endpoint: "https://lognog.example:8443"
                        api_key: "${LOGNOG_API_KEY}"
                        delivery: { max_events: 100 }
                """;
        Files.writeString(configFile, imported);
        ConfigSaver withKey = new ConfigSaver(DesktopTestPlugin.validator(directory.resolve("plugins"), Map.of("LOGNOG_API_KEY", "lk-imported")),
                new AutostartEntry(autostartDirectory, "outrider tray"), file -> "The agent reloaded: test");

        DesktopConfig config = DesktopConfig.read(configFile);
        DesktopSettings shown = config.settings(false);
        assertThat(shown).isEqualTo(new DesktopSettings("https://lognog.example:8443", "lognog", "${LOGNOG_API_KEY}",
                List.of("/var/log/syslog", "/var/log/auth.log"), true, List.of("/etc/passwd"), true, "", false, false));
        assertThat(config.otherSettings()).contains("delivery: { max_events: 100 }").doesNotContain("lognog.example", "LOGNOG_API_KEY");

        // saving what is shown changes nothing and moves no key
        assertThat(withKey.save(configFile, shown).saved()).isTrue();
        assertThat(Files.readString(configFile)).isEqualTo(imported);

        DesktopSettings edited = new DesktopSettings("https://collector.example", "lognog", "${LOGNOG_API_KEY}",
                List.of("/var/log/syslog", "/var/log/auth.log", "/home/me/app.log"), true, List.of("/etc/passwd"), true, "", false, false);
        assertThat(withKey.save(configFile, edited)).isEqualTo(new ConfigSaver.Outcome(true, "Saved outrider.yaml. The agent reloaded: test"));
        assertThat(Files.readString(configFile)).isEqualTo("""
                # Imported from the LogNog In configuration config.yaml by outrider import-config.
                pipelines:
                  lognog:
                    inputs:
                      files:
                        type: file
                        paths:
                          - /var/log/syslog
                          - /var/log/auth.log
                          - /home/me/app.log
                      fim: { type: fim, paths: ["/etc/passwd"] }   # LogNog In's FIM
                    outputs:
                      lognog:
                        type: http
                        format: lognog
                        endpoint: https://collector.example
                        api_key: "${LOGNOG_API_KEY}"
                        delivery: { max_events: 100 }
                """);
        assertThat(directory.resolve("desktop-api-key")).doesNotExist();

        // a key typed over the variable goes to the secret file like any other
        assertThat(withKey.save(configFile, new DesktopSettings("https://collector.example", "lognog", "typed-key",
                edited.watchPaths(), true, List.of("/etc/passwd"), true, "", false, false)).saved()).isTrue();
        assertThat(Files.readString(configFile)).contains("        api_key: ${file:desktop-api-key}\n").doesNotContain("LOGNOG_API_KEY");
        assertThat(Files.readString(directory.resolve("desktop-api-key"))).isEqualTo("typed-key\n");
    }

    @Test
    void aFlowStyleCollectorBecomesABlockOnlyWhenOneOfItsKeysChanges()
            throws Exception
    {
        String flow = UNKNOWN_PARTS.replace("console: {type: console}", "collector: {type: http, format: lognog, endpoint: \"https://old.example\"}  # mine");
        Files.writeString(configFile, flow);

        DesktopSettings shown = DesktopConfig.read(configFile).settings(false);
        assertThat(shown.serverUrl()).isEqualTo("https://old.example");
        assertThat(saver.save(configFile, shown).saved()).isTrue();
        assertThat(Files.readString(configFile)).isEqualTo(flow);

        assertThat(saver.save(configFile, new DesktopSettings("https://new.example", "lognog", "", shown.watchPaths(), false, List.of(), true, "", false, false)).saved()).isTrue();
        assertThat(Files.readString(configFile)).isEqualTo(UNKNOWN_PARTS.replace("console: {type: console}", """
                collector:
                        type: http
                        format: lognog
                        endpoint: https://new.example  # mine"""));
    }

    @Test
    void invalidSettingsChangeNothingAndSayWhyLikeValidate()
            throws Exception
    {
        Files.writeString(directory.resolve("desktop-api-key"), "old-key\n");
        ConfigSaver.Outcome outcome = saver.save(configFile, settings("ftp://collector.example", "new-key", List.of("var/log/syslog"), false, List.of()));

        assertThat(outcome.saved()).isFalse();
        assertThat(outcome.message()).isEqualTo("""
                Configuration has 2 errors:

                1) %1$s:17:11: pipelines.desktop.inputs.watched_files.paths: 'var/log/syslog' is not an absolute path (input type 'file' (plugin desktop-test))
                2) %1$s:22:19: pipelines.desktop.outputs.collector.endpoint: must be an http:// or https:// URL (output type 'http' (plugin desktop-test))"""
                .formatted(configFile));
        assertThat(Files.readString(configFile)).isEqualTo(UNKNOWN_PARTS);
        assertThat(Files.readString(directory.resolve("desktop-api-key"))).isEqualTo("old-key\n");
    }

    @Test
    void createsAMissingFileReadableByItsOwnerOnly()
            throws Exception
    {
        Path created = directory.resolve("new").resolve("outrider.yaml");
        assertThat(saver.save(created, settings("https://collector.example", "", List.of("/var/log/syslog"), false, List.of())).saved()).isTrue();
        assertThat(Files.readString(created)).isEqualTo("""
                pipelines:
                  desktop:
                    inputs:
                      watched_files:
                        type: file
                        paths:
                          - /var/log/syslog
                    outputs:
                      collector:
                        type: http
                        format: lognog
                        endpoint: https://collector.example
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rw-------");
    }

    @Test
    void aSavedConfigurationIsReloadedThroughTheControlEndpointWithTheToken()
            throws Exception
    {
        List<String> requests = new CopyOnWriteArrayList<>();
        AtomicInteger answer = new AtomicInteger(200);
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/control/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (answer.get() == 200
                    ? "{\"ok\":true,\"message\":\"configuration reloaded: 2 pipeline(s)\"}"
                    : "{\"ok\":false,\"message\":\"the new configuration is invalid; keeping the running one\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        try {
            Path dataDir = directory.resolve("data");
            String token = ControlToken.create(dataDir).value();
            Files.writeString(configFile, UNKNOWN_PARTS.replace("status: {enabled: false}", "status: {enabled: true, listen: \"127.0.0.1:" + agent.getAddress().getPort() + "\"}")
                    .replace("agent:\n", "agent:\n  data_dir: " + dataDir + "\n"));
            ConfigSaver reloading = new ConfigSaver(DesktopTestPlugin.validator(directory.resolve("plugins")), new AutostartEntry(autostartDirectory, "outrider tray"),
                    file -> ConfigSaver.reloadThroughControlEndpoint(file, Map.of()));

            assertThat(reloading.save(configFile, settings("https://collector.example", "", List.of("/var/log/syslog"), false, List.of())))
                    .isEqualTo(new ConfigSaver.Outcome(true, "Saved outrider.yaml. The agent reloaded: configuration reloaded: 2 pipeline(s)"));
            answer.set(409);
            assertThat(reloading.save(configFile, settings("https://collector.example", "", List.of("/var/log/kern.log"), false, List.of())))
                    .isEqualTo(new ConfigSaver.Outcome(true, "Saved outrider.yaml. The agent did not reload: the new configuration is invalid; keeping the running one"));
            assertThat(requests).containsExactly("POST /control/reload Bearer " + token, "POST /control/reload Bearer " + token);
        }
        finally {
            agent.stop(0);
        }
    }
}
