package io.outrider.plugin.http;

import io.outrider.support.Redactor;

import io.outrider.plugin.http.HttpOutputConfig.AuthScheme;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.DeliveryResult.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestResponseClassifier
{
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final ResponseClassifier classifier = new ResponseClassifier("https://c.example:443/collect", AuthScheme.API_KEY,
            new Redactor(TestingConfigs.KEY), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10), Duration.ofSeconds(30),
            "max_body_size (1MiB)");

    @Test
    void retryAfterInSecondsOrHttpDate()
    {
        assertThat(ResponseClassifier.parseRetryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(ResponseClassifier.parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ResponseClassifier.parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(ResponseClassifier.parseRetryAfter("99999999999999999999", NOW)).isEqualTo(ResponseClassifier.MAX_RETRY_AFTER);
        assertThat(ResponseClassifier.parseRetryAfter("soon", NOW)).isNull();
    }

    @Test
    void statusCodes()
    {
        assertThat(classify(200, null, "")).isSameAs(DeliveryResult.delivered());
        assertThat(classify(204, null, "").kind()).isEqualTo(Kind.DELIVERED);
        DeliveryResult throttled = classify(429, "7", "{\"error\":\"slow down\"}");
        assertThat(throttled.kind()).isEqualTo(Kind.RETRY_LATER);
        assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(throttled.reason()).isEqualTo("https://c.example:443/collect answered HTTP 429: slow down");
        assertThat(classify(503, "Mon, 23 Nov 2026 10:01:00 GMT", "").retryAfter()).contains(Duration.ofMinutes(1));
        assertThat(classify(500, null, "boom\n  at line 3").reason()).isEqualTo("https://c.example:443/collect answered HTTP 500: boom at line 3");
        assertThat(classify(413, null, "").toString())
                .isEqualTo("TOO_LARGE: https://c.example:443/collect answered HTTP 413 (payload too large) for a body of 1234 bytes:"
                        + " it takes less than max_body_size (1MiB)");
        assertThat(classify(400, null, "{\"message\":\"field event is required\"}").toString())
                .isEqualTo("REJECTED: https://c.example:443/collect answered HTTP 400: field event is required");
        assertThat(classify(422, null, "").kind()).isEqualTo(Kind.REJECTED);
        assertThat(classify(401, null, "").toString()).isEqualTo("UNAUTHORIZED: https://c.example:443/collect answered HTTP 401 (unauthorized):"
                + " check that api_key holds the key the collector issued for this agent, that it was not revoked,"
                + " and that its ${VAR} or ${file:...} resolves to the current key");
        assertThat(classify(403, null, "").kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(classify(404, null, "no such route").toString())
                .isEqualTo("RETRY_LATER: https://c.example:443/collect answered HTTP 404: no such route; check endpoint");
        assertThat(classify(301, null, "").toString()).isEqualTo("RETRY_LATER: https://c.example:443/collect answered HTTP 301 (redirect);"
                + " redirects are not followed because the credentials would travel with them: set endpoint to the final URL");
    }

    @Test
    void serverTextIsRedactedAndBounded()
    {
        String echoed = classify(400, null, "bad header X-API-Key: " + TestingConfigs.KEY + " " + "x".repeat(1000)).reason();
        assertThat(echoed).doesNotContain(TestingConfigs.KEY).contains("X-API-Key: [redacted] xxx").endsWith("...");
        assertThat(echoed.length()).isLessThan(400);
    }

    private DeliveryResult classify(int status, String retryAfter, String body)
    {
        return classifier.classify(status, Optional.ofNullable(retryAfter), body.getBytes(StandardCharsets.UTF_8), 1234);
    }
}
