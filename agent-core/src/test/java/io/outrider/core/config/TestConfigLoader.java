package io.outrider.core.config;

import io.outrider.config.DidYouMean;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.config.Substitution;
import io.outrider.core.builtin.CorePlugin;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginLoadProblem;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.Input;
import io.outrider.spi.InputFactory;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;
import io.outrider.spi.Plugin;
import io.outrider.spi.SpiVersion;
import io.outrider.spi.config.Required;
import io.outrider.spi.config.Sensitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestConfigLoader
{
    public enum ReadFrom
    {
        BEGINNING, END
    }

    public record FileConfig(@Required List<String> paths, ReadFrom readFrom, DataSize maxLineBytes, Duration pollInterval, Map<String, String> fields)
    {
    }

    public record Tls(String caFile, @Sensitive String keyPassword)
    {
    }

    public record HttpConfig(@Required String endpoint, @Sensitive String apiKey, Integer timeoutSeconds, Tls tls, @Sensitive Map<String, String> headers)
    {
    }

    static final class TestPlugin
            implements Plugin
    {
        @Override
        public List<InputFactory<?>> inputFactories()
        {
            return List.of(new InputFactory<FileConfig>()
            {
                @Override
                public String type()
                {
                    return "file";
                }

                @Override
                public Class<FileConfig> configClass()
                {
                    return FileConfig.class;
                }

                @Override
                public void validate(FileConfig config)
                        throws InvalidConfigException
                {
                    if (config.paths().isEmpty()) {
                        throw new InvalidConfigException("paths", "needs at least one path or glob");
                    }
                    for (String path : config.paths()) {
                        if (path.contains("..")) {
                            throw new InvalidConfigException("paths", "'" + path + "' must not climb out of its folder with ..");
                        }
                    }
                }

                @Override
                public Input create(FileConfig config, ComponentContext context)
                {
                    throw new AssertionError("not started in config tests");
                }
            });
        }

        @Override
        public List<OutputFactory<?>> outputFactories()
        {
            return List.of(new OutputFactory<HttpConfig>()
            {
                @Override
                public String type()
                {
                    return "http";
                }

                @Override
                public Class<HttpConfig> configClass()
                {
                    return HttpConfig.class;
                }

                @Override
                public void validate(HttpConfig config)
                        throws InvalidConfigException
                {
                    if (config.endpoint().startsWith("http://") && config.apiKey() != null) {
                        throw new InvalidConfigException("endpoint", "refuses to send the API key over plain http");
                    }
                }

                @Override
                public Output create(HttpConfig config, ComponentContext context)
                {
                    throw new AssertionError("not started in config tests");
                }
            });
        }
    }

    private final SecretRegistry secrets = new SecretRegistry();

    private AgentConfiguration load(String yaml, Map<String, String> environment, Path dir)
            throws InvalidConfigurationException
    {
        return load(yaml, environment, dir, List.of());
    }

    private AgentConfiguration load(String yaml, Map<String, String> environment, Path dir, List<PluginLoadProblem> skippedPlugins)
            throws InvalidConfigurationException
    {
        ConfigLoader loader = new ConfigLoader(environment, new AgentDefaults(dir.resolve("data"), dir.resolve("plugins"), "test-host"), secrets);
        ConfigLoader.ParsedConfig parsed = loader.parse(Optional.of(dir.resolve("outrider.yaml")), "outrider.yaml", yaml);
        LoadedPlugin test = new LoadedPlugin("test-plugin", Optional.empty(), "1", SpiVersion.CURRENT, new TestPlugin(), getClass().getClassLoader());
        return loader.bind(parsed, new PluginRegistry(List.of(CorePlugin.loaded(), test), skippedPlugins));
    }

    /** validate says why a plugin whose type is unknown may be missing: run's log is not the only place that does. */
    @Test
    void anUnknownTypeNamesThePluginsThatWereSkipped(@TempDir Path dir)
    {
        String yaml = """
                pipelines:
                  ssh:
                    inputs: { auth: { type: file, paths: [/var/log/auth.log] } }
                    outputs: { out: { type: jsonl_file } }
                """;
        Path plugins = dir.resolve("plugins");
        List<PluginLoadProblem> skipped = List.of(
                new PluginLoadProblem(plugins.resolve("jsonl-file-output"), "cannot be loaded: java.lang.IllegalStateException: no licence key"),
                new PluginLoadProblem(plugins.resolve("jsonl.zip"), "is an archive, and plugins are loaded from folders and jars: unpack it here"));

        assertThatThrownBy(() -> load(yaml, Map.of(), dir, skipped))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 1 error:

                        1) outrider.yaml:4:29: pipelines.ssh.outputs.out.type: unknown output type 'jsonl_file' (available: console, http); is its plugin installed in %1$s? \
                        2 plugins there were skipped: %1$s/jsonl-file-output: cannot be loaded: java.lang.IllegalStateException: no licence key; \
                        %1$s/jsonl.zip: is an archive, and plugins are loaded from folders and jars: unpack it here"""
                        .formatted(plugins));
    }

    @Test
    void aMisspeltUnmatchedPolicyIsNamedWithThePolicyItMayHaveMeant(@TempDir Path dir)
    {
        String yaml = """
                pipelines:
                  ssh:
                    inputs: { auth: { type: file, paths: [/var/log/auth.log] } }
                    unmatched: dropp
                    outputs: { out: { type: console } }
                """;

        assertThatThrownBy(() -> load(yaml, Map.of(), dir))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 1 error:

                        1) outrider.yaml:4:16: pipelines.ssh.unmatched: expected one of keep, drop but found 'dropp'; did you mean 'drop'?""");
    }

    @Test
    void everyMistakeIsReportedAtOnceNumberedWithLineAndColumn(@TempDir Path dir)
    {
        String yaml = """
                agent:
                  data_dri: /var/lib/x
                  buffer: { max_bytes: 10 parsecs }
                pipelines:
                  ssh:
                    inputs:
                      auth: { type: file, pathz: [/var/log/auth.log], read_from: middle }
                      other: { type: fiel }
                    parsers:
                      p1: { type: nothing }
                    outputs:
                      auth: { type: console }
                      out: { type: http, timeout_seconds: soon }
                    filters: {}
                """;

        assertThatThrownBy(() -> load(yaml, Map.of(), dir))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 11 errors:

                        1) outrider.yaml:2:3: agent.data_dri: unknown property 'data_dri' for the agent section; did you mean 'data_dir'?
                        2) outrider.yaml:3:24: agent.buffer.max_bytes: expected a size such as 1048576, 512KiB or 64MiB but found '10 parsecs' ('10 parsecs' is not a size: use bytes or a number with B, KB, MB, GB, KiB, MiB or GiB)
                        3) outrider.yaml:7:13: pipelines.ssh.inputs.auth.paths: missing required property 'paths' for input type 'file' (plugin test-plugin)
                        4) outrider.yaml:7:27: pipelines.ssh.inputs.auth.pathz: unknown property 'pathz' for input type 'file' (plugin test-plugin); did you mean 'paths'?
                        5) outrider.yaml:7:66: pipelines.ssh.inputs.auth.read_from: expected one of beginning, end but found 'middle'
                        6) outrider.yaml:8:22: pipelines.ssh.inputs.other.type: unknown input type 'fiel'; did you mean 'file'? (available: file)
                        7) outrider.yaml:10:19: pipelines.ssh.parsers.p1.type: unknown parser type 'nothing'; no plugin offers any parser types; is its plugin installed in %s?
                        8) outrider.yaml:12:7: pipelines.ssh.outputs.auth: duplicate component id 'auth' in pipeline 'ssh' (first defined at outrider.yaml:7:7); ids key checkpoints and must be unique within a pipeline
                        9) outrider.yaml:13:12: pipelines.ssh.outputs.out.endpoint: missing required property 'endpoint' for output type 'http' (plugin test-plugin)
                        10) outrider.yaml:13:43: pipelines.ssh.outputs.out.timeout_seconds: expected a whole number but found 'soon'
                        11) outrider.yaml:14:5: pipelines.ssh.filters: unknown pipeline property 'filters'; a pipeline has inputs, parsers, outputs and unmatched"""
                        .formatted(dir.resolve("plugins")));
    }

    @Test
    void typeErrorsInsideAComponentAndFactoryValidationPointAtTheProperty(@TempDir Path dir)
    {
        String yaml = """
                pipelines:
                  p:
                    inputs:
                      files:
                        type: file
                        paths: /var/log/auth.log
                        poll_interval: 10 minutes
                    outputs:
                      out:
                        type: http
                        endpoint: http://collector.example
                        api_key: ${KEY}
                        delivery: { max_events: 0 }
                """;

        assertThatThrownBy(() -> load(yaml, Map.of("KEY", "s3cr3t-key-value"), dir))
                .hasMessage("""
                        Configuration has 4 errors:

                        1) outrider.yaml:6:16: pipelines.p.inputs.files.paths: expected a list but found '/var/log/auth.log'; write it as [value]
                        2) outrider.yaml:7:24: pipelines.p.inputs.files.poll_interval: expected a duration such as 500ms, 30s, 5m, 12h or 7d but found '10 minutes'
                        3) outrider.yaml:11:19: pipelines.p.outputs.out.endpoint: refuses to send the API key over plain http (output type 'http' (plugin test-plugin))
                        4) outrider.yaml:13:19: pipelines.p.outputs.out.delivery: delivery.max_events must be at least 1""");
    }

    @Test
    void sensitiveValuesNeverAppearInErrors(@TempDir Path dir)
    {
        String yaml = """
                pipelines:
                  p:
                    inputs:
                      files: { type: file, paths: [a] }
                    outputs:
                      out: { type: http, endpoint: https://c.example, api_key: "${KEY}", tls: { key_password: [not, text] }, timeout_seconds: "${KEY}" }
                """;

        assertThatThrownBy(() -> load(yaml, Map.of("KEY", "hunter2-secret"), dir))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret").contains("expected a whole number but found the value of ${KEY}"));
        assertThat(secrets.redact("key=hunter2-secret")).isEqualTo("key=******");
    }

    @Test
    void aMistypedValueFromAVariableIsNeverEchoed(@TempDir Path dir)
    {
        // none of these properties is sensitive: the values are no known secret, only their origin hides them
        String yaml = """
                agent:
                  buffer: { max_bytes: "${SIZE}" }
                pipelines:
                  p:
                    inputs:
                      files: { type: file, paths: ["${LOG_DIR}/../auth.log"] }
                      sized: { type: file, paths: [b], max_line_bytes: "${TOKEN}" }
                    outputs:
                      out: { type: http, endpoint: https://c.example, timeout_seconds: "${TOKEN}" }
                """;

        assertThatThrownBy(() -> load(yaml, Map.of("SIZE", "12 tok-9Zq parsecs", "TOKEN", "tok-9Zq2vX7", "LOG_DIR", "/srv/tok-9Zq2vX7"), dir))
                .hasMessage("""
                        Configuration has 4 errors:

                        1) outrider.yaml:2:24: agent.buffer.max_bytes: expected a size such as 1048576, 512KiB or 64MiB but found the value of ${SIZE} ('${SIZE}' is not a size: use bytes or a number with B, KB, MB, GB, KiB, MiB or GiB)
                        2) outrider.yaml:6:35: pipelines.p.inputs.files.paths: '${LOG_DIR}/../auth.log' must not climb out of its folder with .. (input type 'file' (plugin test-plugin))
                        3) outrider.yaml:7:56: pipelines.p.inputs.sized.max_line_bytes: expected a size such as 1048576, 512KiB or 64MiB but found the value of ${TOKEN} ('${TOKEN}' is not a size: use bytes or a number with B, KB, MB, GB, KiB, MiB or GiB)
                        4) outrider.yaml:9:72: pipelines.p.outputs.out.timeout_seconds: expected a whole number but found the value of ${TOKEN}""");
    }

    @Test
    void headerValuesOfASensitiveMapAreSecretsAndPlainTextSecretsAreWarnedAbout(@TempDir Path dir)
            throws Exception
    {
        String yaml = """
                pipelines:
                  p:
                    inputs:
                      files: { type: file, paths: [a] }
                    outputs:
                      out: { type: http, endpoint: https://c.example, api_key: lsk_plain_text_key, headers: { X-Tenant: "${TENANT}", X-Trace: trace-plain-9 } }
                """;
        java.util.List<String> warnings = new java.util.ArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("outrider.config");
        java.util.logging.Handler handler = new java.util.logging.Handler()
        {
            @Override
            public void publish(java.util.logging.LogRecord record)
            {
                warnings.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            load(yaml, Map.of("TENANT", "tenant-token-77"), dir);
        }
        finally {
            logger.removeHandler(handler);
        }

        assertThat(secrets.redact("tenant-token-77 trace-plain-9 lsk_plain_text_key")).isEqualTo("****** ****** ******");
        assertThat(warnings).containsExactly(
                "WARNING outrider.yaml:6:64: pipelines.p.outputs.out.api_key is written in the configuration in plain text, where anyone who can"
                        + " read the file can read it; write api_key: \"${OUTRIDER_API_KEY}\" and put OUTRIDER_API_KEY=... in the agent's env file"
                        + " (mode 0600, e.g. /etc/outrider/agent.env)",
                "WARNING outrider.yaml:6:127: pipelines.p.outputs.out.headers.X-Trace is written in the configuration in plain text, where anyone who can"
                        + " read the file can read it; write X-Trace: \"${OUTRIDER_X_TRACE}\" and put OUTRIDER_X_TRACE=... in the agent's env file"
                        + " (mode 0600, e.g. /etc/outrider/agent.env)");
    }

    @Test
    void environmentAndFileSubstitution(@TempDir Path dir)
            throws Exception
    {
        Path key = dir.resolve("key");
        Files.writeString(key, "file-secret-123\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        String yaml = """
                pipelines:
                  p:
                    inputs:
                      files: { type: file, paths: ["${LOG_DIR:-/var/log}/auth.log", "${HOME_DIR}/x.log", "cost: $$5"] }
                    outputs:
                      out: { type: http, endpoint: "https://c.example", api_key: "${file:key}" }
                """;

        AgentConfiguration configuration = load(yaml, Map.of("HOME_DIR", "/home/a"), dir);

        FileConfig file = (FileConfig) configuration.pipelines().get(0).inputs().get(0).config();
        assertThat(file.paths()).containsExactly("/var/log/auth.log", "/home/a/x.log", "cost: $5");
        HttpConfig http = (HttpConfig) configuration.pipelines().get(0).outputs().get(0).config();
        assertThat(http.apiKey()).isEqualTo("file-secret-123");
        assertThat(secrets.redact("sent file-secret-123")).isEqualTo("sent ******");
    }

    @Test
    void unsetVariableAndWorldReadableSecretFileAreErrors(@TempDir Path dir)
            throws Exception
    {
        Path key = dir.resolve("key");
        Files.writeString(key, "k");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        String yaml = """
                pipelines:
                  p:
                    inputs:
                      files: { type: file, paths: ["${NOPE}"] }
                    outputs:
                      out: { type: http, endpoint: "https://c.example", api_key: "${file:key}" }
                """;

        assertThatThrownBy(() -> load(yaml, Map.of(), dir))
                .hasMessage("""
                        Configuration has 2 errors:

                        1) outrider.yaml:4:36: pipelines.p.inputs.files.paths[0]: environment variable NOPE is not set; set it or write ${NOPE:-default}
                        2) outrider.yaml:6:66: pipelines.p.outputs.out.api_key: secret file %s is readable by group or others (mode 0644); run: chmod 600 %s (or set agent.secret_file_permissions: warn)"""
                        .formatted(key, key));
    }

    @Test
    void defaultsArePinned(@TempDir Path dir)
            throws Exception
    {
        AgentConfiguration configuration = load("""
                pipelines:
                  p:
                    inputs: { files: { type: file, paths: [a] } }
                    outputs: { out: { type: console } }
                """, Map.of(), dir);

        AgentSettings agent = configuration.agent();
        assertThat(agent.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(agent.pluginsDir()).isEqualTo(dir.resolve("plugins"));
        assertThat(agent.hostName()).isEqualTo("test-host");
        assertThat(agent.status()).isEqualTo(new AgentSettings.StatusSettings(false, "127.0.0.1:8686"));
        assertThat(agent.buffer()).isEqualTo(new AgentSettings.BufferSettings(DataSize.parse("256MiB"), AgentSettings.WhenFull.BLOCK, AgentSettings.Durability.NORMAL, null));
        // absent, it scales with the buffer's file system: a fixed 64MiB would hold a 20MiB one back for good
        assertThat(agent.buffer().minFreeDiskFor(20L << 20)).isEqualTo(DataSize.parse("4MiB"));
        assertThat(agent.buffer().minFreeDiskFor(8L << 20)).isEqualTo(DataSize.parse("2MiB"));
        assertThat(agent.buffer().minFreeDiskFor(200L << 20)).isEqualTo(DataSize.parse("10MiB"));
        assertThat(agent.buffer().minFreeDiskFor(100L << 30)).isEqualTo(DataSize.parse("64MiB"));
        assertThat(agent.log()).isEqualTo(new AgentSettings.LogSettings(AgentSettings.LogLevel.INFO, null, DataSize.parse("10MiB"), 5));
        assertThat(agent.secretFilePermissions()).isEqualTo(Substitution.FilePermissionPolicy.REFUSE);
        assertThat(agent.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        PipelineSpec pipeline = configuration.pipelines().get(0);
        assertThat(pipeline.unmatched()).isEqualTo(PipelineSpec.UnmatchedPolicy.KEEP);
        assertThat(pipeline.outputs().get(0).delivery()).isEqualTo(new DeliverySettings(1000, DataSize.parse("1MiB"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(1), 2));
        FileConfig file = (FileConfig) pipeline.inputs().get(0).config();
        assertThat(file.readFrom()).isNull();
        assertThat(file.fields()).isNull();
    }

    @Test
    void everyAgentSettingMapsFromItsSnakeCaseKey(@TempDir Path dir)
            throws Exception
    {
        AgentConfiguration configuration = load("""
                agent:
                  data_dir: /srv/outrider
                  host_name: web-01
                  plugins_dir: /opt/outrider/plugins
                  status: { enabled: true, listen: "[::1]:9000" }
                  buffer: { max_bytes: 1GiB, when_full: drop_oldest, durability: full, min_free_disk: 128MiB }
                  log: { level: debug, file: /var/log/outrider.log, max_file_size: 1MiB, files: 2 }
                  secret_file_permissions: warn
                  shutdown_timeout: 30s
                pipelines:
                  p:
                    inputs: { files: { type: file, paths: [a], read_from: beginning, max_line_bytes: 64KiB, poll_interval: 250ms, fields: { env: prod } } }
                    unmatched: drop
                    outputs:
                      out:
                        type: console
                        format: text
                        delivery: { max_events: 10, max_bytes: 64KiB, max_wait: 50ms, retry_initial: 2s, retry_max: 1h, unauthorized_retry: 5m, in_flight: 4 }
                """, Map.of(), dir);

        AgentSettings agent = configuration.agent();
        assertThat(agent).isEqualTo(new AgentSettings(Path.of("/srv/outrider"), "web-01", Path.of("/opt/outrider/plugins"),
                new AgentSettings.StatusSettings(true, "[::1]:9000"),
                new AgentSettings.BufferSettings(DataSize.parse("1GiB"), AgentSettings.WhenFull.DROP_OLDEST, AgentSettings.Durability.FULL, DataSize.parse("128MiB")),
                new AgentSettings.LogSettings(AgentSettings.LogLevel.DEBUG, Path.of("/var/log/outrider.log"), DataSize.parse("1MiB"), 2),
                Substitution.FilePermissionPolicy.WARN, Duration.ofSeconds(30)));
        PipelineSpec pipeline = configuration.pipelines().get(0);
        assertThat(pipeline.unmatched()).isEqualTo(PipelineSpec.UnmatchedPolicy.DROP);
        assertThat(pipeline.inputs().get(0).config()).isEqualTo(new FileConfig(List.of("a"), ReadFrom.BEGINNING, DataSize.parse("64KiB"), Duration.ofMillis(250), Map.of("env", "prod")));
        assertThat(pipeline.outputs().get(0).delivery()).isEqualTo(new DeliverySettings(10, DataSize.parse("64KiB"), Duration.ofMillis(50),
                Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofMinutes(5), 4));
    }

    @Test
    void inFlightOutsideItsRangeIsAnErrorAtItsLine(@TempDir Path dir)
    {
        String yaml = """
                pipelines:
                  p:
                    inputs: { files: { type: file, paths: [a] } }
                    outputs:
                      slow:
                        type: console
                        delivery: { in_flight: 0 }
                      greedy:
                        type: console
                        delivery:
                          in_flight: 17
                """;

        assertThatThrownBy(() -> load(yaml, Map.of(), dir))
                .hasMessage("""
                        Configuration has 2 errors:

                        1) outrider.yaml:7:19: pipelines.p.outputs.slow.delivery: delivery.in_flight must be between 1 and 16
                        2) outrider.yaml:11:11: pipelines.p.outputs.greedy.delivery: delivery.in_flight must be between 1 and 16""");
    }

    @Test
    void statusEndpointMustBeLoopbackAndYamlSyntaxErrorsHaveAPosition(@TempDir Path dir)
    {
        assertThatThrownBy(() -> load("""
                agent:
                  status: { enabled: true, listen: "0.0.0.0:8686" }
                pipelines:
                  p:
                    inputs: { files: { type: file, paths: [a] } }
                    outputs: { out: { type: console } }
                """, Map.of(), dir))
                .hasMessage("""
                        Configuration has 1 error:

                        1) outrider.yaml:2:36: agent.status.listen: status endpoint must listen on a loopback address and port, e.g. 127.0.0.1:8686 or [::1]:8686 (localhost is the only host name allowed), but found '0.0.0.0:8686'""");

        assertThatThrownBy(() -> load("pipelines:\n  p: [unclosed\n", Map.of(), dir))
                .hasMessageStartingWith("Configuration has 1 error:\n\n1) outrider.yaml:3:1: invalid YAML: expected ',' or ']'");
    }

    @Test
    void statusEndpointHostMustBeALoopbackLiteralOrLocalhost(@TempDir Path dir)
            throws Exception
    {
        // a name that public DNS resolves to 127.0.0.1 today can resolve anywhere tomorrow
        for (String listen : List.of("127.0.0.1.nip.io:8686", "localhost.example.com:8686", "127.0.0.256:8686", "[::2]:8686", "127.0.0.1:65536", "127.0.0.1")) {
            assertThatThrownBy(() -> load("""
                    agent:
                      status: { enabled: true, listen: "%s" }
                    pipelines:
                      p:
                        inputs: { files: { type: file, paths: [a] } }
                        outputs: { out: { type: console } }
                    """.formatted(listen), Map.of(), dir))
                    .hasMessage("Configuration has 1 error:\n\n1) outrider.yaml:2:36: agent.status.listen: status endpoint must listen on a loopback address and port, "
                            + "e.g. 127.0.0.1:8686 or [::1]:8686 (localhost is the only host name allowed), but found '" + listen + "'");
        }
        for (String listen : List.of("127.0.0.1:8686", "127.1.2.3:0", "localhost:8686", "LocalHost:1", "[::1]:8686", "[0:0:0:0:0:0:0:1]:8686")) {
            AgentConfiguration configuration = load("""
                    agent:
                      status: { enabled: true, listen: "%s" }
                    pipelines:
                      p:
                        inputs: { files: { type: file, paths: [a] } }
                        outputs: { out: { type: console } }
                    """.formatted(listen), Map.of(), dir);
            assertThat(configuration.agent().status().listen()).isEqualTo(listen);
        }
    }

    @Test
    void pipelineWithoutInputsOrOutputsAndEmptyFile(@TempDir Path dir)
    {
        assertThatThrownBy(() -> load("pipelines:\n  p:\n    parsers: {}\n", Map.of(), dir))
                .hasMessage("""
                        Configuration has 2 errors:

                        1) outrider.yaml:2:3: pipelines.p: pipeline 'p' has no inputs; add at least one under 'inputs:'
                        2) outrider.yaml:2:3: pipelines.p: pipeline 'p' has no outputs; add at least one under 'outputs:' (type console prints events)""");
        assertThatThrownBy(() -> load("", Map.of(), dir))
                .hasMessage("Configuration has 1 error:\n\n1) outrider.yaml:1:1: the configuration is empty; it needs at least one pipeline under 'pipelines:'");
    }

    @Test
    void didYouMean()
    {
        assertThat(DidYouMean.closest("pathz", List.of("paths", "exclude"))).contains("paths");
        assertThat(DidYouMean.closest("raed_from", List.of("read_from"))).contains("read_from");
        assertThat(DidYouMean.closest("zzz", List.of("paths"))).isEmpty();
    }
}
