package io.outrider.core.cli;

import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ComponentFactory.warnings} as {@code validate} prints them and {@code run} logs them: real child JVMs, real plugin jars. */
class TestConfigWarnings
{
    /**
     * A plugin with an input type {@code watcher} that warns when its {@code path} does not exist (and emits one event),
     * and an output type {@code clumsy} whose warnings method throws.
     */
    private static Path plugins(Path dir, String spiVersion)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("watcher").resolve("watcher.jar"), Map.of("example.watcher.WatcherPlugin", """
                package example.watcher;

                import io.outrider.spi.*;
                import java.nio.file.*;
                import java.util.*;

                public final class WatcherPlugin implements Plugin {
                    public record WatcherConfig(String path, String apiKey) {}
                    public record ClumsyConfig() {}

                    @Override
                    public List<InputFactory<?>> inputFactories() {
                        return List.of(new InputFactory<WatcherConfig>() {
                            public String type() { return "watcher"; }
                            public Class<WatcherConfig> configClass() { return WatcherConfig.class; }
                            public Set<String> sensitiveProperties() { return Set.of("api_key"); }
                            public List<String> warnings(WatcherConfig config) {
                                if (Files.exists(Path.of(config.path()))) {
                                    return List.of();
                                }
                                return List.of("path \\"" + config.path() + "\\" does not exist yet", "key " + config.apiKey() + " is not checked");
                            }
                            public Input create(WatcherConfig config, ComponentContext context) {
                                return new Input() {
                                    private volatile boolean closed;
                                    public void run(Emitter emitter) throws Exception {
                                        emitter.emit(List.of(Event.builder().timestamp(context.clock().instant()).message("watching").build()), List.of());
                                        while (!closed) { Thread.sleep(20); }
                                    }
                                    public void close() { closed = true; }
                                };
                            }
                        });
                    }

                    @Override
                    public List<OutputFactory<?>> outputFactories() {
                        return List.of(new OutputFactory<ClumsyConfig>() {
                            public String type() { return "clumsy"; }
                            public Class<ClumsyConfig> configClass() { return ClumsyConfig.class; }
                            public List<String> warnings(ClumsyConfig config) { throw new IllegalStateException("no idea"); }
                            public Output create(ClumsyConfig config, ComponentContext context) {
                                return new Output() {
                                    public DeliveryResult deliver(List<Event> batch) { return DeliveryResult.delivered(); }
                                    public void close() {}
                                };
                            }
                        });
                    }
                }
                """), "example.watcher.WatcherPlugin", spiVersion);
        return plugins;
    }

    @Test
    void validatePrintsWarningsNumberedAndExits0(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir, SpiVersion.CURRENT);
        Path missing = dir.resolve("missing");
        Path config = Files.writeString(dir.resolve("warn.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs:
                      there: { type: watcher, path: "%s", api_key: s3cr3t-k3y }
                      gone: { type: watcher, path: "%s", api_key: s3cr3t-k3y }
                    outputs:
                      out: { type: clumsy }
                """.formatted(plugins, dir.resolve("data"), dir, missing));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 3 warnings:

                1) %1$s:6:7: pipelines.p.inputs.gone: path "%2$s" does not exist yet
                2) %1$s:6:7: pipelines.p.inputs.gone: key ****** is not checked
                3) %1$s:8:7: pipelines.p.outputs.out: output type 'clumsy' (plugin watcher) failed to list its warnings: java.lang.IllegalStateException: no idea
                """.formatted(config, missing));
        assertThat(result.stdout()).isEqualTo("""
                configuration: %s (from -c)
                Configuration is valid: 1 pipeline(s), 3 component(s).
                  p: there (watcher), gone (watcher) -> out (clumsy)
                """.formatted(config));
        assertThat(dir.resolve("data")).doesNotExist();
    }

    /** A walkthrough's data_dir under /proc validated, and run exited 1 (under systemd, every 5 s). */
    @Test
    void aDataDirectoryTheAgentCouldNotMakeIsWarnedOfAndNothingIsLeftBehind(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir, SpiVersion.CURRENT);
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Path config = Files.writeString(dir.resolve("warn.yaml"), """
                agent: { data_dir: %s/data, plugins_dir: %s }
                pipelines:
                  p:
                    inputs: { in: { type: watcher, path: "%s" } }
                    outputs: { out: { type: console } }
                """.formatted(file, plugins, dir));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 1 warning:

                1) %s: agent.data_dir: %s/data cannot be created: %s is a file, not a directory
                """.formatted(config, file, file));

        Path procConfig = Files.writeString(dir.resolve("proc.yaml"), """
                agent: { data_dir: /proc/outrider-data, plugins_dir: %s }
                pipelines:
                  p:
                    inputs: { in: { type: watcher, path: "%s" } }
                    outputs: { out: { type: console } }
                """.formatted(plugins, dir));
        AgentProcess.Result proc = AgentProcess.run(dir, Map.of(), "validate", "-c", procConfig.toString());
        assertThat(proc.exitCode()).as(proc.stderr()).isZero();
        assertThat(proc.stderr()).startsWith("Configuration has 1 warning:\n\n1) " + procConfig + ": agent.data_dir: /proc/outrider-data does not exist and "
                + System.getProperty("user.name") + " cannot create it in /proc (");
        // the probe of a directory that can be made is removed again
        Path config2 = Files.writeString(dir.resolve("fine.yaml"), Files.readString(procConfig).replace("/proc/outrider-data", dir.resolve("fine-data").toString()));
        AgentProcess.Result fine = AgentProcess.run(dir, Map.of(), "validate", "-c", config2.toString());
        assertThat(fine.stderr()).isEmpty();
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith(".outrider-validate-") || name.equals("fine-data"));
        }
    }

    @Test
    void validatePrintsTheWarningsOfTheValidComponentsAfterTheErrors(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir, SpiVersion.CURRENT);
        Path missing = dir.resolve("missing");
        Path config = Files.writeString(dir.resolve("warn.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs:
                      gone: { type: watcher, path: "%s", api_key: s3cr3t-k3y }
                    outputs:
                      out: { type: console, format: yaml }
                """.formatted(plugins, dir.resolve("data"), missing));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 1 error:

                1) %1$s:7:37: pipelines.p.outputs.out.format: expected one of json, text but found 'yaml'

                Configuration has 2 warnings:

                1) %1$s:5:7: pipelines.p.inputs.gone: path "%2$s" does not exist yet
                2) %1$s:5:7: pipelines.p.inputs.gone: key ****** is not checked
                """.formatted(config, missing));
        assertThat(result.stdout()).isEqualTo("configuration: " + config + " (from -c)\n");
    }

    @Test
    void runLogsTheWarningsAndStartsAnyway(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir, SpiVersion.CURRENT);
        Path missing = dir.resolve("missing");
        Path config = Files.writeString(dir.resolve("warn.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs:
                      gone: { type: watcher, path: "%s", api_key: s3cr3t-k3y }
                    outputs:
                      out: { type: console, delivery: { max_wait: 10ms } }
                """.formatted(plugins, dir.resolve("data"), missing));

        AgentProcess agent = AgentProcess.start(dir.resolve("run"), Map.of(), "run", "-c", config.toString());
        assertThat(agent.awaitStdoutLines(1, Duration.ofSeconds(60)).get(0)).contains("\"message\":\"watching\"");
        agent.terminate();
        assertThat(agent.waitFor(Duration.ofSeconds(30))).as(agent.stderr()).isZero();

        // the agent logs to standard error or to its log file, depending on where it runs
        String log = agent.stderr() + logFiles(dir.resolve("data"));
        assertThat(log).doesNotContain("s3cr3t-k3y");
        assertThat(log.lines().filter(line -> line.contains("WARN")))
                .anySatisfy(line -> assertThat(line).endsWith(": " + config + ":5:7: pipelines.p.inputs.gone: path \"" + missing + "\" does not exist yet"))
                .anySatisfy(line -> assertThat(line).endsWith(": " + config + ":5:7: pipelines.p.inputs.gone: key ****** is not checked"));
    }

    @Test
    void aPluginBuiltForTheOlderMinorSpiLoadsAndIsAskedForWarnings(@TempDir Path dir)
            throws Exception
    {
        // the default method arrived in this minor version; a plugin jar saying 1.1 must still load and be asked
        Path plugins = plugins(dir, SpiVersion.MAJOR + "." + (SpiVersion.MINOR - 1));
        Path config = Files.writeString(dir.resolve("old.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs: { there: { type: watcher, path: "%s" } }
                    outputs: { out: { type: console } }
                """.formatted(plugins, dir.resolve("data"), dir));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).startsWith("configuration: " + config + " (from -c)\nConfiguration is valid: 1 pipeline(s), 2 component(s).");
    }

    private static String logFiles(Path dataDir)
            throws Exception
    {
        Path logs = dataDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.sorted().toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }
}
