package io.outrider.plugin.otlp;

import io.outrider.support.Redactor;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.DataSize;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;

import io.outrider.support.config.Checks;
import io.outrider.support.http.Http1Client;
import io.outrider.support.tls.TlsContexts;
import io.outrider.support.tls.TlsSettings;

import javax.net.ssl.SSLContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Creates {@code otlp} outputs. */
public final class OtlpOutputFactory
        implements OutputFactory<OtlpOutputConfig>
{
    /** Headers the output sets itself or the HTTP client refuses. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-encoding", "content-length", "host",
            "connection", "expect", "upgrade", "transfer-encoding");
    private static final DataSize MIN_REQUEST_SIZE = DataSize.ofBytes(1024);
    private static final String HEADER_TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    @Override
    public String type()
    {
        return "otlp";
    }

    @Override
    public Class<OtlpOutputConfig> configClass()
    {
        return OtlpOutputConfig.class;
    }

    @Override
    public String description()
    {
        return "Sends events as OpenTelemetry log records over OTLP/HTTP (protobuf or JSON)";
    }

    @Override
    public void validate(OtlpOutputConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        URI endpoint = config.endpoint();
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            problems.add(new Problem("endpoint", "must be an http:// or https:// URL, not '" + endpoint + "'"));
        }
        else if (endpoint.getHost() == null || endpoint.getHost().isEmpty()) {
            problems.add(new Problem("endpoint", "has no host: '" + endpoint + "'"));
        }
        else if (endpoint.getRawUserInfo() != null) {
            // never echo the URL: its user info is a credential
            problems.add(new Problem("endpoint", "must not carry credentials; put them in headers (e.g. Authorization)"));
        }
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            String name = header.getKey();
            if (name == null || !name.matches(HEADER_TOKEN)) {
                problems.add(new Problem("headers", "'" + name + "' is not a valid header name"));
            }
            else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                problems.add(new Problem("headers", name + " is set by the output itself (or by HTTP) and cannot be configured"));
            }
            else if (header.getValue() == null || header.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                problems.add(new Problem("headers", "the value of " + name + " is empty or contains a line break"));
            }
            else if (!Http1Client.isSendableHeaderValue(header.getValue())) {
                problems.add(new Problem("headers", "the value of " + name + " has a character an HTTP header cannot carry (Latin-1 text only)"));
            }
        }
        if (config.serviceName().isBlank()) {
            problems.add(new Problem("service_name", "must not be empty"));
        }
        Checks.positive(problems, "connect_timeout", config.connectTimeout());
        Checks.positive(problems, "request_timeout", config.requestTimeout());
        Checks.atLeast(problems, "max_request_size", config.maxRequestSize(), MIN_REQUEST_SIZE);
        if (config.caFile() != null && config.tls().caFile() != null) {
            problems.add(new Problem("ca_file", "set only tls.ca_file (ca_file is its deprecated name)"));
        }
        TlsSettings tls = config.effectiveTls();
        if (tls.isCustomized()) {
            if (!scheme.equals("https")) {
                problems.add(new Problem(config.caFile() != null && config.tls().caFile() == null ? "ca_file" : "tls", "needs an https:// endpoint"));
            }
            else {
                boolean caFromDeprecatedName = config.tls().caFile() == null && config.caFile() != null;
                for (Problem problem : tls.problems("tls")) {
                    // a CA given under the deprecated top-level name is reported under that name, where it is written
                    problems.add(caFromDeprecatedName && problem.property().equals("tls.ca_file") ? new Problem("ca_file", problem.message()) : problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    @Override
    public List<String> warnings(OtlpOutputConfig config)
    {
        List<String> warnings = new ArrayList<>();
        if (config.caFile() != null) {
            warnings.add("ca_file is deprecated and will be removed in the next minor version: move it to tls.ca_file");
        }
        warnings.addAll(config.tls().deprecations("tls"));
        // the mapper keeps its own for these three: a configured one was dropped without a word
        for (String owned : List.of("host.name", "service.name", "service.version")) {
            if (config.resourceAttributes().containsKey(owned)) {
                warnings.add("resource_attributes." + owned + " is ignored: the agent sets " + owned
                        + (owned.equals("service.name") ? " (set service_name instead)" : owned.equals("host.name") ? " (this machine's name)" : " (its own version)"));
            }
        }
        return List.copyOf(warnings);
    }

    @Override
    public Output create(OtlpOutputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        SSLContext sslContext = config.logsUri().getScheme().equalsIgnoreCase("https") ? TlsContexts.sslContext(config.effectiveTls()) : null;
        LogRecordMapper mapper = new LogRecordMapper(context.hostName(), config.serviceName(), context.agentVersion(), config.resourceAttributes());
        URI uri = config.logsUri();
        String target = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
        ExportClassifier classifier = new ExportClassifier(target, redactor(config.headers()), config.connectTimeout(), config.requestTimeout(),
                "max_request_size (" + config.maxRequestSize() + ")");
        return new OtlpOutput(config, context, mapper, classifier, sslContext);
    }

    /** Redacts every header value, and the credential after an auth scheme ({@code Bearer TOKEN} → TOKEN). */
    static Redactor redactor(Map<String, String> headers)
    {
        List<String> secrets = new ArrayList<>();
        for (String value : headers.values()) {
            secrets.add(value);
            int space = value.indexOf(' ');
            if (space > 0 && space < value.length() - 1) {
                secrets.add(value.substring(space + 1).strip());
            }
        }
        return new Redactor(secrets.toArray(String[]::new));
    }
}
