package io.outrider.spi.testing;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCollectingEmitter
{
    private static final Event E = Event.of(Instant.EPOCH, "one");

    @Test
    void commitsEventsAndCheckpointsTogether()
            throws Exception
    {
        CollectingEmitter emitter = new CollectingEmitter();
        emitter.emit(List.of(E), Checkpoint.of("f", "10"));
        emitter.emit(List.of(), List.of(Checkpoint.of("g", "1"), Checkpoint.forget("f")));
        assertThat(emitter.messages()).containsExactly("one");
        assertThat(emitter.committedCheckpoints()).isEqualTo(Map.of("g", "1"));
        assertThat(emitter.batches()).isEqualTo(2);
    }

    @Test
    void simulatedCrashCommitsNothing()
            throws Exception
    {
        CollectingEmitter emitter = new CollectingEmitter();
        emitter.failAfter(1);
        assertThatThrownBy(() -> emitter.emit(List.of(E), Checkpoint.of("f", "3"))).isInstanceOf(IllegalStateException.class);
        assertThat(emitter.events()).isEmpty();
        assertThat(emitter.committedCheckpoints()).isEmpty();
    }

    @Test
    void blockHoldsEmitUntilUnblocked()
            throws Exception
    {
        CollectingEmitter emitter = new CollectingEmitter();
        emitter.block();
        Thread writer = new Thread(() -> {
            try {
                emitter.emit(List.of(E), List.of());
            }
            catch (InterruptedException ignored) {
            }
        });
        writer.start();
        writer.join(200);
        assertThat(emitter.events()).isEmpty();
        emitter.unblock();
        emitter.awaitEvents(1, Duration.ofSeconds(10));
        writer.join();
    }
}
