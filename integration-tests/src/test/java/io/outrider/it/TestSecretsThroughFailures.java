package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite: a collector that refuses the agent in every way and echoes its credentials back (raw, URL-encoded,
 * JSON-escaped, base64) while the key also sits in a custom header. The key may appear in none of what an operator
 * reads: the agent's standard error, its log file, {@code outrider status}, or {@code validate}'s errors.
 */
@Timeout(180)
class TestSecretsThroughFailures
{
    // characters that each encoding changes: '+', '/', '=', '"' and '\'
    private static final String KEY = "sk_live+4Xz/9q=\"quoted\\slash\"";
    private static final String HEADER_TOKEN = "hdr-Secret-7Q2w9e";

    @Test
    void noFormOfTheKeyReachesTheOperator(@TempDir Path dir)
            throws Exception
    {
        List<String> echoes = forms(KEY);
        try (NumberedCollector collector = new NumberedCollector()) {
            // request by request: 400, 401, 500 and 503, each echoing one form of the key, then the same again
            String[] forms = echoes.toArray(String[]::new);
            int[] statuses = {400, 401, 500, 503, 429};
            collector.answer(request -> new NumberedCollector.Answer(statuses[(request - 1) % statuses.length],
                    "{\"error\":\"bad key " + forms[(request - 1) % forms.length] + "\", \"token\":\"" + HEADER_TOKEN + "\"}"));
            int statusPort = freePort();
            // every fifth request dead-letters its one event: enough lines that the refusals go on
            Path log = Files.writeString(dir.resolve("app.log"), java.util.stream.IntStream.range(0, 40).mapToObj(i -> "line " + i + "\n").collect(java.util.stream.Collectors.joining()));
            Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                    agent:
                      data_dir: %s
                      shutdown_timeout: 3s
                      status: { enabled: true, listen: "127.0.0.1:%d" }
                      log: { file: %s, level: debug }
                    pipelines:
                      numbers:
                        inputs:
                          log: { type: file, paths: ["%s"], read_from: beginning }
                        outputs:
                          collector:
                            type: http
                            format: ndjson
                            endpoint: "%s"
                            auth: bearer
                            api_key: "${OUTRIDER_API_KEY}"
                            headers: { X-Extra-Token: "%s" }
                            delivery: { max_events: 1, max_wait: 20ms, retry_initial: 100ms, retry_max: 500ms, unauthorized_retry: 1s }
                    """.formatted(dir.resolve("data"), statusPort, dir.resolve("agent.log"), log, collector.endpoint(), HEADER_TOKEN));
            Map<String, String> environment = Map.of("OUTRIDER_API_KEY", KEY);
            Outrider agent = Outrider.start(dir.resolve("run"), environment, "run", "-c", config.toString());
            String status;
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (collector.requests() < 12) {
                    assertThat(agent.isAlive()).as("agent alive; stderr:%n%s", agent.stderr()).isTrue();
                    assertThat(System.nanoTime()).as("12 refused requests within 60 s").isLessThan(deadline);
                    Thread.sleep(200);
                }
                status = Outrider.run(dir.resolve("status"), environment, "status", "-c", config.toString()).stdout();
            }
            finally {
                agent.signal("TERM");
                agent.waitFor(Duration.ofSeconds(30));
            }
            assertThat(status).contains("collector");
            Outrider.Result validate = Outrider.run(dir.resolve("validate"), environment, "validate", "-c", mistyped(dir, config).toString());
            assertThat(validate.exitCode()).isEqualTo(2);

            List<String> secrets = new ArrayList<>(echoes);
            secrets.addAll(forms(HEADER_TOKEN));
            // the current generation of agent.log.file
            String logFile = Files.readString(dir.resolve("agent.log.0"), StandardCharsets.UTF_8);
            for (String secret : secrets) {
                assertThat(agent.stderr()).as("stderr").doesNotContain(secret);
                assertThat(agent.stdout()).as("stdout").doesNotContain(secret);
                assertThat(logFile).as("log file").doesNotContain(secret);
                assertThat(status).as("outrider status").doesNotContain(secret);
                assertThat(validate.stdout() + validate.stderr()).as("validate").doesNotContain(secret);
            }
            assertThat(logFile).as("the refusals are in the log").contains("400", "401");
        }
    }

    /** The same configuration with a mistyped value that resolves to the key. */
    private static Path mistyped(Path dir, Path config)
            throws IOException
    {
        String text = Files.readString(config).replace("shutdown_timeout: 3s", "shutdown_timeout: ${OUTRIDER_API_KEY}");
        return Files.writeString(dir.resolve("mistyped.yaml"), text);
    }

    /** Every form in which a collector or a library may echo a secret. */
    private static List<String> forms(String secret)
    {
        String json = secret.replace("\\", "\\\\").replace("\"", "\\\"");
        return Stream.of(
                secret,
                URLEncoder.encode(secret, StandardCharsets.UTF_8),
                URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"),
                json,
                Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))
                .distinct()
                .toList();
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
