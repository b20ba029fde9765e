package io.outrider.plugin.otlp;

import io.outrider.support.Redactor;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
            else if (header.getValue() == null || header.getValue().chars().anyMatch(c -> c == '\r' || c == '\n')) {
                problems.add(new Problem("headers", "the value of " + name + " is empty or contains a line break"));
            }
        }
        if (config.serviceName().isBlank()) {
            problems.add(new Problem("service_name", "must not be empty"));
        }
        checkPositive(problems, "connect_timeout", config.connectTimeout());
        checkPositive(problems, "request_timeout", config.requestTimeout());
        if (config.maxRequestSize().bytes() < 1024) {
            problems.add(new Problem("max_request_size", "must be at least 1KiB, not " + config.maxRequestSize()));
        }
        if (config.caFile() != null) {
            if (!scheme.equals("https")) {
                problems.add(new Problem("ca_file", "needs an https:// endpoint"));
            }
            else if (!Files.isReadable(config.caFile())) {
                problems.add(new Problem("ca_file", "cannot read " + config.caFile()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    @Override
    public Output create(OtlpOutputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        SSLContext sslContext = config.caFile() == null ? null : trusting(config.caFile());
        LogRecordMapper mapper = new LogRecordMapper(context.hostName(), config.serviceName(), context.agentVersion(), config.resourceAttributes());
        URI uri = config.logsUri();
        String target = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
        ExportClassifier classifier = new ExportClassifier(target, redactor(config.headers()), config.connectTimeout(), config.requestTimeout());
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

    private static SSLContext trusting(Path caFile)
            throws InvalidConfigException
    {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new InvalidConfigException("ca_file", caFile + " holds no PEM certificate");
            }
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                trustStore.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        }
        catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigException("ca_file", "cannot load certificates from " + caFile + ": " + e.getMessage());
        }
    }

    private static void checkPositive(List<Problem> problems, String property, Duration duration)
    {
        if (duration.isZero() || duration.isNegative()) {
            problems.add(new Problem(property, "must be positive"));
        }
    }
}
