package io.outrider.plugin.kafka;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A throw-away PKI made at test time: a CA, a server certificate for {@code localhost} and {@code 127.0.0.1}, and
 * a client certificate ({@code CN=outrider-agent}), all RSA 2048, written as PEM files (keys as unencrypted PKCS#8).
 * The same as output-syslog's.
 */
record TestingCertificates(Path caFile, Path serverCertFile, Path serverKeyFile, Path clientCertFile, Path clientKeyFile)
{
    static TestingCertificates create(Path directory)
    {
        try {
            Files.createDirectories(directory);
            KeyPair caKey = newKey();
            X500Name caName = new X500Name("CN=Outrider Test CA");
            X509Certificate ca = sign(caName, caKey, caName, caKey, true, null, null);
            KeyPair serverKey = newKey();
            X509Certificate server = sign(new X500Name("CN=localhost"), serverKey, caName, caKey, false, KeyPurposeId.id_kp_serverAuth,
                    new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            KeyPair clientKey = newKey();
            X509Certificate client = sign(new X500Name("CN=outrider-agent"), clientKey, caName, caKey, false, KeyPurposeId.id_kp_clientAuth,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "outrider-agent")));
            return new TestingCertificates(
                    write(directory.resolve("ca.pem"), ca),
                    write(directory.resolve("server.pem"), server),
                    write(directory.resolve("server-key.pem"), new JcaPKCS8Generator(serverKey.getPrivate(), null)),
                    write(directory.resolve("client.pem"), client),
                    write(directory.resolve("client-key.pem"), new JcaPKCS8Generator(clientKey.getPrivate(), null)));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKey()
            throws GeneralSecurityException
    {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey, boolean ca, KeyPurposeId purpose,
            GeneralNames alternativeNames)
            throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException
    {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, subjectKey.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        if (purpose != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (alternativeNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
        }
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static Path write(Path file, Object pemObject)
            throws IOException
    {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject);
        }
        return Files.writeString(file, text.toString());
    }
}
