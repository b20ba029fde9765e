package io.outrider.plugin.otlp;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A loopback OTLP/HTTP logs receiver: decodes every request with the official proto classes (protobuf, or JSON
 * through {@link JsonFormat}), keeps it, and answers with the next scripted {@link Answer} (200 with an empty
 * {@code ExportLogsServiceResponse} once the script is exhausted).
 */
final class OtlpReceiver
        implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new ArrayList<>();
    private final boolean keepRequests;
    private long requestCount;
    private long logRecordCount;

    OtlpReceiver()
            throws IOException
    {
        this(true);
    }

    /** @param keepRequests false for benchmarks: decode and count, keep nothing */
    OtlpReceiver(boolean keepRequests)
            throws IOException
    {
        this(keepRequests, null, false);
    }

    /** An https:// receiver presenting {@code tls}'s certificate; {@code needClientAuth} asks the agent for one too. */
    static OtlpReceiver https(javax.net.ssl.SSLContext tls, boolean needClientAuth)
            throws IOException
    {
        return new OtlpReceiver(true, tls, needClientAuth);
    }

    private OtlpReceiver(boolean keepRequests, javax.net.ssl.SSLContext tls, boolean needClientAuth)
            throws IOException
    {
        this.keepRequests = keepRequests;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
        }
        else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls)
            {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters parameters)
                {
                    javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                    ssl.setNeedClientAuth(needClientAuth);
                    parameters.setSSLParameters(ssl);
                }
            });
            server = https;
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI endpoint()
    {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    void answer(Answer answer)
    {
        script.add(answer);
    }

    synchronized List<Received> received()
    {
        return List.copyOf(received);
    }

    synchronized long requestCount()
    {
        return requestCount;
    }

    synchronized long logRecordCount()
    {
        return logRecordCount;
    }

    synchronized Received last()
    {
        return received.get(received.size() - 1);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] decompressed = "gzip".equals(encoding) ? gunzip(raw) : raw;
            ExportLogsServiceRequest request;
            if ("application/json".equals(contentType)) {
                ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
                JsonFormat.parser().merge(new String(decompressed, StandardCharsets.UTF_8), builder);
                request = builder.build();
            }
            else {
                request = ExportLogsServiceRequest.parseFrom(decompressed);
            }
            int records = request.getResourceLogsList().stream()
                    .flatMap(resource -> resource.getScopeLogsList().stream())
                    .mapToInt(scope -> scope.getLogRecordsCount())
                    .sum();
            synchronized (this) {
                requestCount++;
                logRecordCount += records;
                if (keepRequests) {
                    received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), raw.length,
                            new String(decompressed, StandardCharsets.UTF_8), request));
                }
            }
            Answer answer = script.poll();
            if (answer == null) {
                answer = Answer.ok(contentType, new byte[0]);
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        }
    }

    private static byte[] gunzip(byte[] compressed)
    {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    /** One decoded request. */
    record Received(String path, Map<String, List<String>> headers, int bodyBytes, String decodedBody, ExportLogsServiceRequest request)
    {
        String header(String name)
        {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, byte[] body)
    {
        static Answer ok(String contentType, byte[] body)
        {
            return new Answer(200, contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
        }

        static Answer status(int status)
        {
            return new Answer(status, Map.of(), new byte[0]);
        }
    }
}
