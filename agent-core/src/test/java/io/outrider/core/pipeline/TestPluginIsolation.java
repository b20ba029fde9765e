package io.outrider.core.pipeline;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.outrider.core.AgentModule;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.ConfigWarnings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.plugin.ComponentKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Plugin code runs under its plugin's class loader at every entry point, each input parses with parser instances of
 * its own, and a plugin whose {@code create} throws stops only its own pipeline; all through a real plugin jar, the
 * real loader, binder and agent.
 */
class TestPluginIsolation
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SecretRegistry secrets = new SecretRegistry();

    private Bootstrap.Loaded load(Path dir, String pipelines)
            throws Exception
    {
        ProbePlugin.build(dir.resolve("plugins"));
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent:
                  data_dir: %s
                  plugins_dir: %s
                  shutdown_timeout: 5s
                pipelines:
                %s""".formatted(dir.resolve("data"), dir.resolve("plugins"), pipelines.indent(2)));
        return new Bootstrap(Map.of(), secrets).load(Optional.of(config));
    }

    private Agent agent(Bootstrap.Loaded loaded)
    {
        return Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC())).getInstance(Agent.class);
    }

    @Test
    void everyCallIntoAPluginRunsWithThePluginsClassLoaderAsContextClassLoader(@TempDir Path dir)
            throws Exception
    {
        Bootstrap.Loaded loaded = load(dir, """
                p:
                  inputs: { in: { type: probe } }
                  parsers: { parse: { type: probe } }
                  outputs: { out: { type: probe, delivery: { max_wait: 20ms } } }
                """);
        assertThat(ConfigWarnings.of(loaded.configuration(), secrets)).isEmpty();
        for (ComponentKind kind : ComponentKind.values()) {
            assertThat(loaded.registry().find(kind, "probe").orElseThrow().factory().description()).isEqualTo("probes the context class loader");
        }
        Agent agent = agent(loaded);
        agent.start();
        try {
            ProbePlugin.awaitDelivered(loaded.registry(), 1, TIMEOUT);
        }
        finally {
            agent.stop();
        }

        Map<String, String> expected = new LinkedHashMap<>();
        for (String entry : List.of("plugin constructor", "plugin.inputFactories", "plugin.parserFactories", "plugin.outputFactories", "config record constructor",
                "input.run", "input.close", "parser.parse", "parser.close", "output.start", "output.deliver", "output.close")) {
            expected.put(entry, "ok");
        }
        for (String kind : List.of("input", "parser", "output")) {
            for (String method : List.of("type", "configClass", "description", "validate", "warnings", "sensitiveProperties", "create")) {
                expected.put(kind + "." + method, "ok");
            }
        }
        assertThat(ProbePlugin.calls(loaded.registry())).isEqualTo(expected);
    }

    @Test
    void eachInputParsesWithParserInstancesOfItsOwnOnItsOwnThreadAndClosesThem(@TempDir Path dir)
            throws Exception
    {
        Bootstrap.Loaded loaded = load(dir, """
                p:
                  inputs: { a: { type: probe, count: 50 }, b: { type: probe, count: 50 } }
                  parsers: { parse: { type: probe } }
                  outputs: { out: { type: probe, delivery: { max_wait: 20ms } } }
                """);
        Agent agent = agent(loaded);
        agent.start();
        try {
            ProbePlugin.awaitDelivered(loaded.registry(), 100, TIMEOUT);
        }
        finally {
            agent.stop();
        }

        Map<Integer, Set<String>> threads = ProbePlugin.parserThreads(loaded.registry());
        assertThat(threads.values()).containsExactlyInAnyOrder(Set.of("input-p.a"), Set.of("input-p.b"));
        assertThat(ProbePlugin.closedParsers(loaded.registry())).isEqualTo(threads.keySet());
    }

    @Test
    void aCreateThatThrowsStopsOnlyItsOwnPipeline(@TempDir Path dir)
            throws Exception
    {
        Bootstrap.Loaded loaded = load(dir, """
                bad:
                  inputs: { in: { type: probe } }
                  parsers: { parse: { type: probe, fail_create: true } }
                  outputs: { out: { type: probe } }
                good:
                  inputs: { in: { type: probe, count: 3 } }
                  outputs: { out: { type: probe, delivery: { max_wait: 20ms } } }
                """);
        Agent agent = agent(loaded);
        agent.start();
        try {
            ProbePlugin.awaitDelivered(loaded.registry(), 3, TIMEOUT);
            // the output has the events once deliver returned; the agent counts them once it acknowledged them
            StatusReport status = agent.status();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (status.pipelines().get(1).outputs().get(0).eventsOut() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
                status = agent.status();
            }

            String failure = "parser bad.parse (probe) failed to create, a bug in plugin probe: java.lang.IllegalStateException: probe parser has a bug";
            StatusReport.Pipeline bad = status.pipelines().get(0);
            assertThat(bad.id()).isEqualTo("bad");
            assertThat(bad.inputs()).extracting(StatusReport.Component::id, StatusReport.Component::state, StatusReport.Component::lastError)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("in", "failed", failure));
            assertThat(bad.outputs()).extracting(StatusReport.Component::id, StatusReport.Component::state, StatusReport.Component::lastError)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("out", "failed", failure));
            StatusReport.Pipeline good = status.pipelines().get(1);
            assertThat(good.inputs()).extracting(StatusReport.Component::state).containsExactly("running");
            assertThat(good.outputs()).extracting(StatusReport.Component::eventsOut).containsExactly(3L);
            // readiness sees the pipeline that is not running
            assertThat(agent.outputHealth()).extracting(OutputHealth::pipeline, OutputHealth::output, OutputHealth::state, OutputHealth::lastError)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("good", "out", ComponentState.RUNNING, ""),
                            org.assertj.core.groups.Tuple.tuple("bad", "out", ComponentState.FAILED, failure));
        }
        finally {
            agent.stop();
        }
    }

    @Test
    void whenEveryPipelineFailsToCreateTheAgentDoesNotStart(@TempDir Path dir)
            throws Exception
    {
        Bootstrap.Loaded loaded = load(dir, """
                p:
                  inputs: { in: { type: probe, fail_create: true } }
                  outputs: { out: { type: probe } }
                """);
        Agent agent = agent(loaded);

        assertThatThrownBy(agent::start)
                .isInstanceOf(AgentStartException.class)
                .hasMessage("agent cannot start: no pipeline started: input p.in (probe) failed to create, a bug in plugin probe: java.lang.IllegalStateException: probe input has a bug");
        assertThat(agent.status().pipelines().get(0).outputs()).extracting(StatusReport.Component::state).containsExactly("failed");
    }
}
