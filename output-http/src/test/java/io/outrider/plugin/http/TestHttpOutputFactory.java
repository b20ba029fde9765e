package io.outrider.plugin.http;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.outrider.plugin.http.HttpOutputConfig.Format.JSON;
import static io.outrider.plugin.http.HttpOutputConfig.Format.LITESOC;
import static io.outrider.plugin.http.HttpOutputConfig.Format.LOGNOG;
import static io.outrider.plugin.http.HttpOutputConfig.Format.NDJSON;
import static io.outrider.plugin.http.TestingConfigs.KEY;
import static io.outrider.plugin.http.TestingConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TestHttpOutputFactory
{
    private final HttpOutputFactory factory = new HttpOutputFactory();

    @Test
    void acceptsTypicalConfigurations()
    {
        assertValid(config(LITESOC, URI.create("https://api.litesoc.example")).apiKey(KEY).build());
        assertValid(config(LOGNOG, URI.create("https://lognog.example:8443/")).apiKey(KEY).gzip(true).build());
        assertValid(config(NDJSON, URI.create("https://vector.example/ingest")).apiKey(KEY).auth(AuthScheme.BEARER).build());
        assertValid(config(JSON, URI.create("https://siem.example/hook")).basic("agent", "pw").build());
        assertValid(config(NDJSON, URI.create("http://collector.internal:8080/")).build());
    }

    @Test
    void refusesCredentialsOverPlainHttpUnlessLoopbackOrAllowed()
    {
        assertThat(problems(config(LITESOC, URI.create("http://litesoc.example")).apiKey(KEY).build())).containsExactly(new Problem("endpoint",
                "sends credentials over plain http:// to litesoc.example, where anyone on the network can read them; use https://,"
                        + " or set allow_insecure_http: true if this network is trusted"));
        assertValid(config(LITESOC, URI.create("http://litesoc.example")).apiKey(KEY).allowInsecureHttp(true).build());
        assertValid(config(LITESOC, URI.create("http://127.0.0.1:8080")).apiKey(KEY).build());
        assertValid(config(LITESOC, URI.create("http://localhost:8080")).apiKey(KEY).build());
        assertValid(config(LITESOC, URI.create("http://[::1]:8080")).apiKey(KEY).build());
        assertThat(problems(config(JSON, URI.create("http://siem.example")).basic("u", "p").build())).extracting(Problem::property)
                .containsExactly("endpoint");
    }

    @Test
    void onlyLiteralLoopbackAddressesAndLocalhostItselfCountAsLoopback()
    {
        for (String loopback : List.of("http://localhost:8080", "http://LOCALHOST", "http://127.0.0.1", "http://127.255.0.9:1",
                "http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]", "http://[0000::0001]", "http://[::ffff:127.0.0.1]")) {
            assertValid(config(LITESOC, URI.create(loopback)).apiKey(KEY).build());
        }
        // names below .localhost and names that resolve to 127.0.0.1 are up to the resolver
        for (String host : List.of("collector.localhost", "127.0.0.1.nip.io", "localhost.example", "127.0.0.1.example", "128.0.0.1", "[::2]")) {
            assertThat(problems(config(LITESOC, URI.create("http://" + host + ":8080")).apiKey(KEY).build())).as(host).containsExactly(new Problem("endpoint",
                    "sends credentials over plain http:// to " + host + ", where anyone on the network can read them; use https://,"
                            + " or set allow_insecure_http: true if this network is trusted"));
        }
    }

    @Test
    void reportsEveryProblemAtOnce(@TempDir Path directory)
    {
        HttpOutputConfig config = config(LITESOC, URI.create("https://user:pw@litesoc.example"))
                .auth(AuthScheme.BEARER)
                .heartbeatInterval(Duration.ofMillis(10))
                .headers(Map.of("Content-Length", "1", "X-API-Key", "other", "X-Team", "a\nb", "X-Price", "5 \u20ac"))
                .tls(new TlsSettings(null, null, null, directory.resolve("missing-ca.pem"), directory.resolve("cert.pem"), null, null, null, null, null))
                .agentName("edge")
                .build();
        assertThat(problems(config)).containsExactlyInAnyOrder(
                new Problem("endpoint", "must not carry credentials (user:password@); use api_key or username and password"),
                new Problem("api_key", "is required for format litesoc"),
                new Problem("auth", "is fixed by format litesoc (X-API-Key header); remove it"),
                new Problem("headers.Content-Length", "is set by the HTTP client or by gzip; remove it"),
                new Problem("headers.X-API-Key", "would replace the credentials header; configure credentials with api_key/auth"),
                new Problem("headers.X-Team", "must be a single-line value"),
                new Problem("headers.X-Price", "has a character an HTTP header cannot carry (Latin-1 text only)"),
                new Problem("tls.key_file", "mutual TLS needs both tls.crt_file and tls.key_file"),
                new Problem("tls.ca_file", "cannot read " + directory.resolve("missing-ca.pem")),
                new Problem("tls.crt_file", "cannot read " + directory.resolve("cert.pem")),
                new Problem("heartbeat_interval", "must be at least 1s (or 0s to turn the heartbeat off)"),
                new Problem("agent_name", "only applies to format lognog"));
    }

    @Test
    void rangesAreReportedInTheSharedWording()
    {
        assertThat(problems(config(LITESOC, URI.create("https://litesoc.example")).apiKey(KEY)
                .connectTimeout(Duration.ZERO)
                .requestTimeout(Duration.ofMillis(-1500))
                .maxBodySize(DataSize.ofBytes(512))
                .maxResponseSize(DataSize.ofBytes(32L << 20))
                .litesocConcurrency(65)
                .build())).containsExactly(
                new Problem("connect_timeout", "must be positive, not 0s"),
                new Problem("request_timeout", "must be positive, not -1500ms"),
                new Problem("max_body_size", "must be at least 1KiB, not 512B"),
                new Problem("max_response_size", "must be between 1KiB and 16MiB, not 32MiB"),
                new Problem("litesoc_concurrency", "must be between 1 and 64, not 65"));
    }

    @Test
    void theLogNogSourceOnlyAppliesToLogNogAndIsNotEmpty()
    {
        assertThat(problems(config(NDJSON, URI.create("https://c.example")).source("lognog-in").build()))
                .containsExactly(new Problem("source", "only applies to format lognog"));
        assertThat(problems(config(LOGNOG, URI.create("https://l.example")).apiKey(KEY).source(" ").build()))
                .containsExactly(new Problem("source", "is empty; remove it to send lognog-in"));
        assertValid(config(LOGNOG, URI.create("https://l.example")).apiKey(KEY).source("dmz-agents").build());
    }

    @Test
    void genericAuthNeedsItsCredentials()
    {
        assertThat(problems(config(NDJSON, URI.create("https://c.example")).auth(AuthScheme.BEARER).build()))
                .containsExactly(new Problem("api_key", "is required for auth bearer"));
        assertThat(problems(config(NDJSON, URI.create("https://c.example")).auth(AuthScheme.BASIC).build())).containsExactly(
                new Problem("username", "is required for auth basic and must not contain ':'"),
                new Problem("password", "is required for auth basic"));
        assertThat(problems(config(NDJSON, URI.create("https://c.example")).auth(AuthScheme.NONE).apiKey(KEY).build())).containsExactly(
                new Problem("auth", "is none but credentials are configured; remove them or choose an auth scheme"));
        assertThat(problems(config(NDJSON, URI.create("https://c.example")).apiKey(KEY + "\n").build()))
                .containsExactly(new Problem("api_key", "is empty or contains control characters (a trailing newline of a key file?)"));
    }

    @Test
    void tlsSettingsNeedAnHttpsEndpoint(@TempDir Path directory)
            throws Exception
    {
        Path ca = Files.writeString(directory.resolve("ca.pem"), "x");
        assertThat(problems(config(NDJSON, URI.create("http://127.0.0.1:9")).tls(new TlsSettings(null, null, null, ca, null, null, null, null, null, null)).build()))
                .containsExactly(new Problem("tls", "is set but endpoint is plain http://; use https:// or remove tls"));
    }

    @Test
    void createReportsAnUnreadableCaFileAsConfigurationError(@TempDir Path directory)
            throws Exception
    {
        Path ca = Files.writeString(directory.resolve("ca.pem"), "not a certificate");
        HttpOutputConfig config = config(NDJSON, URI.create("https://c.example")).tls(new TlsSettings(null, null, null, ca, null, null, null, null, null, null)).build();
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> factory.create(config, null));
        assertThat(e.problems()).containsExactly(new Problem("tls.ca_file", ca + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
    }

    @Test
    void theOldTlsNamesStillWorkAndWarn()
    {
        HttpOutputConfig old = config(NDJSON, URI.create("https://c.example"))
                .tls(new TlsSettings(null, null, null, null, null, null, null, null, null, true)).build();

        assertThatCode(() -> factory.validate(old)).doesNotThrowAnyException();
        assertThat(old.tls().verifiesCertificate()).isFalse();
        assertThat(factory.warnings(old)).containsExactly(
                "tls.insecure_skip_verify is deprecated and will be removed in the next minor version: use tls.verify_certificate: false");
    }

    @Test
    void configToStringMasksSecrets()
    {
        HttpOutputConfig config = config(JSON, URI.create("https://c.example")).basic("agent", KEY)
                .tls(new TlsSettings(null, null, null, null, null, null, KEY, null, null, null)).build();
        assertThat(config.toString()).doesNotContain(KEY).contains("password=****", "keyPass=****");
        assertThat(config(LITESOC, URI.create("https://c.example")).apiKey(KEY).build().toString()).doesNotContain(KEY).contains("apiKey=****");
    }

    private void assertValid(HttpOutputConfig config)
    {
        assertThatCode(() -> factory.validate(config)).doesNotThrowAnyException();
    }

    private java.util.List<Problem> problems(HttpOutputConfig config)
    {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> factory.validate(config));
        assertThat(e).as("validation error").isNotNull();
        return e.problems();
    }
}
