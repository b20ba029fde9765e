package io.outrider.spi;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDeliveryResult
{
    @Test
    void deliveredSkippingKeepsTheSkippedEventsApartAndSorted()
    {
        Map<Integer, String> skipped = new HashMap<>();
        skipped.put(7, "litesoc has no event name for account.created");
        skipped.put(2, "litesoc has no event name for session.opened");

        DeliveryResult result = DeliveryResult.deliveredSkipping(skipped);
        skipped.clear();

        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.DELIVERED);
        assertThat(result.reason()).isEmpty();
        assertThat(result.rejected()).isEmpty();
        assertThat(result.skipped()).containsExactly(
                Map.entry(2, "litesoc has no event name for session.opened"),
                Map.entry(7, "litesoc has no event name for account.created"));
        assertThatThrownBy(() -> result.skipped().put(1, "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void deliveredSkippingNothingIsPlainDelivered()
    {
        assertThat(DeliveryResult.deliveredSkipping(Map.of())).isSameAs(DeliveryResult.delivered());
        assertThat(DeliveryResult.delivered().skipped()).isEmpty();
        assertThat(DeliveryResult.rejected("bad").skipped()).isEmpty();
    }

    @Test
    void aTooLargeResultMaySayHowManyEventsFit()
    {
        DeliveryResult cut = DeliveryResult.tooLarge("2000 events encode to more than 1MiB", 1638);
        assertThat(cut.kind()).isEqualTo(DeliveryResult.Kind.TOO_LARGE);
        assertThat(cut.fitting()).hasValue(1638);
        assertThat(cut.toString()).isEqualTo("TOO_LARGE: 2000 events encode to more than 1MiB");
        assertThat(DeliveryResult.tooLarge("HTTP 413").fitting()).isEmpty();
        assertThat(DeliveryResult.delivered().fitting()).isEmpty();
        assertThatThrownBy(() -> DeliveryResult.tooLarge("none fits", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fitting must be at least 1, was 0: use tooLarge(reason) when not even one event fits");
    }
}
