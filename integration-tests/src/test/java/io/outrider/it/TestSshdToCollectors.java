package io.outrider.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A log file through the real file input and sshd parser to the real HTTP output, against a loopback collector. */
class TestSshdToCollectors
{
    private static final String KEY = "lsk_it_0123456789abcdef";
    private static final String AUTH_LOG = """
            Nov 23 08:01:12 web-01 sshd[2301]: Accepted publickey for alice from 198.51.100.23 port 51514 ssh2: ED25519 SHA256:Jm7dV1Q4cX0yV6uU1eYp6n3q8m2r5t7w9z0a1b2c3d4
            Nov 23 08:03:40 web-01 CRON[2355]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)
            Nov 23 08:05:09 web-01 sshd[2412]: Failed password for root from 203.0.113.42 port 40118 ssh2
            Nov 23 08:05:12 web-01 sshd[2413]: Invalid user admin from 203.0.113.43 port 40120
            """;

    @Test
    void liteSocReceivesOneSecurityEventPerRequestWithTheKeyOnlyInTheHeaderAndAHeartbeat(@TempDir Path dir)
            throws Exception
    {
        Path log = Files.writeString(dir.resolve("auth.log"), AUTH_LOG);
        Path key = dir.resolve("litesoc.key");
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, KEY + "\n");
        try (RecordingCollector collector = new RecordingCollector()) {
            Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                    agent: { data_dir: %s }
                    pipelines:
                      ssh_auth:
                        inputs:
                          auth_log: { type: file, paths: ["%s"], read_from: beginning }
                        parsers:
                          sshd: { type: sshd }
                        unmatched: drop
                        outputs:
                          litesoc:
                            type: http
                            format: litesoc
                            endpoint: "%s"
                            api_key: "${file:litesoc.key}"
                            delivery: { max_wait: 50ms }
                    """.formatted(dir.resolve("data"), log, collector.url()));
            assertThat(Outrider.run(dir, Map.of(), "validate", "-c", config.toString()).exitCode()).isZero();

            Outrider agent = Outrider.start(dir, Map.of(), "run", "-c", config.toString());
            List<RecordingCollector.Request> requests = collector.await(all -> all.stream().filter(r -> r.path().equals("/collect")).count() >= 3
                    && all.stream().anyMatch(r -> r.path().equals("/agent/heartbeat")), Duration.ofSeconds(60), "3 events and a heartbeat");
            agent.signal("TERM");
            assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();

            List<String> events = new ArrayList<>();
            for (RecordingCollector.Request request : requests) {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.headers().getFirst("X-API-Key")).isEqualTo(KEY);
                assertThat(request.body()).doesNotContain(KEY);
                if (request.path().equals("/collect")) {
                    events.add(request.body());
                }
            }
            // the host, as LiteSOC Sentinel stamps it: the agent's host name here
            assertThat(events).anySatisfy(event -> assertThat(event).startsWith("{\"event\":\"auth.login_failed\",\"user_ip\":\"203.0.113.42\",\"actor\":{\"id\":\"root\"},"
                    + "\"metadata\":{\"source\":\"sshd\",\"log_file\":\"" + log + "\",\"reason\":\"failed_password\",\"port\":\"40118\",\"source_hostname\":\"").endsWith("\"}}"));
            assertThat(events).anySatisfy(event -> assertThat(event).startsWith("{\"event\":\"auth.login_success\",\"user_ip\":\"198.51.100.23\",\"actor\":{\"id\":\"alice\"}"));
            assertThat(events).anySatisfy(event -> assertThat(event).startsWith("{\"event\":\"auth.login_failed\",\"user_ip\":\"203.0.113.43\",\"actor\":{\"id\":\"admin\"}"));
            assertThat(requests.stream().filter(r -> r.path().equals("/agent/heartbeat")).findFirst().orElseThrow().body()).matches("\\{\"hostname\":\"[^\"]+\",\"agent_version\":\"[^\"]+\"}");
            // the agent's log is its standard error (no agent.log.file here)
            assertThat(agent.stdout() + agent.stderr()).doesNotContain(KEY);
        }
    }

    @Test
    void logNogReceivesFileEventsInBatches(@TempDir Path dir)
            throws Exception
    {
        Path log = Files.writeString(dir.resolve("app.log"), "first line\nsecond line\n");
        try (RecordingCollector collector = new RecordingCollector()) {
            Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                    agent: { data_dir: %s, host_name: it-host }
                    pipelines:
                      files:
                        inputs:
                          app: { type: file, paths: ["%s"], read_from: beginning }
                        outputs:
                          lognog: { type: http, format: lognog, endpoint: "%s", api_key: "${LOGNOG_API_KEY}", delivery: { max_wait: 50ms } }
                    """.formatted(dir.resolve("data"), log, collector.url()));
            Outrider agent = Outrider.start(dir, Map.of("LOGNOG_API_KEY", "lnog_it_key"), "run", "-c", config.toString());
            List<RecordingCollector.Request> requests = collector.await(all -> all.stream().mapToInt(r -> r.body().split("\"message\"").length - 1).sum() >= 2,
                    Duration.ofSeconds(60), "two file events");
            agent.signal("TERM");
            assertThat(agent.waitFor(Duration.ofSeconds(30))).isZero();

            RecordingCollector.Request first = requests.get(0);
            assertThat(first.path()).isEqualTo("/api/ingest/agent");
            assertThat(first.headers().getFirst("Authorization")).isEqualTo("ApiKey lnog_it_key");
            JsonNode event = new ObjectMapper().readTree(first.body()).path("events").get(0);
            assertThat(event.path("hostname").asText()).isEqualTo("it-host");
            assertThat(event.path("source_type").asText()).isEqualTo("file");
            assertThat(event.path("file_path").asText()).isEqualTo(log.toString());
            assertThat(event.path("message").asText()).isEqualTo("first line");
            assertThat(event.path("metadata").path("file_size").asLong()).isEqualTo(Files.size(log));
            assertThat(event.path("metadata").has("file_modified")).isTrue();
            assertThat(event.path("metadata").path("agent_version").asText()).isNotEmpty();
        }
    }
}
