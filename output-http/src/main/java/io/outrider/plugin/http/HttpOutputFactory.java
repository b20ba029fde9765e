package io.outrider.plugin.http;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.plugin.http.HttpOutputConfig.Format;
import io.outrider.support.config.Checks;
import io.outrider.support.http.Http1Client;
import io.outrider.support.tls.TlsContexts;
import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;

import javax.net.ssl.SSLContext;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** Creates {@code http} outputs: LiteSOC, LogNog, NDJSON, ECS and JSON collectors over HTTP(S). */
public final class HttpOutputFactory
        implements OutputFactory<HttpOutputConfig>
{
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the HTTP client or this output set itself. */
    private static final Set<String> RESERVED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "content-encoding", "te", "trailer", "keep-alive", "proxy-connection");
    private static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    private static final DataSize MIN_MAX_BODY_SIZE = DataSize.ofBytes(1024);
    private static final DataSize MIN_MAX_RESPONSE_SIZE = DataSize.ofBytes(1024);
    private static final DataSize MAX_MAX_RESPONSE_SIZE = DataSize.ofBytes(16L << 20);
    private static final int MAX_LITESOC_CONCURRENCY = 64;

    private final Function<String, HeartbeatScheduler> schedulerFactory;

    public HttpOutputFactory()
    {
        this(HeartbeatScheduler::daemonThread);
    }

    HttpOutputFactory(Function<String, HeartbeatScheduler> schedulerFactory)
    {
        this.schedulerFactory = requireNonNull(schedulerFactory, "schedulerFactory is null");
    }

    @Override
    public String type()
    {
        return "http";
    }

    @Override
    public Class<HttpOutputConfig> configClass()
    {
        return HttpOutputConfig.class;
    }

    @Override
    public String description()
    {
        return "sends events over HTTP(S) to LiteSOC, LogNog or any JSON/NDJSON/ECS collector";
    }

    @Override
    public void validate(HttpOutputConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        validateEndpoint(config, problems);
        validateAuth(config, problems);
        validateHeaders(config, problems);
        validateLimits(config, problems);
        validateTls(config, problems);
        validateFormatOptions(config, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    private static void validateEndpoint(HttpOutputConfig config, List<Problem> problems)
    {
        URI endpoint = config.endpoint();
        if (endpoint == null) {
            problems.add(new Problem("endpoint", "is required"));
            return;
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            problems.add(new Problem("endpoint", "must be an https:// (or http://) URL"));
            return;
        }
        if (endpoint.getHost() == null || endpoint.getHost().isEmpty()) {
            problems.add(new Problem("endpoint", "has no host name"));
            return;
        }
        if (endpoint.getRawUserInfo() != null) {
            problems.add(new Problem("endpoint", "must not carry credentials (user:password@); use api_key or username and password"));
        }
        if (endpoint.getRawFragment() != null) {
            problems.add(new Problem("endpoint", "must not have a #fragment"));
        }
        boolean sendsCredentials = config.effectiveAuth() != AuthScheme.NONE;
        if (scheme.equals("http") && sendsCredentials && !Endpoints.isLoopback(endpoint) && !config.allowInsecureHttp()) {
            problems.add(new Problem("endpoint", "sends credentials over plain http:// to " + endpoint.getHost()
                    + ", where anyone on the network can read them; use https://, or set allow_insecure_http: true if this network is trusted"));
        }
    }

    private static void validateAuth(HttpOutputConfig config, List<Problem> problems)
    {
        Format format = config.format();
        if (format == null) {
            problems.add(new Problem("format", "is required (litesoc, lognog, ndjson or json)"));
            return;
        }
        if (config.apiKey() != null && (config.apiKey().isBlank() || config.apiKey().chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            problems.add(new Problem("api_key", "is empty or contains control characters (a trailing newline of a key file?)"));
        }
        if (config.password() != null && config.password().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problems.add(new Problem("password", "contains control characters (a trailing newline of a password file?)"));
        }
        if (format == Format.LITESOC || format == Format.LOGNOG) {
            if (config.apiKey() == null) {
                problems.add(new Problem("api_key", "is required for format " + format.configName()));
            }
            if (config.auth() != null) {
                problems.add(new Problem("auth", "is fixed by format " + format.configName() + " ("
                        + (format == Format.LITESOC ? "X-API-Key header" : "Authorization: ApiKey") + "); remove it"));
            }
            if (config.username() != null || config.password() != null) {
                problems.add(new Problem(config.username() != null ? "username" : "password", "is not used by format " + format.configName()
                        + "; it authenticates with api_key"));
            }
            return;
        }
        AuthScheme auth = config.effectiveAuth();
        switch (auth) {
            case API_KEY, BEARER, LOGNOG -> {
                if (config.apiKey() == null) {
                    problems.add(new Problem("api_key", "is required for auth " + auth.name().toLowerCase(Locale.ROOT)));
                }
                if (config.username() != null || config.password() != null) {
                    problems.add(new Problem(config.username() != null ? "username" : "password", "is only used by auth basic"));
                }
            }
            case BASIC -> {
                if (config.username() == null || config.username().isEmpty() || config.username().contains(":")) {
                    problems.add(new Problem("username", "is required for auth basic and must not contain ':'"));
                }
                if (config.password() == null) {
                    problems.add(new Problem("password", "is required for auth basic"));
                }
                if (config.apiKey() != null) {
                    problems.add(new Problem("api_key", "is not used by auth basic; remove it or choose auth api_key or bearer"));
                }
            }
            case NONE -> {
                if (config.apiKey() != null || config.username() != null || config.password() != null) {
                    problems.add(new Problem("auth", "is none but credentials are configured; remove them or choose an auth scheme"));
                }
            }
        }
        if (!HEADER_NAME.matcher(config.apiKeyHeader()).matches() || RESERVED_HEADERS.contains(config.apiKeyHeader().toLowerCase(Locale.ROOT))) {
            problems.add(new Problem("api_key_header", "'" + config.apiKeyHeader() + "' cannot carry the key: use a header name such as X-API-Key"));
        }
    }

    private static void validateHeaders(HttpOutputConfig config, List<Problem> problems)
    {
        String authHeader = switch (config.format() == null ? Format.NDJSON : config.format()) {
            case LITESOC -> HttpOutputConfig.DEFAULT_API_KEY_HEADER;
            case LOGNOG -> "Authorization";
            case NDJSON, ECS, JSON -> switch (config.effectiveAuth()) {
                case API_KEY -> config.apiKeyHeader();
                case BEARER, BASIC, LOGNOG -> "Authorization";
                case NONE -> null;
            };
        };
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            String name = header.getKey();
            String property = "headers." + name;
            if (!HEADER_NAME.matcher(name).matches()) {
                problems.add(new Problem(property, "is not a valid header name"));
            }
            else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                problems.add(new Problem(property, "is set by the HTTP client or by gzip; remove it"));
            }
            else if (authHeader != null && authHeader.equalsIgnoreCase(name)) {
                problems.add(new Problem(property, "would replace the credentials header; configure credentials with api_key/auth"));
            }
            if (header.getValue() == null || header.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                problems.add(new Problem(property, "must be a single-line value"));
            }
            else if (!Http1Client.isSendableHeaderValue(header.getValue())) {
                problems.add(new Problem(property, "has a character an HTTP header cannot carry (Latin-1 text only)"));
            }
        }
    }

    private static void validateLimits(HttpOutputConfig config, List<Problem> problems)
    {
        Checks.positive(problems, "connect_timeout", config.connectTimeout());
        Checks.positive(problems, "request_timeout", config.requestTimeout());
        Checks.atLeast(problems, "max_body_size", config.maxBodySize(), MIN_MAX_BODY_SIZE);
        Checks.between(problems, "max_response_size", config.maxResponseSize(), MIN_MAX_RESPONSE_SIZE, MAX_MAX_RESPONSE_SIZE);
    }

    private static void validateTls(HttpOutputConfig config, List<Problem> problems)
    {
        TlsSettings tls = config.tls();
        boolean http = config.endpoint() != null && "http".equalsIgnoreCase(config.endpoint().getScheme());
        if (http && tls.isCustomized()) {
            problems.add(new Problem("tls", "is set but endpoint is plain http://; use https:// or remove tls"));
            return;
        }
        problems.addAll(tls.problems("tls"));
    }

    private static void validateFormatOptions(HttpOutputConfig config, List<Problem> problems)
    {
        Format format = config.format();
        if (format == null) {
            return;
        }
        Duration heartbeat = config.heartbeatInterval();
        if (heartbeat.isNegative() || (!heartbeat.isZero() && heartbeat.compareTo(MIN_HEARTBEAT_INTERVAL) < 0)) {
            problems.add(new Problem("heartbeat_interval", "must be at least 1s (or 0s to turn the heartbeat off)"));
        }
        if (format != Format.LITESOC && !heartbeat.equals(HttpOutputConfig.DEFAULT_HEARTBEAT_INTERVAL)) {
            problems.add(new Problem("heartbeat_interval", "only applies to format litesoc"));
        }
        if (format != Format.LITESOC && config.litesocDefaultEvent() != null) {
            problems.add(new Problem("litesoc_default_event", "only applies to format litesoc"));
        }
        if (config.litesocDefaultEvent() != null && config.litesocDefaultEvent().isBlank()) {
            problems.add(new Problem("litesoc_default_event", "is empty; remove it to skip events without event.action"));
        }
        Checks.between(problems, "litesoc_concurrency", config.litesocConcurrency(), 1, MAX_LITESOC_CONCURRENCY);
        if (format != Format.LOGNOG && config.source() != null) {
            problems.add(new Problem("source", "only applies to format lognog"));
        }
        if (config.source() != null && config.source().isBlank()) {
            problems.add(new Problem("source", "is empty; remove it to send lognog-in"));
        }
        if (format != Format.LOGNOG && config.agentName() != null) {
            problems.add(new Problem("agent_name", "only applies to format lognog"));
        }
    }

    @Override
    public List<String> warnings(HttpOutputConfig config)
    {
        return config.tls().deprecations("tls");
    }

    @Override
    public Output create(HttpOutputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        SSLContext sslContext = "https".equalsIgnoreCase(config.endpoint().getScheme()) ? TlsContexts.sslContext(config.tls()) : null;
        return new HttpOutput(config, context, sslContext, schedulerFactory);
    }
}
