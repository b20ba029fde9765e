package io.outrider.plugin.syslog;

import io.outrider.spi.config.Description;

import java.nio.file.Path;

/**
 * TLS settings of the {@code syslog} output (RFC 5425). The server's chain and host name are verified by default.
 *
 * @param caFile PEM file of the certificate authorities to trust instead of the JDK's
 * @param certFile PEM file of the client certificate (and its chain), for servers that require one
 * @param keyFile PEM file of the client's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
 * @param serverName the name the server certificate must carry (and the SNI sent); default the output's host
 * @param verifyCertificate verify the server's certificate chain; default true. False trusts any server: tests only
 * @param verifyHostname verify that the server's certificate names {@code server_name}; default true
 */
public record SyslogTlsConfig(
        @Description("PEM file of trusted certificate authorities; default the JDK's") Path caFile,
        @Description("PEM file of the client certificate chain") Path certFile,
        @Description("PEM file of the client private key (PKCS#8, unencrypted)") Path keyFile,
        @Description("Name the server certificate must carry; default the host") String serverName,
        @Description("Verify the server certificate chain") Boolean verifyCertificate,
        @Description("Verify the server host name") Boolean verifyHostname)
{
    public SyslogTlsConfig
    {
        verifyCertificate = verifyCertificate == null || verifyCertificate;
        verifyHostname = verifyHostname == null || verifyHostname;
    }
}
