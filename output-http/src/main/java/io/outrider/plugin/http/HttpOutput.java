package io.outrider.plugin.http;

import io.outrider.support.JsonByteWriter;
import io.outrider.support.JsonWriter;
import io.outrider.support.EventDocument;
import io.outrider.support.Redactor;
import io.outrider.support.http.Http1Client;
import io.outrider.support.tls.TlsContexts;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.plugin.http.HttpOutputConfig.Format;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;

import javax.net.ssl.SSLContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Sends batches to an HTTP collector with {@link Http1Client} and classifies each answer (see
 * {@link ResponseClassifier}).
 *
 * <p>{@code lognog}, {@code ndjson} and {@code json} send one request per batch. {@code litesoc} takes one event per
 * request, so a batch becomes that many requests on kept-alive connections, started in batch order with at most
 * {@code litesoc_concurrency} in flight (1 keeps LiteSOC's arrival order equal to event order; more trades that order
 * within the window for throughput on links with latency). A LiteSOC event refused with 400/413/422 is reported as
 * rejected at its index and the rest of the batch goes on; a transient failure or a refusal of the credentials stops
 * sending the batch, and once the requests in flight have ended the first such result (in batch order) is returned:
 * the agent sends the whole batch again later, so events LiteSOC had already accepted arrive twice
 * (at-least-once).
 * Events without {@code event.action} are not security events for LiteSOC, and some actions of the shared vocabulary
 * have no LiteSOC event: such events are not sent and are reported as skipped
 * ({@link DeliveryResult#deliveredSkipping}, {@code litesoc_events_skipped_total}); {@code litesoc_default_event}
 * names the events without action instead. LogNog likewise skips the FIM input's {@code scan_complete} markers, and a
 * LogNog answer that rejects events without naming them is counted and logged, never answered by sending again
 * (see {@link LogNogResponse}).
 *
 * <p>{@code ndjson}, {@code ecs} and {@code json} deliver asynchronously ({@link #deliverAsync}): the batch is encoded
 * on the delivery thread into a request buffer of its own and posted, and the agent reads and encodes the next batch
 * while the collector answers (up to {@code delivery.in_flight} batches outstanding, so the collector can receive
 * batch N+1 before it answered batch N; {@code in_flight: 1} keeps strict order). {@code lognog} and {@code litesoc}
 * answer synchronously.
 *
 * <p>Redirects are never followed (the credentials would travel with them); HTTP/1.1 is used.
 *
 * <p>Why this class stays whole at about 700 lines: what could stand alone already does (the client, the encoders,
 * the response classifiers, {@link LogNogResponse}, {@link Heartbeat}). What is left is the three ways of delivering a batch (one
 * body, LogNog's partial answers, LiteSOC's window of single-event requests) over one client, one set of headers, one
 * redactor and one set of request counters, plus that client's lifecycle. A delivery class per format would each
 * need all of that state, and the lifecycle (start, close, the heartbeat) would be split from the client it owns.
 */
final class HttpOutput
        implements Output
{
    static final String LITESOC_COLLECT_PATH = "/collect";
    static final String LITESOC_HEARTBEAT_PATH = "/agent/heartbeat";
    static final String LOGNOG_INGEST_PATH = "/api/ingest/agent";

    private final HttpOutputConfig config;
    private final ComponentContext context;
    private final SSLContext sslContext;
    private final Function<String, HeartbeatScheduler> schedulerFactory;
    private final System.Logger logger;
    private final URI uri;
    private final URI heartbeatUri;
    private final String contentType;
    /** Every request's headers after Host and before Content-Length, without and with Content-Encoding: gzip. */
    private final List<Map.Entry<String, String>> plainHeaders;
    private final List<Map.Entry<String, String>> gzipHeaders;
    private final ResponseClassifier classifier;
    private final ResponseClassifier heartbeatClassifier;
    private final Redactor redactor;
    private final LiteSocEncoder liteSocEncoder;
    private final LogNogEncoder logNogEncoder;
    private final ComponentMetrics.Counter requests;
    private final ComponentMetrics.Counter requestBytes;
    private final ComponentMetrics.Counter skippedEvents;
    private final ComponentMetrics.Counter unidentifiedRejections;
    private final RateLimitedWarning rejectionWarning;
    private final AtomicBoolean skipExplained = new AtomicBoolean();
    private final int maxResponseBytes;

    /** delivery.in_flight's bound: the most batches one output posts at once. */
    private static final int MAX_BATCHES_IN_FLIGHT = 16;

    private Http1Client client;
    /** The most bytes a body's JSON may take before compression: max_body_size, so a batch's memory is bounded by it. */
    private final int maxEncodedBytes;
    private final RequestBuffer requestBuffer;
    private Heartbeat heartbeat;

    /**
     * @param sslContext the TLS context for {@code https} endpoints, null for {@code http}
     * @param schedulerFactory makes the heartbeat's scheduler from a thread name
     */
    HttpOutput(HttpOutputConfig config, ComponentContext context, SSLContext sslContext, Function<String, HeartbeatScheduler> schedulerFactory)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.sslContext = sslContext;
        this.schedulerFactory = requireNonNull(schedulerFactory, "schedulerFactory is null");
        this.logger = context.logger();
        this.maxResponseBytes = (int) Math.min(Integer.MAX_VALUE, config.maxResponseSize().bytes());
        this.maxEncodedBytes = (int) Math.min(Integer.MAX_VALUE - 64 - JsonByteWriter.LIMIT_SLACK, config.maxBodySize().bytes());
        this.requestBuffer = new RequestBuffer(maxEncodedBytes);
        this.redactor = redactor(config);

        String origin = Endpoints.origin(config.endpoint());
        String target;
        switch (config.format()) {
            case LITESOC -> {
                uri = Endpoints.resolve(config.endpoint(), LITESOC_COLLECT_PATH);
                heartbeatUri = Endpoints.resolve(config.endpoint(), LITESOC_HEARTBEAT_PATH);
                target = origin + LITESOC_COLLECT_PATH;
                contentType = "application/json";
            }
            case LOGNOG -> {
                uri = Endpoints.resolve(config.endpoint(), LOGNOG_INGEST_PATH);
                heartbeatUri = null;
                target = origin + LOGNOG_INGEST_PATH;
                contentType = "application/json";
            }
            case NDJSON, ECS -> {
                uri = config.endpoint();
                heartbeatUri = null;
                target = origin;
                contentType = "application/x-ndjson";
            }
            case JSON -> {
                uri = config.endpoint();
                heartbeatUri = null;
                target = origin;
                contentType = "application/json";
            }
            default -> throw new IllegalArgumentException("unknown format " + config.format());
        }
        AuthScheme auth = config.effectiveAuth();
        String bodyLimit = "max_body_size (" + config.maxBodySize() + ")";
        this.classifier = new ResponseClassifier(target, auth, redactor, context.clock(), config.connectTimeout(), config.requestTimeout(), bodyLimit);
        this.heartbeatClassifier = new ResponseClassifier(origin + LITESOC_HEARTBEAT_PATH, auth, redactor, context.clock(),
                config.connectTimeout(), config.requestTimeout(), bodyLimit);
        List<Map.Entry<String, String>> headers = requestHeaders(config, context.agentVersion());
        this.plainHeaders = withContentHeaders(headers, contentType, false);
        this.gzipHeaders = withContentHeaders(headers, contentType, true);
        this.liteSocEncoder = new LiteSocEncoder(config.litesocDefaultEvent());
        this.logNogEncoder = new LogNogEncoder(config.effectiveLogNogSource(), context.hostName(), context.agentVersion());
        ComponentMetrics metrics = context.metrics();
        this.requests = metrics.counter("http_requests_total", "HTTP requests sent (events and heartbeats)");
        this.requestBytes = metrics.counter("http_request_bytes_total", "bytes of request bodies sent, after compression");
        this.skippedEvents = switch (config.format()) {
            case LITESOC -> metrics.counter("litesoc_events_skipped_total", "events not sent: no event.action, or an action LiteSOC has no event for");
            case LOGNOG -> metrics.counter("lognog_events_skipped_total", "events not sent because LogNog has no event for them (FIM scan_complete markers)");
            default -> null;
        };
        this.unidentifiedRejections = config.format() == Format.LOGNOG
                ? metrics.counter("lognog_events_rejected_unidentified_total",
                        "events LogNog rejected without saying which; they are not sent again (that would duplicate the accepted ones)")
                : null;
        this.rejectionWarning = new RateLimitedWarning(logger, context.clock(), RateLimitedWarning.DEFAULT_INTERVAL);
    }

    /** Redacts every credential: the key, the passwords, and every custom header's value and what follows its scheme. */
    static Redactor redactor(HttpOutputConfig config)
    {
        List<String> secrets = new ArrayList<>();
        secrets.add(config.apiKey());
        secrets.add(config.password());
        secrets.add(config.tls().keyPassOrAlias());
        if (config.username() != null && config.password() != null) {
            secrets.add(Redactor.basicCredentials(config.username(), config.password()));
        }
        for (String value : config.headers().values()) {
            secrets.add(value);
            // "Bearer TOKEN", "Basic BASE64": the credential may come back without its scheme
            int space = value.indexOf(' ');
            if (space > 0 && space < value.length() - 1) {
                secrets.add(value.substring(space + 1).strip());
            }
        }
        return new Redactor(secrets.toArray(String[]::new));
    }

    private static List<Map.Entry<String, String>> requestHeaders(HttpOutputConfig config, String agentVersion)
    {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("User-Agent", "outrider/" + agentVersion));
        // configured headers come in name order so requests are reproducible
        new TreeMap<>(config.headers()).forEach((name, value) -> headers.add(Map.entry(name, value)));
        switch (config.effectiveAuth()) {
            case API_KEY -> headers.add(Map.entry(config.format() == Format.LITESOC ? HttpOutputConfig.DEFAULT_API_KEY_HEADER : config.apiKeyHeader(),
                    config.apiKey()));
            case BEARER -> headers.add(Map.entry("Authorization", "Bearer " + config.apiKey()));
            case LOGNOG -> headers.add(Map.entry("Authorization", "ApiKey " + config.apiKey()));
            case BASIC -> headers.add(Map.entry("Authorization", "Basic " + Redactor.basicCredentials(config.username(), config.password())));
            case NONE -> {
                // no credentials
            }
        }
        return List.copyOf(headers);
    }

    /** A configured header replaces one of the output's own of the same name (Content-Type, User-Agent). */
    private static List<Map.Entry<String, String>> withContentHeaders(List<Map.Entry<String, String>> headers, String contentType, boolean gzipped)
    {
        Map<String, Map.Entry<String, String>> byName = new LinkedHashMap<>();
        byName.put("content-type", Map.entry("Content-Type", contentType));
        if (gzipped) {
            byName.put("content-encoding", Map.entry("Content-Encoding", "gzip"));
        }
        headers.forEach(header -> byName.put(header.getKey().toLowerCase(Locale.ROOT), header));
        return List.copyOf(byName.values());
    }

    @Override
    public void start()
    {
        String origin = Endpoints.origin(config.endpoint());
        if (sslContext != null && !config.tls().verifiesCertificate()) {
            logger.log(WARNING, "TLS VERIFICATION IS OFF for {0} (tls.verify_certificate: false): anyone between this agent and the"
                    + " collector can read the events and the credentials; trust the collector''s CA with tls.ca_file instead", origin);
        }
        if (sslContext == null && config.effectiveAuth() != AuthScheme.NONE && !Endpoints.isLoopback(config.endpoint())) {
            logger.log(WARNING, "credentials go to {0} over plain http (allow_insecure_http: true): anyone on the network path can read them",
                    origin);
        }
        String threadPrefix = "outrider-http-" + context.pipelineId() + "-" + context.componentId() + "-";
        // one exchange per batch in flight, or per LiteSOC event in flight, and one for a heartbeat or a probe
        int maxExchanges = (config.format() == Format.LITESOC ? config.litesocConcurrency() : MAX_BATCHES_IN_FLIGHT) + 1;
        client = new Http1Client(config.endpoint(), sslContext,
                sslContext == null ? null : TlsContexts.clientParameters(config.tls(), config.endpoint().getHost()),
                config.connectTimeout(), config.requestTimeout(), maxResponseBytes, threadPrefix, maxExchanges,
                // nothing sent for a while: a burst's request buffers (a megabyte or more each) are not kept for it
                requestBuffer::release);
        logger.log(INFO, "sending {0} to {1}", config.format().configName(), classifier.target());
        if (config.format() == Format.LITESOC && !config.heartbeatInterval().isZero()) {
            heartbeat = new Heartbeat(this::sendHeartbeat, schedulerFactory.apply("outrider-heartbeat-" + context.pipelineId() + "-" + context.componentId()),
                    config.heartbeatInterval(), context, logger, heartbeatClassifier.target());
            heartbeat.start();
        }
    }

    @Override
    public DeliveryResult deliver(List<Event> batch)
            throws InterruptedException
    {
        if (client == null) {
            throw new IllegalStateException("deliver called before start");
        }
        return switch (config.format()) {
            case LITESOC -> deliverLiteSoc(batch);
            case LOGNOG -> deliverLogNog(batch);
            case NDJSON, ECS, JSON -> deliverEncoded(batch);
        };
    }

    /**
     * ndjson, ecs and json: encodes the batch on the calling thread, posts it and returns; the answer is classified
     * on the client's thread. LiteSOC and LogNog deliver synchronously ({@link #deliver}).
     */
    @Override
    public CompletionStage<DeliveryResult> deliverAsync(List<Event> batch)
            throws InterruptedException
    {
        if (client == null) {
            throw new IllegalStateException("deliver called before start");
        }
        return switch (config.format()) {
            case NDJSON, ECS, JSON -> deliverEncodedAsync(batch);
            case LITESOC, LOGNOG -> Output.super.deliverAsync(batch);
        };
    }

    /**
     * LiteSOC: one heartbeat. The others: a batch with no event ({@code {"events":[]}} for LogNog, {@code []} for
     * json, an empty body for ndjson and ecs), which a collector acknowledges without storing anything.
     */
    @Override
    public Optional<DeliveryResult> probe()
            throws InterruptedException
    {
        if (client == null) {
            throw new IllegalStateException("probe called before start");
        }
        if (config.format() == Format.LITESOC) {
            return Optional.of(sendHeartbeat());
        }
        String empty = switch (config.format()) {
            case LOGNOG -> "{\"events\":[]}";
            case JSON -> "[]";
            default -> "";
        };
        byte[] body = empty.getBytes(StandardCharsets.UTF_8);
        try {
            // an empty batch is a few bytes: not worth compressing, and every collector reads it plain
            Http1Client.Response answer = post(uri, body, false);
            return Optional.of(classifier.classify(answer.status(), answer.retryAfter(), answer.body(), body.length));
        }
        catch (IOException e) {
            return Optional.of(classifier.failure(e));
        }
    }

    /**
     * Encodes into a buffer that starts at the last body's size and grows on demand, never beyond max_body_size (plus
     * the writer's slack): one long line must not make the next batch reserve its size for every event.
     */
    private DeliveryResult deliverEncoded(List<Event> batch)
            throws InterruptedException
    {
        Encoding encoding = encode(batch);
        if (encoding.body() == null) {
            return encoding.tooLarge();
        }
        EncodedBody body = encoding.body();
        return deliverBatch(body.bytes(), body.length(), batch.size(), body.whenAccepted());
    }

    /**
     * Like {@link #deliverEncoded}, without waiting for the answer. The body's buffer stays with its request until a
     * 2xx answer shows the collector read it all, so a batch encoded meanwhile never writes into a body being sent.
     */
    private CompletableFuture<DeliveryResult> deliverEncodedAsync(List<Event> batch)
    {
        Encoding encoding = encode(batch);
        if (encoding.body() == null) {
            return CompletableFuture.completedFuture(encoding.tooLarge());
        }
        EncodedBody body = encoding.body();
        int length = body.length();
        return postAsync(uri, body.bytes(), length, config.gzip()).handle((answer, failure) -> {
            if (failure == null) {
                if (answer.status() / 100 == 2) {
                    body.whenAccepted().run();
                }
                return classifier.classify(answer.status(), answer.retryAfter(), answer.body(), length);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof RuntimeException runtime) {
                // a bug, as when deliver throws it: the stage fails with it
                throw runtime;
            }
            return classifier.failure(Http1Client.failureOf(cause));
        });
    }

    /**
     * The batch's body, encoded into a request buffer that starts at the last body's size and grows on demand, never
     * beyond max_body_size (plus the writer's slack): one long line must not make the next batch reserve its size for
     * every event. When the batch's JSON is larger than max_body_size, the encoding stops at the event that crosses
     * it, and the result is too large, with how many events before it fit: the agent sends those and then the rest.
     */
    private Encoding encode(List<Event> batch)
    {
        JsonByteWriter writer = requestBuffer.take();
        int maxBytes = (int) Math.min(Integer.MAX_VALUE, config.maxBodySize().bytes());
        int fitting = switch (config.format()) {
            case ECS -> EventJsonEncoder.ndjson(batch, writer, EventDocument.ECS, maxBytes);
            case JSON -> EventJsonEncoder.jsonArray(batch, writer, maxBytes);
            default -> EventJsonEncoder.ndjson(batch, writer, EventDocument.JSON, maxBytes);
        };
        if (fitting < batch.size()) {
            requestBuffer.giveBack(writer);
            return new Encoding(null, tooLarge(batch.size(), fitting));
        }
        requestBuffer.encoded(writer.size());
        if (config.gzip()) {
            // the compressed copy is what is sent: the buffer is free again once it is made
            byte[] body = gzip(writer.buffer(), writer.size());
            requestBuffer.giveBack(writer);
            return new Encoding(new EncodedBody(body, body.length, () -> {}), null);
        }
        return new Encoding(new EncodedBody(writer.buffer(), writer.size(), () -> requestBuffer.giveBack(writer)), null);
    }

    /** Either a body to send or, for a batch larger than max_body_size, the result that says so. */
    private record Encoding(EncodedBody body, DeliveryResult tooLarge) {}

    /** Bytes {@code [0, length)} of {@code bytes} are the body; {@code whenAccepted} frees its buffer once it was read. */
    private record EncodedBody(byte[] bytes, int length, Runnable whenAccepted) {}

    /**
     * The agent sends the first {@code fitting} events, then the rest; with none fitting, it halves the batch, and
     * alone in its batch an event this large goes to the dead letters.
     */
    private DeliveryResult tooLarge(int eventCount, int fitting)
    {
        String reason = eventCount + " event(s) encode to more than max_body_size (" + config.maxBodySize() + ")" + (config.gzip() ? " before compression" : "");
        return fitting == 0 ? DeliveryResult.tooLarge(reason) : DeliveryResult.tooLarge(reason + "; the first " + fitting + " fit", fitting);
    }

    /** @param whenAccepted run once a 2xx answer shows the collector has read the whole body */
    private DeliveryResult deliverBatch(byte[] body, int length, int eventCount, Runnable whenAccepted)
            throws InterruptedException
    {
        if (length > config.maxBodySize().bytes()) {
            return tooLargeBody(eventCount, length);
        }
        try {
            Http1Client.Response answer = post(uri, body, length, config.gzip());
            if (answer.status() / 100 == 2) {
                whenAccepted.run();
            }
            return classifier.classify(answer.status(), answer.retryAfter(), answer.body(), length);
        }
        catch (IOException e) {
            return classifier.failure(e);
        }
    }

    private DeliveryResult tooLargeBody(int eventCount, int bodyBytes)
    {
        return DeliveryResult.tooLarge(eventCount + " event(s) encode to " + bodyBytes + " bytes, above max_body_size ("
                + config.maxBodySize() + ")");
    }

    /**
     * One request for the events LogNog has a shape for; LogNog's summary answer decides what happened to each. The
     * indexes of the answer count in the request's {@code events} array and are mapped back to the batch's.
     */
    private DeliveryResult deliverLogNog(List<Event> batch)
            throws InterruptedException
    {
        LogNogEncoder.Encoded request = logNogEncoder.encode(batch, maxEncodedBytes);
        if (request.tooLarge()) {
            // counted in characters: a text that is not ASCII may still turn out too large in bytes, and is halved then
            return tooLarge(batch.size(), request.fitting());
        }
        if (!request.skipped().isEmpty()) {
            skippedEvents.add(request.skipped().size());
        }
        if (request.json() == null) {
            return DeliveryResult.deliveredSkipping(request.skipped());
        }
        int sentCount = request.sentIndexes().size();
        byte[] body = body(request.json().getBytes(StandardCharsets.UTF_8), config.gzip());
        if (body.length > config.maxBodySize().bytes()) {
            return tooLargeBody(sentCount, body.length);
        }
        Http1Client.Response answer;
        try {
            answer = post(uri, body, config.gzip());
        }
        catch (IOException e) {
            return classifier.failure(e);
        }
        if (answer.isSuccess() || answer.status() == 400 || answer.status() == 422) {
            Optional<LogNogResponse.Outcome> outcome = LogNogResponse.interpret(answer.body(), sentCount, redactor);
            if (outcome.isPresent()) {
                return batchResult(outcome.get(), request, answer.status());
            }
        }
        return classifier.classify(answer.status(), answer.retryAfter(), answer.body(), body.length);
    }

    private DeliveryResult batchResult(LogNogResponse.Outcome outcome, LogNogEncoder.Encoded request, int status)
    {
        int sentCount = request.sentIndexes().size();
        if (outcome.rejected() > 0) {
            String unnamed = outcome.unidentified() == 0 ? ""
                    : " (" + outcome.unidentified() + " without saying which: they are not sent again, as that would duplicate the events"
                            + " LogNog accepted, and are counted in lognog_events_rejected_unidentified_total)";
            rejectionWarning.warn(classifier.target() + " answered HTTP " + status + " and rejected " + outcome.rejected() + " of "
                    + sentCount + " event(s)" + unnamed + ": " + (outcome.errors().isEmpty() ? "no reason given" : outcome.errors()));
        }
        if (outcome.unidentified() > 0) {
            unidentifiedRejections.add(outcome.unidentified());
        }
        DeliveryResult result = outcome.result();
        return switch (result.kind()) {
            case DELIVERED -> DeliveryResult.deliveredSkipping(request.skipped());
            case PARTIALLY_REJECTED -> {
                // DeliveryResult carries skipped events only with DELIVERED: here they count as delivered
                Map<Integer, String> byBatchIndex = new TreeMap<>();
                result.rejected().forEach((index, reason) -> byBatchIndex.put(request.sentIndexes().get(index), reason));
                yield DeliveryResult.partiallyRejected(byBatchIndex);
            }
            default -> result;
        };
    }

    private DeliveryResult deliverLiteSoc(List<Event> batch)
            throws InterruptedException
    {
        int concurrency = config.litesocConcurrency();
        Semaphore window = new Semaphore(concurrency);
        Map<Integer, CompletableFuture<DeliveryResult>> inFlight = new TreeMap<>();
        Map<Integer, String> rejected = new TreeMap<>();
        // set by the first transient failure or credentials refusal: nothing more is sent from this batch
        AtomicReference<DeliveryResult> stop = new AtomicReference<>();
        Map<Integer, String> skipped = new TreeMap<>();
        try {
            for (int index = 0; index < batch.size() && stop.get() == null; index++) {
                String skipReason = liteSocEncoder.skipReason(batch.get(index));
                if (skipReason != null) {
                    skipped.put(index, skipReason);
                    continue;
                }
                String json = liteSocEncoder.encode(batch.get(index));
                byte[] body = body(json, config.gzip());
                if (body.length > config.maxBodySize().bytes()) {
                    rejected.put(index, "the event encodes to " + body.length + " bytes, above max_body_size (" + config.maxBodySize() + ")");
                    continue;
                }
                window.acquire();
                if (stop.get() != null) {
                    window.release();
                    break;
                }
                CompletableFuture<DeliveryResult> result = postAsync(uri, body, config.gzip())
                        .handle((answer, failure) -> failure == null
                                ? classifier.classify(answer.status(), answer.retryAfter(), answer.body(), body.length)
                                : classifier.failure(Http1Client.failureOf(failure)));
                result.whenComplete((classified, ignored) -> {
                    if (classified == null || classified.kind() == DeliveryResult.Kind.RETRY_LATER
                            || classified.kind() == DeliveryResult.Kind.UNAUTHORIZED) {
                        stop.compareAndSet(null, classified == null ? DeliveryResult.retryLater("send failed") : classified);
                    }
                    window.release();
                });
                inFlight.put(index, result);
            }
            DeliveryResult firstFailure = null;
            for (Map.Entry<Integer, CompletableFuture<DeliveryResult>> entry : inFlight.entrySet()) {
                DeliveryResult result = await(entry.getValue());
                switch (result.kind()) {
                    case DELIVERED -> {
                        // next event
                    }
                    case REJECTED, TOO_LARGE, PARTIALLY_REJECTED -> rejected.put(entry.getKey(), result.reason());
                    default -> firstFailure = firstFailure == null ? result : firstFailure;
                }
            }
            if (firstFailure != null) {
                return firstFailure;
            }
        }
        finally {
            inFlight.values().forEach(future -> future.cancel(true));
        }
        if (!skipped.isEmpty()) {
            skippedEvents.add(skipped.size());
            if (skipExplained.compareAndSet(false, true)) {
                logger.log(INFO, "events without event.action, and actions LiteSOC has no event for, are not sent to LiteSOC: they are"
                        + " skipped and counted in litesoc_events_skipped_total; set litesoc_default_event to send events without event.action");
            }
        }
        // DeliveryResult carries skipped events only with DELIVERED: beside rejections they count as delivered
        return rejected.isEmpty() ? DeliveryResult.deliveredSkipping(skipped) : DeliveryResult.partiallyRejected(rejected);
    }

    private DeliveryResult await(CompletableFuture<DeliveryResult> result)
            throws InterruptedException
    {
        try {
            // postAsync bounds every exchange with its own deadline, so this wait ends
            return result.get();
        }
        catch (ExecutionException e) {
            return DeliveryResult.retryLater("cannot reach " + classifier.target() + ": " + e.getCause().getClass().getSimpleName());
        }
    }

    private DeliveryResult sendHeartbeat()
            throws InterruptedException
    {
        // what LiteSOC Sentinel sends but its outbound address: the dashboard names the host by it
        StringBuilder json = new StringBuilder(64).append("{\"hostname\":");
        JsonWriter.writeString(json, context.hostName());
        json.append(",\"agent_version\":");
        JsonWriter.writeString(json, context.agentVersion());
        byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        try {
            // a body of a few bytes only grows when compressed: heartbeats are never gzipped
            Http1Client.Response answer = post(heartbeatUri, body, false);
            return heartbeatClassifier.classify(answer.status(), answer.retryAfter(), answer.body(), body.length);
        }
        catch (IOException e) {
            return heartbeatClassifier.failure(e);
        }
    }

    private Http1Client.Response post(URI target, byte[] body, boolean gzipped)
            throws IOException, InterruptedException
    {
        return post(target, body, body.length, gzipped);
    }

    /** Sends bytes {@code [0, length)} of {@code body}; the array must not change until the exchange is over. */
    private Http1Client.Response post(URI target, byte[] body, int length, boolean gzipped)
            throws IOException, InterruptedException
    {
        countRequest(length);
        return client.send(target, gzipped ? gzipHeaders : plainHeaders, body, length);
    }

    /** Sends one request; the future fails as {@link Http1Client#post} says. */
    private CompletableFuture<Http1Client.Response> postAsync(URI target, byte[] body, boolean gzipped)
    {
        return postAsync(target, body, body.length, gzipped);
    }

    private CompletableFuture<Http1Client.Response> postAsync(URI target, byte[] body, int length, boolean gzipped)
    {
        countRequest(length);
        return client.post(target, gzipped ? gzipHeaders : plainHeaders, body, length);
    }

    private void countRequest(int length)
    {
        requests.increment();
        requestBytes.add(length);
    }

    private static byte[] body(String text, boolean gzip)
    {
        return body(text.getBytes(StandardCharsets.UTF_8), gzip);
    }

    private static byte[] body(byte[] bytes, boolean gzip)
    {
        return gzip ? gzip(bytes, bytes.length) : bytes;
    }

    private static byte[] gzip(byte[] bytes, int length)
    {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(compressed, 8192)) {
            out.write(bytes, 0, length);
        }
        catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return compressed.toByteArray();
    }

    @Override
    public void close()
    {
        if (heartbeat != null) {
            heartbeat.stop();
        }
        if (client != null) {
            client.close();
        }
        client = null;
    }

    /** The heartbeat, if this output runs one (tests read its state). */
    Optional<Heartbeat> heartbeat()
    {
        return Optional.ofNullable(heartbeat);
    }

    /** Whether a request buffer is kept for the next batch (tests). */
    boolean keepsRequestBuffer()
    {
        return requestBuffer.keeps();
    }

    @Override
    public String toString()
    {
        return "HttpOutput[format=" + config.format().configName() + ", target=" + classifier.target() + "]";
    }

}
