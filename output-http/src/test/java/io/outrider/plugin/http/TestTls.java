package io.outrider.plugin.http;

import io.outrider.plugin.http.HttpOutputConfig.TlsConfig;
import io.outrider.plugin.http.TestCertificates.Issued;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.DeliveryResult.Kind;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;

import static io.outrider.plugin.http.HttpOutputConfig.Format.LITESOC;
import static io.outrider.plugin.http.HttpOutputConfig.Format.NDJSON;
import static io.outrider.plugin.http.TestCertificates.dns;
import static io.outrider.plugin.http.TestCertificates.ip;
import static io.outrider.plugin.http.TestingConfigs.KEY;
import static io.outrider.plugin.http.TestingConfigs.config;
import static io.outrider.plugin.http.TestingEvents.sshdFailedLogin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TestTls
{
    private static Issued ca;
    private static Issued serverFor127;
    private static Issued serverForOtherName;
    private static Issued otherCa;

    @TempDir
    Path directory;

    private RecordingServer server;
    private Output output;

    @BeforeAll
    static void makeCertificates()
    {
        ca = TestCertificates.ca("CN=Outrider Test CA");
        otherCa = TestCertificates.ca("CN=Someone Else");
        serverFor127 = TestCertificates.server(ca, ip("127.0.0.1"), dns("localhost"));
        serverForOtherName = TestCertificates.server(ca, dns("collector.example"));
    }

    @AfterEach
    void tearDown()
    {
        if (output != null) {
            output.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void verifiesTheServerAgainstTheConfiguredCa()
            throws Exception
    {
        server = RecordingServer.https(serverFor127.serverContext(ca), false);
        Path caFile = TestCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());

        assertThat(deliver(new TlsConfig(caFile, null, null, null, false))).isSameAs(DeliveryResult.delivered());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void refusesAServerTheDefaultTrustStoreDoesNotKnow()
            throws Exception
    {
        server = RecordingServer.https(serverFor127.serverContext(ca), false);
        DeliveryResult result = deliver(null);
        assertThat(result.kind()).isEqualTo(Kind.RETRY_LATER);
        assertThat(result.reason()).startsWith("cannot reach https://127.0.0.1:" + server.port() + ": TLS failed (")
                .endsWith("); check tls.ca_file, that the server certificate names the endpoint's host,"
                        + " and tls.cert_file/key_file if the collector wants a client certificate");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void refusesACertificateOfAnotherCa()
            throws Exception
    {
        server = RecordingServer.https(serverFor127.serverContext(ca), false);
        Path otherCaFile = TestCertificates.writePem(directory.resolve("other-ca.pem"), otherCa.certificate());
        assertThat(deliver(new TlsConfig(otherCaFile, null, null, null, false)).reason()).contains("TLS failed (");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void verifiesTheHostName()
            throws Exception
    {
        server = RecordingServer.https(serverForOtherName.serverContext(ca), false);
        Path caFile = TestCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());
        DeliveryResult result = deliver(new TlsConfig(caFile, null, null, null, false));
        assertThat(result.reason()).contains("TLS failed (").contains("127.0.0.1");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void insecureSkipVerifyAcceptsAnyServerAndSaysSoLoudly()
            throws Exception
    {
        server = RecordingServer.https(serverForOtherName.serverContext(ca), false);
        try (LogCapture logs = LogCapture.outrider()) {
            assertThat(deliver(new TlsConfig(null, null, null, null, true))).isSameAs(DeliveryResult.delivered());
            assertThat(logs.lines()).contains("WARNING TLS VERIFICATION IS OFF for https://127.0.0.1:" + server.port()
                    + " (tls.insecure_skip_verify: true): anyone between this agent and the collector can read the events and the credentials;"
                    + " trust the collector's CA with tls.ca_file instead");
        }
    }

    @Test
    void mutualTlsWithAClientCertificate()
            throws Exception
    {
        Issued clientCa = TestCertificates.ca("CN=Agents CA");
        Issued client = TestCertificates.client(clientCa, TestCertificates.rsaKeyPair());
        server = RecordingServer.https(serverFor127.serverContext(clientCa), true);
        Path caFile = TestCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());
        Path certFile = TestCertificates.writePem(directory.resolve("agent.pem"), client.certificate(), clientCa.certificate());
        // JcaPEMWriter writes an RSA key pair as PKCS#1 "RSA PRIVATE KEY", as openssl genrsa did
        Path keyFile = TestCertificates.writePem(directory.resolve("agent.key"), client.keyPair());

        assertThat(deliver(new TlsConfig(caFile, certFile, keyFile, null, false))).isSameAs(DeliveryResult.delivered());
        assertThat(server.requests()).hasSize(1);
        output.close();
        output = null;

        DeliveryResult withoutCertificate = deliver(new TlsConfig(caFile, null, null, null, false));
        assertThat(withoutCertificate.kind()).isEqualTo(Kind.RETRY_LATER);
        assertThat(withoutCertificate.reason()).startsWith("cannot reach https://127.0.0.1:" + server.port() + ": ");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void readsTheUsualPemKeyForms()
            throws Exception
    {
        KeyPair ec = TestCertificates.ecKeyPair();
        KeyPair rsa = TestCertificates.rsaKeyPair();
        assertLoads(TestCertificates.writeSec1(directory.resolve("sec1.key"), ec), null, ec);
        assertLoads(TestCertificates.writePem(directory.resolve("pkcs1.key"), rsa), null, rsa);
        assertLoads(TestCertificates.writePkcs8(directory.resolve("pkcs8.key"), ec), null, ec);
        Path encrypted = TestCertificates.writeEncryptedPkcs8(directory.resolve("encrypted.key"), rsa, "correct horse");
        assertLoads(encrypted, "correct horse", rsa);

        InvalidConfigException wrong = catchThrowableOfType(InvalidConfigException.class, () -> TlsContexts.privateKey(encrypted, "battery staple"));
        assertThat(wrong.problems()).singleElement().extracting(Problem::property).isEqualTo("tls.key_password");
        assertThat(wrong.getMessage()).startsWith("tls.key_password: cannot decrypt " + encrypted + " with tls.key_password: ")
                .doesNotContain("battery staple");
        InvalidConfigException missing = catchThrowableOfType(InvalidConfigException.class, () -> TlsContexts.privateKey(encrypted, null));
        assertThat(missing.problems()).containsExactly(new Problem("tls.key_password", encrypted + " is encrypted: set tls.key_password"));
    }

    private static void assertLoads(Path file, String password, KeyPair expected)
            throws InvalidConfigException
    {
        PrivateKey key = TlsContexts.privateKey(file, password);
        if (key instanceof java.security.interfaces.ECPrivateKey) {
            // SEC1 keeps the curve inside the key too, so compare the secret, not the encoding
            assertThat(((java.security.interfaces.ECPrivateKey) key).getS()).as(file.getFileName().toString())
                    .isEqualTo(((java.security.interfaces.ECPrivateKey) expected.getPrivate()).getS());
        }
        else {
            assertThat(key.getEncoded()).as(file.getFileName().toString()).isEqualTo(expected.getPrivate().getEncoded());
        }
    }

    private DeliveryResult deliver(TlsConfig tls)
            throws Exception
    {
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        output = new HttpOutputFactory().create(config(NDJSON, server.uri("/")).apiKey(KEY).tls(tls).build(), context);
        output.start();
        return output.deliver(List.of(sshdFailedLogin()));
    }

    @Test
    void liteSocOverTlsSendsHeartbeatAndEvents()
            throws Exception
    {
        server = RecordingServer.https(serverFor127.serverContext(ca), false);
        Path caFile = TestCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        output = new HttpOutputFactory().create(config(LITESOC, server.uri("/")).apiKey(KEY)
                .tls(new TlsConfig(caFile, null, null, null, false)).build(), context);
        output.start();
        assertThat(output.deliver(List.of(sshdFailedLogin()))).isSameAs(DeliveryResult.delivered());
        assertThat(server.awaitRequests(2, java.time.Duration.ofSeconds(10))).extracting(RecordingServer.Recorded::path)
                .containsExactlyInAnyOrder("/agent/heartbeat", "/collect");
    }
}
