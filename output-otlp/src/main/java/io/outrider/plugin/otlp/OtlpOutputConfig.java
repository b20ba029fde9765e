package io.outrider.plugin.otlp;

import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Required;
import io.outrider.spi.config.Sensitive;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of an {@code otlp} output. Batch sizes, retries and dead letters live in the core-owned
 * {@code delivery:} block of every output.
 *
 * @param endpoint the OTLP/HTTP logs URL; an endpoint without a path (e.g. {@code http://collector:4318}) gets
 *        the standard {@code /v1/logs}
 * @param encoding {@code protobuf} (default) or {@code json}
 * @param compression {@code gzip} (default) or {@code none}
 * @param headers request headers, typically for authentication ({@code Authorization: Bearer ...}); their values
 *        are secrets: take them from {@code ${VAR}} or {@code ${file:PATH}}
 * @param serviceName the resource's {@code service.name}, default {@code outrider}
 * @param resourceAttributes more resource attributes (e.g. {@code deployment.environment.name})
 * @param connectTimeout default 10s
 * @param requestTimeout how long one export may take until the answer's headers, default 30s
 * @param maxRequestSize a request body (after compression) larger than this is not sent: the batch is reported
 *        too large and split by the agent; default 4MiB
 * @param caFile deprecated: {@code tls.ca_file}
 * @param tls TLS settings for {@code https://} endpoints, the block every network output accepts
 */
public record OtlpOutputConfig(
        @Required @Description("OTLP/HTTP logs URL; a bare http://host:4318 gets /v1/logs") URI endpoint,
        @Description("protobuf or json") Encoding encoding,
        @Description("gzip or none") Compression compression,
        @Sensitive @Description("request headers, e.g. Authorization; use ${VAR} or ${file:PATH} for values") Map<String, String> headers,
        @Description("resource service.name") String serviceName,
        @Description("more resource attributes") Map<String, String> resourceAttributes,
        @Description("connect timeout") Duration connectTimeout,
        @Description("time until the answer's headers") Duration requestTimeout,
        @Description("largest request body sent, after compression") DataSize maxRequestSize,
        @Description("deprecated: use tls.ca_file") Path caFile,
        @Description("TLS settings for https:// endpoints") TlsSettings tls)
{
    public static final String LOGS_PATH = "/v1/logs";
    public static final String DEFAULT_SERVICE_NAME = "outrider";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final DataSize DEFAULT_MAX_REQUEST_SIZE = DataSize.ofBytes(4L << 20);

    public OtlpOutputConfig
    {
        encoding = encoding == null ? Encoding.PROTOBUF : encoding;
        compression = compression == null ? Compression.GZIP : compression;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        serviceName = serviceName == null ? DEFAULT_SERVICE_NAME : serviceName;
        resourceAttributes = resourceAttributes == null ? Map.of() : Map.copyOf(resourceAttributes);
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        maxRequestSize = maxRequestSize == null ? DEFAULT_MAX_REQUEST_SIZE : maxRequestSize;
        tls = tls == null ? TlsSettings.DEFAULT : tls;
    }

    /** The TLS settings with the deprecated top-level {@code ca_file} folded in. */
    public TlsSettings effectiveTls()
    {
        if (caFile == null || tls.caFile() != null) {
            return tls;
        }
        return new TlsSettings(tls.verifyCertificate(), tls.verifyHostname(), tls.serverName(), caFile, tls.crtFile(), tls.keyFile(),
                tls.keyPass(), tls.certFile(), tls.keyPassword(), tls.insecureSkipVerify());
    }

    /** Every default, for {@code endpoint}. */
    public static OtlpOutputConfig defaults(URI endpoint)
    {
        return new OtlpOutputConfig(endpoint, null, null, null, null, null, null, null, null, null, null);
    }

    /** The URL requests go to: the endpoint, with {@code /v1/logs} when it has no path. */
    public URI logsUri()
    {
        String path = endpoint.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return endpoint.resolve(LOGS_PATH);
        }
        return endpoint;
    }

    // records print every component; header values carry credentials
    @Override
    public String toString()
    {
        return "OtlpOutputConfig[endpoint=" + endpoint + ", encoding=" + encoding + ", compression=" + compression
                + ", headers=" + headers.keySet() + ", serviceName=" + serviceName + ", resourceAttributes=" + resourceAttributes
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRequestSize=" + maxRequestSize
                + ", caFile=" + caFile + ", tls=" + tls + "]";
    }

    /** The OTLP/HTTP payload encodings. */
    public enum Encoding
    {
        /** Binary protobuf, {@code application/x-protobuf}. */
        PROTOBUF("application/x-protobuf"),
        /** OTLP/JSON (protobuf JSON mapping with enums as integers), {@code application/json}. */
        JSON("application/json");

        private final String contentType;

        Encoding(String contentType)
        {
            this.contentType = contentType;
        }

        public String contentType()
        {
            return contentType;
        }

        public String configName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Request body compression. */
    public enum Compression
    {
        NONE, GZIP
    }
}
