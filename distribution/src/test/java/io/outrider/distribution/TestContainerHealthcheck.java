package io.outrider.distribution;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * container/healthcheck.sh (the image's HEALTHCHECK and the DaemonSet's probes) against the real agent of the
 * tarball: live and ready while a collector takes the events, live but not ready while the collector answers 503,
 * and a clear failure when no status endpoint answers.
 */
class TestContainerHealthcheck
{
    // a bound against hanging, not a speed requirement
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void liveAndReadyWhileTheCollectorTakesTheEvents()
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        try (LoopbackCollector collector = LoopbackCollector.start()) {
            String listen = "127.0.0.1:" + freePort();
            try (AgentProcess agent = distribution.start(config(collector.endpoint("/collect").toString(), listen), temp.resolve("data"), Map.of())) {
                Commands.Result live = awaitCheck(distribution, listen, "live", result -> result.exitCode() == 0, agent);
                assertThat(live.stdout()).isEqualTo("/health: 200 {\"status\":\"ok\"}\n");

                Commands.Result ready = awaitCheck(distribution, listen, "ready", result -> result.exitCode() == 0, agent);
                assertThat(ready.stdout()).isEqualTo("/ready: 200 {\"status\":\"ready\"}\n");
                assertThat(agent.stop()).isZero();
            }
        }
    }

    @Test
    void liveButNotReadyWhileTheCollectorAnswers503()
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        collector.start();
        try {
            String listen = "127.0.0.1:" + freePort();
            try (AgentProcess agent = distribution.start(config("http://127.0.0.1:" + collector.getAddress().getPort() + "/collect", listen), temp.resolve("data"), Map.of())) {
                Commands.Result ready = awaitCheck(distribution, listen, "ready", result -> result.stdout().contains("\"problem\":\"retrying\""), agent);
                assertThat(ready.exitCode()).isEqualTo(1);
                assertThat(ready.stdout()).startsWith("/ready: 503 {\"status\":\"degraded\",\"outputs\":[{\"pipeline\":\"logs\",\"output\":\"collector\",\"type\":\"http\",\"problem\":\"retrying\",");

                Commands.Result live = check(distribution, listen, "live");
                assertThat(live.exitCode()).as(live.describe()).isZero();
                assertThat(live.stdout()).isEqualTo("/health: 200 {\"status\":\"ok\"}\n");
            }
        }
        finally {
            collector.stop(0);
        }
    }

    @Test
    void failsClearlyWhenNoStatusEndpointAnswers()
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        String listen = "127.0.0.1:" + freePort();

        Commands.Result result = check(distribution, listen, "live");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo("no answer on " + listen
                + ": the agent is not running, or agent.status is not enabled on that address (OUTRIDER_STATUS_LISTEN)\n");

        Commands.Result usage = check(distribution, listen, "sideways");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).isEqualTo("usage: healthcheck.sh live|ready\n");
    }

    private Path config(String endpoint, String listen)
            throws IOException
    {
        Path log = temp.resolve("app.log");
        Files.writeString(log, "one line\n", StandardCharsets.UTF_8);
        Path config = temp.resolve("outrider.yaml");
        Files.writeString(config, """
                agent:
                  data_dir: %s
                  shutdown_timeout: 2s
                  status: { enabled: true, listen: "%s" }
                pipelines:
                  logs:
                    inputs:
                      files: { type: file, paths: ["%s"], read_from: beginning }
                    outputs:
                      collector:
                        type: http
                        format: ndjson
                        endpoint: "%s"
                        delivery: { max_wait: 50ms, retry_initial: 100ms, retry_max: 200ms }
                """.formatted(temp.resolve("data"), listen, log, endpoint), StandardCharsets.UTF_8);
        return config;
    }

    private Commands.Result awaitCheck(Distribution distribution, String listen, String kind, Predicate<Commands.Result> wanted, AgentProcess agent)
            throws Exception
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Commands.Result result = check(distribution, listen, kind);
        while (!wanted.test(result)) {
            assertThat(agent.isAlive()).as("the agent runs\n" + agent.describe()).isTrue();
            assertThat(System.nanoTime()).as("healthcheck.sh " + kind + " as wanted; the last answer: " + result.describe() + "\n" + agent.describe()).isLessThan(deadline);
            Thread.sleep(200);
            result = check(distribution, listen, kind);
        }
        return result;
    }

    private Commands.Result check(Distribution distribution, String listen, String kind)
            throws IOException, InterruptedException
    {
        return Commands.run(temp, Map.of("OUTRIDER_STATUS_LISTEN", listen), Distribution.COMMAND_TIMEOUT,
                distribution.path("container/healthcheck.sh").toString(), kind);
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
