package io.outrider.core.storage;

import io.outrider.spi.Checkpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDeliveredCheckpoints
{
    private static final String PIPELINE = "ssh_auth";

    @Test
    void capturesAtMostOncePerIntervalAndAdvancesToTheNewestCaptureEveryOutputSettled()
    {
        DeliveredCheckpoints positions = new DeliveredCheckpoints();
        positions.outputs(PIPELINE, Map.of("siem", 0L, "archive", 0L));
        commit(positions, 1, "100", 0);
        // the same second: no capture of its own
        commit(positions, 2, "200", 999);
        commit(positions, 3, "300", 1_000);
        assertThat(positions.pendingCaptures(PIPELINE)).isEqualTo(2);

        assertThat(positions.settled(PIPELINE, "siem", 3)).isFalse();
        assertThat(positions.settled(PIPELINE, "archive", 2)).isTrue();
        assertThat(positions.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100"))));
        // an output the pipeline does not have moves nothing
        assertThat(positions.settled(PIPELINE, "gone", 3)).isFalse();

        assertThat(positions.settled(PIPELINE, "archive", 3)).isTrue();
        assertThat(positions.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "300"))));
        assertThat(positions.pendingCaptures(PIPELINE)).isZero();
        // everything is settled: a commit without events is delivered at once
        assertThat(positions.committed(PIPELINE, "auth_log", List.of(Checkpoint.of("inode:42", "350")), false, 0, 1_000)).isTrue();
        assertThat(positions.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "350"))));
    }

    @Test
    void theOldestCapturesGoWhenTooManyWaitWhichOnlyMovesThePositionsLater()
    {
        DeliveredCheckpoints positions = new DeliveredCheckpoints(2);
        positions.outputs(PIPELINE, Map.of("siem", 0L));
        commit(positions, 1, "100", 0);
        commit(positions, 2, "200", 1_000);
        commit(positions, 3, "300", 2_000);
        commit(positions, 4, "400", 3_000);
        assertThat(positions.pendingCaptures(PIPELINE)).isEqualTo(2);

        assertThat(positions.settled(PIPELINE, "siem", 2)).isFalse();
        assertThat(positions.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of()));
        assertThat(positions.settled(PIPELINE, "siem", 3)).isTrue();
        assertThat(positions.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "300"))));
    }

    @Test
    void aRemovedOutputHoldsNothingBackAndAnAddedOneMovesNothingBack()
    {
        DeliveredCheckpoints positions = new DeliveredCheckpoints();
        positions.outputs(PIPELINE, Map.of("siem", 0L, "archive", 0L));
        commit(positions, 1, "100", 0);
        positions.settled(PIPELINE, "siem", 1);

        assertThat(positions.outputs(PIPELINE, Map.of("siem", 1L))).isTrue();
        assertThat(positions.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100"))));
        assertThat(positions.outputs(PIPELINE, Map.of("siem", 1L, "new", 0L))).isFalse();
        assertThat(positions.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100"))));
    }

    @Test
    void atOpenAPipelineWithUndeliveredEventsStartsFromItsMirroredPositionsElseFromItsCommittedOnes()
    {
        Map<String, Map<String, Map<String, String>>> committed = Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "300")), "idle", Map.of("fim", Map.of("baseline", "9")));
        Map<String, Map<String, Long>> cursors = Map.of(PIPELINE, Map.of("siem", 1L), "idle", Map.of("siem", 7L));
        Map<String, Long> lastAppended = Map.of(PIPELINE, 3L, "idle", 7L);

        DeliveredCheckpoints mirrored = new DeliveredCheckpoints();
        mirrored.load(committed, cursors, lastAppended, Optional.of(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100")))));
        assertThat(mirrored.mirrorCopy()).isEqualTo(Map.of(PIPELINE, Map.of("auth_log", Map.of("inode:42", "100")), "idle", Map.of("fim", Map.of("baseline", "9"))));

        DeliveredCheckpoints unmirrored = new DeliveredCheckpoints();
        unmirrored.load(committed, cursors, lastAppended, Optional.empty());
        assertThat(unmirrored.mirrorCopy()).isEqualTo(committed);
    }

    @Test
    void aCapOfNoCaptureIsRefused()
    {
        assertThatThrownBy(() -> new DeliveredCheckpoints(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("maxPending must be at least 1: 0");
    }

    private static void commit(DeliveredCheckpoints positions, long seq, String offset, long millis)
    {
        positions.committed(PIPELINE, "auth_log", List.of(Checkpoint.of("inode:42", offset)), true, seq, millis);
    }
}
