package io.outrider.plugin.syslog;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.InvalidConfigException.Problem;
import io.outrider.spi.Output;
import io.outrider.spi.OutputFactory;

import io.outrider.support.config.Checks;
import io.outrider.support.tls.TlsContexts;
import io.outrider.support.tls.TlsSettings;

import javax.net.ssl.SSLContext;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creates {@code syslog} outputs. */
public final class SyslogOutputFactory
        implements OutputFactory<SyslogOutputConfig>
{
    /** RFC 5424 SD-ID of the private form {@code name@enterprise-number}, at most 32 characters. */
    private static final Pattern SD_ID = Pattern.compile("[\\x21-\\x7e&&[^=\\]\"@ ]]+@[0-9]+(\\.[0-9]+)*");
    private static final int MIN_MESSAGE_BYTES = 480;
    private static final int MAX_UDP_MESSAGE_BYTES = 65507;
    private static final int MAX_STREAM_MESSAGE_BYTES = 16 * 1024 * 1024;

    @Override
    public String type()
    {
        return "syslog";
    }

    @Override
    public Class<SyslogOutputConfig> configClass()
    {
        return SyslogOutputConfig.class;
    }

    @Override
    public String description()
    {
        return "Sends events to a syslog server: RFC 5424 or RFC 3164 over UDP, TCP or TLS";
    }

    @Override
    public void validate(SyslogOutputConfig config)
            throws InvalidConfigException
    {
        List<Problem> problems = new ArrayList<>();
        if (config.host() == null || config.host().isBlank()) {
            problems.add(new Problem("host", "must not be empty"));
        }
        else {
            hostProblem(config.host()).ifPresent(problem -> problems.add(new Problem("host", problem)));
        }
        Checks.between(problems, "port", config.port(), 1, 65535);
        if (config.transport() == Transport.TLS && config.framing() != Framing.OCTET_COUNTING) {
            problems.add(new Problem("framing", "TLS (RFC 5425) allows only octet_counting"));
        }
        if (config.ceePrefix() && config.body() == MessageBody.MESSAGE) {
            problems.add(new Problem("cee_prefix", "needs body: json or ecs"));
        }
        if (config.appName().isBlank()) {
            problems.add(new Problem("app_name", "must not be empty"));
        }
        if (config.sdId().length() > 32 || !SD_ID.matcher(config.sdId()).matches()) {
            problems.add(new Problem("sd_id", "'" + config.sdId() + "' is not an SD-ID of the form name@enterprise-number (at most 32 printable ASCII characters, no space, =, ] or \")"));
        }
        if (config.sdFields() != null && config.sdFields().stream().anyMatch(name -> name == null || name.isBlank())) {
            problems.add(new Problem("sd_fields", "field names must not be empty"));
        }
        long maxBytes = config.maxMessageSize().bytes();
        long limit = config.transport() == Transport.UDP ? MAX_UDP_MESSAGE_BYTES : MAX_STREAM_MESSAGE_BYTES;
        if (maxBytes < MIN_MESSAGE_BYTES || maxBytes > limit) {
            problems.add(new Problem("max_message_size", "must be between " + MIN_MESSAGE_BYTES + " and " + limit + " bytes over "
                    + config.transport().name().toLowerCase(java.util.Locale.ROOT) + ", not " + maxBytes));
        }
        Checks.timeZone(problems, "time_zone", config.timeZone());
        Checks.positive(problems, "connect_timeout", config.connectTimeout());
        Checks.positive(problems, "send_timeout", config.sendTimeout());
        Checks.positive(problems, "reconnect_backoff", config.reconnectBackoff());
        Checks.positive(problems, "max_reconnect_backoff", config.maxReconnectBackoff());
        if (config.reconnectBackoff().compareTo(config.maxReconnectBackoff()) > 0) {
            problems.add(new Problem("reconnect_backoff", "must not be longer than max_reconnect_backoff"));
        }
        TlsSettings tls = config.tls();
        if (config.transport() == Transport.TLS) {
            problems.addAll(tls.problems("tls"));
        }
        else if (tls.isCustomized()) {
            problems.add(new Problem("tls", "TLS settings need transport: tls"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    @Override
    public List<String> warnings(SyslogOutputConfig config)
    {
        List<String> warnings = new ArrayList<>(config.tls().deprecations("tls"));
        // the header allows printable ASCII without spaces: the encoders replace anything else with _
        if (!config.appName().isBlank() && !config.appName().chars().allMatch(c -> c > 32 && c < 127)) {
            warnings.add("app_name '" + config.appName() + "' has characters a syslog header cannot carry (spaces, non-ASCII): each is sent as _");
        }
        if (config.transport() == Transport.UDP) {
            // a walkthrough's idle rsyslog on loopback dropped 207 of a batch of 300, while the agent counted them sent
            warnings.add("transport: udp loses the messages the server cannot take at once, without a word, and counts them as sent: a batch of hundreds"
                    + " can overflow an idle server's receive buffer, even on loopback; use tcp or tls where every event must arrive");
        }
        if (config.transport() == Transport.UDP && config.framing() == Framing.LF) {
            // a datagram is one message: there is nothing to frame, and the line breaks in messages stay as they are
            warnings.add("framing: lf does nothing over udp (one message per datagram); it applies to transport: tcp");
        }
        return List.copyOf(warnings);
    }

    @Override
    public Output create(SyslogOutputConfig config, ComponentContext context)
            throws InvalidConfigException
    {
        validate(config);
        SSLContext tlsContext = config.transport() == Transport.TLS ? TlsContexts.sslContext(config.tls()) : null;
        return new SyslogOutput(config, context, encoder(config, context), tlsContext);
    }

    /**
     * What is wrong with a host that is a URL or carries a port: both validated before, and failed at the first
     * connection with "cannot resolve http://127.0.0.1:514". An IPv6 address has two colons or more.
     */
    static Optional<String> hostProblem(String host)
    {
        int scheme = host.indexOf("://");
        if (scheme > 0) {
            return Optional.of("'" + host + "' is a URL; host is a name or an address: write the server's name or address alone (" + hostOfUrl(host.substring(scheme + 3))
                    + "), and its port as port:");
        }
        if (host.indexOf('/') >= 0 || host.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("'" + host + "' is not a host name or address");
        }
        int colon = host.indexOf(':');
        if (colon > 0 && colon == host.lastIndexOf(':')) {
            return Optional.of("'" + host + "' holds a port: write host: " + host.substring(0, colon) + " and port: " + host.substring(colon + 1));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return Optional.of("write an IPv6 address without brackets: host: " + host.substring(1, host.length() - 1));
        }
        return Optional.empty();
    }

    private static String hostOfUrl(String afterScheme)
    {
        String authority = afterScheme.split("/", 2)[0];
        int colon = authority.lastIndexOf(':');
        return colon > 0 && !authority.endsWith("]") ? authority.substring(0, colon) : authority;
    }

    /**
     * Counts every message cut to fit {@code max_message_size} and says the first at WARN: a JSON body has lost parts
     * of its values, and a metric alone told nobody. Called on the delivery thread.
     */
    static Runnable truncationReport(SyslogOutputConfig config, ComponentContext context)
    {
        ComponentMetrics.Counter truncated = context.metrics().counter("truncated_messages_total", "Messages cut to fit max_message_size");
        java.util.concurrent.atomic.AtomicBoolean said = new java.util.concurrent.atomic.AtomicBoolean();
        long limit = config.transport() == Transport.UDP ? MAX_UDP_MESSAGE_BYTES : MAX_STREAM_MESSAGE_BYTES;
        return () -> {
            truncated.increment();
            if (said.compareAndSet(false, true)) {
                context.logger().log(System.Logger.Level.WARNING, "a message was cut to fit max_message_size (" + config.maxMessageSize() + ")"
                        + (config.body() == MessageBody.MESSAGE ? "" : ": the longest string values of its " + config.body().name().toLowerCase(java.util.Locale.ROOT)
                                + " body were cut short, each ending in \u2026, so that it stays JSON")
                        + "; raise max_message_size (at most " + limit + " bytes over " + config.transport().name().toLowerCase(java.util.Locale.ROOT)
                        + ") if the server takes larger messages. Further cuts are counted in truncated_messages_total, not logged");
            }
        };
    }

    static SyslogEncoder encoder(SyslogOutputConfig config, ComponentContext context)
    {
        SyslogEventMapper mapper = SyslogEventMapper.fromConfig(config, context.hostName());
        Runnable onTruncation = truncationReport(config, context);
        boolean escapeLineBreaks = config.transport() == Transport.TCP && config.framing() == Framing.LF;
        int maxBytes = (int) config.maxMessageSize().bytes();
        if (config.format() == SyslogFormat.RFC3164) {
            ZoneId zone = config.timeZone() == null ? ZoneId.systemDefault() : ZoneId.of(config.timeZone());
            return new Rfc3164Encoder(mapper, zone, maxBytes, escapeLineBreaks, onTruncation);
        }
        return new Rfc5424Encoder(mapper, config.sdId(), Optional.ofNullable(config.sdFields()), maxBytes, escapeLineBreaks, onTruncation);
    }
}
