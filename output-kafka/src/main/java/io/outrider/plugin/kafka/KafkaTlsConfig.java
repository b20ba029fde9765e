package io.outrider.plugin.kafka;

import io.outrider.spi.config.Description;
import io.outrider.spi.config.Sensitive;

import java.nio.file.Path;

/**
 * TLS settings of the {@code kafka} output ({@code security_protocol: ssl} or {@code sasl_ssl}). The brokers'
 * chain and host names are verified by default.
 *
 * @param caFile PEM file of the certificate authorities to trust instead of the JDK's
 * @param certFile PEM file of the client certificate chain, for brokers that authenticate clients by certificate
 * @param keyFile PEM file of the client's PKCS#8 private key ({@code BEGIN PRIVATE KEY} or
 *        {@code BEGIN ENCRYPTED PRIVATE KEY})
 * @param keyPassword the password of an encrypted {@code key_file}
 * @param verifyHostname check that each broker's certificate names it; default true
 */
public record KafkaTlsConfig(
        @Description("PEM CA certificates to trust; default the JDK's") Path caFile,
        @Description("PEM client certificate chain") Path certFile,
        @Description("PEM PKCS#8 client key") Path keyFile,
        @Sensitive @Description("password of an encrypted key_file") String keyPassword,
        @Description("verify broker host names") Boolean verifyHostname)
{
    static final KafkaTlsConfig DEFAULT = new KafkaTlsConfig(null, null, null, null, null);

    public KafkaTlsConfig
    {
        verifyHostname = verifyHostname == null || verifyHostname;
    }

    boolean isDefault()
    {
        return caFile == null && certFile == null && keyFile == null && keyPassword == null && verifyHostname;
    }

    @Override
    public String toString()
    {
        return "KafkaTlsConfig[caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile
                + ", keyPassword=" + (keyPassword == null ? "null" : "****") + ", verifyHostname=" + verifyHostname + "]";
    }
}
