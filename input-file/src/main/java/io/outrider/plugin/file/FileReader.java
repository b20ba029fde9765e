package io.outrider.plugin.file;

import io.outrider.plugin.file.FilePositions.SavedPosition;
import io.outrider.spi.ComponentContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.util.Objects.requireNonNull;

/**
 * Reads what the followed files hold beyond their positions and hands the bytes to each file's line splitter: files
 * rotated away (or renamed) first, to their end, oldest first, so their lines come before those of whoever took their
 * name; then the files that changed, up to a budget each per cycle so one busy file does not starve the others. While
 * reading it notices a file truncated or rewritten in place (read again from the start, after its copy beside it if
 * there is one: copytruncate) and widens a short file's fingerprint as it grows.
 *
 * <p>Created for one run of the input and used on its thread only.
 */
final class FileReader
{
    private static final int READ_BUFFER_BYTES = 256 << 10;
    /** How much one ordinary file may read per cycle before the others get their turn. */
    private static final long READ_BUDGET_PER_CYCLE = 4 << 20;

    private final ComponentContext context;
    private final System.Logger logger;
    private final FileRegistry registry;
    private final RotatedFiles rotatedFiles;
    private final ScanReconciler reconciler;
    private final EventAssembler assembler;
    private final Batch batch;
    private final FileInputMetrics metrics;
    private final BooleanSupplier stopping;
    private final byte[] readBuffer = new byte[READ_BUFFER_BYTES];

    /**
     * @param stopping whether the input is closing: reading stops between two reads, and the loop ends
     */
    FileReader(ComponentContext context, FileRegistry registry, RotatedFiles rotatedFiles, ScanReconciler reconciler, EventAssembler assembler, Batch batch,
            FileInputMetrics metrics, BooleanSupplier stopping)
    {
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.registry = requireNonNull(registry, "registry is null");
        this.rotatedFiles = requireNonNull(rotatedFiles, "rotatedFiles is null");
        this.reconciler = requireNonNull(reconciler, "reconciler is null");
        this.assembler = requireNonNull(assembler, "assembler is null");
        this.batch = requireNonNull(batch, "batch is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.stopping = requireNonNull(stopping, "stopping is null");
    }

    /** @return whether some file has more to read right away */
    boolean readChanged()
            throws InterruptedException
    {
        boolean more = false;
        // files rotated away first, to their end, oldest first: their lines are older than those of whoever took
        // their name
        List<TrackedFile> rotated = new ArrayList<>();
        for (TrackedFile file : registry.files()) {
            if (file.orphaned || file.renamed) {
                rotated.add(file);
            }
        }
        // modification times tie when both were written within one tick of the kernel's clock; then the file seen
        // first is the older one
        rotated.sort(Comparator.comparingLong((TrackedFile file) -> file.lastModifiedMillis).thenComparingLong(file -> file.sequence));
        for (TrackedFile file : rotated) {
            if (!stopping.getAsBoolean()) {
                more |= read(file, Long.MAX_VALUE);
            }
        }
        for (TrackedFile file : List.copyOf(registry.files())) {
            if (file.needsCheck && !file.orphaned && !stopping.getAsBoolean()) {
                more |= read(file, READ_BUDGET_PER_CYCLE);
            }
        }
        return more;
    }

    /** Reads what {@code file} has beyond its position, up to {@code budget} bytes. @return whether more is left */
    private boolean read(TrackedFile file, long budget)
            throws InterruptedException
    {
        file.needsCheck = false;
        try {
            if (!file.isOpen()) {
                if (!registry.reopen(file)) {
                    return false;
                }
            }
            long size = file.channel.size();
            if (file.undecided && !reconciler.decideStart(file, size)) {
                return false;
            }
            if (!file.orphaned && size > file.splitter.position()) {
                refreshLastModified(file);
            }
            if (size < file.splitter.position() || !file.identity().sameStart(file.channel)) {
                if (restartFromZero(file, size)) {
                    // its copy holds older lines: it is drained first, in the next cycle
                    file.needsCheck = true;
                    return true;
                }
            }
            else if (!file.identity().hasFullFingerprint() && size > file.identity().fingerprintLength()) {
                widenFingerprint(file, size);
            }
            file.size = size;
            long position = file.splitter.position();
            if (position >= size) {
                if (file.renamed) {
                    file.renamed = false;
                }
                return false;
            }
            ByteBuffer buffer = ByteBuffer.wrap(readBuffer);
            while (position < size && budget > 0 && !stopping.getAsBoolean()) {
                buffer.clear();
                if (size - position < buffer.capacity()) {
                    buffer.limit((int) (size - position));
                }
                int count = file.channel.read(buffer, position);
                if (count <= 0) {
                    break;
                }
                file.readTime = context.clock().instant();
                file.lastDataNanos = context.nanoTime();
                file.splitter.consume(readBuffer, 0, count, file.lineSink);
                batch.moved(file);
                position += count;
                budget -= count;
            }
            boolean more = position < size;
            file.needsCheck = more;
            return more;
        }
        catch (IOException e) {
            logger.log(DEBUG, "cannot read " + file.pathText + ": " + e.getMessage());
            registry.closeFile(file);
            registry.requestRescan();
            return false;
        }
    }

    private void refreshLastModified(TrackedFile file)
    {
        try {
            file.setLastModified(Files.getLastModifiedTime(file.openPath).toMillis());
        }
        catch (IOException e) {
            // deleted meanwhile: the next scan orphans it; the last known time stays
        }
    }

    /**
     * The file is shorter than what was read, or starts differently: it was truncated or rewritten.
     *
     * @return whether a copy of it beside it holds lines not read yet (and is followed now)
     */
    private boolean restartFromZero(TrackedFile file, long size)
            throws IOException, InterruptedException
    {
        logger.log(INFO, file.pathText + " was truncated or rewritten (now " + size + " bytes, read up to " + file.splitter.position() + "); reading it from the start");
        metrics.truncations.increment();
        // lines read before the truncation are not thrown away
        assembler.flushPending(file);
        String oldKey = file.key();
        FileIdentity oldIdentity = file.identity();
        long oldOffset = file.offset();
        registry.retire(oldIdentity, oldOffset);
        file.setIdentity(FileIdentity.of(file.identity().fileKey(), file.channel, size));
        file.splitter.reset(0);
        batch.forget(oldKey);
        batch.moved(file);
        if (!file.orphaned && oldIdentity.fingerprintLength() > 0) {
            // copytruncate with the copy outside the globs: what was written between the last read and the copy is
            // only in the copy
            SavedPosition original = new SavedPosition(oldKey, "", oldIdentity, oldOffset, file.sequence, file.path);
            registry.rotated(file.path);
            for (RotatedFiles.Sibling sibling : rotatedFiles.rotatedSiblings(file.path)) {
                if (sibling.compression() == null && rotatedFiles.adoptCopy(original, sibling)) {
                    logger.log(INFO, sibling.path() + " is a copy of " + file.pathText + " made before it was truncated; reading its "
                            + (sibling.stat().size() - oldOffset) + " bytes not read yet from byte " + oldOffset);
                    return sibling.stat().size() > oldOffset;
                }
            }
        }
        return false;
    }

    private void widenFingerprint(TrackedFile file, long size)
            throws IOException
    {
        String oldKey = file.key();
        file.setIdentity(FileIdentity.of(file.identity().fileKey(), file.channel, size));
        batch.forget(oldKey);
        batch.moved(file);
    }
}
