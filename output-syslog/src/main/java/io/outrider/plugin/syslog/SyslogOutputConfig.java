package io.outrider.plugin.syslog;

import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DataSize;
import io.outrider.spi.config.Description;
import io.outrider.spi.config.Required;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Configuration of the {@code syslog} output. Absent values get the defaults below.
 *
 * @param host the syslog server's host name or address
 * @param port default 514 (UDP, TCP) or 6514 (TLS)
 * @param transport {@code udp}, {@code tcp} (default) or {@code tls}
 * @param format {@code rfc5424} (default) or {@code rfc3164}
 * @param framing {@code octet_counting} (default) or {@code lf}; TCP only, RFC 5425 (TLS) allows octet counting only
 * @param body {@code message} (default), {@code json} or {@code ecs} (the event as one JSON or ECS object)
 * @param ceePrefix with {@code body: json} or {@code ecs}, start the message with {@code @cee: } (Lumberjack/CEE convention)
 * @param facility the facility of ordinary events, default {@code user}
 * @param authFacility the facility of authentication events, default {@code authpriv}
 * @param severity the severity of ordinary events, default {@code info}
 * @param failureSeverity the severity of failures ({@code event.outcome: failure}), default {@code warning}
 * @param appName APP-NAME (RFC 3164 TAG) of events without {@code process.name}, default {@code outrider}
 * @param sdId the SD-ID of the structured data element, default {@code outrider@32473}
 * @param sdFields the fields that go into structured data, in this order; absent: every field; empty: none
 * @param maxMessageSize the largest message sent, without framing; longer messages are truncated at a UTF-8
 *        character boundary. Default 2KiB over UDP (1KiB with RFC 3164), 8KiB over TCP and TLS
 * @param timeZone the zone of RFC 3164 timestamps (which carry none), default the machine's
 * @param connectTimeout default 5s
 * @param sendTimeout the longest a batch may take to be written, default 10s
 * @param reconnectBackoff the first wait after a failed connection attempt, doubled up to {@code max_reconnect_backoff}; default 500ms
 * @param maxReconnectBackoff default 30s
 * @param tls TLS settings (transport {@code tls})
 */
public record SyslogOutputConfig(
        @Required @Description("Syslog server host name or address") String host,
        @Description("Server port: 514 for udp and tcp, 6514 for tls") Integer port,
        @Description("udp, tcp or tls") Transport transport,
        @Description("rfc5424 or rfc3164") SyslogFormat format,
        @Description("octet_counting or lf (tcp only)") Framing framing,
        @Description("message, json or ecs") MessageBody body,
        @Description("With body json or ecs: prefix the message with '@cee: '") boolean ceePrefix,
        @Description("Facility of ordinary events") Facility facility,
        @Description("Facility of authentication events") Facility authFacility,
        @Description("Severity of ordinary events") Severity severity,
        @Description("Severity of failures (event.outcome failure)") Severity failureSeverity,
        @Description("APP-NAME when the event has no process.name") String appName,
        @Description("SD-ID of the structured data") String sdId,
        @Description("Fields written as structured data; default all, empty list none") List<String> sdFields,
        @Description("Largest message; default 2KiB udp (1KiB rfc3164), 8KiB tcp/tls") DataSize maxMessageSize,
        @Description("Time zone of RFC 3164 timestamps; default the machine's") String timeZone,
        @Description("Connection timeout") Duration connectTimeout,
        @Description("Longest time to write one batch") Duration sendTimeout,
        @Description("First wait after a failed connection") Duration reconnectBackoff,
        @Description("Longest wait between connection attempts") Duration maxReconnectBackoff,
        @Description("TLS settings (transport tls)") TlsSettings tls)
{
    public static final String DEFAULT_SD_ID = "outrider@32473";
    public static final String DEFAULT_APP_NAME = "outrider";

    public SyslogOutputConfig
    {
        transport = transport == null ? Transport.TCP : transport;
        port = port == null ? transport.defaultPort() : port;
        format = format == null ? SyslogFormat.RFC5424 : format;
        framing = framing == null ? Framing.OCTET_COUNTING : framing;
        body = body == null ? MessageBody.MESSAGE : body;
        facility = facility == null ? Facility.USER : facility;
        authFacility = authFacility == null ? Facility.AUTHPRIV : authFacility;
        severity = severity == null ? Severity.INFO : severity;
        failureSeverity = failureSeverity == null ? Severity.WARNING : failureSeverity;
        appName = appName == null ? DEFAULT_APP_NAME : appName;
        sdId = sdId == null ? DEFAULT_SD_ID : sdId;
        // not List.copyOf: a null entry must reach validate() and be reported, not fail the binding
        sdFields = sdFields == null ? null : Collections.unmodifiableList(new ArrayList<>(sdFields));
        if (maxMessageSize == null) {
            maxMessageSize = transport != Transport.UDP ? DataSize.ofBytes(8192) : format == SyslogFormat.RFC3164 ? DataSize.ofBytes(1024) : DataSize.ofBytes(2048);
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        sendTimeout = sendTimeout == null ? Duration.ofSeconds(10) : sendTimeout;
        reconnectBackoff = reconnectBackoff == null ? Duration.ofMillis(500) : reconnectBackoff;
        maxReconnectBackoff = maxReconnectBackoff == null ? Duration.ofSeconds(30) : maxReconnectBackoff;
        tls = tls == null ? TlsSettings.DEFAULT : tls;
    }

    /** A configuration with every default, for {@code host} and {@code transport}. */
    public static SyslogOutputConfig defaults(String host, Transport transport)
    {
        return new SyslogOutputConfig(host, null, transport, null, null, null, false, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }
}
