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
    @Test
    void allAccepted()
    {
        assertThat(interpret("{\"accepted\":3,\"rejected\":0,\"errors\":[]}", 3))
                .contains(new LogNogResponse.Outcome(DeliveryResult.delivered(), 0, 0, ""));
    }

    @Test
    void namedRejectionsAreMappedToBatchIndexes()
    {
        DeliveryResult result = interpret("{\"accepted\":2,\"rejected\":2,\"errors\":[{\"index\":1,\"error\":\"missing timestamp\"},"
                + "\"event 3: message too long\"]}", 4).orElseThrow().result();
        assertThat(result.kind()).isEqualTo(Kind.PARTIALLY_REJECTED);
        assertThat(result.rejected()).isEqualTo(Map.of(
                1, "LogNog rejected the event: missing timestamp",
                3, "LogNog rejected the event: message too long"));
    }

    @Test
    void unnamedRejectionOfSomeEventsIsCountedAndNothingIsSentAgain()
    {
        // splitting or resending would duplicate the three events LogNog stored
        LogNogResponse.Outcome outcome = interpret("{\"accepted\":3,\"rejected\":1,\"errors\":[\"invalid hostname\"]}", 4).orElseThrow();
        assertThat(outcome).isEqualTo(new LogNogResponse.Outcome(DeliveryResult.delivered(), 1, 1, "invalid hostname"));
    }

    @Test
    void namedRejectionsAreRejectedAndTheUnnamedRestCounted()
    {
        LogNogResponse.Outcome outcome = interpret("{\"accepted\":2,\"rejected\":3,\"errors\":[{\"index\":4,\"error\":\"bad time\"},"
                + "\"quota exceeded for 2 events\"]}", 5).orElseThrow();
        assertThat(outcome.result().rejected()).isEqualTo(Map.of(4, "LogNog rejected the event: bad time"));
        assertThat(outcome.rejected()).isEqualTo(3);
        assertThat(outcome.unidentified()).isEqualTo(2);
        assertThat(outcome.errors()).isEqualTo("bad time; quota exceeded for 2 events");
    }

    @Test
    void unnamedRejectionOfEveryEventRejectsEachWithTheErrors()
    {
        DeliveryResult result = interpret("{\"accepted\":0,\"rejected\":2,\"errors\":[\"schema v2 required\"]}", 2).orElseThrow().result();
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

    private static Optional<LogNogResponse.Outcome> interpret(String body, int batchSize)
    {
        return LogNogResponse.interpret(body.getBytes(StandardCharsets.UTF_8), batchSize, new Redactor());
    }
}
