package io.outrider.core.cli;

import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as an operator uses it: real child JVMs, real files, exit codes and output asserted. */
class TestCommandLine
{
    private static Path plugins(Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        return plugins;
    }

    @Test
    void validateReportsEveryErrorAndExits2(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path config = Files.writeString(dir.resolve("bad.yaml"), """
                agent:
                  plugins_dir: %s
                pipelines:
                  p:
                    inputs:
                      numbers: { type: countr, count: 5 }
                    outputs:
                      out: { type: console, format: yaml }
                """.formatted(plugins));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("""
                Configuration has 2 errors:

                1) %1$s:6:24: pipelines.p.inputs.numbers.type: unknown input type 'countr'; did you mean 'counter'? (available: counter)
                2) %1$s:8:37: pipelines.p.outputs.out.format: expected one of json, text but found 'yaml'
                """.formatted(config));
        assertThat(result.stdout()).isEqualTo("configuration: " + config + " (from -c)\n");
    }

    @Test
    void validateAcceptsAGoodConfigurationAndStartsNothing(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path config = Files.writeString(dir.resolve("good.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: 5 } }
                    parsers: { tag: { type: tag } }
                    outputs: { out: { type: console } }
                """.formatted(plugins, dir.resolve("data")));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "validate", "-c", config.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                configuration: %s (from -c)
                Configuration is valid: 1 pipeline(s), 3 component(s).
                  p: numbers (counter) -> tag (tag) -> out (console)
                """.formatted(config));
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void pluginsListsInstalledPluginsAndTheSkippedOnes(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path corrupt = Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3});

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("not every plugin loaded: 1 skipped, 0 conflicting type(s) (listed above)\n");
        assertThat(result.stdout()).contains("""
                counter  version 9.9.9  SPI %s  %s
                  inputs: counter
                  parsers: tag
                """.formatted(SpiVersion.CURRENT, plugins.resolve("counter")))
                .contains("core  version ")
                .contains("  outputs: console")
                .contains("Skipped:\n  " + corrupt + ": is not a readable jar (zip END header not found); replace or remove it");
    }

    /** A plugin author's type with an invalid name was listed under its plugin and under Skipped at once. */
    @Test
    void aTypeTheRegistrySkippedIsListedUnderSkippedOnly(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("named").resolve("named.jar"), PluginJars.counterPluginSources("named", "Counter-Input"),
                "example.named.CounterPlugin", SpiVersion.CURRENT);

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "--plugins-dir", plugins.toString());

        assertThat(result.stdout()).contains("""
                named  version 9.9.9  SPI %s  %s
                  parsers: tag
                """.formatted(SpiVersion.CURRENT, plugins.resolve("named")))
                .doesNotContain("inputs: Counter-Input")
                .contains("Skipped:\n  " + plugins.resolve("named") + ": offers input type 'Counter-Input', not a type name");
    }

    @Test
    void runPrintsEventsStopsCleanlyOnSigtermAndResumes(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path config = Files.writeString(dir.resolve("run.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: 5 } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """.formatted(plugins, dir.resolve("data")));

        AgentProcess agent = AgentProcess.start(dir.resolve("first"), Map.of(), "run", "-c", config.toString());
        List<String> lines = agent.awaitStdoutLines(5, Duration.ofSeconds(60));
        agent.terminate();
        int code = agent.waitFor(Duration.ofSeconds(30));

        assertThat(code).as(agent.stderr()).isZero();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("{\"@timestamp\":").endsWith(",\"message\":\"event 0\",\"n\":0}");
        assertThat(lines.get(4)).endsWith(",\"message\":\"event 4\",\"n\":4}");

        Files.writeString(config, Files.readString(config).replace("count: 5", "count: 7"));
        AgentProcess again = AgentProcess.start(dir.resolve("second"), Map.of(), "run", "-c", config.toString());
        List<String> more = again.awaitStdoutLines(2, Duration.ofSeconds(60));
        again.terminate();
        assertThat(again.waitFor(Duration.ofSeconds(30))).isZero();
        assertThat(more).hasSize(2);
        assertThat(more.get(0)).contains("\"message\":\"event 5\"");
        assertThat(more.get(1)).contains("\"message\":\"event 6\"");
    }

    @Test
    void parseRunsAParserOverAFile(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path lines = Files.writeString(dir.resolve("lines.txt"), "first\nsecond\n");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "parse", "--parser", "tag", "--set", "value=x", "--plugins-dir", plugins.toString(), lines.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> out = result.stdout().lines().toList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).contains("\"message\":\"first\"", "\"log.file.path\":\"" + lines + "\"", "\"tagged\":\"x\"");
        assertThat(result.stderr()).endsWith("2 lines: 0 became security events, 2 kept as plain events (2 events), 0 unmatched, 0 errors\n");

        AgentProcess.Result unknown = AgentProcess.run(dir, Map.of(), "parse", "--parser", "tga", "--plugins-dir", plugins.toString(), lines.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).isEqualTo("unknown parser type 'tga'; did you mean 'tag'? (available: tag)\n");

        AgentProcess.Result missing = AgentProcess.run(dir, Map.of(), "parse", "--parser", "tag", "--plugins-dir", plugins.toString(), dir.resolve("nope.log").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).isEqualTo("cannot read " + dir.resolve("nope.log") + ": no such file\n");

        AgentProcess.Result badSetting = AgentProcess.run(dir, Map.of(), "parse", "--parser", "tag", "--set", "colour=red", "--plugins-dir", plugins.toString(), lines.toString());
        assertThat(badSetting.exitCode()).isEqualTo(2);
        assertThat(badSetting.stderr()).contains("1) --set: colour: unknown property 'colour' for parser type 'tag' (plugin counter); known properties: value");
    }
}
