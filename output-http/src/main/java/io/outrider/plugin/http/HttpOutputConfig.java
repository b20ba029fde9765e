package io.outrider.plugin.http;

import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Required;
import io.outrider.spi.config.Sensitive;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Configuration of an {@code http} output. Batch sizes are not here: they live in the core-owned {@code delivery:}
 * block of every output.
 *
 * @param format the wire format
 * @param endpoint for {@code litesoc} and {@code lognog} the collector's base URL (the API paths are appended);
 *        for {@code ndjson} and {@code json} the full URL
 * @param apiKey the API key; take it from {@code ${VAR}} or {@code ${file:PATH}}
 * @param auth how the key reaches a generic collector; fixed by {@code litesoc} and {@code lognog}
 * @param apiKeyHeader the header carrying the key when {@code auth} is {@code api_key}
 * @param username the user for {@code auth: basic}
 * @param password the password for {@code auth: basic}
 * @param headers extra request headers; their values are treated as secrets (redacted from the log, status and
 *        errors), as they often carry credentials
 * @param gzip whether request bodies are gzip-compressed ({@code Content-Encoding: gzip})
 * @param heartbeatInterval {@code litesoc}: how often the agent heartbeat is sent; {@code 0s} turns it off
 * @param connectTimeout how long to wait for a TCP/TLS connection
 * @param requestTimeout how long one request may take, from sending to the end of the answer's headers
 * @param maxBodySize a request body larger than this is not sent: the batch is reported too large and split (an
 *        event alone above it goes to the dead letters); for {@code ndjson} and {@code json} the JSON is held to it
 *        before compression too, which bounds the memory a batch takes whatever the length of its lines. This is
 *        what bounds the wire: {@code delivery.max_bytes} counts the events as buffered, which their JSON outgrows.
 *        The default, 1MiB, is nginx's default {@code client_max_body_size}, which collectors often sit behind
 * @param maxResponseSize how much of an answer's body is read; the rest is discarded
 * @param tls TLS settings for {@code https://} endpoints
 * @param allowInsecureHttp allow sending credentials over plain {@code http://} to a host that is not loopback
 * @param source {@code lognog}: the {@code source} of every event; default {@value #DEFAULT_LOGNOG_SOURCE}, what LogNog In
 *        sends and what LogNog dashboards key on
 * @param agentName {@code lognog}: the older name of {@code source}, still read so existing configurations keep
 *        their meaning; {@code source} wins when both are set
 * @param litesocDefaultEvent {@code litesoc}: the {@code event} for events without {@code event.action}; unset
 *        means such events are not security events and are skipped (counted in {@code litesoc_events_skipped_total})
 * @param litesocConcurrency {@code litesoc}: how many event requests of a batch may be in flight at once (default 4;
 *        1 keeps arrival order equal to event order)
 */
public record HttpOutputConfig(
        @Required @Description("wire format: litesoc, lognog, ndjson, ecs or json") Format format,
        @Required @Description("collector URL (base URL for litesoc and lognog)") URI endpoint,
        @Sensitive @Description("API key; use ${VAR} or ${file:PATH}") String apiKey,
        @Description("generic formats: none, api_key, bearer or basic") AuthScheme auth,
        @Description("header that carries the key for auth: api_key") String apiKeyHeader,
        @Description("user for auth: basic") String username,
        @Sensitive @Description("password for auth: basic") String password,
        @Sensitive @Description("extra request headers, e.g. a tenant token; use ${VAR} or ${file:PATH} for values") Map<String, String> headers,
        @Description("gzip request bodies") boolean gzip,
        @Description("litesoc heartbeat interval (0s: off)") Duration heartbeatInterval,
        @Description("connect timeout") Duration connectTimeout,
        @Description("whole-request timeout") Duration requestTimeout,
        @Description("largest request body sent (before gzip); a larger batch is split") DataSize maxBodySize,
        @Description("largest part of an answer read") DataSize maxResponseSize,
        @Description("TLS settings for https:// endpoints") TlsSettings tls,
        @Description("allow credentials over plain http to a non-loopback host") boolean allowInsecureHttp,
        @Description("lognog: the source of every event (default lognog-in, as LogNog In sends)") String source,
        @Description("lognog: older name of source; source wins") String agentName,
        @Description("litesoc: event name for events without event.action (default: skip them)") String litesocDefaultEvent,
        @Description("litesoc: event requests in flight at once (1 keeps order)") Integer litesocConcurrency)
{
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** nginx's default client_max_body_size: a larger body would be refused (413) by the proxy in front of many collectors. */
    public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofBytes(1L << 20);
    public static final DataSize DEFAULT_MAX_RESPONSE_SIZE = DataSize.ofBytes(64L << 10);
    public static final String DEFAULT_API_KEY_HEADER = "X-API-Key";
    public static final int DEFAULT_LITESOC_CONCURRENCY = 4;
    public static final String DEFAULT_LOGNOG_SOURCE = "lognog-in";

    public HttpOutputConfig
    {
        apiKeyHeader = apiKeyHeader == null ? DEFAULT_API_KEY_HEADER : apiKeyHeader;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        maxBodySize = maxBodySize == null ? DEFAULT_MAX_BODY_SIZE : maxBodySize;
        maxResponseSize = maxResponseSize == null ? DEFAULT_MAX_RESPONSE_SIZE : maxResponseSize;
        tls = tls == null ? TlsSettings.DEFAULT : tls;
        litesocConcurrency = litesocConcurrency == null ? DEFAULT_LITESOC_CONCURRENCY : litesocConcurrency;
    }

    /**
     * The scheme in effect: the configured one, else the format's ({@code litesoc}: {@code X-API-Key},
     * {@code lognog}: {@code Authorization: ApiKey}), else for generic formats {@code api_key} when a key is set,
     * {@code basic} when a user is set, otherwise {@code none}.
     */
    public AuthScheme effectiveAuth()
    {
        if (auth != null) {
            return auth;
        }
        if (format == Format.LITESOC) {
            return AuthScheme.API_KEY;
        }
        if (format == Format.LOGNOG) {
            return AuthScheme.LOGNOG;
        }
        if (apiKey != null) {
            return AuthScheme.API_KEY;
        }
        if (username != null) {
            return AuthScheme.BASIC;
        }
        return AuthScheme.NONE;
    }

    /** The {@code source} of LogNog events: {@code source}, else {@code agent_name}, else {@value #DEFAULT_LOGNOG_SOURCE}. */
    public String effectiveLogNogSource()
    {
        if (source != null) {
            return source;
        }
        return agentName != null ? agentName : DEFAULT_LOGNOG_SOURCE;
    }

    /** A copy with another endpoint (tests and benchmarks point one configuration at a server of the moment). */
    public HttpOutputConfig withEndpoint(URI newEndpoint)
    {
        return new HttpOutputConfig(format, newEndpoint, apiKey, auth, apiKeyHeader, username, password, headers, gzip,
                heartbeatInterval, connectTimeout, requestTimeout, maxBodySize, maxResponseSize, tls, allowInsecureHttp,
                source, agentName, litesocDefaultEvent, litesocConcurrency);
    }

    // records print every component; secrets must not reach a log through toString
    @Override
    public String toString()
    {
        return "HttpOutputConfig[format=" + format + ", endpoint=" + endpoint
                + ", apiKey=" + mask(apiKey) + ", auth=" + auth + ", apiKeyHeader=" + apiKeyHeader
                + ", username=" + username + ", password=" + mask(password) + ", headers=" + headers.keySet()
                + ", gzip=" + gzip + ", heartbeatInterval=" + heartbeatInterval + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", maxBodySize=" + maxBodySize + ", maxResponseSize=" + maxResponseSize
                + ", tls=" + tls + ", allowInsecureHttp=" + allowInsecureHttp + ", source=" + source + ", agentName=" + agentName
                + ", litesocDefaultEvent=" + litesocDefaultEvent + ", litesocConcurrency=" + litesocConcurrency + "]";
    }

    static String mask(String secret)
    {
        return secret == null ? "null" : "****";
    }

    /** The wire formats. */
    public enum Format
    {
        /** One LiteSOC security event per request to {@code /collect}, plus the agent heartbeat. */
        LITESOC,
        /** Batches to LogNog's {@code /api/ingest/agent}. */
        LOGNOG,
        /** The event model, one JSON object per line. */
        NDJSON,
        /** The event model as Elastic Common Schema documents (dotted names nested), one per line. */
        ECS,
        /** The event model, one JSON array per batch. */
        JSON;

        /** How the format is written in configuration. */
        public String configName()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How credentials reach the collector. */
    public enum AuthScheme
    {
        /** No credentials. */
        NONE,
        /** The key in the {@code api_key_header} header. */
        API_KEY,
        /** {@code Authorization: Bearer KEY}. */
        BEARER,
        /** {@code Authorization: Basic base64(user:password)}. */
        BASIC,
        /** {@code Authorization: ApiKey KEY}, as LogNog expects. */
        LOGNOG
    }
}
