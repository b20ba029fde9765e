package io.outrider.support.tls;

import io.outrider.spi.InvalidConfigException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds the client side of TLS from {@link TlsSettings} with the JDK alone, the same way for every output: TLS 1.2
 * and 1.3, the configured (or the JDK's) certificate authorities, an optional client certificate, and one host-name
 * rule ({@link HostnameMatcher}) applied by the trust manager, so that a raw socket (syslog), the toolkit's
 * {@code Http1Client} (http, otlp) and anything else that takes an {@link SSLContext} verify alike.
 */
public final class TlsContexts
{
    /** TLS 1.2 and 1.3 only. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    /**
     * @throws InvalidConfigException naming the {@code tls.*} property whose file cannot be used
     */
    public static SSLContext sslContext(TlsSettings settings)
            throws InvalidConfigException
    {
        settings.validate("tls");
        TrustManager[] trustManagers = {settings.verifiesCertificate()
                ? new VerifyingTrustManager(defaultTrustManager(settings.caFile()), settings.verifiesHostname(), settings.serverName())
                : new VerifyingTrustManager.TrustingEveryone()};
        KeyManager[] keyManagers = settings.crtFileOrAlias() == null ? null : keyManagers(settings);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new InvalidConfigException("tls", "the JDK cannot set up TLS: " + e.getMessage());
        }
    }

    /**
     * The parameters of a client connection to {@code host}: the protocols, and SNI for {@code server_name} (or the
     * host, unless it is an address literal, which SNI cannot carry). Host names are verified by the context's trust
     * manager, not by endpoint identification, so the parameters leave that off.
     */
    public static SSLParameters clientParameters(TlsSettings settings, String host)
    {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        String name = settings.serverName() != null ? settings.serverName() : host;
        if (name != null && !HostnameMatcher.isAddressLiteral(name)) {
            parameters.setServerNames(List.of(new SNIHostName(HostnameMatcher.withoutTrailingDot(name))));
        }
        return parameters;
    }

    private static X509TrustManager defaultTrustManager(Path caFile)
            throws InvalidConfigException
    {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                factory.init((KeyStore) null);
            }
            else {
                List<X509Certificate> certificates = PemFiles.certificates(caFile, "tls.ca_file");
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                factory.init(store);
            }
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new InvalidConfigException("tls.ca_file", "the JDK offers no X.509 trust manager");
        }
        catch (GeneralSecurityException | IOException e) {
            throw new InvalidConfigException("tls.ca_file", "cannot build a trust store from " + caFile + ": " + e.getMessage());
        }
    }

    private static KeyManager[] keyManagers(TlsSettings settings)
            throws InvalidConfigException
    {
        Path crtFile = settings.crtFileOrAlias();
        List<X509Certificate> chain = PemFiles.certificates(crtFile, "tls.crt_file");
        PrivateKey key = PemFiles.privateKey(settings.keyFile(), settings.keyPassOrAlias());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            // an in-memory store only; its password protects nothing
            char[] storePassword = new char[0];
            store.setKeyEntry("client", key, storePassword, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, storePassword);
            return factory.getKeyManagers();
        }
        catch (GeneralSecurityException | IOException e) {
            throw new InvalidConfigException("tls.key_file", "the key in " + settings.keyFile() + " does not go with the certificate in "
                    + crtFile + ": " + e.getMessage());
        }
    }
}
