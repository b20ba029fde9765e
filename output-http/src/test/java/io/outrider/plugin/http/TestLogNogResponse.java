package io.outrider.plugin.http;

import io.outrider.support.Redactor;

import io.outrider.spi.DeliveryResult;
import io.outrider.spi.DeliveryResult.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestLogNogResponse
{
    private static final String TARGET = "https://lognog.example:443/api/ingest/agent";

    @Test
    void allAccepted()
    {
        assertThat(interpret("{\"accepted\":3,\"rejected\":0,\"errors\":[]}", 3)).contains(DeliveryResult.delivered());
    }

    @Test
    void namedRejectionsAreMappedToBatchIndexes()
    {
        DeliveryResult result = interpret("{\"accepted\":2,\"rejected\":2,\"errors\":[{\"index\":1,\"error\":\"missing timestamp\"},"
                + "\"event 3: message too long\"]}", 4).orElseThrow();
        assertThat(result.kind()).isEqualTo(Kind.PARTIALLY_REJECTED);
        assertThat(result.rejected()).isEqualTo(Map.of(
                1, "LogNog rejected the event: missing timestamp",
                3, "LogNog rejected the event: message too long"));
    }

    @Test
    void unnamedRejectionOfSomeEventsMakesTheAgentSplitTheBatch()
    {
        DeliveryResult result = interpret("{\"accepted\":3,\"rejected\":1,\"errors\":[\"invalid hostname\"]}", 4).orElseThrow();
        assertThat(result.toString()).isEqualTo("REJECTED: " + TARGET + " rejected 1 of 4 events without naming them: invalid hostname");
    }

    @Test
    void unnamedRejectionOfEveryEventRejectsEachWithTheErrors()
    {
        DeliveryResult result = interpret("{\"accepted\":0,\"rejected\":2,\"errors\":[\"schema v2 required\"]}", 2).orElseThrow();
        assertThat(result.rejected()).isEqualTo(Map.of(
                0, "LogNog rejected the whole batch: schema v2 required",
                1, "LogNog rejected the whole batch: schema v2 required"));
    }

    @Test
    void otherBodiesAreLeftToTheStatusCode()
    {
        assertThat(interpret("ok", 1)).isEmpty();
        assertThat(interpret("{\"status\":\"ok\"}", 1)).isEmpty();
        assertThat(interpret("", 1)).isEmpty();
    }

    private static Optional<DeliveryResult> interpret(String body, int batchSize)
    {
        return LogNogResponse.interpret(body.getBytes(StandardCharsets.UTF_8), batchSize, TARGET, new Redactor());
    }
}
