package io.outrider.plugin.otlp;

import io.outrider.support.JsonReader;
import io.outrider.support.Redactor;
import io.outrider.support.net.HttpClientFailures;
import io.outrider.support.RetryAfter;

import io.outrider.spi.DeliveryResult;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Turns an OTLP/HTTP answer or a transport failure into a {@link DeliveryResult}, following the OTLP/HTTP
 * specification where it fits the agent's guarantees:
 * <table>
 *   <caption>Answers</caption>
 *   <tr><td>2xx</td><td>delivered; a {@code partial_success} is decoded by {@link #partialSuccess}</td></tr>
 *   <tr><td>400</td><td>rejected with the collector's message: the agent splits the batch to isolate the events
 *       the collector cannot take</td></tr>
 *   <tr><td>401, 403</td><td>unauthorized, saying to check the credential headers (never their values)</td></tr>
 *   <tr><td>413</td><td>too large</td></tr>
 *   <tr><td>429, 502, 503, 504</td><td>retry later, after {@code Retry-After} (seconds or HTTP-date) when
 *       given, as the specification asks</td></tr>
 *   <tr><td>other 5xx</td><td>retry later as well: the specification calls them permanent, but a collector's
 *       internal error says nothing against the events, and dead-lettering a whole stream because of it would lose
 *       data that a fixed collector takes</td></tr>
 *   <tr><td>3xx</td><td>retry later: redirects are not followed, the credential headers would travel with
 *       them</td></tr>
 *   <tr><td>other 4xx</td><td>retry later with "check endpoint": 404, 405, 415 mean a wrong URL, which must not
 *       send the events to the dead letters</td></tr>
 *   <tr><td>I/O errors, timeouts, TLS and DNS failures</td><td>retry later</td></tr>
 * </table>
 * The collector's message is taken from the {@code google.rpc.Status} body the specification prescribes
 * (protobuf or JSON), else the body's text, and always passes through the {@link Redactor}.
 */
final class ExportClassifier
{

    // google.rpc.Status: int32 code = 1; string message = 2; repeated Any details = 3
    private static final int STATUS_MESSAGE_FIELD = 2;

    private final String target;
    private final Redactor redactor;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    // the setting that bounds a body, as the operator would set it, e.g. "max_request_size (4MiB)": named when a collector finds a body too large
    private final String bodyLimit;

    ExportClassifier(String target, Redactor redactor, Duration connectTimeout, Duration requestTimeout, String bodyLimit)
    {
        this.target = requireNonNull(target, "target is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        this.bodyLimit = requireNonNull(bodyLimit, "bodyLimit is null");
    }

    String target()
    {
        return target;
    }

    /** Classifies an answer other than 2xx (2xx answers are {@linkplain #partialSuccess decoded}). */
    DeliveryResult classifyFailure(int status, Optional<String> contentType, Optional<String> retryAfterHeader, byte[] body, int requestBytes, Instant now)
    {
        String answered = target + " answered HTTP " + status;
        String message = errorMessage(contentType, body);
        String withMessage = message.isEmpty() ? answered : answered + ": " + message;
        if (status == 400) {
            return DeliveryResult.rejected(withMessage);
        }
        if (status == 401 || status == 403) {
            return DeliveryResult.unauthorized(answered + (status == 401 ? " (unauthorized)" : " (forbidden)")
                    + ": check the credential in headers (e.g. Authorization), that it was not revoked, and that its ${VAR} or ${file:...} resolves to the current value");
        }
        if (status == 413) {
            return DeliveryResult.tooLarge(answered + " (payload too large) for a body of " + requestBytes + " bytes: it takes less than " + bodyLimit);
        }
        if (status == 429 || status >= 500) {
            Duration retryAfter = retryAfterHeader.map(value -> RetryAfter.parse(value, now)).orElse(null);
            return DeliveryResult.retryLater(withMessage, retryAfter);
        }
        if (status >= 300 && status < 400) {
            return DeliveryResult.retryLater(answered + " (redirect); redirects are not followed because the credential headers would travel with them:"
                    + " set endpoint to the final URL");
        }
        return DeliveryResult.retryLater(withMessage + "; check endpoint");
    }

    /**
     * The {@code partial_success} of a 2xx answer's {@code ExportLogsServiceResponse}; empty when the body is
     * empty, not decodable, or reports nothing.
     */
    Optional<PartialSuccess> partialSuccess(Optional<String> contentType, byte[] body)
    {
        if (body.length == 0) {
            return Optional.empty();
        }
        long rejected;
        String message;
        if (isJson(contentType)) {
            Map<?, ?> partial = jsonObject(jsonObject(parseJson(body)).get("partialSuccess"));
            rejected = jsonLong(partial.get("rejectedLogRecords"));
            message = partial.get("errorMessage") instanceof String ? (String) partial.get("errorMessage") : "";
        }
        else {
            try {
                // ExportLogsServiceResponse: ExportLogsPartialSuccess partial_success = 1
                //   { int64 rejected_log_records = 1; string error_message = 2; }
                byte[] partial = ProtobufReader.message(body, 1);
                rejected = ProtobufReader.varint(partial, 1, 0);
                message = ProtobufReader.string(partial, 2);
            }
            catch (ProtobufReader.MalformedException e) {
                return Optional.empty();
            }
        }
        message = redactor.clean(message);
        if (rejected <= 0 && message.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PartialSuccess(Math.max(rejected, 0), message));
    }

    private static Object parseJson(byte[] body)
    {
        try {
            return JsonReader.parse(new String(body, StandardCharsets.UTF_8));
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<?, ?> jsonObject(Object value)
    {
        return value instanceof Map ? (Map<?, ?>) value : Map.of();
    }

    /** An int64 of the protobuf JSON mapping: a number or a decimal string; 0 when neither. */
    private static long jsonLong(Object value)
    {
        if (value instanceof Long || value instanceof Double) {
            return ((Number) value).longValue();
        }
        if (value instanceof String) {
            try {
                return Long.parseLong((String) value);
            }
            catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    DeliveryResult failure(IOException e)
    {
        return DeliveryResult.retryLater("cannot reach " + target + ": " + HttpClientFailures.describe(e, connectTimeout, requestTimeout, redactor));
    }

    /** The message of a {@code google.rpc.Status} body, else the body as text. */
    String errorMessage(Optional<String> contentType, byte[] body)
    {
        if (body == null || body.length == 0) {
            return "";
        }
        if (contentType.map(type -> type.toLowerCase(Locale.ROOT).contains("protobuf")).orElse(false)) {
            try {
                return redactor.clean(ProtobufReader.string(body, STATUS_MESSAGE_FIELD));
            }
            catch (ProtobufReader.MalformedException e) {
                return "(an undecodable protobuf body of " + body.length + " bytes)";
            }
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            Object message = jsonObject(parseJson(body)).get("message");
            if (message instanceof String && !((String) message).isEmpty()) {
                return redactor.clean((String) message);
            }
        }
        return redactor.clean(text);
    }

    private static boolean isJson(Optional<String> contentType)
    {
        return contentType.map(type -> type.toLowerCase(Locale.ROOT).contains("json")).orElse(false);
    }

    /** What a collector reported in {@code partial_success}. */
    record PartialSuccess(long rejectedLogRecords, String errorMessage)
    {
    }
}
