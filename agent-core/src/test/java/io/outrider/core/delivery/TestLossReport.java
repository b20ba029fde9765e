package io.outrider.core.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TestLossReport
{
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> lines = new ArrayList<>();
    private final LossReport report = new LossReport("p.siem", Duration.ofSeconds(30), now::get, lines::add);

    @Test
    void saysTheFirstLossAtOnceAndSumsTheRestOfTheIntervalIntoTheNextLine()
    {
        report.deadLettered(1, 1, "HTTP 400: bad field");
        report.deadLettered(3, 500, "HTTP 400: bad field");
        report.deadLettered(4, 500, "HTTP 400: bad field");
        assertThat(lines).containsExactly("output p.siem sent 1 event of a batch of 1 to the dead letters: it was refused (HTTP 400: bad field); "
                + "'outrider dead-letters list' shows them and 'outrider dead-letters replay' sends them again");

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        report.deadLettered(2, 10, "HTTP 422: no timestamp");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("output p.siem sent 2 events of a batch of 10 to the dead letters: they were refused (HTTP 422: no timestamp); "
                + "7 more events in 2 batches went there since the last such message; "
                + "'outrider dead-letters list' shows them and 'outrider dead-letters replay' sends them again");
    }

    @Test
    void flushSaysWhatTheIntervalHeldBackAndNothingWhenNothingWas()
    {
        report.flush();
        assertThat(lines).isEmpty();

        report.deadLettered(1, 1, "HTTP 400");
        report.deadLettered(1, 1, "HTTP 400");
        report.flush();
        report.flush();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("output p.siem sent 1 more event in 1 batch to the dead letters since the last such message");
    }

    /**
     * A collector that refused a batch 9 s after the first WARN and then nothing more left those events unsaid until
     * the output stopped: what is held back is due one interval after the last line, and the idle delivery thread
     * waits no longer than that.
     */
    @Test
    void whatIsHeldBackIsSaidWhenItsIntervalEndsWithoutAnotherLoss()
    {
        assertThat(report.untilDue(Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
        report.deadLettered(1, 3, "HTTP 400 for event 2");
        assertThat(report.untilDue(Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        report.deadLettered(10, 10, "HTTP 400");
        assertThat(report.untilDue(Duration.ofDays(1))).isEqualTo(Duration.ofSeconds(21));

        now.addAndGet(Duration.ofSeconds(20).toNanos());
        report.flushIfDue();
        assertThat(lines).hasSize(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        report.flushIfDue();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("output p.siem sent 10 more events in 1 batch to the dead letters since the last such message;"
                + " 'outrider dead-letters list' shows them");
        assertThat(report.untilDue(Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
        // the line just said starts an interval: the next loss within it is held back again
        report.deadLettered(2, 2, "HTTP 400");
        assertThat(lines).hasSize(2);
    }
}
