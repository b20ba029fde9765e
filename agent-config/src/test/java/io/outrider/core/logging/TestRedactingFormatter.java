package io.outrider.core.logging;

import io.outrider.core.config.SecretRegistry;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class TestRedactingFormatter
{
    private static final String KEY = "lsk_live+7Q/2v x9";

    @Test
    void masksEveryFormOfASecretInTheMessageAndTheStackTrace()
    {
        SecretRegistry secrets = new SecretRegistry();
        secrets.register(KEY);
        LogRecord record = new LogRecord(Level.WARNING, "collector answered: bad key {0} (json \"{1}\")");
        record.setLoggerName("io.outrider.core.delivery.DeliveryLoop");
        record.setParameters(new Object[] {URLEncoder.encode(KEY, StandardCharsets.UTF_8), "lsk_live+7Q\\/2v x9"});
        record.setInstant(java.time.Instant.parse("2026-11-23T10:15:30Z"));
        record.setThrown(new IllegalStateException("401 for " + KEY));

        String line = new RedactingFormatter(secrets).format(record);

        assertThat(line).startsWith("2026-11-23T10:15:30Z WARN  DeliveryLoop: collector answered: bad key ****** (json \"******\")\n"
                + "    java.lang.IllegalStateException: 401 for ******\n");
        assertThat(line).doesNotContain("7Q");
    }

    @Test
    void hidesTheQueryOfEveryUrl()
    {
        LogRecord record = new LogRecord(Level.FINE, "HttpClientImpl(1) ClientImpl (async) send https://hooks.example/services/T0/B1?token=xoxb-123&x=1 POST, then http://[::1]:8080/a?b#frag and \"https://c.example/?k=v\"");
        record.setLoggerName("jdk.internal.httpclient.debug");
        record.setInstant(java.time.Instant.parse("2026-11-23T10:15:30Z"));

        assertThat(new RedactingFormatter(new SecretRegistry()).format(record)).isEqualTo("2026-11-23T10:15:30Z DEBUG jdk.internal.httpclient.debug:"
                + " HttpClientImpl(1) ClientImpl (async) send https://hooks.example/services/T0/B1?****** POST, then http://[::1]:8080/a?******#frag"
                + " and \"https://c.example/?******\"\n");
    }
}
