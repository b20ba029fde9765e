package io.outrider.plugin.file;

import io.outrider.support.LineSplitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TestMultilineAggregator
{
    private final List<MultilineAggregator.Group> groups = new ArrayList<>();
    private long offset;

    @Test
    void joinsByStartPattern()
            throws InterruptedException
    {
        MultilineAggregator aggregator = new MultilineAggregator(Pattern.compile("^\\d{4}-"), null, 100, 1000);
        add(aggregator, "2024-01-01 error");
        add(aggregator, "  at a.b(C.java:1)");
        add(aggregator, "  at a.c(C.java:2)");
        assertThat(groups).isEmpty();
        assertThat(aggregator.pendingStart()).isZero();
        add(aggregator, "2024-01-02 next");
        assertThat(groups).containsExactly(new MultilineAggregator.Group(0, "2024-01-01 error\n  at a.b(C.java:1)\n  at a.c(C.java:2)", 3, false, false));
        assertThat(aggregator.pendingStart()).isEqualTo(3);
        aggregator.flush(groups::add);
        assertThat(groups).hasSize(2);
        assertThat(aggregator.hasPending()).isFalse();
    }

    @Test
    void joinsByContinuationPatternUpToTheLineLimit()
            throws InterruptedException
    {
        MultilineAggregator aggregator = new MultilineAggregator(null, Pattern.compile("^\\s"), 2, 1000);
        add(aggregator, "a");
        add(aggregator, " b");
        add(aggregator, " c");
        add(aggregator, "d");
        assertThat(groups).extracting(MultilineAggregator.Group::text).containsExactly("a\n b", " c");
    }

    @Test
    void flagsAnEventCutAtItsSizeLimit()
            throws InterruptedException
    {
        MultilineAggregator aggregator = new MultilineAggregator(null, Pattern.compile("^\\s"), 100, 7);
        add(aggregator, "abc");
        add(aggregator, " de");
        add(aggregator, " fg");
        aggregator.flush(groups::add);
        assertThat(groups).containsExactly(new MultilineAggregator.Group(0, "abc\n de", 3, true, false));
    }

    private void add(MultilineAggregator aggregator, String text)
            throws InterruptedException
    {
        aggregator.add(new LineSplitter.Line(offset, offset + 1, text, 0, false), 0, groups::add);
        offset++;
    }
}
