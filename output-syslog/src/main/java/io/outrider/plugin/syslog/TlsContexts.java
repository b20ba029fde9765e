package io.outrider.plugin.syslog;

import io.outrider.spi.InvalidConfigException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the TLS socket factory of the output from PEM files, with the JDK only. */
final class TlsContexts
{
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private TlsContexts() {}

    static SSLSocketFactory socketFactory(SyslogTlsConfig tls)
            throws InvalidConfigException
    {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(tls), trustManagers(tls), null);
            return context.getSocketFactory();
        }
        catch (GeneralSecurityException e) {
            throw new InvalidConfigException("tls", "cannot set up TLS: " + e.getMessage());
        }
    }

    private static TrustManager[] trustManagers(SyslogTlsConfig tls)
            throws InvalidConfigException, GeneralSecurityException
    {
        if (!tls.verifyCertificate()) {
            return new TrustManager[] {new TrustingEveryone()};
        }
        if (tls.caFile() == null) {
            return null; // the JDK's default trust store
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try {
            trusted.load(null, null);
        }
        catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int index = 0;
        for (Certificate certificate : certificates(tls.caFile(), "tls.ca_file")) {
            trusted.setCertificateEntry("ca-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory.getTrustManagers();
    }

    private static KeyManager[] keyManagers(SyslogTlsConfig tls)
            throws InvalidConfigException, GeneralSecurityException
    {
        if (tls.certFile() == null) {
            return null;
        }
        Collection<? extends Certificate> chain = certificates(tls.certFile(), "tls.cert_file");
        PrivateKey key = privateKey(tls.keyFile());
        // an in-memory store only; the password protects nothing and is never configured
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        }
        catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file, String property)
            throws InvalidConfigException
    {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new InvalidConfigException(property, "no PEM certificate in " + file);
            }
            return certificates;
        }
        catch (IOException e) {
            throw new InvalidConfigException(property, "cannot read " + file + ": " + StreamTransport.describe(e));
        }
        catch (GeneralSecurityException e) {
            throw new InvalidConfigException(property, "cannot read the certificates in " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file)
            throws InvalidConfigException
    {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException e) {
            throw new InvalidConfigException("tls.key_file", "cannot read " + file + ": " + StreamTransport.describe(e));
        }
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                for (String algorithm : KEY_ALGORITHMS) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    }
                    catch (GeneralSecurityException e) {
                        // not this algorithm; the next one may read it
                    }
                }
                throw new InvalidConfigException("tls.key_file", "the private key in " + file + " is neither RSA, EC nor EdDSA");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new InvalidConfigException("tls.key_file", "the key in " + file + " is a " + type
                        + "; convert it to an unencrypted PKCS#8 key with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
            }
        }
        throw new InvalidConfigException("tls.key_file", "no PEM private key (BEGIN PRIVATE KEY) in " + file);
    }

    /** Accepts any server certificate: {@code verify_certificate: false}, for tests against throw-away servers. */
    private static final class TrustingEveryone
            extends X509ExtendedTrustManager
    {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
