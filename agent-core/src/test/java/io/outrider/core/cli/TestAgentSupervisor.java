package io.outrider.core.cli;

import io.outrider.core.config.SecretRegistry;
import io.outrider.core.pipeline.Agent;
import io.outrider.core.pipeline.StatusReport;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The supervisor owns the plugins of the running configuration: a reload closes the replaced ones, a stop the last. */
class TestAgentSupervisor
{
    @Test
    void aReloadClosesThePluginsItReplacesAndStopClosesTheLast(@TempDir Path dir)
            throws Exception
    {
        Map<String, String> sources = new HashMap<>(PluginJars.counterPluginSources("counter", "counter"));
        sources.put("example.counter.NeverUsed", "package example.counter; public final class NeverUsed {}");
        PluginJars.build(dir.resolve("plugins").resolve("counter.jar"), sources, "example.counter.CounterPlugin", SpiVersion.CURRENT);
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { data_dir: %s, plugins_dir: %s, shutdown_timeout: 2s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: 5 } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins")));
        Bootstrap bootstrap = new Bootstrap(Map.of(), new SecretRegistry());
        Bootstrap.Loaded first = bootstrap.load(Optional.of(config));
        AgentSupervisor supervisor = new AgentSupervisor(bootstrap, Optional.of(config), first);
        supervisor.start();
        ClassLoader firstLoader = counterLoader(first);
        assertThat(firstLoader.getResource("example/counter/NeverUsed.class")).isNotNull();

        supervisor.reload();
        Bootstrap.Loaded second = supervisor.loaded();
        ClassLoader secondLoader = counterLoader(second);

        assertThat(second).isNotSameAs(first);
        assertThatThrownBy(() -> firstLoader.loadClass("example.counter.NeverUsed")).isInstanceOf(ClassNotFoundException.class);
        assertThat(secondLoader.getResource("example/counter/NeverUsed.class")).isNotNull();

        supervisor.stop();

        assertThatThrownBy(() -> secondLoader.loadClass("example.counter.NeverUsed")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void refusesAReloadThatMovesTheDataDirectoryAndKeepsRunning(@TempDir Path dir)
            throws Exception
    {
        counterPlugin(dir);
        String yaml = """
                agent: { data_dir: %s, plugins_dir: %s, shutdown_timeout: 2s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: 5 } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """;
        Path config = Files.writeString(dir.resolve("outrider.yaml"), yaml.formatted(dir.resolve("data"), dir.resolve("plugins")));
        AgentSupervisor supervisor = started(config, new SecretRegistry());
        try {
            Agent running = supervisor.current();
            Files.writeString(config, yaml.formatted(dir.resolve("elsewhere"), dir.resolve("plugins")));

            assertThatThrownBy(supervisor::reload).isInstanceOf(IllegalStateException.class)
                    .hasMessage("reload refused, the running configuration stays in effect: agent.data_dir changed from " + dir.resolve("data") + " to "
                            + dir.resolve("elsewhere") + "; a data directory changes with a restart, which moves nothing: the events buffered in the old one wait there");
            assertThat(supervisor.current()).isSameAs(running);
            assertThat(dir.resolve("elsewhere")).doesNotExist();
        }
        finally {
            supervisor.stop();
        }
    }

    /** A walkthrough's refused reload was only in the log: status showed nothing, and the next restart did not start. */
    @Test
    void aRefusedReloadIsInTheStatusUntilAReloadSucceeds(@TempDir Path dir)
            throws Exception
    {
        counterPlugin(dir);
        String yaml = """
                agent: { data_dir: %s, plugins_dir: %s, shutdown_timeout: 2s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: %s } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """;
        Path config = Files.writeString(dir.resolve("outrider.yaml"), yaml.formatted(dir.resolve("data"), dir.resolve("plugins"), "5"));
        SecretRegistry secrets = new SecretRegistry();
        AgentSupervisor supervisor = started(config, secrets);
        try {
            assertThat(supervisor.current().status().reloadRefused()).isNull();
            Files.writeString(config, yaml.formatted(dir.resolve("data"), dir.resolve("plugins"), "many"));

            assertThatThrownBy(supervisor::reload).isInstanceOf(IllegalStateException.class);

            StatusReport.ReloadRefusal refusal = supervisor.current().status().reloadRefused();
            assertThat(refusal).isNotNull();
            assertThat(java.time.Instant.parse(refusal.at())).isBefore(java.time.Instant.now().plusSeconds(1));
            assertThat(refusal.reason()).startsWith("Configuration has 1 error: 1) " + config + ":4:").doesNotContain("\n");
            assertThat(StatusCommand.render(io.outrider.core.metrics.StatusServer.json().valueToTree(supervisor.current().status()), secrets))
                    .contains("\nreload refused at " + refusal.at() + ", the previous configuration runs: Configuration has 1 error: 1) " + config + ":4:");

            Files.writeString(config, yaml.formatted(dir.resolve("data"), dir.resolve("plugins"), "6"));
            supervisor.reload();
            assertThat(supervisor.current().status().reloadRefused()).isNull();
        }
        finally {
            supervisor.stop();
        }
    }

    /** A reload ran the inputs of a paused agent again without a word (a walkthrough saw "paused" turn "running"). */
    @Test
    void aPausedAgentStaysPausedThroughAReload(@TempDir Path dir)
            throws Exception
    {
        counterPlugin(dir);
        String yaml = """
                agent: { data_dir: %s, plugins_dir: %s, shutdown_timeout: 2s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: %d } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """;
        Path config = Files.writeString(dir.resolve("outrider.yaml"), yaml.formatted(dir.resolve("data"), dir.resolve("plugins"), 5));
        AgentSupervisor supervisor = started(config, new SecretRegistry());
        try {
            awaitEventsIn(supervisor, 5);
            supervisor.pause();
            Files.writeString(config, yaml.formatted(dir.resolve("data"), dir.resolve("plugins"), 7));

            assertThat(supervisor.reload()).isEqualTo("configuration reloaded: 1 pipeline(s); the inputs stay paused");

            assertThat(supervisor.current().isPaused()).isTrue();
            Thread.sleep(500);
            assertThat(supervisor.current().status().pipelines().get(0).inputs().get(0).eventsIn()).isZero();
            assertThat(supervisor.current().status().pipelines().get(0).inputs().get(0).state()).isEqualTo("paused");
            supervisor.resume();
            // the two events the new count adds, from the committed position
            awaitEventsIn(supervisor, 2);
        }
        finally {
            supervisor.stop();
        }
    }

    @Test
    void warnsOfAnInputThatAReloadSeemsToRename(@TempDir Path dir)
            throws Exception
    {
        counterPlugin(dir);
        String yaml = """
                agent: { data_dir: %s, plugins_dir: %s }
                pipelines:
                  p:
                    inputs: { %s: { type: counter, count: 5 }, kept: { type: counter, count: 1 } }
                    outputs: { out: { type: console } }
                """;
        Bootstrap bootstrap = new Bootstrap(Map.of(), new SecretRegistry());
        Path before = Files.writeString(dir.resolve("before.yaml"), yaml.formatted(dir.resolve("data"), dir.resolve("plugins"), "files"));
        Path after = Files.writeString(dir.resolve("after.yaml"), yaml.formatted(dir.resolve("data"), dir.resolve("plugins"), "applogs"));
        Bootstrap.Loaded first = bootstrap.load(Optional.of(before));
        Bootstrap.Loaded second = bootstrap.load(Optional.of(after));
        try {
            assertThat(AgentSupervisor.renamedInputs(first.configuration(), second.configuration())).containsExactly("input p.applogs (counter) is new and p.files"
                    + " is gone: if it was renamed, it does not take over the old one's positions and starts as on a first start (read_from);"
                    + " give it its old id 'files' again to read on where that one stopped");
            assertThat(AgentSupervisor.renamedInputs(first.configuration(), first.configuration())).isEmpty();
        }
        finally {
            first.registry().close();
            second.registry().close();
        }
    }

    private static void awaitEventsIn(AgentSupervisor supervisor, long events)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (supervisor.current().status().pipelines().get(0).inputs().get(0).eventsIn() < events) {
            assertThat(System.nanoTime()).as("%d events in", events).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(supervisor.current().status().pipelines().get(0).inputs().get(0).eventsIn()).isEqualTo(events);
    }

    private static ClassLoader counterLoader(Bootstrap.Loaded loaded)
    {
        return loaded.registry().plugins().stream().filter(plugin -> plugin.name().equals("counter")).map(LoadedPlugin::classLoader).findFirst().orElseThrow();
    }

    /** The counter plugin of {@link PluginJars#counterPluginSources} in {@code dir/plugins}. */
    private static void counterPlugin(Path dir)
            throws Exception
    {
        PluginJars.build(dir.resolve("plugins").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin",
                SpiVersion.CURRENT);
    }

    /** A supervisor of {@code config}, started as outrider run starts it. */
    private static AgentSupervisor started(Path config, SecretRegistry secrets)
            throws Exception
    {
        Bootstrap bootstrap = new Bootstrap(Map.of(), secrets);
        AgentSupervisor supervisor = new AgentSupervisor(bootstrap, Optional.of(config), bootstrap.load(Optional.of(config)));
        supervisor.start();
        return supervisor;
    }
}
