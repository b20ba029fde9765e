package io.outrider.plugin.http;

import io.outrider.plugin.http.HttpOutputConfig.TlsConfig;
import io.outrider.spi.InvalidConfigException;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the {@link SSLContext} of an output from PEM files with the JDK alone: the CA certificates to trust
 * (replacing the default trust store), and for mutual TLS a client certificate chain with its key in PKCS#8
 * ({@code PRIVATE KEY}, or {@code ENCRYPTED PRIVATE KEY} with {@code key_password}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form. Host-name verification is done by the
 * {@link java.net.http.HttpClient} for every {@code https} request; only {@code insecure_skip_verify} turns both
 * checks off.
 */
final class TlsContexts
{
    /** TLS 1.2 and 1.3 only. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private TlsContexts() {}

    static SSLParameters sslParameters()
    {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        return parameters;
    }

    static SSLContext create(TlsConfig tls)
            throws InvalidConfigException
    {
        TrustManager[] trustManagers = tls.insecureSkipVerify() ? new TrustManager[] {new TrustEverything()} : trustManagers(tls.caFile());
        KeyManager[] keyManagers = tls.certFile() == null ? null : keyManagers(tls);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new InvalidConfigException("tls", "the JDK cannot set up TLS: " + e.getMessage());
        }
    }

    private static TrustManager[] trustManagers(Path caFile)
            throws InvalidConfigException
    {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                factory.init((KeyStore) null);
            }
            else {
                List<X509Certificate> certificates = certificates(caFile, "tls.ca_file");
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                factory.init(store);
            }
            return factory.getTrustManagers();
        }
        catch (GeneralSecurityException | IOException e) {
            throw new InvalidConfigException("tls.ca_file", "cannot build a trust store from " + caFile + ": " + e.getMessage());
        }
    }

    private static KeyManager[] keyManagers(TlsConfig tls)
            throws InvalidConfigException
    {
        List<X509Certificate> chain = certificates(tls.certFile(), "tls.cert_file");
        PrivateKey key = privateKey(tls.keyFile(), tls.keyPassword());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] storePassword = new char[0];
            store.setKeyEntry("client", key, storePassword, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, storePassword);
            return factory.getKeyManagers();
        }
        catch (GeneralSecurityException | IOException e) {
            throw new InvalidConfigException("tls.key_file", "the key in " + tls.keyFile() + " does not go with the certificate in "
                    + tls.certFile() + ": " + e.getMessage());
        }
    }

    static List<X509Certificate> certificates(Path file, String property)
            throws InvalidConfigException
    {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlock block : pemBlocks(file, property)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        }
        catch (CertificateException e) {
            throw new InvalidConfigException(property, file + " holds a certificate the JDK cannot read: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new InvalidConfigException(property, file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    static PrivateKey privateKey(Path file, String password)
            throws InvalidConfigException
    {
        String property = "tls.key_file";
        for (PemBlock block : pemBlocks(file, property)) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der(), file);
                case "RSA PRIVATE KEY":
                    return pkcs8(wrapPkcs1(block.der()), file);
                case "EC PRIVATE KEY":
                    return pkcs8(wrapSec1(block.der(), file), file);
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw new InvalidConfigException("tls.key_password", file + " is encrypted: set tls.key_password");
                    }
                    return pkcs8(decrypt(block.der(), password, file), file);
                default:
                    // certificates or parameters may share the file with the key
            }
        }
        throw new InvalidConfigException(property, file + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY"
                + " or ENCRYPTED PRIVATE KEY)");
    }

    private static byte[] decrypt(byte[] der, String password, Path file)
            throws InvalidConfigException
    {
        char[] passwordChars = password.toCharArray();
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // for PBES2 the JDK reports the algorithm as "PBES2"; the parameters know the full cipher name
            String algorithm = info.getAlgParameters() == null ? info.getAlgName() : info.getAlgParameters().toString();
            SecretKeyFactory keyFactory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, keyFactory.generateSecret(new PBEKeySpec(passwordChars)), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        }
        catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigException("tls.key_password", "cannot decrypt " + file + " with tls.key_password: " + e.getClass().getSimpleName());
        }
        finally {
            java.util.Arrays.fill(passwordChars, '\0');
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file)
            throws InvalidConfigException
    {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            }
            catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException wrongAlgorithm) {
                // try the next algorithm
            }
        }
        throw new InvalidConfigException("tls.key_file", file + " holds a private key of an algorithm the JDK cannot use (RSA, EC or EdDSA expected)");
    }

    /** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo. */
    private static byte[] wrapPkcs1(byte[] pkcs1)
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM_IDENTIFIER);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    /** SEC1 ECPrivateKey (with its curve in the [0] parameters) → PKCS#8 PrivateKeyInfo. */
    private static byte[] wrapSec1(byte[] sec1, Path file)
            throws InvalidConfigException
    {
        byte[] curve = sec1CurveOid(sec1);
        if (curve == null) {
            throw new InvalidConfigException("tls.key_file", file + " holds an EC key without its named curve; write it as PKCS#8"
                    + " (openssl pkcs8 -topk8 -nocrypt)");
        }
        ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
        algorithm.writeBytes(EC_PUBLIC_KEY_OID);
        algorithm.writeBytes(curve);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(der(0x30, algorithm.toByteArray()));
        body.writeBytes(der(0x04, sec1));
        return der(0x30, body.toByteArray());
    }

    /** The complete OID element (tag, length, value) of the [0] parameters of a SEC1 key, or null. */
    private static byte[] sec1CurveOid(byte[] sec1)
    {
        try {
            int[] outer = header(sec1, 0);
            if (sec1[0] != 0x30) {
                return null;
            }
            int position = outer[0];
            int end = position + outer[1];
            while (position < end) {
                int tag = sec1[position] & 0xff;
                int[] element = header(sec1, position);
                if (tag == 0xa0) {
                    int oidStart = element[0];
                    if (sec1[oidStart] != 0x06) {
                        return null;
                    }
                    int[] oid = header(sec1, oidStart);
                    return java.util.Arrays.copyOfRange(sec1, oidStart, oid[0] + oid[1]);
                }
                position = element[0] + element[1];
            }
            return null;
        }
        catch (ArrayIndexOutOfBoundsException malformed) {
            return null;
        }
    }

    /** {contentStart, contentLength} of the DER element at {@code offset}. */
    private static int[] header(byte[] der, int offset)
    {
        int length = der[offset + 1] & 0xff;
        int position = offset + 2;
        if (length >= 0x80) {
            int bytes = length & 0x7f;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[position++] & 0xff);
            }
        }
        return new int[] {position, length};
    }

    private static byte[] der(int tag, byte[] content)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        }
        else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        }
        else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        }
        else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static List<PemBlock> pemBlocks(Path file, String property)
            throws InvalidConfigException
    {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException e) {
            throw new InvalidConfigException(property, "cannot read " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        List<PemBlock> blocks = new ArrayList<>();
        Matcher matcher = PEM_BLOCK.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new PemBlock(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            }
            catch (IllegalArgumentException e) {
                throw new InvalidConfigException(property, file + " has a " + matcher.group(1) + " block that is not valid base64");
            }
        }
        return blocks;
    }

    private record PemBlock(String type, byte[] der) {}

    /** insecure_skip_verify: accepts every server certificate and, being an extended manager, skips host names too. */
    private static final class TrustEverything
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
