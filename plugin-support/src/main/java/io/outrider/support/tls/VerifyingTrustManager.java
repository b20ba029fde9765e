package io.outrider.support.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;

import static java.util.Objects.requireNonNull;

/**
 * Checks the server's chain with the JDK's PKIX trust manager and then its name with {@link HostnameMatcher}, against
 * {@code server_name} when one is configured and the host connected to otherwise. Being an
 * {@link X509ExtendedTrustManager}, it replaces the JDK's endpoint identification, which knows only the host
 * connected to and cannot be turned off per connection in the {@code HttpClient}.
 */
final class VerifyingTrustManager
        extends X509ExtendedTrustManager
{
    private final X509TrustManager chain;
    private final boolean verifyHostname;
    private final String serverName;

    VerifyingTrustManager(X509TrustManager chain, boolean verifyHostname, String serverName)
    {
        this.chain = requireNonNull(chain, "chain is null");
        this.verifyHostname = verifyHostname;
        this.serverName = serverName;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket)
            throws CertificateException
    {
        checkChain(certificates, authType);
        if (verifyHostname) {
            SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
            checkName(certificates[0], session == null ? null : session.getPeerHost());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
            throws CertificateException
    {
        checkChain(certificates, authType);
        if (verifyHostname) {
            checkName(certificates[0], engine == null ? null : engine.getPeerHost());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType)
            throws CertificateException
    {
        checkChain(certificates, authType);
        if (verifyHostname) {
            checkName(certificates[0], null);
        }
    }

    private void checkChain(X509Certificate[] certificates, String authType)
            throws CertificateException
    {
        try {
            chain.checkServerTrusted(certificates, authType);
        }
        catch (CertificateException e) {
            throw new CertificateException(refusal(certificates, e, new Date()), e);
        }
    }

    /**
     * Why the JDK refused the server's chain, naming the server's certificate and what to set: its own words ("PKIX
     * path building failed: sun.security.provider.certpath.SunCertPathBuilderException: ...") tell an operator
     * neither which certificate nor what to do.
     */
    static String refusal(X509Certificate[] certificates, CertificateException failure, Date now)
    {
        if (certificates == null || certificates.length == 0) {
            return String.valueOf(failure.getMessage());
        }
        X509Certificate server = certificates[0];
        String subject = server.getSubjectX500Principal().getName();
        String issuer = server.getIssuerX500Principal().getName();
        if (now.after(server.getNotAfter())) {
            return "the server's certificate (" + subject + ") expired at " + server.getNotAfter().toInstant();
        }
        if (now.before(server.getNotBefore())) {
            return "the server's certificate (" + subject + ") is valid only from " + server.getNotBefore().toInstant() + "; is this machine's clock right?";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException) {
                // no path from the server's certificate to a trusted one: a private CA, or a self-signed certificate
                return subject.equals(issuer)
                        ? "the server's certificate (" + subject + ") is self-signed and not trusted here: set tls.ca_file to that certificate"
                        : "the server's certificate (" + subject + ", issued by " + issuer + ") is not signed by a CA trusted here: set tls.ca_file to the"
                                + " certificate of " + issuer + " or of a CA above it";
            }
        }
        return "the server's certificate (" + subject + ") was refused: " + failure.getMessage();
    }

    private void checkName(X509Certificate certificate, String peerHost)
            throws CertificateException
    {
        String expected = serverName != null ? serverName : peerHost;
        if (expected == null) {
            throw new CertificateException("cannot verify the server's host name: the connection does not say which host it is for");
        }
        if (!HostnameMatcher.matches(certificate, expected)) {
            throw new CertificateException("the server's certificate does not name " + expected + " (it names "
                    + HostnameMatcher.describeNames(certificate) + ")");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
            throws CertificateException
    {
        throw new CertificateException("an output's TLS context authenticates servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
            throws CertificateException
    {
        throw new CertificateException("an output's TLS context authenticates servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType)
            throws CertificateException
    {
        throw new CertificateException("an output's TLS context authenticates servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return chain.getAcceptedIssuers();
    }

    /** {@code verify_certificate: false}: accepts every server certificate and name. For tests against throwaway servers. */
    static final class TrustingEveryone
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
