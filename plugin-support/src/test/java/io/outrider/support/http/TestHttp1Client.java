package io.outrider.support.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Http1Client} against a scripted server on a real loopback socket: each accepted connection runs the test's
 * script, which reads requests and writes exactly the bytes of an answer, so the framings, interim answers, closed
 * connections and deadlines a collector may produce are each produced on purpose.
 */
class TestHttp1Client
{
    private static final byte[] BODY = "{\"event\":1}\n".getBytes(StandardCharsets.UTF_8);

    private ScriptedServer server;
    private Http1Client client;

    @AfterEach
    void tearDown()
            throws Exception
    {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendsTheRequestLineHostHeadersAndBodyAndKeepsTheConnectionForTheNextRequest()
            throws Exception
    {
        server = new ScriptedServer((connection, in, out) -> {
            while (true) {
                Request request = server.read(in);
                if (request == null) {
                    return;
                }
                respond(out, "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\nRetry-After: 7\r\ncontent-TYPE:  application/json \r\nContent-Type: text/plain\r\n\r\nok");
            }
        });
        client = client(server, 1024);

        Http1Client.Response first = post("/ingest?pipeline=agents", List.of(Map.entry("X-Tenant", "blue")), BODY);
        Http1Client.Response second = post("/ingest", List.of(), BODY);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.retryAfter()).contains("7");
        assertThat(first.contentType()).as("the first, trimmed, whatever the name's case").contains("application/json");
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(second.status()).isEqualTo(202);
        assertThat(server.connections()).hasValue(1);
        Request request = server.requests().get(0);
        assertThat(request.head()).isEqualTo("POST /ingest?pipeline=agents HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nX-Tenant: blue\r\n"
                + "Content-Length: " + BODY.length + "\r\n\r\n");
        assertThat(request.body()).isEqualTo(BODY);
        assertThat(client.openConnections()).isEqualTo(1);
    }

