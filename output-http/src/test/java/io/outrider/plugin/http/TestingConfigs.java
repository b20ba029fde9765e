package io.outrider.plugin.http;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.plugin.http.HttpOutputConfig.Format;
import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DataSize;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Builds {@link HttpOutputConfig}s for tests: the record's constructor with names for what a test changes. */
final class TestingConfigs
{
    static final String KEY = "lsk_live_7Q2vXwZ9pT4mN8rB3kY6";

    private Format format;
    private URI endpoint;
    private String apiKey;
    private AuthScheme auth;
    private String apiKeyHeader;
    private String username;
    private String password;
    private Map<String, String> headers;
    private boolean gzip;
    private Duration heartbeatInterval;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private DataSize maxBodySize;
    private DataSize maxResponseSize;
    private TlsSettings tls;
    private boolean allowInsecureHttp;
    private String source;
    private String agentName;
    private String litesocDefaultEvent;
    private Integer litesocConcurrency;

    private TestingConfigs(Format format, URI endpoint)
    {
        this.format = format;
        this.endpoint = endpoint;
    }

    static TestingConfigs config(Format format, URI endpoint)
    {
        return new TestingConfigs(format, endpoint);
    }

    TestingConfigs apiKey(String apiKey)
    {
        this.apiKey = apiKey;
        return this;
    }

    TestingConfigs auth(AuthScheme auth)
    {
        this.auth = auth;
        return this;
    }

    TestingConfigs apiKeyHeader(String apiKeyHeader)
    {
        this.apiKeyHeader = apiKeyHeader;
        return this;
    }

    TestingConfigs basic(String username, String password)
    {
        this.username = username;
        this.password = password;
        return this;
    }

    TestingConfigs headers(Map<String, String> headers)
    {
        this.headers = headers;
        return this;
    }

    TestingConfigs gzip(boolean gzip)
    {
        this.gzip = gzip;
        return this;
    }

    TestingConfigs heartbeatInterval(Duration heartbeatInterval)
    {
        this.heartbeatInterval = heartbeatInterval;
        return this;
    }

    TestingConfigs connectTimeout(Duration connectTimeout)
    {
        this.connectTimeout = connectTimeout;
        return this;
    }

    TestingConfigs requestTimeout(Duration requestTimeout)
    {
        this.requestTimeout = requestTimeout;
        return this;
    }

    TestingConfigs maxBodySize(DataSize maxBodySize)
    {
        this.maxBodySize = maxBodySize;
        return this;
    }

    TestingConfigs maxResponseSize(DataSize maxResponseSize)
    {
        this.maxResponseSize = maxResponseSize;
        return this;
    }

    TestingConfigs tls(TlsSettings tls)
    {
        this.tls = tls;
        return this;
    }

    TestingConfigs allowInsecureHttp(boolean allowInsecureHttp)
    {
        this.allowInsecureHttp = allowInsecureHttp;
        return this;
    }

    TestingConfigs source(String source)
    {
        this.source = source;
        return this;
    }

    TestingConfigs agentName(String agentName)
    {
        this.agentName = agentName;
        return this;
    }

    TestingConfigs litesocDefaultEvent(String litesocDefaultEvent)
    {
        this.litesocDefaultEvent = litesocDefaultEvent;
        return this;
    }

    TestingConfigs litesocConcurrency(int litesocConcurrency)
    {
        this.litesocConcurrency = litesocConcurrency;
        return this;
    }

    HttpOutputConfig build()
    {
        return new HttpOutputConfig(format, endpoint, apiKey, auth, apiKeyHeader, username, password, headers, gzip, heartbeatInterval,
                connectTimeout, requestTimeout, maxBodySize, maxResponseSize, tls, allowInsecureHttp, source, agentName, litesocDefaultEvent,
                litesocConcurrency);
    }
}
