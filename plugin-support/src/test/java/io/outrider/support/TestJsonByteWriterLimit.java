package io.outrider.support;

import io.outrider.support.JsonByteWriter.LimitExceededException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The memory a writer with a limit takes is bounded by that limit, whatever the sizes of the strings written: a
 * batch of events of random sizes up to the file input's default {@code max_line_bytes} (1 MiB), written as NDJSON
 * lines are.
 */
class TestJsonByteWriterLimit
{
    private static final int MAX_LINE_BYTES = 1 << 20;
    /** Characters with every width of JSON escape and UTF-8 encoding: 1, 2, 3, 4 (a pair) and 6 bytes. */
    private static final String[] PIECES = {"a", "Z9 ", "\"", "\\", "\u00e9", "\u65e5", "\ud83d\udd12", "\u0001", "\n", "\u2028", "\ud800"};

    @Property(tries = 40)
    void capacityNeverExceedsTheLimitPlusSlack(@ForAll("lineLengths") List<Integer> lengths,
            @ForAll @IntRange(min = 0, max = 10) int pieceSeed, @ForAll @IntRange(min = 16, max = 2 << 20) int limit,
            @ForAll @IntRange(min = 0, max = 4 << 20) int initialCapacity)
    {
        JsonByteWriter out = new JsonByteWriter(initialCapacity, limit);
        StringBuilder expected = new StringBuilder();
        boolean exceeded = false;
        for (int i = 0; i < lengths.size() && !exceeded; i++) {
            String line = line(lengths.get(i), pieceSeed + i);
            JsonWriter.writeString(expected, line);
            expected.append('\n');
            try {
                out.writeString(line);
                out.raw('\n');
            }
            catch (LimitExceededException e) {
                assertThat(e).hasMessage("the JSON text is longer than the limit of " + limit + " bytes");
                exceeded = true;
            }
            assertThat(out.capacity()).isLessThanOrEqualTo(limit + JsonByteWriter.LIMIT_SLACK);
            assertThat(out.size()).isLessThanOrEqualTo(limit + JsonByteWriter.LIMIT_SLACK);
        }
        byte[] expectedBytes = expected.toString().getBytes(StandardCharsets.UTF_8);
        if (exceeded) {
            assertThat(expectedBytes.length).isGreaterThan(limit);
        }
        else {
            assertThat(out.toByteArray()).isEqualTo(expectedBytes);
        }
    }

    @Provide
    Arbitrary<List<Integer>> lineLengths()
    {
        // characters, not bytes: the longest line of ASCII is MAX_LINE_BYTES characters
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 200), Arbitraries.integers().between(0, MAX_LINE_BYTES))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 200)
    void aWriteThatCrossesTheLimitThrowsAndTheTextBeforeItStays(@ForAll @IntRange(min = 16, max = 5000) int limit)
    {
        JsonByteWriter out = new JsonByteWriter(4, limit);
        out.raw('[');
        String fits = "x".repeat(limit - 3);
        out.writeString(fits);
        assertThat(out.size()).isEqualTo(limit);

        assertThatThrownBy(() -> out.raw(']'))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("the JSON text is longer than the limit of " + limit + " bytes");
        assertThat(out.capacity()).isLessThanOrEqualTo(limit + JsonByteWriter.LIMIT_SLACK);
    }

    private static String line(int length, int seed)
    {
        StringBuilder line = new StringBuilder(length + 2);
        int piece = seed;
        while (line.length() < length) {
            line.append(PIECES[Math.floorMod(piece, PIECES.length)]);
            piece = piece * 31 + 7;
        }
        return line.toString();
    }
}
