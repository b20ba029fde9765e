package io.outrider.spi.testing;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRunningInput
{
    @Test
    void runsUntilClosedAndSeesCommittedCheckpoints()
            throws Exception
    {
        CollectingEmitter emitter = new CollectingEmitter();
        Input input = new ScriptedInput(3, null, true);
        try (RunningInput running = RunningInput.start(input, emitter)) {
            assertThat(emitter.awaitCheckpoint("offset", "30"::equals, Duration.ofSeconds(10))).isEqualTo("30");
            assertThat(running.isRunning()).isTrue();
        }
        assertThat(emitter.messages()).containsExactly("e1", "e2", "e3");
    }

    @Test
    void aFailingOrStuckInputFailsTheTest()
            throws Exception
    {
        RunningInput failing = RunningInput.start(new Input()
        {
            @Override
            public void run(Emitter emitter)
            {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public void close()
            {
            }
        }, new CollectingEmitter());
        assertThatThrownBy(() -> failing.stop(Duration.ofSeconds(10))).isInstanceOf(AssertionError.class).hasMessage("input failed: java.lang.IllegalStateException: disk on fire");

        RunningInput stuck = RunningInput.start(new Input()
        {
            @Override
            public void run(Emitter emitter)
                    throws InterruptedException
            {
                Thread.sleep(60_000);
            }

            @Override
            public void close()
            {
            }
        }, new CollectingEmitter());
        assertThatThrownBy(() -> stuck.stop(Duration.ofMillis(200))).hasMessage("input did not return from run() within PT0.2S after close()");
    }

    @Test
    void awaitEndReturnsWhatRunThrewWithoutClosingAndRefusesAnInputThatGoesOn()
            throws Exception
    {
        RunningInput failing = RunningInput.start(new ScriptedInput(0, new IllegalStateException("disk on fire"), false), new CollectingEmitter());
        assertThat(failing.awaitEnd(Duration.ofSeconds(10))).isInstanceOf(IllegalStateException.class).hasMessage("disk on fire");

        RunningInput returning = RunningInput.start(new ScriptedInput(1, null, false), new CollectingEmitter());
        assertThat(returning.awaitEnd(Duration.ofSeconds(10))).isNull();

        RunningInput running = RunningInput.start(new ScriptedInput(0, null, true), new CollectingEmitter());
        assertThatThrownBy(() -> running.awaitEnd(Duration.ofMillis(200))).isInstanceOf(AssertionError.class)
                .hasMessage("input did not return from run() by itself within PT0.2S");
        // awaitEnd did not close it
        assertThat(running.isRunning()).isTrue();
        running.stop(Duration.ofSeconds(10));
    }

    /** Emits events with checkpoints, then throws {@code failure}, or waits until closed, or returns. */
    private static final class ScriptedInput
            implements Input
    {
        private final int events;
        private final RuntimeException failure;
        private final boolean untilClosed;
        private volatile boolean closed;

        ScriptedInput(int events, RuntimeException failure, boolean untilClosed)
        {
            this.events = events;
            this.failure = failure;
            this.untilClosed = untilClosed;
        }

        @Override
        public void run(Emitter out)
                throws Exception
        {
            for (int i = 1; i <= events; i++) {
                out.emit(List.of(Event.of(Instant.EPOCH, "e" + i)), Checkpoint.of("offset", String.valueOf(i * 10)));
            }
            if (failure != null) {
                throw failure;
            }
            while (untilClosed && !closed) {
                Thread.sleep(5);
            }
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }
}
