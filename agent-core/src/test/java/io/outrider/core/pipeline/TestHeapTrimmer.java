package io.outrider.core.pipeline;

import org.junit.jupiter.api.Test;

import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TestHeapTrimmer
{
    private static final long MB = 1L << 20;

    @Test
    void collectsOnceAfterTheBufferStopsChangingWithTheRatiosLoweredAndThenRestored()
    {
        AtomicLong sequence = new AtomicLong(100);
        RecordingVm vm = new RecordingVm(new MemoryUsage(12 * MB, 20 * MB, 140 * MB, 192 * MB));
        HeapTrimmer trimmer = new HeapTrimmer(sequence::get, vm);

        assertThat(trimmer.check()).as("no change since start").isFalse();
        sequence.set(5_000);
        assertThat(trimmer.check()).as("appending or delivering").isFalse();
        sequence.set(9_000);
        assertThat(trimmer.check()).as("still changing").isFalse();
        assertThat(vm.calls).isEmpty();

        assertThat(trimmer.check()).as("a whole interval without a change").isTrue();
        assertThat(vm.calls).containsExactly("MinHeapFreeRatio=0", "MaxHeapFreeRatio=10", "gc", "MaxHeapFreeRatio=95", "MinHeapFreeRatio=80");
        assertThat(vm.flags).containsEntry("MinHeapFreeRatio", "80").containsEntry("MaxHeapFreeRatio", "95");

        assertThat(trimmer.check()).as("an agent that stays idle is not collected again").isFalse();
        assertThat(trimmer.check()).isFalse();
        assertThat(vm.calls).hasSize(5);
    }

    @Test
    void aHeapFullOfGarbageAfterABurstIsTrimmedByWhatWasLiveAtTheLastCollection()
    {
        // right after a burst the heap's used bytes are mostly garbage: what counts is what the last collection kept
        RecordingVm vm = new RecordingVm(new MemoryUsage(12 * MB, 130 * MB, 140 * MB, 192 * MB));
        vm.afterCollection = 9 * MB;
        HeapTrimmer trimmer = afterOneChange(vm);

        assertThat(trimmer.check()).isTrue();
        assertThat(vm.calls).contains("gc");
    }

    @Test
    void aHeapWithLittleToGiveBackIsLeftAlone()
    {
        RecordingVm vm = new RecordingVm(new MemoryUsage(12 * MB, 20 * MB, 30 * MB, 192 * MB));
        HeapTrimmer trimmer = afterOneChange(vm);

        assertThat(trimmer.check()).isFalse();
        assertThat(vm.calls).isEmpty();
    }

    @Test
    void aBurstsHeapAFewMegabytesAboveWhatATrimKeepsIsTrimmed()
    {
        // measured after a 5M-line burst: 24 MB committed, 12 MB in use after the last (young) collection, -Xms12m
        RecordingVm vm = new RecordingVm(new MemoryUsage(12 * MB, 18 * MB, 24 * MB, 192 * MB));
        vm.afterCollection = 12 * MB;
        HeapTrimmer trimmer = afterOneChange(vm);

        assertThat(trimmer.check()).isTrue();
    }

    @Test
    void aHeapAtItsInitialSizeIsLeftAlone()
    {
        // the idle agent after a few events: nothing a collection could give back below -Xms
        RecordingVm vm = new RecordingVm(new MemoryUsage(12 * MB, 9 * MB, 12 * MB + 300 * 1024, 192 * MB));
        vm.afterCollection = 6 * MB;
        HeapTrimmer trimmer = afterOneChange(vm);

        assertThat(trimmer.check()).isFalse();
        assertThat(vm.calls).isEmpty();
    }

    @Test
    void theRatiosComeBackEvenWhenTheCollectionFails()
    {
        RecordingVm vm = new RecordingVm(new MemoryUsage(12 * MB, 20 * MB, 140 * MB, 192 * MB));
        vm.failCollection = true;
        HeapTrimmer trimmer = afterOneChange(vm);

        try {
            trimmer.check();
        }
        catch (IllegalStateException expected) {
            // the scheduled task logs it
        }
        assertThat(vm.flags).containsEntry("MinHeapFreeRatio", "80").containsEntry("MaxHeapFreeRatio", "95");
    }

    @Test
    void theRunningJvmLetsTheRatiosBeLoweredAndPutBack()
    {
        // the launcher's flags are manageable on HotSpot: the trimmer's change must be accepted and undone exactly
        HeapTrimmer.Vm vm = HeapTrimmer.hotSpot();
        assertThat(vm).isNotNull();
        String minFree = vm.flag("MinHeapFreeRatio");
        String maxFree = vm.flag("MaxHeapFreeRatio");
        vm.fullCollection();
        assertThat(vm.usedAfterLastCollection()).isPositive();
        RecordingVm recording = new RecordingVm(new MemoryUsage(0, 0, 64 * MB, -1))
        {
            @Override
            public String flag(String name)
            {
                return vm.flag(name);
            }

            @Override
            public void setFlag(String name, String value)
            {
                vm.setFlag(name, value);
                calls.add(name + "=" + vm.flag(name));
            }
        };
        HeapTrimmer trimmer = afterOneChange(recording);

        assertThat(trimmer.check()).isTrue();
        assertThat(recording.calls).startsWith("MinHeapFreeRatio=0", "MaxHeapFreeRatio=10", "gc");
        assertThat(vm.flag("MinHeapFreeRatio")).isEqualTo(minFree);
        assertThat(vm.flag("MaxHeapFreeRatio")).isEqualTo(maxFree);
    }

    /** A trimmer over {@code vm} that has seen the buffer change once since it was made. */
    private static HeapTrimmer afterOneChange(RecordingVm vm)
    {
        AtomicLong changes = new AtomicLong();
        HeapTrimmer trimmer = new HeapTrimmer(changes::get, vm);
        changes.set(10);
        trimmer.check();
        return trimmer;
    }

    private static class RecordingVm
            implements HeapTrimmer.Vm
    {
        final List<String> calls = new ArrayList<>();
        final Map<String, String> flags = new LinkedHashMap<>(Map.of("MinHeapFreeRatio", "80", "MaxHeapFreeRatio", "95"));
        private final MemoryUsage heap;
        boolean failCollection;
        long afterCollection = -1;

        RecordingVm(MemoryUsage heap)
        {
            this.heap = heap;
        }

        @Override
        public MemoryUsage heap()
        {
            return heap;
        }

        @Override
        public long usedAfterLastCollection()
        {
            return afterCollection >= 0 ? afterCollection : heap.getUsed();
        }

        @Override
        public String flag(String name)
        {
            return flags.get(name);
        }

        @Override
        public void setFlag(String name, String value)
        {
            flags.put(name, value);
            calls.add(name + "=" + value);
        }

        @Override
        public void fullCollection()
        {
            calls.add("gc");
            if (failCollection) {
                throw new IllegalStateException("collection failed");
            }
        }
    }
}
