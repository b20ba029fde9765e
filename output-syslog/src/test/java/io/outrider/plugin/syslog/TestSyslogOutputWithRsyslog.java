package io.outrider.plugin.syslog;

import io.outrider.support.tls.TestingCertificates;
import io.outrider.support.tls.TestingCertificates.PemSet;
import io.outrider.support.tls.TlsSettings;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output against a real rsyslogd on loopback: every event arrives and rsyslog parses PRI, timestamp, host,
 * application, process id, message id, structured data and message as sent; over TCP and TLS nothing is lost when
 * rsyslog restarts in the middle of a stream.
 */
@Timeout(120)
class TestSyslogOutputWithRsyslog
{
    private static final Instant BASE_TIME = Instant.parse("2026-11-23T10:00:00.123456Z");
    private static final List<String> SD_FIELDS = List.of(Fields.SOURCE_IP, Fields.USER_NAME, Fields.EVENT_OUTCOME);

    @TempDir
    Path directory;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources()
            throws Exception
    {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void udp()
            throws Exception
    {
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.UDP, null));
        SyslogOutput output = start(config(Transport.UDP, rsyslog.port(), null, null));

        deliverAll(output, 0, 60, 10);

        assertThat(rsyslog.awaitLines(60, Duration.ofSeconds(20))).containsExactlyElementsOf(expectedLines(0, 60));
    }

    @Test
    void tcpWithOctetCounting()
            throws Exception
    {
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TCP, null));
        SyslogOutput output = start(config(Transport.TCP, rsyslog.port(), Framing.OCTET_COUNTING, null));

        deliverAll(output, 0, 200, 50);

        assertThat(rsyslog.awaitLines(200, Duration.ofSeconds(20))).containsExactlyElementsOf(expectedLines(0, 200));
    }

    @Test
    void tcpWithLfFraming()
            throws Exception
    {
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TCP, null));
        SyslogOutput output = start(config(Transport.TCP, rsyslog.port(), Framing.LF, null));

        deliverAll(output, 0, 200, 50);

        // the line breaks inside messages arrive escaped, exactly as rsyslog shows them after octet counting
        assertThat(rsyslog.awaitLines(200, Duration.ofSeconds(20))).containsExactlyElementsOf(expectedLines(0, 200));
    }

    @Test
    void tlsWithClientCertificateAndHostNameVerification()
            throws Exception
    {
        PemSet certificates = TestingCertificates.rsaPemFiles(directory.resolve("pki"));
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TLS, certificates));
        SyslogOutput output = start(config(Transport.TLS, rsyslog.port(), null, clientTls(certificates, "localhost")));

        deliverAll(output, 0, 200, 50);

        assertThat(rsyslog.awaitLines(200, Duration.ofSeconds(20))).containsExactlyElementsOf(expectedLines(0, 200));

        SyslogOutput wrongName = start(config(Transport.TLS, rsyslog.port(), null, clientTls(certificates, "wrong.example")));
        DeliveryResult result = wrongName.deliver(events(200, 201));
        // the agent refused the server: retried as any failure, never "the collector refused the credentials"
        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.reason()).isEqualTo("cannot connect to 127.0.0.1:" + rsyslog.port()
                + ": TLS handshake failed: the server's certificate does not name wrong.example (it names DNS:localhost, IP:127.0.0.1); "
                + "check tls.ca_file, tls.server_name and the server's certificate");

        TlsSettings withoutClientCertificate = new TlsSettings(null, null, "localhost", certificates.caFile(), null, null, null, null, null, null);
        SyslogOutput anonymous = start(config(Transport.TLS, rsyslog.port(), null, withoutClientCertificate));
        DeliveryResult refused = anonymous.deliver(events(200, 201));
        // TLS 1.3: the handshake completes for the client, then rsyslog checks the (missing) certificate and hangs up
        assertThat(refused.kind()).isEqualTo(DeliveryResult.Kind.UNAUTHORIZED);
        assertThat(refused.reason()).isEqualTo("cannot connect to 127.0.0.1:" + rsyslog.port() + ": TLS handshake failed: the server closed the connection "
                + "right after the handshake; it may require a client certificate (tls.crt_file) signed by a certificate authority it trusts; "
                + "check tls.crt_file and tls.key_file, and that the server trusts their issuer");
        assertThat(rsyslog.lines()).hasSize(200);
    }

    /**
     * A TLS port given transport: tcp (6514 for 514) takes the connection and drops it at the first bytes: every batch
     * was counted as delivered while rsyslog threw all of it away. The first batch on a connection is confirmed now.
     */
    @Test
    void plainTcpToATlsPortIsAFailureNotALoss()
            throws Exception
    {
        PemSet certificates = TestingCertificates.rsaPemFiles(directory.resolve("pki"));
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TLS, certificates));
        SyslogOutput output = start(config(Transport.TCP, rsyslog.port(), Framing.OCTET_COUNTING, null));

        DeliveryResult result = output.deliver(events(0, 50));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.reason()).isEqualTo("sending to 127.0.0.1:" + rsyslog.port() + " failed: the server closed a new connection right after the first"
                + " messages sent on it, so it did not take them; is port " + rsyslog.port() + " a TLS port (then use transport: tls), or does the server refuse"
                + " this agent's address?");
        assertThat(rsyslog.lines()).isEmpty();
    }

    /** A walkthrough's rsyslog was killed after 50,000 messages: the wrong-port question misled. */
    @Test
    void aServerThatTookMessagesBeforeAndNowDropsNewConnectionsIsAskedWhetherItStops()
            throws Exception
    {
        Rsyslog rsyslog = Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TCP, null);
        int port = rsyslog.port();
        SyslogOutput output = start(config(Transport.TCP, port, Framing.OCTET_COUNTING, null));
        try {
            assertThat(output.deliver(events(0, 50)).kind()).isEqualTo(DeliveryResult.Kind.DELIVERED);
        }
        finally {
            rsyslog.close();
        }
        // in its place, a server that takes each connection and drops it, as one going down or coming up may
        try (java.net.ServerSocket dropping = new java.net.ServerSocket()) {
            dropping.setReuseAddress(true);
            dropping.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            Thread dropper = new Thread(() -> {
                while (!dropping.isClosed()) {
                    try (java.net.Socket ignored = dropping.accept()) {
                        // closed at once
                    }
                    catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            dropper.setDaemon(true);
            dropper.start();

            DeliveryResult result = output.deliver(events(50, 60));
            for (int attempt = 0; attempt < 20 && !result.reason().contains("right after"); attempt++) {
                // the broken connection is found first: a write into it, then the reconnect after the backoff
                Thread.sleep(result.retryAfter().orElse(Duration.ofMillis(50)).toMillis() + 1);
                result = output.deliver(events(50, 60));
            }

            assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
            assertThat(result.reason()).isEqualTo("sending to 127.0.0.1:" + port + " failed: the server closed a new connection right after the first"
                    + " messages sent on it, so it did not take them; it took messages on earlier connections: is it stopping or restarting?");
        }
    }

    @Test
    void tcpLosesNothingWhenRsyslogRestarts()
            throws Exception
    {
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TCP, null));
        SyslogOutput output = start(config(Transport.TCP, rsyslog.port(), Framing.OCTET_COUNTING, null));

        deliverAcrossRestarts(rsyslog, output);
    }

    @Test
    void tlsLosesNothingWhenRsyslogRestarts()
            throws Exception
    {
        PemSet certificates = TestingCertificates.rsaPemFiles(directory.resolve("pki"));
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.TLS, certificates));
        SyslogOutput output = start(config(Transport.TLS, rsyslog.port(), null, clientTls(certificates, "localhost")));

        deliverAcrossRestarts(rsyslog, output);
    }

    @Test
    void rfc3164OverUdp()
            throws Exception
    {
        Rsyslog rsyslog = resource(Rsyslog.start(directory.resolve("rsyslog"), Rsyslog.Listener.UDP, null));
        SyslogOutputConfig config = new SyslogOutputConfig("127.0.0.1", rsyslog.port(), Transport.UDP, SyslogFormat.RFC3164, null, null, false, null, null,
                null, null, null, null, null, null, ZoneId.systemDefault().getId(), null, null, null, null, null);
        SyslogOutput output = start(config);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Event event = Event.builder().timestamp(now).message("Failed password for root")
                .field(Fields.HOST_NAME, "web-01").field(Fields.PROCESS_NAME, "sshd").field(Fields.PROCESS_PID, 4242L)
                .field(Fields.EVENT_ACTION, "auth.login_failed").build();

        assertThat(output.deliver(List.of(event))).isEqualTo(DeliveryResult.delivered());

        String[] parsed = rsyslog.awaitLines(1, Duration.ofSeconds(20)).get(0).split("\\|", -1);
        assertThat(parsed[0]).isEqualTo("84");
        // RFC 3164 has no year and no zone: rsyslog reads the local time of this year
        assertThat(OffsetDateTime.parse(parsed[1]).toInstant()).isEqualTo(now);
        assertThat(parsed[2]).isEqualTo("web-01");
        assertThat(parsed[3]).isEqualTo("sshd");
        assertThat(parsed[4]).isEqualTo("4242");
        // rsyslog keeps the space after "TAG:" in the message of legacy messages
        assertThat(parsed[7]).isEqualTo(" Failed password for root");
    }

    /**
     * Delivers 300 events in batches of 20 like the agent's delivery loop would (retrying on retry_later); restarts
     * rsyslog between two batches while the output holds its connection, then stops it, delivers into the outage,
     * and starts it again. Every event must arrive exactly once.
     */
    private void deliverAcrossRestarts(Rsyslog rsyslog, SyslogOutput output)
            throws Exception
    {
        deliverAll(output, 0, 100, 20);
        rsyslog.awaitLines(100, Duration.ofSeconds(20));

        rsyslog.stop();
        rsyslog.start();
        deliverAll(output, 100, 200, 20);
        rsyslog.awaitLines(200, Duration.ofSeconds(20));

        rsyslog.stop();
        DeliveryResult duringOutage = output.deliver(events(200, 220));
        assertThat(duringOutage.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(duringOutage.reason()).startsWith("cannot connect to 127.0.0.1:" + rsyslog.port() + ": ");
        rsyslog.start();
        deliverAll(output, 200, 300, 20);

        assertThat(rsyslog.awaitLines(300, Duration.ofSeconds(20))).containsExactlyElementsOf(expectedLines(0, 300));
    }

    private static void deliverAll(SyslogOutput output, int from, int to, int batchSize)
            throws InterruptedException
    {
        for (int start = from; start < to; start += batchSize) {
            List<Event> batch = events(start, Math.min(to, start + batchSize));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            DeliveryResult result = output.deliver(batch);
            while (result.kind() == DeliveryResult.Kind.RETRY_LATER && System.nanoTime() < deadline) {
                Thread.sleep(result.retryAfter().orElse(Duration.ofMillis(50)).toMillis() + 1);
                result = output.deliver(batch);
            }
            assertThat(result).as("delivery of events %d to %d", start, start + batch.size()).isEqualTo(DeliveryResult.delivered());
        }
    }

    /** Events that exercise the mapping: failures of auth events, escaping in structured data, UTF-8, line breaks. */
    private static List<Event> events(int from, int to)
    {
        return IntStream.range(from, to).mapToObj(i -> {
            Event.Builder event = Event.builder()
                    .timestamp(BASE_TIME.plusSeconds(i))
                    .message("event " + i + ": h\u00e9llo \"w\u00f6rld\" [x]" + (i % 7 == 0 ? "\nsecond line" : ""))
                    .field(Fields.HOST_NAME, "web-" + (i % 3))
                    .field(Fields.PROCESS_NAME, "sshd")
                    .field(Fields.PROCESS_PID, 1000L + i)
                    .field(Fields.SOURCE_IP, "10.0.0." + (i % 250))
                    .field(Fields.USER_NAME, "r\"o\\o]t" + i);
            if (i % 2 == 0) {
                event.field(Fields.EVENT_ACTION, "auth.login_failed").field(Fields.EVENT_OUTCOME, "failure");
            }
            else {
                event.field(Fields.EVENT_ACTION, "cron.job_started");
            }
            return event.build();
        }).toList();
    }

    /** What rsyslog must have parsed out of {@link #events}, written out by hand rather than by the encoder. */
    private static List<String> expectedLines(int from, int to)
    {
        return IntStream.range(from, to).mapToObj(i -> {
            boolean failure = i % 2 == 0;
            String pri = failure ? "84" : "14"; // authpriv.warning, user.info
            String timestamp = BASE_TIME.plusSeconds(i).toString();
            String sd = "[outrider@32473 source.ip=\"10.0.0." + (i % 250) + "\" user.name=\"r\\\"o\\\\o\\]t" + i + "\""
                    + (failure ? " event.outcome=\"failure\"" : "") + "]";
            String message = "event " + i + ": h\u00e9llo \"w\u00f6rld\" [x]" + (i % 7 == 0 ? "#012second line" : "");
            return String.join("|", pri, timestamp, "web-" + (i % 3), "sshd", Long.toString(1000L + i),
                    failure ? "auth.login_failed" : "cron.job_started", sd, message);
        }).toList();
    }

    private static TlsSettings clientTls(PemSet certificates, String serverName)
    {
        return new TlsSettings(null, null, serverName, certificates.caFile(), certificates.clientCertFile(), certificates.clientKeyFile(), null, null, null, null);
    }

    private static SyslogOutputConfig config(Transport transport, int port, Framing framing, TlsSettings tls)
    {
        return new SyslogOutputConfig("127.0.0.1", port, transport, null, framing, null, false, null, null, null, null, null, null, SD_FIELDS, null, null,
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofSeconds(1), tls);
    }

    private SyslogOutput start(SyslogOutputConfig config)
            throws Exception
    {
        SyslogOutputFactory factory = new SyslogOutputFactory();
        factory.validate(config);
        SyslogOutput output = (SyslogOutput) factory.create(config, TestingComponentContext.builder(directory.resolve("output")).build());
        resource(output);
        output.start();
        return output;
    }

    private <T extends AutoCloseable> T resource(T resource)
    {
        resources.add(0, resource);
        return resource;
    }

}
