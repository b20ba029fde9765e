package io.outrider.plugin.otlp;

import io.outrider.plugin.otlp.ExportClassifier.PartialSuccess;
import io.outrider.plugin.otlp.OtlpOutputConfig.Compression;
import io.outrider.plugin.otlp.OtlpOutputConfig.Encoding;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics.Counter;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;

import io.outrider.support.http.Http1Client;
import io.outrider.support.tls.TlsContexts;

import javax.net.ssl.SSLContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Exports batches as OTLP/HTTP {@code ExportLogsServiceRequest}s, one request per batch, over HTTP/1.1 with the
 * toolkit's {@link Http1Client} (as the http output does; OTLP/HTTP does not need HTTP/2), and classifies the answer
 * with an {@link ExportClassifier}.
 *
 * <p>A {@code partial_success} with rejected log records is reported {@link DeliveryResult#delivered()}: the
 * collector accepted the rest, and OTLP does not say which records it refused, so neither resending the batch (it
 * would duplicate the accepted ones) nor dead-lettering named events is possible. The count goes to the
 * {@code rejected_log_records_total} metric and the collector's message to the log at WARNING.
 */
final class OtlpOutput
        implements Output
{
    /** How much of an answer is read; OTLP answers are small, a larger body is an error page. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** An export at a time (deliver is synchronous), and a probe. */
    private static final int MAX_EXCHANGES = 2;

    private final OtlpOutputConfig config;
    private final ComponentContext context;
    private final LogRecordMapper mapper;
    private final ExportClassifier classifier;
    private final SSLContext sslContext;
    private final URI uri;
    private final Counter rejectedLogRecords;
    private final Counter requestBytes;
    private final List<Map.Entry<String, String>> headers;
    /**
     * The last protobuf request's array, for the next: a batch's requests are the same size, and a new array for each
     * was most of what an export allocated. Let go of when the client has sent nothing for a while (after a burst,
     * megabytes); taken while in use.
     */
    private final AtomicReference<byte[]> keptRequestBuffer = new AtomicReference<>();
    private volatile Http1Client client;

    OtlpOutput(OtlpOutputConfig config, ComponentContext context, LogRecordMapper mapper, ExportClassifier classifier, SSLContext sslContext)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.classifier = requireNonNull(classifier, "classifier is null");
        this.sslContext = sslContext;
        this.uri = config.logsUri();
        this.rejectedLogRecords = context.metrics().counter("rejected_log_records_total",
                "Log records a collector refused in a partial success (OTLP does not say which)");
        this.requestBytes = context.metrics().counter("request_bytes_total", "Bytes of request bodies sent, after compression");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", config.encoding().contentType()));
        headers.add(Map.entry("User-Agent", "outrider/" + context.agentVersion()));
        if (config.compression() == Compression.GZIP) {
            headers.add(Map.entry("Content-Encoding", "gzip"));
        }
        headers.addAll(config.headers().entrySet());
        this.headers = List.copyOf(headers);
    }

    @Override
    public void start()
    {
        if (sslContext != null && !config.effectiveTls().verifiesCertificate()) {
            context.logger().log(System.Logger.Level.WARNING, "TLS VERIFICATION IS OFF for {0} (tls.verify_certificate: false): anyone between this"
                    + " agent and the collector can read the events and the headers; trust the collector''s CA with tls.ca_file instead",
                    classifier.target());
        }
        String threadPrefix = "outrider-otlp-" + context.pipelineId() + "-" + context.componentId() + "-";
        client = new Http1Client(uri, sslContext, sslContext == null ? null : TlsContexts.clientParameters(config.effectiveTls(), uri.getHost()),
                config.connectTimeout(), config.requestTimeout(), MAX_RESPONSE_BYTES, threadPrefix, MAX_EXCHANGES, () -> keptRequestBuffer.set(null));
        context.logger().log(System.Logger.Level.INFO, "sending OTLP logs ({0}{1}) to {2}", config.encoding().configName(),
                config.compression() == Compression.GZIP ? ", gzip" : "", classifier.target());
    }

    @Override
    public DeliveryResult deliver(List<Event> batch)
            throws InterruptedException
    {
        LogsWriter.Encoded encoded = encode(batch);
        int bodyBytes;
        try {
            LogsWriter.Encoded body = compress(encoded);
            bodyBytes = body.length();
            if (bodyBytes <= config.maxRequestSize().bytes()) {
                return export(body, batch.size());
            }
        }
        finally {
            keepForNext(encoded);
        }
        String reason = (batch.size() == 1 ? "the event alone" : "a request of " + batch.size() + " events") + " takes " + bodyBytes
                + " bytes, more than max_request_size (" + config.maxRequestSize() + ")";
        int fitting = fittingPrefix(batch, bodyBytes);
        return fitting == 0 ? DeliveryResult.tooLarge(reason) : DeliveryResult.tooLarge(reason + "; the first " + fitting + " fit", fitting);
    }

    /**
     * How many events from the start of a batch too large for one request fit in one, so that the agent sends them
     * at once instead of halving the batch until a half fits; 0 when not even the first does. Events vary in size
     * and gzip in ratio, so the count is guessed in proportion to the sizes, a tenth under, and checked by encoding
     * that many; each miss guesses again from the size it found.
     */
    private int fittingPrefix(List<Event> batch, long bodyBytes)
    {
        long limit = config.maxRequestSize().bytes();
        int count = batch.size();
        long size = bodyBytes;
        while (count > 1) {
            count = (int) Math.max(1, Math.min(count - 1, count * limit * 9 / (size * 10)));
            LogsWriter.Encoded encoded = encode(batch.subList(0, count));
            try {
                size = compress(encoded).length();
            }
            finally {
                keepForNext(encoded);
            }
            if (size <= limit) {
                return count;
            }
        }
        return 0;
    }

    /** An export with no log records: OTLP/HTTP answers it like any other, and a collector stores nothing. */
    @Override
    public Optional<DeliveryResult> probe()
            throws InterruptedException
    {
        LogsWriter.Encoded encoded = encode(List.of());
        try {
            return Optional.of(export(compress(encoded), 0));
        }
        finally {
            keepForNext(encoded);
        }
    }

    private DeliveryResult export(LogsWriter.Encoded body, int eventCount)
            throws InterruptedException
    {
        Http1Client current = client;
        if (current == null) {
            throw new IllegalStateException("output was not started, or is closed");
        }
        Http1Client.Response response;
        try {
            response = current.send(uri, headers, body.bytes(), body.length());
        }
        catch (IOException e) {
            return classifier.failure(e);
        }
        requestBytes.add(body.length());
        Optional<String> contentType = response.contentType();
        int status = response.status();
        byte[] answer = response.body();
        if (status < 200 || status >= 300) {
            return classifier.classifyFailure(status, contentType, response.retryAfter(), answer, body.length(), context.clock().instant());
        }
        Optional<PartialSuccess> partial = classifier.partialSuccess(contentType, answer);
        if (partial.isPresent()) {
            PartialSuccess success = partial.get();
            if (success.rejectedLogRecords() > 0) {
                rejectedLogRecords.add(success.rejectedLogRecords());
                context.logger().log(System.Logger.Level.WARNING, "{0} rejected {1} of {2} log records: {3}",
                        classifier.target(), success.rejectedLogRecords(), eventCount,
                        success.errorMessage().isEmpty() ? "(no message)" : success.errorMessage());
            }
            else {
                context.logger().log(System.Logger.Level.WARNING, "{0} accepted the batch with a warning: {1}", classifier.target(), success.errorMessage());
            }
        }
        return DeliveryResult.delivered();
    }

    private LogsWriter.Encoded encode(List<Event> batch)
    {
        // sized for an sshd event: about 370 bytes in protobuf, 770 in JSON
        if (config.encoding() == Encoding.PROTOBUF) {
            byte[] kept = keptRequestBuffer.getAndSet(null);
            ProtobufLogsWriter writer = kept != null ? new ProtobufLogsWriter(kept) : new ProtobufLogsWriter(batch.size() * 512);
            return mapper.write(batch, context.clock().instant(), writer);
        }
        return mapper.write(batch, context.clock().instant(), new JsonLogsWriter(batch.size() * 1024));
    }

    /** After the exchange (export waits for it): a protobuf request's array can carry the next request. */
    private void keepForNext(LogsWriter.Encoded encoded)
    {
        if (config.encoding() == Encoding.PROTOBUF) {
            keptRequestBuffer.set(encoded.bytes());
        }
    }

    private LogsWriter.Encoded compress(LogsWriter.Encoded encoded)
    {
        if (config.compression() == Compression.NONE) {
            return encoded;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length() / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(encoded.bytes(), 0, encoded.length());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] compressed = out.toByteArray();
        return new LogsWriter.Encoded(compressed, compressed.length);
    }

    /** Whether the output keeps a request's array for the next (tests). */
    boolean keepsRequestBuffer()
    {
        return keptRequestBuffer.get() != null;
    }

    @Override
    public void close()
    {
        Http1Client closing = client;
        client = null;
        if (closing != null) {
            closing.close();
        }
    }
}
