package io.outrider.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A collector on 127.0.0.1 (the JDK's HttpServer) that accepts every POST with 200 and keeps the NDJSON lines it
 * received, in arrival order.
 */
final class LoopbackCollector
        implements AutoCloseable
{
    private final HttpServer server;
    private final List<String> lines = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();

    private LoopbackCollector(HttpServer server)
    {
        this.server = server;
    }

    static LoopbackCollector start()
            throws IOException
    {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LoopbackCollector collector = new LoopbackCollector(server);
        server.createContext("/", collector::handle);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
        return collector;
    }

    URI endpoint(String path)
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (this) {
                String authorization = exchange.getRequestHeaders().getFirst("X-API-Key");
                authorizations.add(authorization == null ? "" : authorization);
                text.lines().filter(line -> !line.isBlank()).forEach(lines::add);
                notifyAll();
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** Waits until at least {@code count} lines arrived (at most {@code timeout}) and returns all lines so far. */
    synchronized List<String> awaitLines(int count, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(lines);
    }

    /** The X-API-Key header of every request so far (empty text where there was none). */
    synchronized List<String> apiKeys()
    {
        return List.copyOf(authorizations);
    }

    @Override
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
