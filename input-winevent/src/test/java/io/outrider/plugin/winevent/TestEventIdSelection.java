package io.outrider.plugin.winevent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestEventIdSelection
{
    @Test
    void mixedIntegersRangesAndExclusions()
    {
        EventIdSelection selection = EventIdSelection.parse(List.of(4624, "4700-4800", -4735, "-4750", " 4625 "));
        assertThat(selection.included()).containsExactly(new EventIdRange(4624, 4625), new EventIdRange(4700, 4800));
        assertThat(selection.excluded()).containsExactly(EventIdRange.of(4735), EventIdRange.of(4750));
        assertThat(selection.matches(4624)).isTrue();
        assertThat(selection.matches(4625)).isTrue();
        assertThat(selection.matches(4700)).isTrue();
        assertThat(selection.matches(4735)).isFalse();
        assertThat(selection.matches(4750)).isFalse();
        assertThat(selection.matches(4801)).isFalse();
        assertThat(selection.matches(1102)).isFalse();
    }

    @Test
    void onlyExclusionsKeepEverythingElse()
    {
        EventIdSelection selection = EventIdSelection.parse(List.of("-4700-4710", -5156L));
        assertThat(selection.matches(4624)).isTrue();
        assertThat(selection.matches(4705)).isFalse();
        assertThat(selection.matches(5156)).isFalse();
        assertThat(EventIdSelection.parse(List.of()).isAll()).isTrue();
    }

    @Test
    void overlappingAndAdjacentRangesMerge()
    {
        EventIdSelection selection = EventIdSelection.parse(List.of("10-20", "15-30", 31, 33, "1-5", 5));
        assertThat(selection.included()).containsExactly(new EventIdRange(1, 5), new EventIdRange(10, 31), EventIdRange.of(33));
    }

    @Test
    void mistakesAreExplained()
    {
        assertThatThrownBy(() -> EventIdSelection.parse(List.of("4624,4625")))
                .hasMessage("'4624,4625' is not an event id: write a number (4624), a range (\"4700-4800\") or an exclusion (-4735)");
        assertThatThrownBy(() -> EventIdSelection.parse(List.of("4800-4700")))
                .hasMessage("'4800-4700' is an empty range: write the lower id first");
        assertThatThrownBy(() -> EventIdSelection.parse(List.of(70000)))
                .hasMessage("event id 70000 is out of range: event ids are 0 to 65535");
        assertThatThrownBy(() -> EventIdSelection.parse(List.of("1-70000")))
                .hasMessage("'1-70000' is out of range: event ids are 0 to 65535");
        assertThatThrownBy(() -> EventIdSelection.parse(List.of(1.5)))
                .hasMessage("'1.5' is not an event id: write a number (4624), a range (\"4700-4800\") or an exclusion (-4735)");
    }

    @Test
    void levelsByNameAndNumber()
    {
        assertThat(EventLevels.parse(List.of("information"))).containsExactlyInAnyOrder(0, 4);
        assertThat(EventLevels.parse(List.of("Critical", "error", "warning", "verbose", 4, "16"))).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 16);
        assertThatThrownBy(() -> EventLevels.parse(List.of("loud")))
                .hasMessage("'loud' is not a level: use critical, error, warning, information, verbose or a number 0-255");
        assertThatThrownBy(() -> EventLevels.parse(List.of(300)))
                .hasMessage("level 300 is out of range: levels are 0 to 255");
    }
}
