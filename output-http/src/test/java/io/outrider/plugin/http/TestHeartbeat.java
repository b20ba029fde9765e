package io.outrider.plugin.http;

import io.outrider.plugin.http.RecordingServer.Recorded;
import io.outrider.plugin.http.RecordingServer.Reply;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.outrider.plugin.http.HttpOutputConfig.Format.LITESOC;
import static io.outrider.plugin.http.TestingConfigs.KEY;
import static io.outrider.plugin.http.TestingConfigs.config;
import static io.outrider.plugin.http.TestingEvents.sshdFailedLogin;
import static org.assertj.core.api.Assertions.assertThat;

class TestHeartbeat
{
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path directory;

    private RecordingServer server;

    @BeforeEach
    void setUp()
    {
        server = RecordingServer.http();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
    }

    @Test
    void beatsAtStartAndEveryIntervalIndependentOfEvents()
            throws Exception
    {
        ManualScheduler scheduler = new ManualScheduler(START);
        TestingComponentContext context = TestingComponentContext.builder(directory).clock(scheduler.clock()).agentVersion("1.4.2").build();
        Output output = new HttpOutputFactory(name -> scheduler)
                .create(config(LITESOC, server.uri("/v1")).apiKey(KEY).heartbeatInterval(Duration.ofSeconds(30)).build(), context);
        try {
            output.start();
            assertThat(server.requests()).hasSize(1);
            Recorded beat = server.requests().get(0);
            assertThat(beat.path()).isEqualTo("/v1/agent/heartbeat");
            assertThat(beat.body()).isEqualTo("{\"hostname\":\"test-host\",\"agent_version\":\"1.4.2\"}");
            assertThat(beat.header("X-API-Key")).isEqualTo(KEY);
            assertThat(beat.header("Content-Type")).isEqualTo("application/json");
            assertThat(context.metrics().gaugeValue("heartbeat_last_success_seconds")).isEqualTo(START.getEpochSecond());

            scheduler.advance(Duration.ofSeconds(29));
            assertThat(server.requests()).hasSize(1);
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(server.requests()).hasSize(2);
            output.deliver(List.of(sshdFailedLogin()));
            scheduler.advance(Duration.ofSeconds(60));
            assertThat(server.requests()).extracting(Recorded::path)
                    .containsExactly("/v1/agent/heartbeat", "/v1/agent/heartbeat", "/v1/collect", "/v1/agent/heartbeat", "/v1/agent/heartbeat");
            assertThat(context.metrics().counterValue("heartbeats_total")).isEqualTo(4);
            assertThat(context.metrics().gaugeValue("heartbeat_last_success_seconds")).isEqualTo(START.getEpochSecond() + 90);

            server.respond(request -> Reply.status(401));
            scheduler.advance(Duration.ofSeconds(90));
            assertThat(context.metrics().counterValue("heartbeat_failures_total")).isEqualTo(3);
            assertThat(context.metrics().gaugeValue("heartbeat_last_success_seconds")).isEqualTo(START.getEpochSecond() + 90);
            String origin = "http://127.0.0.1:" + server.port();
            // the agent shows it in status and readiness: events may be delivered while the collector shows the agent offline
            assertThat(context.problems()).containsExactly(Map.entry("heartbeat", "LiteSOC heartbeats fail: " + origin
                    + "/agent/heartbeat answered HTTP 401 (unauthorized): check that api_key holds the key the collector issued for this agent, that it"
                    + " was not revoked, and that its ${VAR} or ${file:...} resolves to the current key; LiteSOC shows this agent offline (last accepted "
                    + START.plusSeconds(90) + "), while events are delivered as the output's state says"));
            server.respond(request -> Reply.status(200));
            scheduler.advance(Duration.ofSeconds(30));
            assertThat(context.problems()).isEmpty();

            // one warning for three failures with the same reason, one line when it recovers
            assertThat(context.logged()).containsExactly(
                    "INFO sending litesoc to " + origin + "/collect",
                    "WARNING LiteSOC heartbeat failed (UNAUTHORIZED): " + origin + "/agent/heartbeat answered HTTP 401 (unauthorized):"
                            + " check that api_key holds the key the collector issued for this agent, that it was not revoked,"
                            + " and that its ${VAR} or ${file:...} resolves to the current key",
                    "INFO LiteSOC heartbeat to " + origin + "/agent/heartbeat succeeds again");
            assertThat(context.metrics().counterValue("heartbeats_total")).isEqualTo(8);
        }
        finally {
            output.close();
        }
        assertThat(scheduler.stopped()).isTrue();
    }

    @Test
    void zeroIntervalTurnsTheHeartbeatOff()
            throws Exception
    {
        ManualScheduler scheduler = new ManualScheduler(START);
        TestingComponentContext context = TestingComponentContext.builder(directory).clock(scheduler.clock()).build();
        Output output = new HttpOutputFactory(name -> scheduler)
                .create(config(LITESOC, server.uri("")).apiKey(KEY).heartbeatInterval(Duration.ZERO).build(), context);
        output.start();
        output.close();
        assertThat(scheduler.runs()).isZero();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void productionSchedulerRunsOnADaemonThreadThatCloseStops()
            throws Exception
    {
        TestingComponentContext context = TestingComponentContext.builder(directory).pipelineId("auth").componentId("soc").build();
        Output output = new HttpOutputFactory().create(config(LITESOC, server.uri("")).apiKey(KEY).build(), context);
        output.start();
        try {
            assertThat(server.awaitRequests(1, Duration.ofSeconds(10)).get(0).path()).isEqualTo("/agent/heartbeat");
            assertThat(heartbeatThread()).isNotNull().satisfies(thread -> assertThat(thread.isDaemon()).isTrue());
        }
        finally {
            output.close();
        }
        Thread thread = heartbeatThread();
        if (thread != null) {
            thread.join(Duration.ofSeconds(5).toMillis());
            assertThat(thread.isAlive()).as("heartbeat thread alive after close").isFalse();
        }
    }

    private static Thread heartbeatThread()
    {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("outrider-heartbeat-auth-soc"))
                .findFirst()
                .orElse(null);
    }
}
