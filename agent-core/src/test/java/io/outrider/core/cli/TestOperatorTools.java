package io.outrider.core.cli;

import io.outrider.core.control.ControlToken;
import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outrider tap}, {@code top} and {@code test output}, each against a running agent in a child JVM. */
class TestOperatorTools
{
    private static final String TOKEN = "tick-secret-5d1e07";
    private static final Map<String, String> ENVIRONMENT = Map.of("TICK_TOKEN", TOKEN);

    @Test
    void tapTopAndTestOutputAgainstARunningAgent(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("ticker.jar"), tickerPluginSources(), "example.ticker.TickerPlugin", SpiVersion.CURRENT);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s, status: { enabled: true, listen: "127.0.0.1:%d" } }
                pipelines:
                  p:
                    inputs:
                      ticks: { type: ticker, token: "${TICK_TOKEN}" }
                      quiet: { type: ticker, quiet: true }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """.formatted(plugins, data, port));
        AgentProcess agent = AgentProcess.start(dir.resolve("run"), ENVIRONMENT, "run", "-c", config.toString());
        try {
            agent.awaitStdoutLines(3, Duration.ofSeconds(60));

            AgentProcess.Result tap = AgentProcess.run(dir.resolve("tap"), ENVIRONMENT, "tap", "--limit", "3", "-c", config.toString());
            assertThat(tap.exitCode()).as(tap.stderr()).isZero();
            List<String> tapped = tap.stdout().lines().toList();
            assertThat(tapped).hasSize(3).allSatisfy(line -> assertThat(line)
                    .matches("\\{\"pipeline\":\"p\",\"component\":\"ticks\",\"event\":\\{\"@timestamp\":\"[^\"]+\",\"message\":\"tick \\d+ token=\\*{6}\",\"tick\":\\d+}}"));
            // live: numbered after what the console printed before the tap began
            assertThat(tapped.get(0)).doesNotContain("\"tick\":0}");

            // an operator's shell need not hold the service's secrets: these commands read only the agent section
            AgentProcess.Result statusWithoutSecret = AgentProcess.run(dir.resolve("status"), Map.of(), "status", "-c", config.toString());
            assertThat(statusWithoutSecret.exitCode()).as(statusWithoutSecret.stderr()).isZero();
            assertThat(statusWithoutSecret.stdout()).contains("pipeline p ");
            assertThat(statusWithoutSecret.stderr()).isEmpty();
            // a second agent's configuration with the same status port: what answers is this agent, and status says so
            Path other = Files.writeString(dir.resolve("other.yaml"), Files.readString(config).replace(data.toString(), dir.resolve("other-data").toString()));
            AgentProcess.Result statusOfOther = AgentProcess.run(dir.resolve("status"), Map.of(), "status", "-c", other.toString());
            assertThat(statusOfOther.stderr()).isEqualTo("note: the agent answering at 127.0.0.1:" + port + " runs " + config + ", not " + other
                    + ": it is another agent (is this configuration's agent running, and was its status port free?)\n");
            AgentProcess.Result tapWithoutSecret = AgentProcess.run(dir.resolve("tap"), Map.of(), "tap", "--limit", "1", "-c", config.toString());
            assertThat(tapWithoutSecret.exitCode()).as(tapWithoutSecret.stderr()).isZero();
            assertThat(tapWithoutSecret.stdout()).contains("token=******");

            AgentProcess.Result filtered = AgentProcess.run(dir.resolve("tap"), ENVIRONMENT, "tap", "--component", "journal", "-c", config.toString());
            assertThat(filtered.exitCode()).isEqualTo(2);
            assertThat(filtered.stderr()).isEqualTo("no input 'journal'; tap shows events by the input that read them: ticks, quiet\n");

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> forged = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tap?after=-1"))
                    .header("Authorization", "Bearer not-the-token").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(forged.body()).isEqualTo("{\"error\":\"missing or wrong control token (Authorization: Bearer <contents of control.token in the data directory>)\"}\n");
            HttpResponse<String> badQuery = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tap?after=soon"))
                    .header("Authorization", "Bearer " + ControlToken.read(data)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(badQuery.statusCode()).isEqualTo(400);
            assertThat(badQuery.body()).isEqualTo("{\"error\":\"after and limit must be whole numbers, and the query must be percent-encoded\"}\n");
            assertThat(tooManyTaps(client, port, ControlToken.read(data)))
                    .isEqualTo("{\"error\":\"too many taps at once (at most 2); try again when one ends\"}\n");

            AgentProcess.Result top = AgentProcess.run(dir.resolve("top"), ENVIRONMENT, "top", "-n", "2", "--interval", "0.5", "-c", config.toString());
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            // not a terminal: one plain line per component and refresh, time first
            assertThat(top.stdout().lines().toList()).hasSize(7).satisfiesExactly(
                    line -> assertThat(line).isEqualTo("# time component kind type state events events/s skipped dead_letters backlog"),
                    line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ p\\.ticks input ticker running \\d+ \\d+\\.\\d - - -"),
                    line -> assertThat(line).matches("\\S+ p\\.quiet input ticker running 0 0\\.0 - - -"),
                    line -> assertThat(line).matches("\\S+ p\\.out output console running \\d+ \\d+\\.\\d 0 0 \\d+"),
                    line -> assertThat(line).matches("\\S+ p\\.ticks input ticker running \\d+ \\d+\\.\\d - - -"),
                    line -> assertThat(line).matches("\\S+ p\\.quiet input ticker running 0 0\\.0 - - -"),
                    line -> assertThat(line).matches("\\S+ p\\.out output console running \\d+ \\d+\\.\\d 0 0 \\d+"));
            double inputRate = Double.parseDouble(top.stdout().lines().toList().get(4).split(" ")[6]);
            assertThat(inputRate).as("events per second of an input that ticks every 20 ms").isGreaterThan(0);

            AgentProcess.Result test = AgentProcess.run(dir.resolve("test"), ENVIRONMENT, "test", "output", "out", "-c", config.toString());
            assertThat(test.exitCode()).as(test.stderr()).isZero();
            assertThat(test.stdout()).isEqualTo("""
                    output p.out (console)
                      ok      started: its settings, TLS material and credentials are usable
                      not run collector not contacted: a console output has no check that sends nothing the collector would store; events will \
                    show whether the collector takes them
                    """);
            AgentProcess.Result unknown = AgentProcess.run(dir.resolve("test"), ENVIRONMENT, "test", "output", "siem", "-c", config.toString());
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.stderr()).isEqualTo("no output 'siem' in the configuration " + config + " (from -c); its outputs are: p.out\n");
        }
        catch (AssertionError | Exception e) {
            agent.terminate();
            agent.waitFor(Duration.ofSeconds(30));
            throw new AssertionError(e.getMessage() + "\nagent stderr:\n" + agent.stderr(), e);
        }
        agent.terminate();
        assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();
        // the console output is where events go: it has them whole, the tap masked them as the log would
        assertThat(agent.stdout()).contains("token=" + TOKEN);
    }

    @Test
    void tapAndTopSayWhenNoAgentAnswersOrTheirOptionsCannotWork(@TempDir Path dir)
            throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("ticker.jar"), tickerPluginSources(), "example.ticker.TickerPlugin", SpiVersion.CURRENT);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s, status: { enabled: true, listen: "127.0.0.1:%d" } }
                pipelines:
                  p:
                    inputs: { ticks: { type: ticker, token: "${TICK_TOKEN}" } }
                    outputs: { out: { type: console } }
                """.formatted(plugins, data, port));

        AgentProcess.Result tap = AgentProcess.run(dir.resolve("tap"), ENVIRONMENT, "tap", "-c", config.toString());
        assertThat(tap.exitCode()).isEqualTo(3);
        assertThat(tap.stderr()).isEqualTo("cannot read " + data.resolve("control.token") + " (NoSuchFileException); is the agent running, and may this user read its data directory?\n");

        AgentProcess.Result noLimit = AgentProcess.run(dir.resolve("tap"), ENVIRONMENT, "tap", "--limit", "0", "-c", config.toString());
        assertThat(noLimit.exitCode()).isEqualTo(2);
        assertThat(noLimit.stderr()).isEqualTo("--limit must be at least 1\n");
        AgentProcess.Result tooOften = AgentProcess.run(dir.resolve("top"), ENVIRONMENT, "top", "--interval", "0", "-c", config.toString());
        assertThat(tooOften.exitCode()).isEqualTo(2);
        assertThat(tooOften.stderr()).isEqualTo("--interval must be at least 0.1 seconds and --iterations at least 1\n");

        AgentProcess.Result top = AgentProcess.run(dir.resolve("top"), ENVIRONMENT, "top", "-n", "1", "-c", config.toString());
        assertThat(top.exitCode()).isEqualTo(3);
        assertThat(top.stderr()).isEqualTo("no agent answers at http://127.0.0.1:" + port + "/status (ConnectException); is it running with agent.status.enabled: true?\n");
    }

    /**
     * Three taps at once on an input that emits nothing, so each waits: the third is turned away, and that answer is
     * returned. Sent again a few times should a slow machine let one tap finish before the third arrives.
     */
    private static String tooManyTaps(HttpClient client, int port, String token)
            throws Exception
    {
        for (int round = 0; round < 5; round++) {
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> taps = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                taps.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tap?after=0&component=quiet"))
                        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> answers = new java.util.ArrayList<>();
            for (var tap : taps) {
                answers.add(tap.get());
            }
            assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isIn(200, 503));
            var refused = answers.stream().filter(answer -> answer.statusCode() == 503).findFirst();
            if (refused.isPresent()) {
                assertThat(answers.stream().filter(answer -> answer.statusCode() == 200)).hasSize(2);
                return refused.get().body();
            }
        }
        throw new AssertionError("three taps at once were never turned away");
    }

    /** An input type {@code ticker}: one event every 20 ms until closed, its message carrying the configured token. */
    private static Map<String, String> tickerPluginSources()
    {
        return Map.of("example.ticker.TickerPlugin", """
                package example.ticker;

                import io.outrider.spi.*;
                import io.outrider.spi.config.Sensitive;
                import java.util.*;

                public final class TickerPlugin implements Plugin {
                    public record TickerConfig(@Sensitive String token, Boolean quiet) {}

                    @Override
                    public List<InputFactory<?>> inputFactories() {
                        return List.of(new InputFactory<TickerConfig>() {
                            public String type() { return "ticker"; }
                            public Class<TickerConfig> configClass() { return TickerConfig.class; }
                            public Input create(TickerConfig config, ComponentContext context) {
                                return new Input() {
                                    private volatile boolean closed;
                                    public void run(Emitter emitter) throws Exception {
                                        while (Boolean.TRUE.equals(config.quiet()) && !closed) {
                                            Thread.sleep(20);
                                        }
                                        for (long tick = 0; !closed; tick++) {
                                            emitter.emit(List.of(Event.builder().timestamp(context.clock().instant())
                                                    .message("tick " + tick + " token=" + config.token()).field("tick", tick).build()), List.of());
                                            Thread.sleep(20);
                                        }
                                    }
                                    public void close() { closed = true; }
                                };
                            }
                        });
                    }
                }
                """);
    }
}
