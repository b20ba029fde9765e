package io.outrider.core.pipeline;

import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestEventTap
{
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final EventTap tap = new EventTap(now::get);

    @Test
    void keepsNothingUntilATapAsksAndThenEverythingAfterTheNumberItHasSeen()
            throws InterruptedException
    {
        tap.offer("ssh", "auth_log", events(0, 3));
        EventTap.Batch first = tap.poll(-1, Optional.empty(), Optional.empty(), 100, Duration.ZERO);
        assertThat(first.entries()).isEmpty();
        assertThat(first.next()).isZero();

        tap.offer("ssh", "auth_log", events(3, 5));
        tap.offer("fim", "watched", events(5, 6));
        EventTap.Batch second = tap.poll(first.next(), Optional.empty(), Optional.empty(), 100, Duration.ZERO);
        assertThat(second.entries()).extracting(entry -> entry.pipeline() + "." + entry.component() + " " + entry.event().message())
                .containsExactly("ssh.auth_log line 3", "ssh.auth_log line 4", "fim.watched line 5");
        assertThat(second.next()).isEqualTo(3);
        assertThat(second.missed()).isZero();

        assertThat(tap.poll(second.next(), Optional.empty(), Optional.empty(), 100, Duration.ZERO).entries()).isEmpty();
    }

    @Test
    void filtersByPipelineAndInputAndStopsAtTheLimit()
            throws InterruptedException
    {
        long start = tap.poll(-1, Optional.empty(), Optional.empty(), 1, Duration.ZERO).next();
        tap.offer("ssh", "auth_log", events(0, 2));
        tap.offer("ssh", "journal", events(2, 4));
        tap.offer("fim", "journal", events(4, 5));

        EventTap.Batch journal = tap.poll(start, Optional.of("ssh"), Optional.of("journal"), 1, Duration.ZERO);
        assertThat(journal.entries()).extracting(entry -> entry.event().message()).containsExactly("line 2");
        EventTap.Batch rest = tap.poll(journal.next(), Optional.of("ssh"), Optional.of("journal"), 10, Duration.ZERO);
        assertThat(rest.entries()).extracting(entry -> entry.event().message()).containsExactly("line 3");
        assertThat(rest.next()).isEqualTo(5);
        assertThatThrownBy(() -> tap.poll(0, Optional.empty(), Optional.empty(), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1");
    }

    @Test
    void countsWhatFellOutOfTheRingInsteadOfHoldingIt()
            throws InterruptedException
    {
        long start = tap.poll(-1, Optional.empty(), Optional.empty(), 1, Duration.ZERO).next();
        tap.offer("ssh", "auth_log", events(0, EventTap.CAPACITY + 250));

        EventTap.Batch batch = tap.poll(start, Optional.empty(), Optional.empty(), 2, Duration.ZERO);
        assertThat(batch.missed()).isEqualTo(250);
        assertThat(batch.entries()).extracting(entry -> entry.event().message()).containsExactly("line 250", "line 251");
    }

    @Test
    void letsGoOfEverythingOnceNoTapAskedForAWhile()
            throws InterruptedException
    {
        long start = tap.poll(-1, Optional.empty(), Optional.empty(), 1, Duration.ZERO).next();
        tap.offer("ssh", "auth_log", events(0, 2));
        now.addAndGet(EventTap.IDLE_AFTER.toNanos());
        assertThat(tap.isTapped()).isFalse();
        tap.offer("ssh", "auth_log", events(2, 4));

        // the tap comes back: what came while nobody listened was never kept, and what was kept is gone
        EventTap.Batch batch = tap.poll(start, Optional.empty(), Optional.empty(), 10, Duration.ZERO);
        assertThat(batch.entries()).isEmpty();
        assertThat(tap.isTapped()).isTrue();
    }

    @Test
    void readsFromTheStartWhenTheNumberItHasSeenIsAheadOfTheTap()
            throws InterruptedException
    {
        // a reloaded agent has a new tap whose numbers start again
        tap.poll(-1, Optional.empty(), Optional.empty(), 1, Duration.ZERO);
        tap.offer("ssh", "auth_log", events(0, 1));
        assertThat(tap.poll(9_000, Optional.empty(), Optional.empty(), 10, Duration.ZERO).entries())
                .extracting(entry -> entry.event().message()).containsExactly("line 0");
    }

    @Test
    void aWaitingTapWakesUpForTheNextEvent()
            throws Exception
    {
        EventTap realTime = new EventTap();
        long start = realTime.poll(-1, Optional.empty(), Optional.empty(), 1, Duration.ZERO).next();
        Thread input = new Thread(() -> {
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                return;
            }
            realTime.offer("ssh", "auth_log", events(0, 1));
        });
        input.start();
        EventTap.Batch batch = realTime.poll(start, Optional.empty(), Optional.empty(), 10, Duration.ofSeconds(30));
        input.join();
        assertThat(batch.entries()).extracting(entry -> entry.event().message()).containsExactly("line 0");
    }

    private static List<Event> events(int from, int to)
    {
        return IntStream.range(from, to).mapToObj(i -> Event.of(Instant.ofEpochSecond(1_763_900_000L + i), "line " + i)).toList();
    }
}
