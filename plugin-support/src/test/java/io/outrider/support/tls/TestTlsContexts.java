package io.outrider.support.tls;

import io.outrider.spi.InvalidConfigException;
import io.outrider.support.tls.TestingCertificates.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.outrider.support.tls.TestingCertificates.dns;
import static io.outrider.support.tls.TestingCertificates.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real handshakes on 127.0.0.1 against a server presenting test certificates, one per rule of the tls: block. */
class TestTlsContexts
{
    private final ExecutorService server = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stopServer()
            throws InterruptedException
    {
        server.shutdownNow();
        assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void verifiesTheChainAndTheAddressTheCertificateNames()
            throws Exception
    {
        Issued ca = TestingCertificates.ca("CN=test ca");
        int port = serve(TestingCertificates.server(ca, ip("127.0.0.1")), null);

        assertThat(handshake(settings(caFile(ca), null, null), port)).isEqualTo("hello");
    }

    @Test
    void refusesACertificateFromAnUntrustedAuthorityUnlessVerificationIsOff()
            throws Exception
    {
        Issued trusted = TestingCertificates.ca("CN=trusted ca");
        Issued other = TestingCertificates.ca("CN=other ca");
        int port = serve(TestingCertificates.server(other, ip("127.0.0.1")), null);

        assertThatThrownBy(() -> handshake(settings(caFile(trusted), null, null), port)).isInstanceOf(SSLHandshakeException.class)
                .hasMessage("the server's certificate (CN=server, issued by CN=other ca) is not signed by a CA trusted here: set tls.ca_file to the certificate"
                        + " of CN=other ca or of a CA above it");
        int second = serve(TestingCertificates.server(other, ip("127.0.0.1")), null);
        TlsSettings off = new TlsSettings(false, null, null, null, null, null, null, null, null, null);
        assertThat(handshake(off, second)).isEqualTo("hello");
    }

    @Test
    void aRefusedCertificateIsNamedWithWhatToSet()
    {
        Issued selfSigned = TestingCertificates.ca("CN=collector.example");
        X509Certificate certificate = selfSigned.certificate();
        CertificateException noPath = new CertificateException("PKIX path building failed", new CertPathBuilderException("unable to find valid certification path"));
        Date during = new Date();

        assertThat(VerifyingTrustManager.refusal(new X509Certificate[] {certificate}, noPath, during))
                .isEqualTo("the server's certificate (CN=collector.example) is self-signed and not trusted here: set tls.ca_file to that certificate");
        assertThat(VerifyingTrustManager.refusal(new X509Certificate[] {certificate}, noPath, new Date(certificate.getNotAfter().getTime() + 1000)))
                .isEqualTo("the server's certificate (CN=collector.example) expired at " + certificate.getNotAfter().toInstant());
        assertThat(VerifyingTrustManager.refusal(new X509Certificate[] {certificate}, noPath, new Date(certificate.getNotBefore().getTime() - 1000)))
                .isEqualTo("the server's certificate (CN=collector.example) is valid only from " + certificate.getNotBefore().toInstant() + "; is this machine's clock right?");
        assertThat(VerifyingTrustManager.refusal(new X509Certificate[] {certificate}, new CertificateException("Extended key usage does not permit use for TLS server authentication"), during))
                .isEqualTo("the server's certificate (CN=collector.example) was refused: Extended key usage does not permit use for TLS server authentication");
    }

    @Test
    void checksTheServerNameInsteadOfTheAddressWhenOneIsConfigured()
            throws Exception
    {
        Issued ca = TestingCertificates.ca("CN=test ca");
        Issued named = TestingCertificates.server(ca, dns("collector.example.test"));

        int port = serve(named, null);
        assertThatThrownBy(() -> handshake(settings(caFile(ca), null, null), port))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("the server's certificate does not name 127.0.0.1 (it names DNS:collector.example.test)");

        int second = serve(named, null);
        assertThat(handshake(settings(caFile(ca), "collector.example.test", null), second)).isEqualTo("hello");

        int third = serve(named, null);
        TlsSettings noHostname = new TlsSettings(null, false, null, caFile(ca), null, null, null, null, null, null);
        assertThat(handshake(noHostname, third)).isEqualTo("hello");
    }

    @Test
    void presentsAClientCertificateWithEveryKeyFormOpenSslWrites()
            throws Exception
    {
        Issued ca = TestingCertificates.ca("CN=test ca");
        Issued serverCertificate = TestingCertificates.server(ca, ip("127.0.0.1"));
        KeyPair ec = TestingCertificates.ecKeyPair();
        KeyPair rsa = TestingCertificates.rsaKeyPair();
        Issued ecClient = TestingCertificates.client(ca, ec);
        Issued rsaClient = TestingCertificates.client(ca, rsa);
        Path ecCrt = TestingCertificates.writePem(dir.resolve("ec.crt"), ecClient.certificate());
        Path rsaCrt = TestingCertificates.writePem(dir.resolve("rsa.crt"), rsaClient.certificate());

        Path pkcs8 = TestingCertificates.writePkcs8(dir.resolve("pkcs8.key"), ec);
        Path encrypted = TestingCertificates.writeEncryptedPkcs8(dir.resolve("encrypted.key"), ec, "s3cret-pass");
        Path sec1 = TestingCertificates.writeSec1(dir.resolve("sec1.key"), ec);
        Path pkcs1 = TestingCertificates.writePem(dir.resolve("pkcs1.key"), rsa);

        assertThat(handshake(mutual(ca, ecCrt, pkcs8, null), serve(serverCertificate, ca))).isEqualTo("hello");
        assertThat(handshake(mutual(ca, ecCrt, encrypted, "s3cret-pass"), serve(serverCertificate, ca))).isEqualTo("hello");
        assertThat(handshake(mutual(ca, ecCrt, sec1, null), serve(serverCertificate, ca))).isEqualTo("hello");
        assertThat(handshake(mutual(ca, rsaCrt, pkcs1, null), serve(serverCertificate, ca))).isEqualTo("hello");
    }

    @Test
    void namesThePropertyWhenAKeyCannotBeUsed()
    {
        Issued ca = TestingCertificates.ca("CN=test ca");
        KeyPair ec = TestingCertificates.ecKeyPair();
        Path crt = TestingCertificates.writePem(dir.resolve("client.crt"), TestingCertificates.client(ca, ec).certificate());
        Path encrypted = TestingCertificates.writeEncryptedPkcs8(dir.resolve("encrypted.key"), ec, "right");

        assertThatThrownBy(() -> TlsContexts.sslContext(mutual(ca, crt, encrypted, null)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tls.key_pass: " + encrypted + " is encrypted: set tls.key_pass");
        assertThatThrownBy(() -> TlsContexts.sslContext(mutual(ca, crt, encrypted, "wrong")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("tls.key_pass: cannot decrypt " + encrypted + " with tls.key_pass: ")
                .hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> TlsContexts.sslContext(mutual(ca, crt, crt, null)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tls.key_file: " + crt + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
    }

    private Path caFile(Issued ca)
    {
        return TestingCertificates.writePem(dir.resolve("ca-" + ca.certificate().getSerialNumber() + ".crt"), ca.certificate());
    }

    private static TlsSettings settings(Path caFile, String serverName, Boolean verifyHostname)
    {
        return new TlsSettings(null, verifyHostname, serverName, caFile, null, null, null, null, null, null);
    }

    private TlsSettings mutual(Issued ca, Path crt, Path key, String pass)
    {
        return new TlsSettings(null, null, null, caFile(ca), crt, key, pass, null, null, null);
    }

    /** Connects as the outputs do and reads the server's greeting. */
    private static String handshake(TlsSettings settings, int port)
            throws Exception
    {
        SSLContext context = TlsContexts.sslContext(settings);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            plain.setSoTimeout(5_000);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
                socket.setSSLParameters(TlsContexts.clientParameters(settings, "127.0.0.1"));
                socket.startHandshake();
                return new String(socket.getInputStream().readNBytes(5), java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
    }

    /** A one-connection TLS server on 127.0.0.1 that says hello; {@code clientCa} non-null requires a client certificate. */
    private int serve(Issued certificate, Issued clientCa)
            throws IOException
    {
        SSLServerSocket listener = (SSLServerSocket) certificate.serverContext(clientCa == null ? certificate : clientCa)
                .getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(clientCa != null);
        listener.setSoTimeout(10_000);
        server.submit(() -> {
            try (listener; Socket accepted = listener.accept()) {
                accepted.setSoTimeout(10_000);
                OutputStream out = accepted.getOutputStream();
                out.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = accepted.getInputStream();
                in.read(); // until the client closes
            }
            catch (IOException e) {
                // the client refused the handshake: the test asserts on the client's side
            }
            return null;
        });
        return listener.getLocalPort();
    }
}
