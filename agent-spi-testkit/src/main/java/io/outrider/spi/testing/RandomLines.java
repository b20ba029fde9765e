package io.outrider.spi.testing;

import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * Seeded adversarial lines for a parser's robustness tests: each line glues 1 to {@code maxPieces} pieces, each a
 * fragment of the formats the parser reads or, one time in eight, a random character below U+3000 (controls,
 * surrogate halves and non-ASCII letters included). One seed fixes the whole run, so a failure can be replayed.
 *
 * <pre>{@code
 * RandomLines lines = new RandomLines(20261123L, List.of("Failed ", "password", " for ", " from ", "1.2.3.4"), 12);
 * for (int i = 0; i < 30_000; i++) {
 *     String prefix = lines.pick(PREFIXES);
 *     assertInvariants(parser.parse(Event.of(readAt, prefix + lines.next())));
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class RandomLines
{
    private static final int RANDOM_CHARACTER_ONE_IN = 8;
    private static final int RANDOM_CHARACTER_BOUND = 0x3000;

    private final Random random;
    private final List<String> fragments;
    private final int maxPieces;
    private final StringBuilder line = new StringBuilder();

    public RandomLines(long seed, List<String> fragments, int maxPieces)
    {
        this.fragments = List.copyOf(requireNonNull(fragments, "fragments is null"));
        if (this.fragments.isEmpty()) {
            throw new IllegalArgumentException("fragments is empty");
        }
        if (maxPieces < 1) {
            throw new IllegalArgumentException("maxPieces must be at least 1, not " + maxPieces);
        }
        this.maxPieces = maxPieces;
        this.random = new Random(seed);
    }

    /** The next line, without prefix. */
    public String next()
    {
        line.setLength(0);
        int pieces = 1 + random.nextInt(maxPieces);
        for (int piece = 0; piece < pieces; piece++) {
            if (random.nextInt(RANDOM_CHARACTER_ONE_IN) == 0) {
                line.append((char) random.nextInt(RANDOM_CHARACTER_BOUND));
            }
            else {
                line.append(fragments.get(random.nextInt(fragments.size())));
            }
        }
        return line.toString();
    }

    /** One of {@code choices}, drawn from the same seeded source as the lines. */
    public <T> T pick(List<T> choices)
    {
        return choices.get(random.nextInt(choices.size()));
    }

    /**
     * The seeded source the lines come from, for the test's own choices between lines (which input shape, which
     * program), so that the seed still fixes everything.
     */
    public Random random()
    {
        return random;
    }
}
