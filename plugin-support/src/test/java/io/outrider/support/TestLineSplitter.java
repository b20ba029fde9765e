package io.outrider.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLineSplitter
{
    private final List<LineSplitter.Line> lines = new ArrayList<>();

    @Test
    void splitsLfAndCrlfAndHoldsThePartialLine()
            throws InterruptedException
    {
        LineSplitter splitter = new LineSplitter(LineEncoding.utf8(), 100, 10);
        feed(splitter, "one\r\ntwo\nthr");
        assertThat(lines).containsExactly(
                new LineSplitter.Line(10, 15, "one", 0, false),
                new LineSplitter.Line(15, 19, "two", 0, false));
        assertThat(splitter.lineStart()).isEqualTo(19);
        assertThat(splitter.position()).isEqualTo(22);
        feed(splitter, "ee\r");
        feed(splitter, "\n\n");
        assertThat(lines).extracting(LineSplitter.Line::text).containsExactly("one", "two", "three", "");
        assertThat(lines.get(2)).isEqualTo(new LineSplitter.Line(19, 26, "three", 0, false));
        assertThat(splitter.hasPartialLine()).isFalse();
    }

    @Test
    void aLoneCarriageReturnIsPartOfTheLine()
            throws InterruptedException
    {
        LineSplitter splitter = new LineSplitter(LineEncoding.utf8(), 100, 0);
        feed(splitter, "Failed password for root\rAccepted password for root\r\n\r\r\nend\r");
        feed(splitter, "\n");
        assertThat(lines).containsExactly(
                new LineSplitter.Line(0, 53, "Failed password for root\rAccepted password for root", 0, false),
                new LineSplitter.Line(53, 56, "\r", 0, false),
                new LineSplitter.Line(56, 61, "end", 0, false));
    }

    @Test
    void refusesALimitBelowOneByte()
    {
        assertThatThrownBy(() -> new LineSplitter(LineEncoding.utf8(), 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLineBytes must be at least 1, not 0");
    }

    @Test
    void truncatesLongLinesAndSkipsTheRest()
            throws InterruptedException
    {
        LineSplitter splitter = new LineSplitter(LineEncoding.utf8(), 5, 0);
        feed(splitter, "abcdefgh");
        feed(splitter, "ij\nkl\n12345\r\n");
        assertThat(lines).containsExactly(
                new LineSplitter.Line(0, 11, "abcde", 5, false),
                new LineSplitter.Line(11, 14, "kl", 0, false),
                new LineSplitter.Line(14, 21, "12345", 0, false));
    }

    @Test
    void doesNotCutACharacterInHalf()
            throws InterruptedException
    {
        LineSplitter splitter = new LineSplitter(LineEncoding.utf8(), 4, 0);
        feed(splitter, "abcé\n");
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.text()).isEqualTo("abc");
            assertThat(line.skippedBytes()).isEqualTo(2);
        });
    }

    @Test
    void keepsNulBytesAndReplacesInvalidUtf8()
            throws InterruptedException
    {
        LineSplitter splitter = new LineSplitter(LineEncoding.utf8(), 100, 0);
        byte[] bytes = {'a', 0, 'b', (byte) 0xC3, '(', (byte) 0xFF, '\n'};
        splitter.consume(bytes, 0, bytes.length, lines::add);
        assertThat(lines).singleElement().extracting(LineSplitter.Line::text).isEqualTo("a\0b\uFFFD(\uFFFD");
    }

    @Test
    void flushesAPartialLineAndSwallowsTheNewlineThatEndsIt()
            throws InterruptedException
    {
        LineSplitter splitter = new LineSplitter(LineEncoding.utf8(), 100, 0);
        feed(splitter, "part");
        assertThat(splitter.flushPartial(lines::add)).isTrue();
        assertThat(splitter.flushPartial(lines::add)).isFalse();
        feed(splitter, "\nnext\n");
        assertThat(lines).containsExactly(
                new LineSplitter.Line(0, 4, "part", 0, true),
                new LineSplitter.Line(5, 10, "next", 0, false));
        assertThat(splitter.lineStart()).isEqualTo(10);
    }

    @Test
    void splitsUtf16OnWholeUnits()
            throws InterruptedException
    {
        LineSplitter splitter = new LineSplitter(LineEncoding.forName("UTF-16LE"), 100, 0);
        // U+0A0A would look like two newline bytes if lines were split on bytes
        byte[] bytes = "\u0a0aé\r\nz\n".getBytes(StandardCharsets.UTF_16LE);
        splitter.consume(bytes, 0, 3, lines::add);
        splitter.consume(bytes, 3, bytes.length - 3, lines::add);
        assertThat(lines).containsExactly(
                new LineSplitter.Line(0, 8, "\u0a0aé", 0, false),
                new LineSplitter.Line(8, 12, "z", 0, false));
    }

    @Test
    void findsEveryNewlinePosition()
    {
        for (int length = 0; length < 40; length++) {
            for (int newline = -1; newline < length; newline++) {
                byte[] bytes = new byte[length];
                java.util.Arrays.fill(bytes, (byte) 0x8A);
                if (newline >= 0) {
                    bytes[newline] = '\n';
                    if (newline + 1 < length) {
                        bytes[newline + 1] = '\n';
                    }
                }
                for (int from = 0; from <= length; from++) {
                    int expected = newline >= from ? newline : (newline >= 0 && newline + 1 >= from && newline + 1 < length ? newline + 1 : -1);
                    assertThat(LineSplitter.indexOfNewline(bytes, from, length)).as("length %d, newline %d, from %d", length, newline, from).isEqualTo(expected);
                }
            }
        }
    }

    private void feed(LineSplitter splitter, String text)
            throws InterruptedException
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.consume(bytes, 0, bytes.length, lines::add);
    }
}
