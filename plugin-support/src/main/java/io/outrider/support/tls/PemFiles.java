package io.outrider.support.tls;

import io.outrider.spi.InvalidConfigException;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
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
 * Reads PEM certificates and private keys with the JDK alone: keys in PKCS#8 ({@code PRIVATE KEY}, or
 * {@code ENCRYPTED PRIVATE KEY} with a password), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY})
 * form, as OpenSSL and the usual certificate tools write them. Errors are {@link InvalidConfigException}s naming the
 * {@code tls.*} property, so that {@code outrider validate} points at the line to fix.
 */
public final class PemFiles
{
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemFiles() {}

    /** A key as unencrypted PKCS#8 PEM, for libraries that read only that form (Kafka's PEM key store). */
    public static String pkcs8Pem(PrivateKey key)
    {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** Certificates as PEM, one block each. */
    public static String certificatesPem(List<X509Certificate> certificates)
    {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
            catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException("a certificate the JDK read cannot be encoded again", e);
            }
        }
        return pem.toString();
    }

    public static List<X509Certificate> certificates(Path file, String property)
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

    public static PrivateKey privateKey(Path file, String password)
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
                        throw new InvalidConfigException("tls.key_pass", file + " is encrypted: set tls.key_pass");
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
            throw new InvalidConfigException("tls.key_pass", "cannot decrypt " + file + " with tls.key_pass: " + e.getClass().getSimpleName());
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
}
