package io.outrider.plugin.http;

import io.outrider.support.JsonReader;
import io.outrider.support.Redactor;
import io.outrider.support.net.HttpClientFailures;
import io.outrider.support.RetryAfter;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.spi.DeliveryResult;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Turns an HTTP answer or a transport failure into a {@link DeliveryResult}:
 * <table>
 *   <caption>Answers</caption>
 *   <tr><td>2xx</td><td>delivered</td></tr>
 *   <tr><td>400, 422</td><td>rejected with the collector's message (the agent splits the batch to isolate the
 *       offending events)</td></tr>
 *   <tr><td>401, 403</td><td>unauthorized, with what the operator should check (never the key)</td></tr>
 *   <tr><td>413</td><td>too large</td></tr>
 *   <tr><td>429, 5xx</td><td>retry later, after {@code Retry-After} (seconds or HTTP-date) when given</td></tr>
 *   <tr><td>3xx</td><td>retry later: redirects are not followed, as the credentials would travel with them</td></tr>
 *   <tr><td>other 4xx</td><td>retry later: 404, 405, 415... mean a wrong endpoint, which must not send the events
 *       to the dead letters</td></tr>
 *   <tr><td>I/O errors, timeouts, TLS and DNS failures</td><td>retry later</td></tr>
 * </table>
 * Every reason names the target only as {@code scheme://host:port[/known path]} and passes the collector's text
 * through a {@link Redactor}.
 */
final class ResponseClassifier
{
    /** A collector asking to wait longer than this is obeyed only this long: the agent retries, it does not stall. */
    static final Duration MAX_RETRY_AFTER = RetryAfter.MAX;

    private final String target;
    private final AuthScheme auth;
    private final Redactor redactor;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    // the setting that bounds a body, as the operator would set it, e.g. "max_body_size (1MiB)": named when a collector finds a body too large
    private final String bodyLimit;

    ResponseClassifier(String target, AuthScheme auth, Redactor redactor, Clock clock, Duration connectTimeout, Duration requestTimeout, String bodyLimit)
    {
        this.target = requireNonNull(target, "target is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        this.bodyLimit = requireNonNull(bodyLimit, "bodyLimit is null");
    }

    String target()
    {
        return target;
    }

    DeliveryResult classify(int status, Optional<String> retryAfterHeader, byte[] body, int requestBytes)
    {
        if (status >= 200 && status < 300) {
            return DeliveryResult.delivered();
        }
        String answered = target + " answered HTTP " + status;
        String message = serverMessage(body);
        String withMessage = message.isEmpty() ? answered : answered + ": " + message;
        if (status == 400 || status == 422) {
            return DeliveryResult.rejected(withMessage);
        }
        if (status == 401) {
            return DeliveryResult.unauthorized(answered + " (unauthorized): " + credentialsHint());
        }
        if (status == 403) {
            return DeliveryResult.unauthorized(answered + " (forbidden): the collector refuses these credentials for this endpoint;"
                    + " check that the key is allowed to send events here (its project, scopes or the collector's allow list)");
        }
        if (status == 413) {
            return DeliveryResult.tooLarge(answered + " (payload too large) for a body of " + requestBytes + " bytes: it takes less than " + bodyLimit);
        }
        if (status == 429 || status >= 500) {
            Duration retryAfter = retryAfterHeader.map(value -> parseRetryAfter(value, clock.instant())).orElse(null);
            return DeliveryResult.retryLater(withMessage, retryAfter);
        }
        if (status >= 300 && status < 400) {
            return DeliveryResult.retryLater(answered + " (redirect); redirects are not followed because the credentials would travel with them:"
                    + " set endpoint to the final URL");
        }
        return DeliveryResult.retryLater(withMessage + "; check endpoint");
    }

    private String credentialsHint()
    {
        return switch (auth) {
            case BASIC -> "check username and password (and that ${VAR} or ${file:...} resolves to the current password)";
            case NONE -> "the collector wants credentials; set api_key (from ${VAR} or ${file:...})";
            default -> "check that api_key holds the key the collector issued for this agent, that it was not revoked,"
                    + " and that its ${VAR} or ${file:...} resolves to the current key";
        };
    }

    DeliveryResult failure(IOException e)
    {
        return DeliveryResult.retryLater("cannot reach " + target + ": " + HttpClientFailures.describe(e, connectTimeout, requestTimeout, redactor));
    }

    /**
     * The collector's text: a JSON body's {@code message}/{@code error}/{@code detail}, else the body itself, with
     * bytes that are not printable text escaped ({@code \xNN}) and cut to {@link Redactor#MAX_TEXT_LENGTH}.
     */
    String serverMessage(byte[] body)
    {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                Object parsed = JsonReader.parse(text);
                if (parsed instanceof Map) {
                    Map<?, ?> object = (Map<?, ?>) parsed;
                    for (String key : new String[] {"message", "error", "detail", "reason"}) {
                        Object value = object.get(key);
                        if (value instanceof String && !((String) value).isEmpty()) {
                            return redactor.clean((String) value);
                        }
                    }
                }
            }
            catch (IllegalArgumentException notJson) {
                // a truncated or malformed body is still worth showing as text
            }
        }
        // as bytes: what is not UTF-8 text is shown escaped, not as replacement characters or raw control bytes
        return redactor.clean(body);
    }

    /** {@link RetryAfter#parse}. */
    static Duration parseRetryAfter(String value, Instant now)
    {
        return RetryAfter.parse(value, now);
    }
}
