package io.outrider.plugin.http;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.plugin.http.RecordingServer.Reply;
import io.outrider.support.tls.PemFiles;
import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.Issued;
import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.DeliveryResult.Kind;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.outrider.plugin.http.HttpOutputConfig.Format.JSON;
import static io.outrider.plugin.http.HttpOutputConfig.Format.LITESOC;
import static io.outrider.plugin.http.HttpOutputConfig.Format.LOGNOG;
import static io.outrider.plugin.http.HttpOutputConfig.Format.NDJSON;
import static io.outrider.plugin.http.TestingConfigs.KEY;
import static io.outrider.plugin.http.TestingConfigs.config;
import static io.outrider.plugin.http.TestingEvents.fileLine;
import static io.outrider.plugin.http.TestingEvents.sshdFailedLogin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The key must not show in logs, errors, results or toString on any failure path. */
class TestSecretsNeverLeak
{
    private static final String PASSWORD = "pw-9fK2xQ7LmZ";
    private static final String KEY_PASSWORD = "kp-Hq3Z8wPv";

    @TempDir
    Path directory;

    private final List<String> seen = new ArrayList<>();
    /** What the outputs logged, each through its context's logger. */
    private final List<String> logged = new ArrayList<>();

    @Test
    void noFailurePathRevealsTheCredentials()
            throws Exception
    {
        try (RecordingServer server = RecordingServer.http()) {
            // 401 on events and heartbeats, with a collector that echoes the key back
            server.respond(request -> request.path().endsWith("/agent/heartbeat")
                    ? Reply.status(401)
                    : Reply.json(401, "{\"message\":\"key " + request.header("X-API-Key") + " is revoked\"}"));
            ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-11-23T10:00:00Z"));
            HttpOutputConfig liteSoc = config(LITESOC, server.uri("/")).apiKey(KEY).build();
            DeliveryResult unauthorized = runWith(liteSoc, new HttpOutputFactory(name -> scheduler), output -> scheduler.advance(Duration.ofMinutes(2)));
            assertThat(unauthorized.kind()).isEqualTo(Kind.UNAUTHORIZED);

            server.respond(request -> Reply.json(400, "{\"message\":\"bad header Authorization: " + request.header("Authorization") + "\"}"));
            assertThat(run(config(NDJSON, server.uri("/")).apiKey(KEY).auth(AuthScheme.BEARER).build()).reason())
                    .endsWith("answered HTTP 400: bad header Authorization: Bearer [redacted]");
            run(config(JSON, server.uri("/")).basic("agent", PASSWORD).build());
            server.respond(request -> Reply.json(200, "{\"accepted\":0,\"rejected\":1,\"errors\":[\"event 0: key " + KEY + " not allowed\"]}"));
            assertThat(run(config(LOGNOG, server.uri("/")).apiKey(KEY).build()).rejected().get(0)).contains("[redacted]");

            // timeout
            server.respond(request -> Reply.status(200).after(Duration.ofSeconds(2)));
            assertThat(run(config(LITESOC, server.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO)
                    .requestTimeout(Duration.ofMillis(200)).build()).reason()).contains("no answer within request_timeout");

            // TLS failure: a server whose CA the agent does not trust, with an encrypted client key configured
            Issued ca = TestingCertificates.ca("CN=Untrusted");
            Issued serverCertificate = TestingCertificates.server(ca, TestingCertificates.ip("127.0.0.1"));
            Issued client = TestingCertificates.client(ca, TestingCertificates.ecKeyPair());
            Path certFile = TestingCertificates.writePem(directory.resolve("agent.pem"), client.certificate());
            Path keyFile = TestingCertificates.writeEncryptedPkcs8(directory.resolve("agent.key"), client.keyPair(), KEY_PASSWORD);
            try (RecordingServer tlsServer = RecordingServer.https(serverCertificate.serverContext(ca), false)) {
                assertThat(run(config(LITESOC, tlsServer.uri("/")).apiKey(KEY).heartbeatInterval(Duration.ZERO)
                        .tls(new TlsSettings(null, null, null, null, certFile, keyFile, KEY_PASSWORD, null, null, null)).build()).reason()).contains("TLS failed");
            }

            // DNS failure
            assertThat(run(config(LITESOC, URI.create("https://collector.invalid")).apiKey(KEY).heartbeatInterval(Duration.ZERO).build()))
                    .hasToString("RETRY_LATER: cannot reach https://collector.invalid:443/collect: the host name does not resolve (DNS)");

            // configuration errors
            seen.add(catchThrowableOfType(InvalidConfigException.class, () -> new HttpOutputFactory().validate(config(LITESOC, URI.create("http://litesoc.example"))
                    .apiKey(KEY + "\n").build())).getMessage());
            seen.add(catchThrowableOfType(InvalidConfigException.class, () -> PemFiles.privateKey(keyFile, "wrong " + KEY_PASSWORD)).getMessage());
            seen.add(config(JSON, server.uri("/")).basic("agent", PASSWORD).tls(new TlsSettings(null, null, null, null, null, null, KEY_PASSWORD, null, null, null)).build().toString());
            seen.add(liteSoc.toString());

            seen.addAll(logged);
            assertThat(logged).anyMatch(line -> line.contains("LiteSOC heartbeat failed (UNAUTHORIZED)"));
        }

        String basic = Base64.getEncoder().encodeToString(("agent:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String base64Key = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(seen).hasSizeGreaterThan(15).allSatisfy(text -> assertThat(text)
                .doesNotContain(KEY)
                .doesNotContain(base64Key)
                .doesNotContain(PASSWORD)
                .doesNotContain(basic)
                .doesNotContain(KEY_PASSWORD));
    }

    @Test
    void echoesOfTheKeyInEveryEncodingAndOfCustomHeaderCredentialsAreRedacted()
            throws Exception
    {
        // a key with characters that URL encoding, JSON escaping and base64 all change
        String key = "k+y/Zq9\"w x7Lp";
        String tenantToken = "tt_9Lq2ZxWvR4";
        try (RecordingServer server = RecordingServer.http()) {
            server.respond(request -> {
                String sent = request.header("X-API-Key");
                StringBuilder json = new StringBuilder();
                io.outrider.support.JsonWriter.writeString(json, sent);
                return Reply.text(500, "no tenant " + request.header("X-Tenant") + " for ?key=" + URLEncoder.encode(sent, StandardCharsets.UTF_8)
                        + " path /k/" + sent.replace(" ", "%20").replace("+", "%2B").replace("/", "%2F").replace("\"", "%22")
                        + " json " + json + " base64 " + Base64.getEncoder().encodeToString(sent.getBytes(StandardCharsets.UTF_8)));
            });
            DeliveryResult result = run(config(NDJSON, server.uri("/")).apiKey(key).headers(java.util.Map.of("X-Tenant", "Token " + tenantToken)).build());

            assertThat(result).hasToString("RETRY_LATER: http://127.0.0.1:" + server.port() + " answered HTTP 500: no tenant [redacted] for"
                    + " ?key=[redacted] path /k/[redacted] json \"[redacted]\" base64 [redacted]");
            seen.addAll(logged);
        }
        assertThat(logged).isNotEmpty();
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(tenantToken).doesNotContain("Zq9"));
    }

    private DeliveryResult run(HttpOutputConfig config)
            throws Exception
    {
        return runWith(config, new HttpOutputFactory(), output -> {});
    }

    private DeliveryResult runWith(HttpOutputConfig config, HttpOutputFactory factory, ThrowingConsumer<Output> afterDelivery)
            throws Exception
    {
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        Output output = factory.create(config, context);
        seen.add(output.toString());
        try {
            output.start();
            DeliveryResult result = output.deliver(List.of(sshdFailedLogin(), fileLine("line")));
            afterDelivery.accept(output);
            seen.add(result.toString());
            seen.add(result.reason());
            seen.addAll(result.rejected().values());
            return result;
        }
        finally {
            output.close();
            logged.addAll(context.logged());
        }
    }

    private interface ThrowingConsumer<T>
    {
        void accept(T value)
                throws Exception;
    }
}
