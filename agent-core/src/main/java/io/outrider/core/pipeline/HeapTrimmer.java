package io.outrider.core.pipeline;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Gives a burst's heap back once the agent is quiet again. The launcher sizes the heap with high free ratios
 * ({@code -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70}) so that a steady flow does not collect over and over;
 * the price is that the heap a burst grew is kept for the agent's whole life (measured: RSS 20 s and 60 s after a
 * 1M-line burst were the same, 75 MB above idle). Both ratios are manageable flags: when the buffer changed (events
 * appended or delivered) since the last check but not during a whole check interval, and the heap holds far more than
 * it uses, the trimmer lowers them for one full collection, which shrinks the heap to what is live, and puts them
 * back. Waiting for deliveries too, not only appends, matters when the outputs drain a backlog long after the inputs
 * stopped: the heap they still use is not trimmed from under them, and what an output lets go of once it has been
 * quiet for a few seconds (the http output's request buffers) is garbage by the time the trimmer collects.
 *
 * <p>Called by the agent's timer thread every {@link #CHECK_INTERVAL_SECONDS} seconds while the buffer changes
 * ({@link AfterBurstHousekeeping}); a full collection of the idle agent's live set (a few MB) takes milliseconds. An
 * agent that stays idle is never collected again.
 */
final class HeapTrimmer
{
    /**
     * A burst's heap is given back one to two intervals after the buffer last changed. 30 s put that at 30-60 s, so that a
     * look at the agent a minute after a burst found it trimmed or not by the timer's phase (trims seen 56-58 s after);
     * with 15 s it is 15-30 s. An idle agent does not look (see {@link AfterBurstHousekeeping}).
     */
    static final long CHECK_INTERVAL_SECONDS = 15;
    /**
     * Below this much committed heap above what a trim would keep, a full collection is not worth its pause (10-15 ms
     * for an idle agent's live set). It was 16 MB of committed heap above the live data: once a burst promoted less
     * garbage (session 18), a 5M-line burst left 24 MB committed over 12 MB in use, and nothing was trimmed.
     */
    private static final long MIN_RECLAIMABLE_BYTES = 4L << 20;
    private static final String MIN_FREE = "MinHeapFreeRatio";
    private static final String MAX_FREE = "MaxHeapFreeRatio";
    /**
     * The ratios of the one trimming collection: the old generation shrinks to about 1.1 times what is live, and the
     * young generation, sized by the collection at half the old one, with it. Every page of a young generation is
     * touched again while idle, so its size stays resident: 10/30 left 10 MB more resident after a 1M-line burst
     * than 0/10 (108.9 against 97.9 MiB, the idle agent 92.9). The next promotion that does not fit is a full
     * collection of the idle agent's few MB by the launcher's ratios, which grows the heap as far as it needs.
     */
    private static final int TRIM_MIN_FREE = 0;
    private static final int TRIM_MAX_FREE = 10;

    /** The JVM's side, narrow so that tests can watch it. */
    interface Vm
    {
        MemoryUsage heap();

        /** What the heap held right after the last collection (the live data then, with no garbage). */
        long usedAfterLastCollection();

        String flag(String name);

        void setFlag(String name, String value);

        void fullCollection();
    }

    private final LongSupplier bufferChanges;
    private final Vm vm;
    private long seenChanges;
    private boolean changedSinceTrim;

    /** @param bufferChanges a count that grows with each transaction that appends or removes events */
    HeapTrimmer(LongSupplier bufferChanges, Vm vm)
    {
        this.bufferChanges = requireNonNull(bufferChanges, "bufferChanges is null");
        this.vm = requireNonNull(vm, "vm is null");
        this.seenChanges = bufferChanges.getAsLong();
    }

    /** The running JVM, or null when it is not HotSpot (nothing is trimmed then). */
    static Vm hotSpot()
    {
        HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (diagnostics == null) {
            return null;
        }
        return new Vm()
        {
            @Override
            public MemoryUsage heap()
            {
                return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            }

            @Override
            public long usedAfterLastCollection()
            {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    MemoryUsage afterCollection = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                    if (afterCollection != null) {
                        used += afterCollection.getUsed();
                    }
                }
                return used;
            }

            @Override
            public String flag(String name)
            {
                return diagnostics.getVMOption(name).getValue();
            }

            @Override
            public void setFlag(String name, String value)
            {
                diagnostics.setVMOption(name, value);
            }

            @Override
            public void fullCollection()
            {
                System.gc();
            }
        };
    }

    /** Whether every change this trimmer has seen was followed by a check that trimmed or found it not worth it. */
    boolean settled()
    {
        return !changedSinceTrim;
    }

    /**
     * One check: remembers whether the buffer changed since the last one, and trims after the first interval in which
     * it did not.
     *
     * @return whether it collected
     */
    boolean check()
    {
        long changes = bufferChanges.getAsLong();
        if (changes != seenChanges) {
            seenChanges = changes;
            changedSinceTrim = true;
            return false;
        }
        if (!changedSinceTrim) {
            return false;
        }
        changedSinceTrim = false;
        // not heap.getUsed(): right after a burst most of what it counts is garbage no collection has seen yet. A
        // trimmed heap keeps its initial size (-Xms) and, with the young generation sized at half the old one, about
        // half as much again as is live
        MemoryUsage heap = vm.heap();
        long kept = Math.max(heap.getInit(), vm.usedAfterLastCollection() * 3 / 2);
        if (heap.getCommitted() - kept < MIN_RECLAIMABLE_BYTES) {
            return false;
        }
        String minFree = vm.flag(MIN_FREE);
        String maxFree = vm.flag(MAX_FREE);
        // MinHeapFreeRatio may never exceed MaxHeapFreeRatio: lower the minimum first, raise the maximum first
        vm.setFlag(MIN_FREE, String.valueOf(TRIM_MIN_FREE));
        vm.setFlag(MAX_FREE, String.valueOf(TRIM_MAX_FREE));
        try {
            vm.fullCollection();
        }
        finally {
            vm.setFlag(MAX_FREE, maxFree);
            vm.setFlag(MIN_FREE, minFree);
        }
        return true;
    }
}
