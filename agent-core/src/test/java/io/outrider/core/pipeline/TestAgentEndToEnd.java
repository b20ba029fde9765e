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

import java.io.IOException;
import java.io.InputStream;
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
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
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

    /**
     * A walkthrough deployed a parser plugin without one of its jars: every event went on unparsed and, with
     * {@code unmatched: drop}, was dropped while the checkpoint moved on. Now nothing is committed until the jar is there.
     */
    @Test
    void aParserWhosePluginLacksAJarHoldsItsInputUntilTheJarIsThere(@TempDir Path dir)
            throws Exception
    {
        PluginJars.build(dir.resolve("plugins").resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"),
                "example.counter.CounterPlugin", SpiVersion.CURRENT);
        Path whole = PluginJars.build(dir.resolve("whole.jar"), Map.of("example.upper.UpperPlugin", """
                package example.upper;
                import io.outrider.spi.*;
                import java.util.List;
                public final class UpperPlugin implements Plugin {
                    public record Config() {}
                    public List<ParserFactory<?>> parserFactories() {
                        return List.of(new ParserFactory<Config>() {
                            public String type() { return "upper"; }
                            public Class<Config> configClass() { return Config.class; }
                            public Parser create(Config config, ComponentContext context) {
                                return event -> ParseResult.matched(event.toBuilder().field("upper", example.dependency.Upper.of(event.message())).build());
                            }
                        });
                    }
                }
                """, "example.dependency.Upper", """
                package example.dependency;
                public final class Upper {
                    public static String of(String text) { return text.toUpperCase(java.util.Locale.ROOT); }
                }
                """), "example.upper.UpperPlugin", SpiVersion.CURRENT);
        Path folder = Files.createDirectories(dir.resolve("plugins").resolve("upper"));
        Path dependencyJar = dir.resolve("dependency.jar");
        splitJar(whole, folder.resolve("upper.jar"), dependencyJar, "example/dependency/");
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent: { data_dir: %s, plugins_dir: %s, shutdown_timeout: 2s }
                pipelines:
                  numbers:
                    inputs: { counter: { type: counter, count: 30 } }
                    parsers: { upper: { type: upper } }
                    unmatched: drop
                    outputs: { memory: { type: memory, delivery: { max_wait: 20ms } } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins")));

        RecordingOutputPlugin recorder = new RecordingOutputPlugin();
        Agent agent = startFrom(config, recorder);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!counterError(agent).contains("NoClassDefFoundError")) {
                assertThat(System.nanoTime()).as("the input's error; it says '%s'", counterError(agent)).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(counterError(agent)).isEqualTo("parser upper cannot run: java.lang.NoClassDefFoundError: example/dependency/Upper; its plugin"
                    + " folder lacks a jar or holds one of another version (or a class of it failed to initialise). Nothing of the batch was committed:"
                    + " the input retries from its last committed position, and reads on once the plugin is fixed and the agent reloaded");
        }
        finally {
            agent.stop();
        }
        assertThat(recorder.delivered()).isEmpty();
        try (SqliteBuffer buffer = SqliteBuffer.open(dir.resolve("data"), new io.outrider.core.config.AgentSettings.BufferSettings(null, null, null), Clock.systemUTC())) {
            assertThat(buffer.checkpoints("numbers", "counter")).as("nothing committed, so nothing skipped").isEmpty();
        }

        // the operator adds the jar: every event comes, parsed
        Files.copy(dependencyJar, folder.resolve("dependency.jar"));
        RecordingOutputPlugin second = new RecordingOutputPlugin();
        Agent fixed = startFrom(config, second);
        try {
            assertThat(second.await(30, Duration.ofSeconds(30))).extracting(event -> event.field("upper"))
                    .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "EVENT " + i).toList());
        }
        finally {
            fixed.stop();
        }
    }

    /** A walkthrough's output could not start (its folder was missing): the whole agent exited, every pipeline down. */
    @Test
    void anOutputThatCannotStartFailsItsPipelineAtTheFirstStartAndAReloadAsAWhole(@TempDir Path dir)
            throws Exception
    {
        PluginJars.build(dir.resolve("plugins").resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"),
                "example.counter.CounterPlugin", SpiVersion.CURRENT);
        PluginJars.build(dir.resolve("plugins").resolve("folder").resolve("folder.jar"), Map.of("example.folder.FolderPlugin", """
                package example.folder;
                import io.outrider.spi.*;
                import java.util.List;
                public final class FolderPlugin implements Plugin {
                    public record Config(String folder) {}
                    public List<OutputFactory<?>> outputFactories() {
                        return List.of(new OutputFactory<Config>() {
                            public String type() { return "folder"; }
                            public Class<Config> configClass() { return Config.class; }
                            public Output create(Config config, ComponentContext context) {
                                return new Output() {
                                    public void start() throws Exception {
                                        throw new java.nio.file.NoSuchFileException(config.folder(), null, "the folder does not exist");
                                    }
                                    public DeliveryResult deliver(List<Event> batch) { return DeliveryResult.delivered(); }
                                    public void close() {}
                                };
                            }
                        });
                    }
                }
                """), "example.folder.FolderPlugin", SpiVersion.CURRENT);
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent: { data_dir: %s, plugins_dir: %s, shutdown_timeout: 2s }
                pipelines:
                  archive:
                    inputs: { counter: { type: counter, count: 5 } }
                    outputs: { files: { type: folder, folder: /nowhere/archive } }
                  numbers:
                    inputs: { counter: { type: counter, count: 20 } }
                    outputs: { memory: { type: memory, delivery: { max_wait: 20ms } } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins")));

        RecordingOutputPlugin recorder = new RecordingOutputPlugin();
        Agent agent = startFrom(config, recorder);
        try {
            assertThat(recorder.await(20, Duration.ofSeconds(30))).hasSize(20);
            String reason = "output archive.files (folder) cannot start: no such file or directory on /nowhere/archive";
            assertThat(agent.status().pipelines().get(0).outputs()).singleElement().satisfies(output -> {
                assertThat(output.state()).isEqualTo("failed");
                assertThat(output.lastError()).isEqualTo(reason);
            });
            assertThat(agent.outputHealth()).filteredOn(health -> health.pipeline().equals("archive")).singleElement()
                    .satisfies(health -> assertThat(health.state()).isEqualTo(ComponentState.FAILED));
        }
        finally {
            agent.stop();
        }

        // a reload keeps the running configuration rather than one with a pipeline that cannot start
        SecretRegistry secrets = new SecretRegistry();
        Bootstrap.Loaded loaded = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("recorder", Optional.empty(), "1", SpiVersion.CURRENT, new RecordingOutputPlugin(), getClass().getClassLoader())))
                .load(Optional.of(config));
        Agent reloaded = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC())).getInstance(Agent.class);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reloaded.start(false))
                    .isInstanceOf(AgentStartException.class)
                    .hasMessage("output archive.files (folder) cannot start: no such file or directory on /nowhere/archive");
        }
        finally {
            reloaded.stop();
        }
    }

    /** A walkthrough's output never returned from deliver: at SIGTERM the agent drained and then never exited. */
    @Test
    void anOutputThatNeverReturnsDoesNotKeepTheAgentFromStopping(@TempDir Path dir)
            throws Exception
    {
        PluginJars.build(dir.resolve("plugins").resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"),
                "example.counter.CounterPlugin", SpiVersion.CURRENT);
        PluginJars.build(dir.resolve("plugins").resolve("stuck").resolve("stuck.jar"), Map.of("example.stuck.StuckPlugin", """
                package example.stuck;
                import io.outrider.spi.*;
                import java.util.List;
                public final class StuckPlugin implements Plugin {
                    public record Config() {}
                    public List<OutputFactory<?>> outputFactories() {
                        return List.of(new OutputFactory<Config>() {
                            public String type() { return "stuck"; }
                            public Class<Config> configClass() { return Config.class; }
                            public Output create(Config config, ComponentContext context) {
                                return new Output() {
                                    public DeliveryResult deliver(List<Event> batch) {
                                        while (true) {
                                            try { Thread.sleep(60_000); } catch (InterruptedException e) { /* a careless author's loop */ }
                                        }
                                    }
                                    public void close() {}
                                };
                            }
                        });
                    }
                }
                """), "example.stuck.StuckPlugin", SpiVersion.CURRENT);
        Path config = dir.resolve("outrider.yaml");
        Files.writeString(config, """
                agent: { data_dir: %s, plugins_dir: %s, shutdown_timeout: 1s }
                pipelines:
                  numbers:
                    inputs: { counter: { type: counter, count: 5 } }
                    outputs: { stuck: { type: stuck, delivery: { max_wait: 20ms } } }
                """.formatted(dir.resolve("data"), dir.resolve("plugins")));
        Agent agent = startFrom(config, new RecordingOutputPlugin());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (agent.status().pipelines().get(0).outputs().get(0).backlogEvents() < 5) {
            assertThat(System.nanoTime()).as("five events buffered").isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(200);

        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger deliveryLog = java.util.logging.Logger.getLogger(io.outrider.core.delivery.DeliveryLoop.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler()
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
        deliveryLog.addHandler(capture);
        Thread stopping = new Thread(agent::stop);
        try {
            stopping.start();
            stopping.join(Duration.ofSeconds(20).toMillis());
        }
        finally {
            deliveryLog.removeHandler(capture);
        }

        assertThat(stopping.isAlive()).as("the agent still stopping").isFalse();
        assertThat(warnings).contains("WARNING output numbers.stuck (stuck) has not returned from its plugin's delivery within the shutdown timeout and 2 s"
                + " more, interrupted; the agent stops without it: what it was sending stays buffered and is sent again after the restart (plugin stuck)");
        Thread delivery = Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals("output-numbers.stuck")).findFirst().orElseThrow();
        // left behind, it must not keep the JVM from exiting
        assertThat(delivery.isDaemon()).isTrue();
        try (SqliteBuffer buffer = SqliteBuffer.open(dir.resolve("data"), new io.outrider.core.config.AgentSettings.BufferSettings(null, null, null), Clock.systemUTC())) {
            assertThat(buffer.countAfter("numbers", "stuck", 0)).as("still buffered, sent after a restart").isEqualTo(5);
        }
    }

    private static String counterError(Agent agent)
    {
        return String.valueOf(agent.status().pipelines().get(0).inputs().get(0).lastError());
    }

    private Agent startFrom(Path config, RecordingOutputPlugin recorder)
            throws Exception
    {
        SecretRegistry secrets = new SecretRegistry();
        Bootstrap.Loaded loaded = new Bootstrap(Map.of(), secrets)
                .withExtraPlugins(List.of(new LoadedPlugin("recorder", Optional.empty(), "1", SpiVersion.CURRENT, recorder, getClass().getClassLoader())))
                .load(Optional.of(config));
        Agent agent = Guice.createInjector(Stage.PRODUCTION, new AgentModule(loaded.configuration(), secrets, Clock.systemUTC())).getInstance(Agent.class);
        agent.start();
        return agent;
    }

    /** Writes the entries of {@code jar} under {@code prefix} to {@code split}, the others (with the manifest) to {@code rest}. */
    private static void splitJar(Path jar, Path rest, Path split, String prefix)
            throws IOException
    {
        try (JarFile in = new JarFile(jar.toFile());
                JarOutputStream restOut = new JarOutputStream(Files.newOutputStream(rest), in.getManifest());
                JarOutputStream splitOut = new JarOutputStream(Files.newOutputStream(split))) {
            for (JarEntry entry : java.util.Collections.list(in.entries())) {
                if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                JarOutputStream out = entry.getName().startsWith(prefix) ? splitOut : restOut;
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream bytes = in.getInputStream(entry)) {
                    bytes.transferTo(out);
                }
                out.closeEntry();
            }
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
