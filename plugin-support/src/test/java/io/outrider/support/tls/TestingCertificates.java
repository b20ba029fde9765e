package io.outrider.support.tls;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test CA made at test time, and the server and client certificates it issues, written as PEM files in the forms
 * OpenSSL writes. EC P-256 keeps it fast. Shared by every output's TLS tests (the plugin-support test jar), so that each
 * output is tested against the same certificates and key forms.
 */
public final class TestingCertificates
{
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestingCertificates() {}

    public record Issued(KeyPair keyPair, X509Certificate certificate, X509Certificate issuer)
    {
        /** A server-side SSL context presenting this certificate and trusting {@code clientCa} for client certificates. */
        public SSLContext serverContext(Issued clientCa)
        {
            try {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("server", keyPair.getPrivate(), new char[0], new Certificate[] {certificate, issuer});
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, new char[0]);
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", clientCa.certificate());
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
                return context;
            }
            catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A CA, a server certificate for {@code localhost} and {@code 127.0.0.1} and a client certificate
     * ({@code CN=outrider-agent}), as PEM files in {@code directory}; keys unencrypted PKCS#8.
     */
    public record PemSet(Path caFile, Path serverCertFile, Path serverKeyFile, Path clientCertFile, Path clientKeyFile)
    {
    }

    /**
     * {@link PemSet} with RSA 2048 keys: servers built on GnuTLS (rsyslog's gtls driver) cannot read the JDK's
     * PKCS#8 encoding of EC keys.
     */
    public static PemSet rsaPemFiles(Path directory)
    {
        try {
            Files.createDirectories(directory);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeyPair caKeys = rsaKeyPair();
        X509Certificate caCertificate = sign("CN=Outrider Test CA", caKeys, "CN=Outrider Test CA", caKeys, true, null, null);
        Issued ca = new Issued(caKeys, caCertificate, caCertificate);
        KeyPair serverKeys = rsaKeyPair();
        X509Certificate server = sign("CN=localhost", serverKeys, "CN=Outrider Test CA", caKeys, false,
                new GeneralNames(new GeneralName[] {dns("localhost"), ip("127.0.0.1")}), KeyPurposeId.id_kp_serverAuth);
        KeyPair clientKeys = rsaKeyPair();
        X509Certificate client = sign("CN=outrider-agent", clientKeys, "CN=Outrider Test CA", caKeys, false,
                new GeneralNames(dns("outrider-agent")), KeyPurposeId.id_kp_clientAuth);
        return new PemSet(
                writePem(directory.resolve("ca.pem"), ca.certificate()),
                writePem(directory.resolve("server.pem"), server),
                writePkcs8(directory.resolve("server-key.pem"), serverKeys),
                writePem(directory.resolve("client.pem"), client),
                writePkcs8(directory.resolve("client-key.pem"), clientKeys));
    }

    public static Issued ca(String name)
    {
        KeyPair keyPair = ecKeyPair();
        X509Certificate certificate = sign(name, keyPair, name, keyPair, true, null, null);
        return new Issued(keyPair, certificate, certificate);
    }

    /** A server certificate for the given host names / IP address (as GeneralNames). */
    public static Issued server(Issued ca, GeneralName... names)
    {
        KeyPair keyPair = ecKeyPair();
        return new Issued(keyPair, sign("CN=server", keyPair, ca.certificate().getSubjectX500Principal().getName(), ca.keyPair(), false,
                new GeneralNames(names), KeyPurposeId.id_kp_serverAuth), ca.certificate());
    }

    public static Issued client(Issued ca, KeyPair keyPair)
    {
        return new Issued(keyPair, sign("CN=agent", keyPair, ca.certificate().getSubjectX500Principal().getName(), ca.keyPair(), false,
                null, KeyPurposeId.id_kp_clientAuth), ca.certificate());
    }

    public static GeneralName ip(String address)
    {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    public static GeneralName dns(String name)
    {
        return new GeneralName(GeneralName.dNSName, name);
    }

    public static KeyPair ecKeyPair()
    {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKeyPair()
    {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean isCa,
            GeneralNames names, KeyPurposeId purpose)
    {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes objects the way OpenSSL does (certificates, PKCS#1 RSA / SEC1 EC keys for a KeyPair). */
    public static Path writePem(Path file, Object... objects)
    {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(file, text.toString());
    }

    /** The private key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static Path writePkcs8(Path file, KeyPair keyPair)
    {
        return writePem(file, new PemObject("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
    }

    /** An EC key as OpenSSL writes it: SEC1 {@code EC PRIVATE KEY} with the named curve in its parameters. */
    public static Path writeSec1(Path file, KeyPair keyPair)
    {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            BigInteger secret = ((java.security.interfaces.ECPrivateKey) keyPair.getPrivate()).getS();
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, secret, curve);
            return writePem(file, new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The private key as PBES2/AES-256 encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
    public static Path writeEncryptedPkcs8(Path file, KeyPair keyPair, String password)
    {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setPassword(password.toCharArray())
                    .setIterationCount(2048)
                    // the JDK names the padding PKCS5Padding; only BouncyCastle knows the PKCS7 name BC asks for
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .build();
            return writePem(file, new JcaPKCS8Generator(keyPair.getPrivate(), encryptor).generate());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text)
    {
        try {
            return Files.writeString(file, text);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
