package io.outrider.plugin.otlp;

import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.Issued;
import io.outrider.support.tls.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static io.outrider.support.tls.TestingCertificates.dns;
import static io.outrider.support.tls.TestingCertificates.ip;
import static org.assertj.core.api.Assertions.assertThat;

/** The shared tls: block over OTLP/HTTP: the same certificates and key forms as the other network outputs. */
class TestOtlpTls
{
    @TempDir
    Path directory;

    private TestingComponentContext context;

    @Test
    void mutualTlsWithAnEncryptedKey()
            throws Exception
    {
        Issued ca = TestingCertificates.ca("CN=Outrider Test CA");
        KeyPair clientKeys = TestingCertificates.ecKeyPair();
        Issued client = TestingCertificates.client(ca, clientKeys);
        Path caFile = TestingCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());
        Path crtFile = TestingCertificates.writePem(directory.resolve("agent.pem"), client.certificate());
        Path keyFile = TestingCertificates.writeEncryptedPkcs8(directory.resolve("agent.key"), clientKeys, "key pass");

        try (OtlpReceiver receiver = OtlpReceiver.https(TestingCertificates.server(ca, ip("127.0.0.1")).serverContext(ca), true)) {
            TlsSettings tls = new TlsSettings(null, null, null, caFile, crtFile, keyFile, "key pass", null, null, null);

            assertThat(deliver(receiver, tls)).isSameAs(DeliveryResult.delivered());
            assertThat(receiver.logRecordCount()).isEqualTo(1);
        }
    }

    @Test
    void verifiesTheServerNameItIsGiven()
            throws Exception
    {
        Issued ca = TestingCertificates.ca("CN=Outrider Test CA");
        Path caFile = TestingCertificates.writePem(directory.resolve("ca.pem"), ca.certificate());

        try (OtlpReceiver receiver = OtlpReceiver.https(TestingCertificates.server(ca, dns("otel.example.test")).serverContext(ca), false)) {
            DeliveryResult byAddress = deliver(receiver, new TlsSettings(null, null, null, caFile, null, null, null, null, null, null));
            assertThat(byAddress.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
            assertThat(receiver.logRecordCount()).isZero();

            DeliveryResult byName = deliver(receiver, new TlsSettings(null, null, "otel.example.test", caFile, null, null, null, null, null, null));
            assertThat(byName).isSameAs(DeliveryResult.delivered());
            assertThat(receiver.logRecordCount()).isEqualTo(1);
        }
    }

    @Test
    void sayingNotToVerifyTheCollectorIsDeliveredAndSaidLoudlyAtStart()
            throws Exception
    {
        Issued ca = TestingCertificates.ca("CN=Outrider Test CA");

        try (OtlpReceiver receiver = OtlpReceiver.https(TestingCertificates.server(ca, dns("otel.example.test")).serverContext(ca), false)) {
            DeliveryResult result = deliver(receiver, new TlsSettings(false, null, null, null, null, null, null, null, null, null));

            assertThat(result).isSameAs(DeliveryResult.delivered());
            String target = "https://127.0.0.1:" + receiver.endpoint().getPort() + "/v1/logs";
            assertThat(context.logged()).containsExactly(
                    "WARNING TLS VERIFICATION IS OFF for " + target + " (tls.verify_certificate: false): anyone between this agent and the"
                            + " collector can read the events and the headers; trust the collector's CA with tls.ca_file instead",
                    "INFO sending OTLP logs (protobuf, gzip) to " + target);
        }
    }

    private DeliveryResult deliver(OtlpReceiver receiver, TlsSettings tls)
            throws Exception
    {
        OtlpOutputConfig config = new OtlpOutputConfig(receiver.endpoint(), null, null, null, null, null, null, null, null, null, tls);
        context = TestingComponentContext.builder(directory).build();
        try (Output output = new OtlpOutputFactory().create(config, context)) {
            output.start();
            return output.deliver(List.of(TestOtlpOutput.sshdFailure()));
        }
    }
}
