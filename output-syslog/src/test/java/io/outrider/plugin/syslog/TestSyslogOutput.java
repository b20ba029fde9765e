package io.outrider.plugin.syslog;

import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The output against servers written here, on loopback: connection handling, timeouts, UDP. rsyslog: {@link TestSyslogOutputWithRsyslog}. */
class TestSyslogOutput
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

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
    void reportsARefusedConnectionAndBacksOff()
            throws Exception
    {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, LOOPBACK)) {
            port = closed.getLocalPort();
        }
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        SyslogOutput output = start(config(Transport.TCP, port, Duration.ofSeconds(10)), context);

        DeliveryResult first = output.deliver(events(0, 2));
        assertThat(first.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(first.reason()).isEqualTo("cannot connect to 127.0.0.1:" + port + ": Connection refused");
        // when this transport tries again: the delivery loop waits that long, not a backoff of its own on top
        assertThat(first.retryAfter()).contains(Duration.ofSeconds(10));

        DeliveryResult second = output.deliver(events(0, 2));
        assertThat(second.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(second.reason()).startsWith("not connected to 127.0.0.1:" + port + " (Connection refused); next attempt in ");
        assertThat(second.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10)));
        assertThat(context.metrics().gaugeValue("connected")).isZero();
    }

    @Test
    void replacesAConnectionTheServerClosedInsteadOfWritingIntoIt()
            throws Exception
    {
        ServerSocket server = resource(new ServerSocket(0, 5, LOOPBACK));
        server.setSoTimeout(10_000);
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        SyslogOutput output = start(config(Transport.TCP, server.getLocalPort(), Duration.ofMillis(100)), context);

        assertThat(output.deliver(events(0, 3))).isEqualTo(DeliveryResult.delivered());
        try (Socket first = server.accept()) {
            assertThat(readMessages(first.getInputStream(), 3)).allSatisfy(message -> assertThat(message).contains(" - event "));
        }
        // the server went away between batches; the kernel would still accept a write on the old connection
        assertThat(output.deliver(events(3, 6))).isEqualTo(DeliveryResult.delivered());
        try (Socket second = server.accept()) {
            assertThat(readMessages(second.getInputStream(), 3)).map(message -> message.substring(message.lastIndexOf(' ') + 1))
                    .containsExactly("3", "4", "5");
        }
        assertThat(context.metrics().counterValue("connects_total")).isEqualTo(2);
    }

    @Test
    void givesUpOnAServerThatStopsReading()
            throws Exception
    {
        ServerSocket server = new ServerSocket();
        resource(server);
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress(LOOPBACK, 0));
        SyslogOutputConfig config = new SyslogOutputConfig("127.0.0.1", server.getLocalPort(), Transport.TCP, null, null, null, false, null, null, null, null,
                null, null, List.of(), DataSize.ofBytes(16384), null, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1), null);
        SyslogOutput output = start(config, TestingComponentContext.builder(directory).build());
        List<Event> large = IntStream.range(0, 2000)
                .mapToObj(i -> Event.builder().timestamp(Instant.EPOCH).message("x".repeat(16000)).build())
                .toList();

        DeliveryResult result = output.deliver(large);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.reason()).isEqualTo("sending to 127.0.0.1:" + server.getLocalPort() + " timed out after 1s (the server is not reading)");
    }

    /** transport: tls to a plain syslog port: it waits for messages, never answers the hello; "Read timed out" said nothing. */
    @Test
    void tlsToAPlainPortSaysTheServerDoesNotSpeakTls()
            throws Exception
    {
        try (ServerSocket plain = new ServerSocket(0, 1, LOOPBACK)) {
            SyslogOutputConfig config = new SyslogOutputConfig("127.0.0.1", plain.getLocalPort(), Transport.TLS, null, null, null, false, null, null, null, null,
                    null, null, List.of(), null, null, Duration.ofMillis(300), null, null, null, null);
            SyslogOutput output = (SyslogOutput) new SyslogOutputFactory().create(config, TestingComponentContext.builder(directory).build());
            resource(output);
            output.start();

            DeliveryResult result = output.deliver(events(0, 1));

            assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
            assertThat(result.reason()).isEqualTo("cannot connect to 127.0.0.1:" + plain.getLocalPort() + ": TLS handshake failed: the server answered nothing"
                    + " within connect_timeout (300ms); is port " + plain.getLocalPort() + " a TLS port (else use transport: tcp)?");
        }
    }

    /** Over UDP a server that is down was a silent loss; the host's ICMP "port unreachable" makes it a failure. */
    @Test
    void udpToAPortNobodyListensOnIsAFailureNotALoss()
            throws Exception
    {
        int closedPort;
        try (DatagramSocket gone = new DatagramSocket(0, LOOPBACK)) {
            closedPort = gone.getLocalPort();
        }
        SyslogOutputConfig config = new SyslogOutputConfig("127.0.0.1", closedPort, Transport.UDP, null, null, null, false, null, null, null, null,
                null, null, List.of(), null, null, null, null, null, null, null);
        SyslogOutput output = start(config, TestingComponentContext.builder(directory).build());

        DeliveryResult result = output.deliver(events(0, 1));

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(result.reason()).isEqualTo("nothing listens on udp 127.0.0.1:" + closedPort + " (the host answered ICMP port unreachable);"
                + " is the syslog server running, and on that port?");
    }

    @Test
    void sendsOneDatagramPerMessageAndRejectsOnlyWhatCannotBeEncoded()
            throws Exception
    {
        DatagramSocket server = resource(new DatagramSocket(0, LOOPBACK));
        server.setSoTimeout(10_000);
        SyslogOutputConfig config = new SyslogOutputConfig("127.0.0.1", server.getLocalPort(), Transport.UDP, null, null, null, false, null, null, null, null,
                null, null, List.of(), DataSize.ofBytes(480), null, null, null, null, null, null);
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        SyslogOutput output = start(config, context);
        List<Event> batch = List.of(
                Event.of(Instant.EPOCH, "first"),
                Event.builder().timestamp(Instant.EPOCH).message("too long a header").field(Fields.HOST_NAME, "h".repeat(255))
                        .field(Fields.PROCESS_NAME, "n".repeat(60)).field(Fields.PROCESS_PID, "p".repeat(128)).field(Fields.EVENT_ACTION, "a".repeat(40)).build(),
                Event.of(Instant.EPOCH, "ü".repeat(300)));

        DeliveryResult result = output.deliver(batch);

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.PARTIALLY_REJECTED);
        assertThat(result.rejected()).isEqualTo(Map.of(1, "the RFC 5424 header alone is 502 bytes, more than max_message_size (480 bytes)"));
        assertThat(receive(server)).isEqualTo("<14>1 1970-01-01T00:00:00.000000Z test-host outrider - - - first");
        String truncated = receive(server);
        assertThat(truncated.getBytes(StandardCharsets.UTF_8)).hasSize(479);
        // a metric alone told nobody: the first cut is said, the next ones are counted
        assertThat(output.deliver(List.of(Event.of(Instant.EPOCH, "ü".repeat(300))))).isEqualTo(DeliveryResult.delivered());
        assertThat(context.metrics().counterValue("truncated_messages_total")).isEqualTo(2);
        assertThat(context.logged()).filteredOn(line -> line.startsWith("WARNING")).containsExactly("WARNING a message was cut to fit"
                + " max_message_size (480B); raise max_message_size (at most 65507 bytes over udp) if the server takes larger messages."
                + " Further cuts are counted in truncated_messages_total, not logged");
        assertThat(truncated).isEqualTo("<14>1 1970-01-01T00:00:00.000000Z test-host outrider - - - " + "ü".repeat(210));
    }

    @Test
    void keepsAJsonBodyThatDoesNotFitJsonAndSaysSoOnce()
            throws Exception
    {
        DatagramSocket server = resource(new DatagramSocket(0, LOOPBACK));
        server.setSoTimeout(10_000);
        SyslogOutputConfig config = new SyslogOutputConfig("127.0.0.1", server.getLocalPort(), Transport.UDP, null, null, MessageBody.JSON, false, null, null,
                null, null, null, null, List.of(), DataSize.ofBytes(480), null, null, null, null, null, null);
        TestingComponentContext context = TestingComponentContext.builder(directory).build();
        SyslogOutput output = start(config, context);
        Event event = Event.builder().timestamp(Instant.EPOCH).message("Failed password for root from 10.0.0.1 port 22 ssh2")
                .field(Fields.EVENT_ORIGINAL, "x".repeat(1000)).field(Fields.SOURCE_IP, "10.0.0.1").build();

        assertThat(output.deliver(List.of(event))).isEqualTo(DeliveryResult.delivered());

        String received = receive(server);
        assertThat(received).startsWith("<14>1 1970-01-01T00:00:00.000000Z test-host outrider - - - {\"@timestamp\":\"1970-01-01T00:00:00Z\","
                + "\"message\":\"Failed password for root from 10.0.0.1 port 22 ssh2\",\"event.original\":\"xxxx")
                .endsWith("x\u2026\",\"source.ip\":\"10.0.0.1\"}");
        assertThat(received.getBytes(StandardCharsets.UTF_8)).hasSize(480);
        assertThat(context.metrics().counterValue("truncated_messages_total")).isEqualTo(1);
        assertThat(context.logged()).filteredOn(line -> line.startsWith("WARNING")).containsExactly("WARNING a message was cut to fit"
                + " max_message_size (480B): the longest string values of its json body were cut short, each ending in \u2026, so that it stays JSON;"
                + " raise max_message_size (at most 65507 bytes over udp) if the server takes larger messages."
                + " Further cuts are counted in truncated_messages_total, not logged");
    }

    /** outrider test output: a connection (and its TLS handshake) checks the server without storing anything there. */
    @Test
    void theCheckConnectsAndSendsNothing()
            throws Exception
    {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            SyslogOutput listening = start(config(Transport.TCP, server.getLocalPort(), Duration.ofSeconds(2)), TestingComponentContext.builder(directory).build());
            assertThat(listening.probe()).contains(DeliveryResult.delivered());
            try (java.net.Socket accepted = server.accept()) {
                accepted.setSoTimeout(200);
                assertThatThrownBy(() -> accepted.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }

        int closedPort;
        try (java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        SyslogOutput nobody = start(config(Transport.TCP, closedPort, Duration.ofSeconds(2)), TestingComponentContext.builder(directory).build());
        DeliveryResult refused = nobody.probe().orElseThrow();
        assertThat(refused.kind()).isEqualTo(DeliveryResult.Kind.RETRY_LATER);
        assertThat(refused.reason()).startsWith("cannot connect to 127.0.0.1:" + closedPort + ": Connection refused");
        // the delivery loop waits as long as the transport does before its next attempt, not a backoff of its own on top
        assertThat(refused.retryAfter()).contains(Duration.ofSeconds(2));

        SyslogOutput udp = start(config(Transport.UDP, closedPort, Duration.ofSeconds(2)), TestingComponentContext.builder(directory).build());
        assertThat(udp.probe()).isEmpty();
    }

    @Test
    void saysWhereItSendsWhenItStartsBeforeAnyConnectionIsOpened()
            throws Exception
    {
        // nothing listens there: the output connects with the first event, and says nothing else until then
        TestingComponentContext tcp = TestingComponentContext.builder(directory).build();
        start(config(Transport.TCP, 9, Duration.ofSeconds(10)), tcp);
        TestingComponentContext udp = TestingComponentContext.builder(directory).build();
        start(new SyslogOutputConfig("::1", null, Transport.UDP, SyslogFormat.RFC3164, null, null, false, null, null, null, null, null, null, List.of(),
                null, null, null, null, null, null, null), udp);

        assertThat(tcp.logged()).containsExactly("INFO sending rfc5424 over tcp to 127.0.0.1:9");
        assertThat(udp.logged()).containsExactly("INFO sending rfc3164 over udp to [::1]:514");
    }

    private SyslogOutput start(SyslogOutputConfig config, TestingComponentContext context)
            throws Exception
    {
        SyslogOutput output = (SyslogOutput) new SyslogOutputFactory().create(config, context);
        resource(output);
        output.start();
        return output;
    }

    private <T extends AutoCloseable> T resource(T resource)
    {
        resources.add(0, resource);
        return resource;
    }

    private static SyslogOutputConfig config(Transport transport, int port, Duration reconnectBackoff)
    {
        return new SyslogOutputConfig("127.0.0.1", port, transport, null, null, null, false, null, null, null, null, null, null, List.of(), null, null,
                Duration.ofSeconds(5), Duration.ofSeconds(5), reconnectBackoff, Duration.ofSeconds(30), null);
    }

    private static List<Event> events(int from, int to)
    {
        return IntStream.range(from, to).mapToObj(i -> Event.of(Instant.EPOCH, "event " + i)).toList();
    }

    private static List<String> readMessages(InputStream in, int count)
            throws IOException
    {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = 0;
            for (int b = in.read(); b != ' '; b = in.read()) {
                assertThat(b).as("octet count digit").isBetween((int) '0', (int) '9');
                length = length * 10 + b - '0';
            }
            messages.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
        return messages;
    }

    private static String receive(DatagramSocket socket)
            throws IOException
    {
        DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
        socket.receive(packet);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(packet.getData(), 0, packet.getLength());
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
