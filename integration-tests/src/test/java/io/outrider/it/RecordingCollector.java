package io.outrider.it;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/** A collector on 127.0.0.1 that records every request (path, headers, body) and answers 200. */
final class RecordingCollector
        implements AutoCloseable
{
    record Request(String method, String path, Headers headers, String body)
    {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();

    RecordingCollector()
            throws IOException
    {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            try (exchange; InputStream raw = exchange.getRequestBody()) {
                InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding")) ? new GZIPInputStream(raw) : raw;
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (this) {
                    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body));
                    notifyAll();
                }
                byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    String url()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized List<Request> requests()
    {
        return List.copyOf(requests);
    }

    synchronized List<Request> await(Predicate<List<Request>> condition, Duration timeout, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(requests)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; got " + requests.size() + " request(s): " + requests);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(requests);
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
