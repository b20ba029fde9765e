package io.outrider.plugin.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.outrider.plugin.otlp.ExportClassifier.PartialSuccess;
import io.outrider.plugin.otlp.OtlpOutputConfig.Compression;
import io.outrider.plugin.otlp.OtlpOutputConfig.Encoding;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics.Counter;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;

import io.outrider.support.tls.TlsContexts;

import javax.net.ssl.SSLContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Exports batches as OTLP/HTTP {@code ExportLogsServiceRequest}s, one request per batch, and classifies the
 * answer with an {@link ExportClassifier}.
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

    private final OtlpOutputConfig config;
    private final ComponentContext context;
    private final LogRecordMapper mapper;
    private final ExportClassifier classifier;
    private final SSLContext sslContext;
    private final URI uri;
    private final Counter rejectedLogRecords;
    private final Counter requestBytes;
    private HttpClient client;

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
    }

    @Override
    public void start()
    {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // plain http with the default HTTP/2 would try an h2c upgrade that collectors do not all take
                .version(uri.getScheme().equalsIgnoreCase("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        if (sslContext != null) {
            builder.sslContext(sslContext).sslParameters(TlsContexts.clientParameters(config.effectiveTls(), uri.getHost()));
        }
        else {
            // an http:// endpoint: not the JDK's default context, whose trust store would be read for nothing
            TlsContexts.forPlainHttp(builder);
        }
        client = builder.build();
    }

    @Override
    public DeliveryResult deliver(List<Event> batch)
            throws InterruptedException
    {
        if (client == null) {
            throw new IllegalStateException("output was not started");
        }
        ExportLogsServiceRequest request = mapper.toRequest(batch, context.clock().instant());
        byte[] body = compress(encode(request));
        if (body.length > config.maxRequestSize().bytes()) {
            return DeliveryResult.tooLarge("a request of " + batch.size() + " events takes " + body.length
                    + " bytes, more than max_request_size (" + config.maxRequestSize() + ")");
        }
        return export(body, batch.size());
    }

    /** An export with no log records: OTLP/HTTP answers it like any other, and a collector stores nothing. */
    @Override
    public Optional<DeliveryResult> probe()
            throws InterruptedException
    {
        if (client == null) {
            throw new IllegalStateException("output was not started");
        }
        return Optional.of(export(compress(encode(ExportLogsServiceRequest.getDefaultInstance())), 0));
    }

    private DeliveryResult export(byte[] body, int eventCount)
            throws InterruptedException
    {
        HttpRequest.Builder httpRequest = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Content-Type", config.encoding().contentType())
                .header("User-Agent", "outrider/" + context.agentVersion())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.compression() == Compression.GZIP) {
            httpRequest.header("Content-Encoding", "gzip");
        }
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            httpRequest.header(header.getKey(), header.getValue());
        }
        HttpResponse<InputStream> response;
        byte[] answer;
        try {
            response = client.send(httpRequest.build(), HttpResponse.BodyHandlers.ofInputStream());
            answer = readBounded(response.body());
        }
        catch (IOException e) {
            return classifier.failure(e);
        }
        requestBytes.add(body.length);
        Optional<String> contentType = response.headers().firstValue("Content-Type");
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            return classifier.classifyFailure(status, contentType, response.headers().firstValue("Retry-After"), answer, body.length, context.clock().instant());
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

    private byte[] encode(ExportLogsServiceRequest request)
    {
        if (config.encoding() == Encoding.PROTOBUF) {
            return request.toByteArray();
        }
        return OtlpJson.print(request).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] compress(byte[] encoded)
    {
        if (config.compression() == Compression.NONE) {
            return encoded;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(encoded);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] readBounded(InputStream in)
            throws IOException
    {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES);
            // the rest is dropped unread; closing the stream releases the connection
            return bytes;
        }
    }

    @Override
    public void close()
    {
        // HttpClient has no close() before Java 21; dropping the reference lets its selector thread end
        client = null;
    }
}
