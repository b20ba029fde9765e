package io.outrider.core.metrics;

import io.outrider.core.config.SecretRegistry;
import io.outrider.core.control.ControlToken;
import io.outrider.core.pipeline.Agent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestStatusServer
{
    // how long a test client waits for an answer: a bound against hanging, not a speed requirement
    private static final int CLIENT_TIMEOUT_MILLIS = 10_000;
    private static final Supplier<Agent> NO_AGENT = () -> {
        throw new IllegalStateException("no agent in this test");
    };

    @Test
    void idleConnectionsAndSlowClientsDoNotKeepHealthFromAnswering()
            throws Exception
    {
        List<Socket> idle = new ArrayList<>();
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        try (StatusServer server = StatusServer.start("127.0.0.1:0", NO_AGENT, new SecretRegistry(), null, null)) {
            // more silent connections than handler threads, and more than may wait for their request at once
            for (int i = 0; i < 80; i++) {
                idle.add(connect(server));
            }
            // slow loris: a request head, one byte a second, never finished while the test runs
            for (int i = 0; i < 8; i++) {
                slow.add(connect(server));
            }
            Thread dribbler = new Thread(() -> {
                byte[] head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; sending.get(); i++) {
                    for (Socket socket : slow) {
                        try {
                            socket.getOutputStream().write(head[Math.min(i, head.length - 1)]);
                        }
                        catch (IOException e) {
                            // the server may drop the oldest pending connections; that is what it should do
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
            }, "slow-loris");
            dribbler.setDaemon(true);
            dribbler.start();
            Thread.sleep(1500);

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(CLIENT_TIMEOUT_MILLIS)).build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                        .timeout(Duration.ofMillis(CLIENT_TIMEOUT_MILLIS)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}\n");
            }
        }
        finally {
            sending.set(false);
            for (Socket socket : idle) {
                socket.close();
            }
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aConnectionThatDoesNotSendItsRequestInTimeIsClosed()
            throws Exception
    {
        LoopbackHttpServer.Limits limits = new LoopbackHttpServer.Limits(Duration.ofMillis(500), Duration.ofSeconds(10), 64, 4, 32, 16 * 1024);
        try (StatusServer server = StatusServer.start("127.0.0.1:0", NO_AGENT, new SecretRegistry(), null, null, limits);
                Socket silent = connect(server);
                Socket partial = connect(server)) {
            partial.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(readUntilClosed(silent)).isEmpty();
            assertThat(readUntilClosed(partial)).isEmpty();
        }
    }

    @Test
    void theConnectionWaitingLongestForItsRequestIsDroppedWhenTooManyWait()
            throws Exception
    {
        LoopbackHttpServer.Limits limits = new LoopbackHttpServer.Limits(Duration.ofMinutes(5), Duration.ofSeconds(10), 2, 4, 32, 16 * 1024);
        try (StatusServer server = StatusServer.start("127.0.0.1:0", NO_AGENT, new SecretRegistry(), null, null, limits);
                Socket first = connect(server);
                Socket second = connect(server);
                Socket third = connect(server)) {
            assertThat(readUntilClosed(first)).isEmpty();
            second.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilClosed(second)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n{\"status\":\"ok\"}\n");
        }
    }

    @Test
    void aHostThatIsNotALoopbackAddressIsRefused()
            throws Exception
    {
        try (StatusServer server = StatusServer.start("127.0.0.1:0", NO_AGENT, new SecretRegistry(), null, null)) {
            for (String host : List.of("evil.example:" + server.port(), "127.0.0.1.nip.io:" + server.port(), "localhost.evil.example", "127.0.0.1:80x", "[::1")) {
                String body = "{\"error\":\"Host '" + host + "' is not this agent's status address; use 127.0.0.1, [::1] or localhost\"}\n";
                assertThat(request(server, "GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n"))
                        .isEqualTo("HTTP/1.1 421 Misdirected Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            }
            for (String host : List.of("127.0.0.1:" + server.port(), "localhost:" + server.port(), "LOCALHOST", "[::1]:" + server.port(), "127.0.0.1")) {
                assertThat(request(server, "GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n");
            }
            // no Host at all: an HTTP/1.0 tool, not a browser
            assertThat(request(server, "GET /health HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n");
        }
    }

    @Test
    void badRequestsGetAClearAnswer()
            throws Exception
    {
        try (StatusServer server = StatusServer.start("127.0.0.1:0", NO_AGENT, new SecretRegistry(), null, null)) {
            assertThat(request(server, "HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n")).isEqualTo("""
                    HTTP/1.1 200 OK\r
                    Content-Type: application/json\r
                    Content-Length: 16\r
                    Connection: close\r
                    Cache-Control: no-store\r
                    \r
                    """);
            assertThat(request(server, "POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"))
                    .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: GET, HEAD\r\n").endsWith("\r\n\r\n{\"error\":\"use GET\"}\n");
            assertThat(request(server, "GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n")).isEqualTo("""
                    HTTP/1.1 404 Not Found\r
                    Content-Type: text/plain; charset=utf-8\r
                    Content-Length: 59\r
                    Connection: close\r
                    \r
                    no such endpoint; use /health, /ready, /status or /metrics
                    """);
            assertThat(request(server, "GET /control/pause HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                    .startsWith("HTTP/1.1 404 Not Found\r\n");
            assertThat(request(server, "POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"))
                    .startsWith("HTTP/1.1 413 Content Too Large\r\n").endsWith("\r\n\r\n{\"error\":\"request bodies are not accepted\"}\n");
            assertThat(request(server, "GARBAGE\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("\r\n\r\n{\"error\":\"not an HTTP/1.x request line\"}\n");
            assertThat(request(server, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                    .endsWith("\r\n\r\n{\"error\":\"the request head is longer than 16384 bytes\"}\n");
            // the endpoint still answers after all of that
            assertThat(request(server, "GET /health?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")).endsWith("\r\n\r\n{\"status\":\"ok\"}\n");
        }
    }

    @Test
    void controlNeedsTheTokenAndAFailingStatusNamesOnlyTheExceptionClass(@TempDir Path dir)
            throws Exception
    {
        ControlToken token = ControlToken.create(dir);
        List<String> calls = new CopyOnWriteArrayList<>();
        AgentControl control = new AgentControl()
        {
            @Override
            public String pause()
            {
                calls.add("pause");
                return "inputs paused";
            }

            @Override
            public String resume()
            {
                calls.add("resume");
                return "inputs resumed";
            }

            @Override
            public String reload()
                    throws Exception
            {
                calls.add("reload");
                throw new Exception("reload refused: secret-value in the file");
            }
        };
        SecretRegistry secrets = new SecretRegistry();
        secrets.register("secret-value");
        Supplier<Agent> failing = () -> {
            throw new IllegalStateException("secret-value");
        };
        try (StatusServer server = StatusServer.start("localhost:0", failing, secrets, control, token)) {
            assertThat(request(server, "POST /control/pause HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer wrong\r\n\r\n"))
                    .startsWith("HTTP/1.1 401 Unauthorized\r\n")
                    .endsWith("\r\n\r\n{\"ok\":false,\"message\":\"missing or wrong control token (Authorization: Bearer <contents of control.token in the data directory>)\"}\n");
            assertThat(request(server, "POST /control/pause HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token.value() + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n{\"ok\":true,\"message\":\"inputs paused\"}\n");
            assertThat(request(server, "POST /control/reload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token.value() + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 409 Conflict\r\n").endsWith("\r\n\r\n{\"ok\":false,\"message\":\"reload refused: ****** in the file\"}\n");
            assertThat(request(server, "POST /control/jump HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token.value() + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 404 Not Found\r\n").endsWith("\r\n\r\n{\"ok\":false,\"message\":\"unknown control action 'jump'; use pause, resume or reload\"}\n");
            assertThat(request(server, "GET /control/pause HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                    .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: POST\r\n");
            assertThat(request(server, "GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                    .startsWith("HTTP/1.1 500 Internal Server Error\r\n").endsWith("\r\n\r\n{\"error\":\"IllegalStateException\"}\n");
            // readiness that cannot be decided is not readiness, and says no more than the exception's class
            assertThat(request(server, "GET /ready HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                    .startsWith("HTTP/1.1 503 Service Unavailable\r\n").endsWith("\r\n\r\n{\"status\":\"unknown\",\"error\":\"IllegalStateException\"}\n");
            assertThat(request(server, "POST /ready HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"))
                    .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: GET, HEAD\r\n").endsWith("\r\n\r\n{\"error\":\"use GET\"}\n");
            assertThat(calls).containsExactly("pause", "reload");
        }
    }

    @Test
    void listensOnlyOnLoopback()
    {
        assertThatThrownBy(() -> StatusServer.start("0.0.0.0:0", NO_AGENT, new SecretRegistry(), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status endpoint must listen on a loopback address and port, e.g. 127.0.0.1:8686 or [::1]:8686 (localhost is the only host name allowed), but found '0.0.0.0:0'");
    }

    private static Socket connect(StatusServer server)
            throws IOException
    {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), CLIENT_TIMEOUT_MILLIS);
        socket.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
        return socket;
    }

    private static String request(StatusServer server, String request)
            throws IOException
    {
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readUntilClosed(socket);
        }
    }

    /** Everything the server sends until it closes the connection; fails the test when it does not within the timeout. */
    private static String readUntilClosed(Socket socket)
            throws IOException
    {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
