package io.outrider.spi.testing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRandomLines
{
    private static final List<String> FRAGMENTS = List.of("Failed ", "password", " for ", " from ", "1.2.3.4");

    @Test
    void oneSeedMakesTheSameLinesAndChoices()
    {
        assertThat(run(new RandomLines(7, FRAGMENTS, 12))).isEqualTo(run(new RandomLines(7, FRAGMENTS, 12)));
        assertThat(run(new RandomLines(7, FRAGMENTS, 12))).isNotEqualTo(run(new RandomLines(8, FRAGMENTS, 12)));
    }

    @Test
    void aPieceIsAFragmentOrOneTimeInEightARandomCharacter()
    {
        RandomLines single = new RandomLines(20261123L, FRAGMENTS, 1);
        int characters = 0;
        for (int i = 0; i < 2_000; i++) {
            String line = single.next();
            if (!FRAGMENTS.contains(line)) {
                assertThat(line).hasSize(1);
                assertThat(line.charAt(0)).isLessThan((char) 0x3000);
                characters++;
            }
        }
        assertThat(characters).isBetween(2_000 / 16, 2_000 / 4);

        RandomLines glued = new RandomLines(20261123L, List.of("ab"), 3);
        for (int i = 0; i < 500; i++) {
            assertThat(glued.next().length()).isBetween(1, 6);
        }
    }

    @Test
    void theSameSourceDrawsTheTestsOwnChoices()
    {
        RandomLines lines = new RandomLines(3, FRAGMENTS, 4);
        Random replay = new Random(3);
        int pieces = 1 + replay.nextInt(4);
        for (int piece = 0; piece < pieces; piece++) {
            if (replay.nextInt(8) == 0) {
                replay.nextInt(0x3000);
            }
            else {
                replay.nextInt(FRAGMENTS.size());
            }
        }
        lines.next();

        assertThat(lines.random().nextInt(1000)).isEqualTo(replay.nextInt(1000));
        assertThat(lines.pick(List.of("a", "b", "c"))).isEqualTo(List.of("a", "b", "c").get(replay.nextInt(3)));
    }

    @Test
    void refusesNoFragmentsOrNoPieces()
    {
        assertThatThrownBy(() -> new RandomLines(1, List.of(), 3)).isInstanceOf(IllegalArgumentException.class).hasMessage("fragments is empty");
        assertThatThrownBy(() -> new RandomLines(1, FRAGMENTS, 0)).isInstanceOf(IllegalArgumentException.class).hasMessage("maxPieces must be at least 1, not 0");
    }

    private static List<String> run(RandomLines lines)
    {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            made.add(lines.pick(List.of("<", ">")) + lines.next());
        }
        return made;
    }
}
