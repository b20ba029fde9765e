package io.outrider.core.pipeline;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.outrider.core.AgentModule;
import io.outrider.core.cli.Bootstrap;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.metrics.StatusServer;
import io.outrider.core.plugin.LoadedPlugin;
import io.outrider.core.plugin.PluginJars;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.Event;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TestAgentEndToEnd
{
    private Agent start(Path dir, int count, RecordingOutputPlugin recorder, SecretRegistry secrets, String extraAgent)
            throws Exception
    {
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent:
                  data_dir: %s
                  plugins_dir: %s
                  shutdown_timeout: 5s
                %s
                pipelines:
                  numbers:
                    inputs:
                      counter: { type: counter, count: %d }
                    parsers:
                      tag: { type: tag, value: seen }
                    outputs:
                      memory: { type: memory, fail_first: true, delivery: { max_wait: 20ms, max_events: 64 } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins"), extraAgent, count));
        Bootstrap bootstrap = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("recorder", Optional.empty(), "1", SpiVersion.CURRENT, recorder, getClass().getClassLoader())));
        Bootstrap.Loaded loaded = bootstrap.load(Optional.of(config));
        Agent agent = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC())).getInstance(Agent.class);
        agent.start();
        return agent;
    }

    @Test
    void aPluginJarFromThePluginsFolderRunsInAPipelineAndResumesFromItsCheckpoint(@TempDir Path dir)
            throws Exception
    {
        PluginJars.build(dir.resolve("plugins").resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"),
                "example.counter.CounterPlugin", SpiVersion.CURRENT);
        RecordingOutputPlugin recorder = new RecordingOutputPlugin();

        Agent agent = start(dir, 250, recorder, new SecretRegistry(), "");
        List<Event> first = recorder.await(250, Duration.ofSeconds(30));
        agent.stop();

        assertThat(first).extracting(Event::message).containsExactlyElementsOf(IntStream.range(0, 250).mapToObj(i -> "event " + i).toList());
        assertThat(first).allSatisfy(event -> assertThat(event.field("tagged")).isEqualTo("seen"));
        try (SqliteBuffer buffer = SqliteBuffer.open(dir.resolve("data"), new io.outrider.core.config.AgentSettings.BufferSettings(null, null, null), Clock.systemUTC())) {
            assertThat(buffer.checkpoints("numbers", "counter")).isEqualTo(Map.of("next", "250"));
            assertThat(buffer.totalBytes()).isZero();
        }

        RecordingOutputPlugin second = new RecordingOutputPlugin();
        Agent restarted = start(dir, 300, second, new SecretRegistry(), "");
        List<Event> rest = second.await(50, Duration.ofSeconds(30));
        restarted.stop();
        assertThat(rest).extracting(Event::message).containsExactlyElementsOf(IntStream.range(250, 300).mapToObj(i -> "event " + i).toList());
    }

    @Test
    void statusEndpointServesHealthStatusAndMetricsOnLoopback(@TempDir Path dir)
            throws Exception
    {
        PluginJars.build(dir.resolve("plugins").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        RecordingOutputPlugin recorder = new RecordingOutputPlugin();
        SecretRegistry secrets = new SecretRegistry();
        Agent agent = start(dir, 20, recorder, secrets, "");
        recorder.await(20, Duration.ofSeconds(30));
        try (StatusServer server = StatusServer.start("127.0.0.1:0", agent, secrets)) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/status")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}\n");
            assertThat(status.body()).contains("\"id\" : \"numbers\"", "\"events_in\" : 20", "\"events_out\" : 20", "\"state\" : \"running\"");
            assertThat(metrics.body())
                    .contains("outrider_events_in_total{component=\"counter\",pipeline=\"numbers\",type=\"counter\"} 20.0")
                    .contains("outrider_events_out_total{component=\"memory\",pipeline=\"numbers\",type=\"memory\"} 20.0")
                    .contains("outrider_output_backlog_events{component=\"memory\",pipeline=\"numbers\",type=\"memory\"} 0.0");
            assertThat(post.statusCode()).isEqualTo(405);
        }
        finally {
            agent.stop();
        }
    }

    @Test
    void aFailingStartStopsWhatAlreadyStarted(@TempDir Path dir)
            throws Exception
    {
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent: { data_dir: %s, plugins_dir: %s }
                pipelines:
                  p:
                    inputs: { broken: { type: broken } }
                    outputs: { memory: { type: memory } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins")));
        PluginJars.build(dir.resolve("plugins").resolve("broken.jar"), Map.of("example.broken.BrokenPlugin", """
                package example.broken;
                import io.outrider.spi.*;
                import java.util.List;
                public final class BrokenPlugin implements Plugin {
                    public record Config() {}
                    public List<InputFactory<?>> inputFactories() {
                        return List.of(new InputFactory<Config>() {
                            public String type() { return "broken"; }
                            public Class<Config> configClass() { return Config.class; }
                            public Input create(Config config, ComponentContext context) throws InvalidConfigException {
                                throw new InvalidConfigException("", "device /dev/nothing is missing");
                            }
                        });
                    }
                }
                """), "example.broken.BrokenPlugin", SpiVersion.CURRENT);
        RecordingOutputPlugin recorder = new RecordingOutputPlugin();
        SecretRegistry secrets = new SecretRegistry();
        Bootstrap.Loaded loaded = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("recorder", Optional.empty(), "1", SpiVersion.CURRENT, recorder, getClass().getClassLoader())))
                .load(Optional.of(config));
        Agent agent = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC())).getInstance(Agent.class);

        org.assertj.core.api.Assertions.assertThatThrownBy(agent::start)
                .isInstanceOf(AgentStartException.class)
                .hasMessage("input p.broken (broken) cannot start: device /dev/nothing is missing");
        // the output that had started before the input failed was stopped again
        assertThat(agent.status().pipelines().get(0).outputs()).extracting(StatusReport.Component::state).containsExactly("stopped");
    }
}