    @Test
    void readsAChunkedAnswerWithExtensionsAndTrailersAndSkipsInterimAnswers()
            throws Exception
    {
        server = new ScriptedServer((connection, in, out) -> {
            while (server.read(in) != null) {
                respond(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
            }
        });
        client = client(server, 1024);

        Http1Client.Response answer = post("/", List.of(), BODY);
        Http1Client.Response again = post("/", List.of(), BODY);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(again.status()).isEqualTo(200);
        assertThat(server.connections()).as("the chunked answer was read to its end").hasValue(1);
    }

    @Test
    void anAnswerWithConnectionCloseOrWithoutLengthEndsTheConnection()
            throws Exception
    {
        AtomicInteger answers = new AtomicInteger();
        server = new ScriptedServer((connection, in, out) -> {
            server.read(in);
            if (answers.incrementAndGet() == 1) {
                respond(out, "HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n");
            }
            else {
                respond(out, "HTTP/1.1 503 Service Unavailable\r\n\r\nbusy, framed by the end of the connection");
                out.close();
            }
        });
        client = client(server, 1024);

        assertThat(post("/", List.of(), BODY).status()).isEqualTo(200);
        Http1Client.Response busy = post("/", List.of(), BODY);
        assertThat(busy.status()).isEqualTo(503);
        assertThat(new String(busy.body(), StandardCharsets.UTF_8)).isEqualTo("busy, framed by the end of the connection");
        assertThat(server.connections()).hasValue(2);
        assertThat(client.openConnections()).isZero();
    }

    @Test
    void aKeptAliveConnectionTheCollectorClosedWhileIdleIsReplacedAndTheRequestSentOnce()
            throws Exception
    {
        server = new ScriptedServer((connection, in, out) -> {
            server.read(in);
            // keep-alive promised, then the collector's idle timeout closes the connection
            respond(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        });
        client = client(server, 1024);

        assertThat(post("/", List.of(), BODY).status()).isEqualTo(200);
        server.awaitClosedConnections(1);
        assertThat(post("/", List.of(), BODY).status()).isEqualTo(200);

        assertThat(server.connections()).hasValue(2);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aNewConnectionClosedWithoutAnAnswerFailsTheRequestWithoutSendingItAgain()
    {
        server = new ScriptedServer((connection, in, out) -> {
            server.read(in);
            out.close();
        });
        client = client(server, 1024);

        assertThatThrownBy(() -> post("/", List.of(), BODY))
                .isInstanceOf(EOFException.class)
                .hasMessage("the collector closed the connection without answering");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void keepsTheBoundOfALongAnswerAndDropsTheRestOrTheConnection()
            throws Exception
    {
        int drained = 4000;
        int cutOff = Http1Connection.DRAIN_LIMIT + 4096;
        server = new ScriptedServer((connection, in, out) -> {
            server.read(in);
            respond(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: " + drained + "\r\n\r\n" + "a".repeat(drained));
            server.read(in);
            respond(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: " + cutOff + "\r\n\r\n");
            out.write(new byte[cutOff]);
            out.flush();
            server.read(in);
        });
        client = client(server, 1024);

        Http1Client.Response first = post("/", List.of(), BODY);
        assertThat(first.body()).hasSize(1024);
        assertThat(client.openConnections()).as("drained to its end, the connection is kept").isEqualTo(1);

        Http1Client.Response second = post("/", List.of(), BODY);
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.body()).hasSize(1024);
        assertThat(client.openConnections()).as("more than DRAIN_LIMIT past the bound: closed instead").isZero();
    }

    @Test
    void anAnswerThatIsNotHttpFailsWithoutShowingWhatCame()
    {
        server = new ScriptedServer((connection, in, out) -> {
            server.read(in);
            respond(out, "SSH-2.0-OpenSSH_9.6 secret-looking text\r\n\r\n");
        });
        client = client(server, 1024);

        assertThatThrownBy(() -> post("/", List.of(), BODY))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("the collector's answer does not start with an HTTP/1.x status line");
    }

    @Test
    void aCollectorThatNeverAnswersOrNeverReadsFailsAtTheDeadlineAndItsConnectionIsClosed()
            throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        server = new ScriptedServer((connection, in, out) -> {
            // reads nothing: a body larger than the socket buffers blocks the client's write
            release.await(20, TimeUnit.SECONDS);
        });
        client = new Http1Client(server.uri(), null, null, Duration.ofMillis(200), Duration.ofMillis(300), 1024, "test-http-", 4, () -> {});

        long start = System.nanoTime();
        assertThatThrownBy(() -> post("/", List.of(), new byte[64 << 20]))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessage("no complete answer within PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        // closed at the deadline, the blocked write fails and its thread lets go of the connection
        awaitNoOpenConnection();

        assertThatThrownBy(() -> post("/", List.of(), BODY))
                .isInstanceOf(HttpTimeoutException.class)
                .hasMessage("no answer within 300 ms");
        release.countDown();
    }

    @Test
    void aCancelledRequestClosesItsConnection()
            throws Exception
    {
        CountDownLatch requested = new CountDownLatch(1);
        server = new ScriptedServer((connection, in, out) -> {
            server.read(in);
            requested.countDown();
            // never answers; reads until the client closes
            assertThat(in.read()).isEqualTo(-1);
        });
        client = client(server, 1024);

        CompletableFuture<Http1Client.Response> answer = client.post(server.uri(), List.of(), BODY, BODY.length);
        assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
        answer.cancel(true);

        server.awaitClosedConnections(1);
        awaitNoOpenConnection();
    }

    @Test
    void aHeaderValueThatWouldSplitTheRequestIsRefusedWithoutShowingIt()
    {
        server = new ScriptedServer((connection, in, out) -> server.read(in));
        client = client(server, 1024);

        assertThatThrownBy(() -> client.post(server.uri(), List.of(Map.entry("Authorization", "Bearer k3y\r\nX-Injected: 1")), BODY, BODY.length))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of header Authorization has a character a header cannot carry")
                .hasMessageNotContaining("k3y");
        assertThat(server.connections()).hasValue(0);
    }

    @Test
    void aRefusedConnectionFailsAtOnce()
            throws Exception
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        client = new Http1Client(URI.create("http://127.0.0.1:" + closedPort), null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 1024, "test-http-", 4, () -> {});

        assertThatThrownBy(() -> client.post(URI.create("http://127.0.0.1:" + closedPort + "/"), List.of(), BODY, BODY.length).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }

    private void awaitNoOpenConnection()
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.openConnections()).isZero();
    }

    private Http1Client client(ScriptedServer server, int maxResponseBytes)
    {
        return new Http1Client(server.uri(), null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), maxResponseBytes, "test-http-", 4, () -> {});
    }

    private Http1Client.Response post(String path, List<Map.Entry<String, String>> headers, byte[] body)
            throws Exception
    {
        try {
            return client.post(server.uri().resolve(path), headers, body, body.length).get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void respond(OutputStream out, String answer)
            throws IOException
    {
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private record Request(String head, byte[] body) {}

    @FunctionalInterface
    private interface Script
    {
        void run(Socket connection, InputStream in, OutputStream out)
                throws Exception;
    }

    /** Accepts connections on 127.0.0.1 and runs the script on each, on a thread of its own; records the requests it reads. */
    private static final class ScriptedServer
            implements AutoCloseable
    {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger closed = new AtomicInteger();
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());

        ScriptedServer(Script script)
        {
            try {
                socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    Socket connection;
                    try {
                        connection = socket.accept();
                    }
                    catch (IOException e) {
                        return;
                    }
                    connections.incrementAndGet();
                    accepted.add(connection);
                    Thread handler = new Thread(() -> {
                        try (connection) {
                            script.run(connection, connection.getInputStream(), connection.getOutputStream());
                        }
                        catch (Exception ignored) {
                            // the client closed the connection: what the test looks at is recorded already
                        }
                        finally {
                            closed.incrementAndGet();
                        }
                    }, "scripted-server-connection");
                    handler.setDaemon(true);
                    handler.start();
                }
            }, "scripted-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** Reads and records the next request on a connection; null at its end. */
        Request read(InputStream in)
                throws IOException
        {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int at = text.indexOf("Content-Length: ");
            int length = Integer.parseInt(text.substring(at + 16, text.indexOf('\r', at)));
            Request request = new Request(text, in.readNBytes(length));
            requests.add(request);
            return request;
        }

        URI uri()
        {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }

        int port()
        {
            return socket.getLocalPort();
        }

        AtomicInteger connections()
        {
            return connections;
        }

        List<Request> requests()
        {
            return requests;
        }

        /** Waits until the scripts of at least this many connections have ended. */
        void awaitClosedConnections(int count)
                throws InterruptedException
        {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (closed.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(closed.get()).isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close()
                throws IOException
        {
            socket.close();
            synchronized (accepted) {
                for (Socket connection : accepted) {
                    connection.close();
                }
            }
        }
    }
}
