package io.outrider.plugin.kafka;

import io.outrider.support.tls.TlsContexts;
import io.outrider.support.tls.TlsSettings;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SslEngineFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.security.KeyStore;
import java.util.Map;
import java.util.Set;

/**
 * Makes kafka-clients open its TLS connections with the agent's shared TLS context (plugin-support's
 * {@link TlsContexts}) instead of its own key-store settings, so a broker is verified exactly as an http, OTLP or
 * syslog server is: the same key forms, {@code server_name}, {@code verify_hostname} and {@code verify_certificate}.
 * kafka-clients instantiates this class itself (it is named in {@code ssl.engine.factory.class}) and hands it the
 * producer's original properties, where {@link ProducerSettings} put the context and the settings.
 */
public final class ToolkitSslEngineFactory
        implements SslEngineFactory
{
    static final String CONTEXT_PROPERTY = "outrider.tls.context";
    static final String SETTINGS_PROPERTY = "outrider.tls.settings";

    private SSLContext context;
    private TlsSettings settings;

    @Override
    public void configure(Map<String, ?> configs)
    {
        if (!(configs.get(CONTEXT_PROPERTY) instanceof SSLContext sslContext) || !(configs.get(SETTINGS_PROPERTY) instanceof TlsSettings tlsSettings)) {
            throw new ConfigException("the kafka output's TLS context was not handed to kafka-clients");
        }
        this.context = sslContext;
        this.settings = tlsSettings;
    }

    @Override
    public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification)
    {
        // the context's trust manager verifies the broker's name (server_name, or peerHost); Kafka's own endpoint
        // identification would check peerHost only, whatever server_name and verify_hostname say
        SSLEngine engine = context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(true);
        engine.setSSLParameters(TlsContexts.clientParameters(settings, peerHost));
        return engine;
    }

    @Override
    public SSLEngine createServerSslEngine(String peerHost, int peerPort)
    {
        throw new UnsupportedOperationException("the kafka output is a client only");
    }

    @Override
    public boolean shouldBeRebuilt(Map<String, Object> nextConfigs)
    {
        return false;
    }

    @Override
    public Set<String> reconfigurableConfigs()
    {
        return Set.of();
    }

    @Override
    public KeyStore keystore()
    {
        return null;
    }

    @Override
    public KeyStore truststore()
    {
        return null;
    }

    @Override
    public void close() {}
}
