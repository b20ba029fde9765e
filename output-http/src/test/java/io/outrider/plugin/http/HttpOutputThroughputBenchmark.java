package io.outrider.plugin.http;

import com.sun.net.httpserver.HttpServer;
import io.outrider.plugin.http.HttpOutputConfig.Format;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Events per second an {@code http} output delivers to a loopback receiver, for each format, with and without
 * gzip. The receiver (the JDK's HttpServer) reads each body and answers 200 (LogNog: an all-accepted summary); it
 * does not decompress, so the figures are the sender's cost plus loopback HTTP. Run through
 * {@code bench/output-http-throughput.sh}.
 *
 * <p>Arguments: seconds to measure per case (default 5), batch size (default 500), LiteSOC concurrency (default 4).
 */
public final class HttpOutputThroughputBenchmark
{
    private HttpOutputThroughputBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        // without it the JDK's server waits for the client's delayed ACK (about 40 ms) before every answer
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int liteSocConcurrency = args.length > 2 ? Integer.parseInt(args[2]) : HttpOutputConfig.DEFAULT_LITESOC_CONCURRENCY;
        Duration warmup = Duration.ofSeconds(2);
        byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] logNogOk = "{\"accepted\":0,\"rejected\":0,\"errors\":[]}".getBytes(StandardCharsets.UTF_8);

        ExecutorService receiverThreads = Executors.newFixedThreadPool(2);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            byte[] answer = exchange.getRequestURI().getPath().endsWith("/api/ingest/agent") ? logNogOk : ok;
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        receiver.setExecutor(receiverThreads);
        receiver.start();
        URI endpoint = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/");
        List<Event> batch = events(batchSize);
        Path dataDirectory = Files.createTempDirectory("output-http-bench");

        System.out.printf(Locale.ROOT, "output-http throughput to a loopback receiver: batch %d events, litesoc_concurrency %d, %ds per case"
                + " after %ds warm-up, %d cores%n", batchSize, liteSocConcurrency, measure.toSeconds(), warmup.toSeconds(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-8s %-5s %12s %10s %14s%n", "format", "gzip", "events/s", "req/s", "body MB/s");
        try {
            for (Format format : Format.values()) {
                for (boolean gzip : new boolean[] {false, true}) {
                    HttpOutputConfig config = TestingConfigs.config(format, endpoint)
                            .apiKey(format == Format.LITESOC || format == Format.LOGNOG ? "bench-key" : null)
                            .heartbeatInterval(format == Format.LITESOC ? Duration.ZERO : null)
                            .gzip(gzip)
                            .litesocConcurrency(liteSocConcurrency)
                            .build();
                    TestingComponentContext context = TestingComponentContext.builder(dataDirectory).build();
                    Output output = new HttpOutputFactory().create(config, context);
                    output.start();
                    try {
                        run(output, batch, warmup);
                        long requestsBefore = context.metrics().counterValue("http_requests_total");
                        long bytesBefore = context.metrics().counterValue("http_request_bytes_total");
                        long start = System.nanoTime();
                        long events = run(output, batch, measure);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        long requests = context.metrics().counterValue("http_requests_total") - requestsBefore;
                        long bytes = context.metrics().counterValue("http_request_bytes_total") - bytesBefore;
                        System.out.printf(Locale.ROOT, "%-8s %-5s %12.0f %10.0f %14.2f%n", format.configName(), gzip ? "yes" : "no",
                                events / seconds, requests / seconds, bytes / seconds / 1e6);
                    }
                    finally {
                        output.close();
                    }
                }
            }
        }
        finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
    }

    private static long run(Output output, List<Event> batch, Duration duration)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + duration.toNanos();
        long events = 0;
        while (System.nanoTime() < deadline) {
            DeliveryResult result = output.deliver(batch);
            if (result.kind() != DeliveryResult.Kind.DELIVERED) {
                throw new IllegalStateException("receiver did not accept the batch: " + result);
            }
            events += batch.size();
        }
        return events;
    }

    /** sshd failed logins from varied addresses, as parser-sshd makes them from auth.log. */
    private static List<Event> events(int count)
    {
        List<Event> events = new ArrayList<>(count);
        Instant time = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < count; i++) {
            String ip = "203.0." + (i / 250 % 250) + "." + (i % 250 + 1);
            String user = i % 3 == 0 ? "root" : "user" + (i % 50);
            events.add(Event.builder()
                    .timestamp(time.plusMillis(i * 37L))
                    .message("Nov 23 10:00:00 web1 sshd[" + (4000 + i) + "]: Failed password for " + user + " from " + ip + " port " + (40000 + i % 20000) + " ssh2")
                    .field(Fields.HOST_NAME, "web1")
                    .field(Fields.LOG_FILE_PATH, "/var/log/auth.log")
                    .field(Fields.LOG_OFFSET, 100L * i)
                    .field(Fields.EVENT_ACTION, "auth.login_failed")
                    .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_FAILURE)
                    .field(Fields.EVENT_REASON, "failed_password")
                    .field(Fields.SOURCE_IP, ip)
                    .field(Fields.SOURCE_PORT, (long) (40000 + i % 20000))
                    .field(Fields.USER_NAME, user)
                    .field(Fields.PROCESS_NAME, "sshd")
                    .field(Fields.PROCESS_PID, (long) (4000 + i))
                    .build());
        }
        return events;
    }
}
