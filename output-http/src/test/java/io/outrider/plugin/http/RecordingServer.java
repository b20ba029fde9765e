package io.outrider.plugin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/** A real HTTP(S) server on 127.0.0.1 that records every request and answers with a replaceable responder. */
final class RecordingServer
        implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Recorded> requests = new ArrayList<>();
    /** The client ends of the connections requests came on. */
    private final java.util.Set<InetSocketAddress> peers = new java.util.HashSet<>();
    private volatile Function<Recorded, Reply> responder = request -> Reply.status(200);

    static {
        // without it the JDK's server waits for the client's delayed ACK (about 40 ms) before every answer
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private RecordingServer(HttpServer server)
    {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static RecordingServer http()
    {
        try {
            return new RecordingServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS server; {@code needClientAuth} asks for a client certificate trusted by {@code context}. */
    static RecordingServer https(SSLContext context, boolean needClientAuth)
    {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(context)
            {
                @Override
                public void configure(HttpsParameters parameters)
                {
                    SSLParameters ssl = context.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(needClientAuth);
                    parameters.setSSLParameters(ssl);
                }
            });
            return new RecordingServer(server);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String path)
    {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int port()
    {
        return server.getAddress().getPort();
    }

    void respond(Function<Recorded, Reply> responder)
    {
        this.responder = responder;
    }

    /** How many connections requests came on. */
    synchronized int connections()
    {
        return peers.size();
    }

    synchronized List<Recorded> requests()
    {
        return List.copyOf(requests);
    }

    /** Waits until {@code count} requests arrived. */
    synchronized List<Recorded> awaitRequests(int count, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + count + " requests; have " + requests.size());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        byte[] body = raw;
        if ("gzip".equals(encoding)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                body = in.readAllBytes();
            }
        }
        Recorded recorded = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().toString(), exchange.getRequestHeaders()::getFirst,
                headers, raw, new String(body, StandardCharsets.UTF_8));
        synchronized (this) {
            requests.add(recorded);
            peers.add(exchange.getRemoteAddress());
            notifyAll();
        }
        Reply reply;
        try {
            reply = responder.apply(recorded);
        }
        catch (RuntimeException e) {
            reply = Reply.status(500);
        }
        if (reply.delay() != null) {
            try {
                Thread.sleep(reply.delay().toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] replyBody = reply.bytes() != null ? reply.bytes() : reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), replyBody.length == 0 ? -1 : replyBody.length);
        if (replyBody.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(replyBody);
            }
        }
        exchange.close();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    /** One request as the server saw it; {@code body} is decompressed when it was gzipped. */
    record Recorded(String method, String path, Function<String, String> header, Map<String, List<String>> headers, byte[] rawBody, String body)
    {
        String header(String name)
        {
            return header.apply(name);
        }
    }

    /** An answer; {@code bytes}, when not null, is sent instead of {@code body}. */
    record Reply(int status, Map<String, String> headers, String body, byte[] bytes, Duration delay)
    {
        static Reply status(int status)
        {
            return new Reply(status, Map.of(), "", null, null);
        }

        static Reply json(int status, String body)
        {
            return new Reply(status, Map.of("Content-Type", "application/json"), body, null, null);
        }

        static Reply text(int status, String body)
        {
            return new Reply(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body, null, null);
        }

        static Reply binary(int status, byte[] bytes)
        {
            return new Reply(status, Map.of("Content-Type", "application/octet-stream"), "", bytes.clone(), null);
        }

        Reply withHeader(String name, String value)
        {
            Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
            copy.put(name, value);
            return new Reply(status, copy, body, bytes, delay);
        }

        Reply after(Duration wait)
        {
            return new Reply(status, headers, body, bytes, wait);
        }
    }
}
