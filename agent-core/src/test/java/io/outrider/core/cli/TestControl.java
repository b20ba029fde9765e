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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestControl
{
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void pauseResumeReloadThroughTheTokenProtectedEndpointAndSighup(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = dir.resolve("data");
        String yaml = """
                agent: { plugins_dir: %s, data_dir: %s, status: { enabled: true, listen: "127.0.0.1:%d" } }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: COUNT } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """.formatted(plugins, data, port);
        Path config = Files.writeString(dir.resolve("outrider.yaml"), yaml.replace("COUNT", "5"));
        AgentProcess agent = AgentProcess.start(dir.resolve("run"), Map.of(), "run", "-c", config.toString());
        try {
            agent.awaitStdoutLines(5, Duration.ofSeconds(60));
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(base);
            String token = ControlToken.read(data);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(ControlToken.FILE_NAME)))).isEqualTo("rw-------");

            HttpResponse<String> forged = post(base + "/control/pause", "not-the-token");
            assertThat(forged.statusCode()).isEqualTo(401);

            HttpResponse<String> pause = post(base + "/control/pause", token);
            assertThat(pause.statusCode()).isEqualTo(200);
            assertThat(pause.body()).contains("inputs paused");
            assertThat(get(base + "/status")).contains("\"paused\" : true", "\"state\" : \"paused\"");

            assertThat(post(base + "/control/resume", token).statusCode()).isEqualTo(200);
            assertThat(get(base + "/status")).contains("\"paused\" : false");

            Files.writeString(config, yaml.replace("COUNT", "5").replace("type: console", "type: consol"));
            HttpResponse<String> refused = post(base + "/control/reload", token);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("reload refused, the running configuration stays in effect", "unknown output type 'consol'");
            assertThat(get(base + "/health")).contains("ok");
            // SIGHUP with the same broken file: refused, and said once in the log like the endpoint's refusal
            new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start().waitFor();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (refusals(agent.stderr()) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(refusals(agent.stderr())).as("the endpoint's refusal and SIGHUP's").isEqualTo(2);

            Files.writeString(config, yaml.replace("COUNT", "8"));
            new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start().waitFor();
            List<String> lines = agent.awaitStdoutLines(8, Duration.ofSeconds(60));
            assertThat(lines).hasSize(8);
            assertThat(lines.subList(5, 8)).allSatisfy(line -> assertThat(line).containsPattern("\"message\":\"event [567]\""));
        }
        catch (AssertionError | Exception e) {
            agent.terminate();
            agent.waitFor(Duration.ofSeconds(30));
            throw new AssertionError(e.getMessage() + "\nagent stderr:\n" + agent.stderr(), e);
        }
        agent.terminate();
        assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();
        assertThat(agent.stdout().lines().toList()).hasSize(8);
        assertThat(agent.stderr()).contains("reloading the configuration from " + config).doesNotContain("SIGHUP does not reload");
        assertThat(refusals(agent.stderr())).isEqualTo(2);
        // the numbered problems on the refusal's one line, not as \n escapes
        assertThat(agent.stderr().lines().filter(line -> line.contains("reload refused")))
                .allSatisfy(line -> assertThat(line).doesNotContain("\\n").contains("unknown output type 'consol'"));
    }

    /** Log lines that say a reload was refused. */
    private static long refusals(String stderr)
    {
        return stderr.lines().filter(line -> line.contains("reload refused")).count();
    }

    @Test
    void saysSoWhenStartedWithSighupIgnored(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                agent: { plugins_dir: %s, data_dir: %s }
                pipelines:
                  p:
                    inputs: { numbers: { type: counter, count: 1 } }
                    outputs: { out: { type: console, delivery: { max_wait: 10ms } } }
                """.formatted(plugins, data));
        // what nohup does: the agent inherits SIGHUP ignored, and the JVM keeps it that way
        AgentProcess agent = AgentProcess.startWithSignal(dir.resolve("run"), Map.of(), "--ignore-signal=HUP", "run", "-c", config.toString());
        try {
            agent.awaitStdoutLines(1, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!agent.stderr().contains("SIGHUP does not reload") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(agent.stderr()).contains("WARN  RunCommand: SIGHUP does not reload the configuration: the agent was started with SIGHUP ignored (nohup?) "
                    + "or the JVM does not offer it; reload through the control endpoint (POST /control/reload, with the status endpoint on) or restart the agent");
            // and the signal does no harm
            new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start().waitFor();
            Thread.sleep(200);
        }
        finally {
            agent.terminate();
        }
        assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();
    }

    private void awaitHealthy(String base)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (get(base + "/health").contains("ok")) {
                    return;
                }
            }
            catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("status endpoint did not come up", notYet);
                }
            }
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> post(String url, String token)
            throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(String url)
            throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
