package io.outrider.plugin.http;

import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TlsSettings;
import io.outrider.support.tls.TestingCertificates.Issued;
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
import static io.outrider.support.tls.TestingCertificates.dns;
import static io.outrider.support.tls.TestingCertificates.ip;
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
    private TestingComponentContext context;

    @BeforeAll
    static void makeCertificates()
    {
        ca = TestingCertificates.ca("CN=Outrider Test CA");
        otherCa = TestingCertificates.ca("CN=Someone Else");
        serverFor127 = TestingCertificates.server(ca, ip("127.0.0.1"), dns("localhost"));
        serverForOtherName = TestingCertificates.server(ca, dns("collector.example"));
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
        Path caFile = TestingCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());

        assertThat(deliver(new TlsSettings(null, null, null, caFile, null, null, null, null, null, null))).isSameAs(DeliveryResult.delivered());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void refusesAServerTheDefaultTrustStoreDoesNotKnow()
            throws Exception
    {
        server = RecordingServer.https(serverFor127.serverContext(ca), false);
        DeliveryResult result = deliver(null);
        assertThat(result.kind()).isEqualTo(Kind.RETRY_LATER);
        // which certificate, and what to set: not the JDK's "PKIX path building failed"
        assertThat(result.reason()).isEqualTo("cannot reach https://127.0.0.1:" + server.port() + ": TLS failed: the server's certificate (CN=server,"
                + " issued by CN=Outrider Test CA) is not signed by a CA trusted here: set tls.ca_file to the certificate of CN=Outrider Test CA or of a CA above it");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void refusesACertificateOfAnotherCa()
            throws Exception
    {
        server = RecordingServer.https(serverFor127.serverContext(ca), false);
        Path otherCaFile = TestingCertificates.writePem(directory.resolve("other-ca.pem"), otherCa.certificate());
        assertThat(deliver(new TlsSettings(null, null, null, otherCaFile, null, null, null, null, null, null)).reason())
                .contains("TLS failed: the server's certificate (CN=server, issued by CN=Outrider Test CA) is not signed by a CA trusted here");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void verifiesTheHostName()
            throws Exception
    {
        server = RecordingServer.https(serverForOtherName.serverContext(ca), false);
        Path caFile = TestingCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());
        DeliveryResult result = deliver(new TlsSettings(null, null, null, caFile, null, null, null, null, null, null));
        assertThat(result.reason()).contains("TLS failed: the server's certificate does not name 127.0.0.1 (it names DNS:collector.example)");
        assertThat(server.requests()).isEmpty();
    }

    /** https:// to a plain http port: the JDK's "Unsupported or unrecognized SSL message" sent people to tls.ca_file. */
    @Test
    void httpsToAPlainHttpPortSaysTheServerDoesNotSpeakTls()
            throws Exception
    {
        // a plain http server that answers whatever it is sent, as most do: a 400 in plain text
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (java.net.Socket client = plain.accept()) {
                    client.getInputStream().read(new byte[512]);
                    client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                catch (java.io.IOException ignored) {
                    // the test's assertion says what went wrong
                }
            });
            answering.start();
            context = TestingComponentContext.builder(directory).build();
            output = new HttpOutputFactory().create(config(NDJSON, java.net.URI.create("https://127.0.0.1:" + plain.getLocalPort() + "/")).apiKey(KEY).build(), context);
            output.start();

            DeliveryResult result = output.deliver(List.of(sshdFailedLogin()));

            assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
            assertThat(result.reason()).endsWith("TLS failed: the server did not answer in TLS; is the endpoint's port a plain http one (then write http://)?");
            answering.join(10_000);
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnyServerAndSaysSoLoudly()
            throws Exception
    {
        server = RecordingServer.https(serverForOtherName.serverContext(ca), false);
        assertThat(deliver(new TlsSettings(false, null, null, null, null, null, null, null, null, null))).isSameAs(DeliveryResult.delivered());
        assertThat(context.logged()).contains("WARNING TLS VERIFICATION IS OFF for https://127.0.0.1:" + server.port()
                + " (tls.verify_certificate: false): anyone between this agent and the collector can read the events and the credentials;"
                + " trust the collector's CA with tls.ca_file instead");
    }

    @Test
    void mutualTlsWithAClientCertificate()
            throws Exception
    {
        Issued clientCa = TestingCertificates.ca("CN=Agents CA");
        Issued client = TestingCertificates.client(clientCa, TestingCertificates.rsaKeyPair());
        server = RecordingServer.https(serverFor127.serverContext(clientCa), true);
        Path caFile = TestingCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());
        Path certFile = TestingCertificates.writePem(directory.resolve("agent.pem"), client.certificate(), clientCa.certificate());
        // JcaPEMWriter writes an RSA key pair as PKCS#1 "RSA PRIVATE KEY", as openssl genrsa did
        Path keyFile = TestingCertificates.writePem(directory.resolve("agent.key"), client.keyPair());

        assertThat(deliver(new TlsSettings(null, null, null, caFile, certFile, keyFile, null, null, null, null))).isSameAs(DeliveryResult.delivered());
        assertThat(server.requests()).hasSize(1);
        output.close();
        output = null;

        DeliveryResult withoutCertificate = deliver(new TlsSettings(null, null, null, caFile, null, null, null, null, null, null));
        assertThat(withoutCertificate.kind()).isEqualTo(Kind.RETRY_LATER);
        assertThat(withoutCertificate.reason()).startsWith("cannot reach https://127.0.0.1:" + server.port() + ": ");
        assertThat(server.requests()).hasSize(1);
    }

    private DeliveryResult deliver(TlsSettings tls)
            throws Exception
    {
        context = TestingComponentContext.builder(directory).build();
        output = new HttpOutputFactory().create(config(NDJSON, server.uri("/")).apiKey(KEY).tls(tls).build(), context);
        output.start();
        return output.deliver(List.of(sshdFailedLogin()));
    }

    @Test
    void liteSocOverTlsSendsHeartbeatAndEvents()
            throws Exception
    {
        server = RecordingServer.https(serverFor127.serverContext(ca), false);
        Path caFile = TestingCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        output = new HttpOutputFactory().create(config(LITESOC, server.uri("/")).apiKey(KEY)
                .tls(new TlsSettings(null, null, null, caFile, null, null, null, null, null, null)).build(), context);
        output.start();
        assertThat(output.deliver(List.of(sshdFailedLogin()))).isSameAs(DeliveryResult.delivered());
        assertThat(server.awaitRequests(2, java.time.Duration.ofSeconds(10))).extracting(RecordingServer.Recorded::path)
                .containsExactlyInAnyOrder("/agent/heartbeat", "/collect");
    }
}
