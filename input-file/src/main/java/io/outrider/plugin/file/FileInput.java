package io.outrider.plugin.file;

import io.outrider.spi.ComponentContext;
import io.outrider.spi.Emitter;
import io.outrider.spi.Input;
import io.outrider.support.GlobPattern;
import io.outrider.support.LineEncoding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Tails the files matched by globs and emits one event per line (or per multi-line group) with checkpoints keyed by
 * file identity. Everything runs on the thread that calls {@link #run}; {@link #close()} only raises a flag and
 * wakes that thread.
 *
 * <p>A cycle: wait for a kernel notification or a deadline; look again at the directories where entries were created,
 * deleted or renamed (and walk new directories), or expand the globs again when the kernel dropped events or the
 * safety-net interval passed; drain files rotated away first so their lines come before those of their successors,
 * read the files that changed, then apply time limits (partial lines, multi-line events, released and inactive files)
 * and emit what is pending. While nothing changes nothing is done: no file is polled at its end.
 *
 * <p>This class owns the loop and its deadlines; the jobs are done by the parts it creates for each run, which share
 * one {@link Batch} (events and the positions they reach, emitted together):
 * <ul>
 * <li>{@link FilePositions}: the checkpoint keys and values;
 * <li>{@link ResumePlanner}: where each file is read from at start, and why;
 * <li>{@link FileRegistry}: the files followed, their open handles, and what is remembered of files let go of;
 * <li>{@link ScanReconciler}: renames, rotations, deletions and new files (or copies) found by a scan while running;
 * <li>{@link RotatedFiles}: files rotated beside a watched name, found by inode, as copies, or as never read;
 * <li>{@link FileReader}: reading, truncation and rewriting in place;
 * <li>{@link EventAssembler}: lines to events, multi-line groups, long lines, fields, partial-line and multi-line timeouts.
 * </ul>
 * What the input does on rename, copytruncate, truncation, deletion, inode reuse and restart while rotated is
 * described in the module's README ("Rotation rules").
 */
final class FileInput
        implements Input
{
    private final FileInputConfig config;
    private final ComponentContext context;
    private final System.Logger logger;
    private final FileScanner scanner;
    private final LineEncoding encoding;
    private final Pattern multilineStart;
    private final Pattern multilineContinuation;
    /**
     * At a first start with {@code read_from: end}, where each file ended when the input was created. The agent
     * creates inputs before it reports that it started, and runs them after: a position taken in {@link #run} would
     * skip the lines written in between.
     */
    private final Map<FileIdentity.FileKey, ResumePlanner.EndOfFile> endsAtCreation;
    private final FileInputMetrics metrics;
    private final NotifyChangeSource.Watches watches;

    private volatile boolean closed;
    private volatile ChangeSource changeSource;

    /** The parts of one run, created by {@link #run} and used on its thread. */
    private record Parts(Batch batch, EventAssembler assembler, FileRegistry registry, ScanReconciler reconciler, FileReader reader) {}

    FileInput(FileInputConfig config, ComponentContext context, List<GlobPattern> patterns, LineEncoding encoding, Pattern multilineStart, Pattern multilineContinuation,
            NotifyChangeSource.Watches watches)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.logger = context.logger();
        this.scanner = new FileScanner(patterns, config.exclude());
        this.encoding = requireNonNull(encoding, "encoding is null");
        this.multilineStart = multilineStart;
        this.multilineContinuation = multilineContinuation;
        this.metrics = new FileInputMetrics(context.metrics());
        this.watches = requireNonNull(watches, "watches is null");
        boolean firstStart = !context.checkpoints().containsKey(FilePositions.STARTED_KEY);
        this.endsAtCreation = firstStart && config.readFrom() == FileInputConfig.ReadFrom.END ? ResumePlanner.endsOfFiles(scanner.scan(), encoding) : Map.of();
    }

    @Override
    public void run(Emitter emitter)
            throws Exception
    {
        if (closed) {
            return;
        }
        ChangeSource source = createChangeSource();
        changeSource = source;
        Batch batch = new Batch(emitter, config.batchMaxEvents(), config.batchMaxBytes().bytes());
        EventAssembler assembler = new EventAssembler(config, context, encoding, multilineStart, multilineContinuation, metrics, batch);
        FileRegistry registry = new FileRegistry(context, config.maxOpenFiles(), metrics, assembler, batch);
        RotatedFiles rotatedFiles = new RotatedFiles(context, scanner, registry, assembler, batch);
        ScanReconciler reconciler = new ScanReconciler(context, registry, rotatedFiles, assembler, batch, metrics);
        FileReader reader = new FileReader(context, registry, rotatedFiles, reconciler, assembler, batch, metrics, () -> closed);
        try {
            if (closed) {
                return;
            }
            new ResumePlanner(config, context, scanner, endsAtCreation, registry, rotatedFiles, reconciler, assembler, batch, metrics).resume(source);
            // what was created between the first scan and the watches it led to is only seen by a scan after them
            registry.requestRescan();
            loop(source, new Parts(batch, assembler, registry, reconciler, reader));
            registry.letGoOfDeletedFiles();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            source.close();
            registry.closeAll();
        }
    }

    private ChangeSource createChangeSource()
    {
        if (config.mode() == FileInputConfig.Mode.NOTIFY) {
            try {
                return new NotifyChangeSource(watches, config.pollInterval(), logger);
            }
            catch (IOException e) {
                // e.g. the per-user limit of inotify instances: tailing slower beats not tailing
                logger.log(WARNING, "cannot use kernel change notification (" + e.getMessage() + "): checking every file every " + config.pollInterval().toMillis()
                        + " ms (poll_interval) instead; if the limit of inotify instances was reached, raise fs.inotify.max_user_instances");
            }
        }
        return new PollingChangeSource();
    }

    @Override
    public void close()
    {
        closed = true;
        ChangeSource source = changeSource;
        if (source != null) {
            source.wakeUp();
        }
    }

    private void loop(ChangeSource source, Parts run)
            throws IOException, InterruptedException
    {
        FileRegistry registry = run.registry();
        SafetyScanInterval safetyScans = new SafetyScanInterval(config.scanInterval());
        boolean saidUnreported = false;
        long pollIntervalNanos = config.pollInterval().toNanos();
        long nextScan = context.nanoTime() + (source.watchesEverything() ? safetyScans.nanos() : pollIntervalNanos);
        boolean moreToRead = true;
        // the directories watched: those of the last full scan, and those found since by notifications
        Set<Path> watched = new HashSet<>();
        // directories watched since the scan that found them: what was created in them before is seen by walking them again
        Set<Path> walkAgain = new HashSet<>();
        while (!closed) {
            long now = context.nanoTime();
            long waitNanos = moreToRead || registry.rescanRequested() || !walkAgain.isEmpty() ? 0 : Math.max(0, nextDeadline(run, now, nextScan) - now);
            ChangeSource.Changes changes = source.await(waitNanos);
            if (closed) {
                return;
            }
            now = context.nanoTime();
            // the safety net's own scan, due by its schedule alone, with every directory watched: what it finds that
            // notifications did not report decides when the next one is (SafetyScanInterval)
            boolean scanDue = now - nextScan >= 0;
            boolean scanAsked = registry.rescanRequested() || changes.overflow();
            boolean safetyScan = scanDue && !scanAsked && source.watchesEverything();
            Scope scope = scanAsked || scanDue ? Scope.EVERYTHING : scope(source, registry, changes, walkAgain);
            walkAgain.clear();
            // a change a notification reported is marked before a scan compares sizes: it is not one notifications missed
            markModified(registry, changes);
            if (scope.everything()) {
                registry.clearRescanRequest();
                FileScanner.ScanResult result = scanner.scan();
                watched = new HashSet<>(result.directories());
                if (!source.watch(watched).isEmpty()) {
                    // a directory that appeared (/var/log/**/x.log): what was created in it before its watch began is
                    // only seen by a scan after it
                    registry.requestRescan();
                }
                boolean unreported = run.reconciler().apply(result);
                if (safetyScan) {
                    safetyScans.scanned(unreported);
                    if (unreported && !saidUnreported) {
                        saidUnreported = true;
                        logger.log(INFO, "the safety-net scan found changes that change notifications had not reported (files on a network file system?): "
                                + "scanning every " + (config.scanInterval().toMillis() < 1000 ? config.scanInterval().toMillis() + " ms" : config.scanInterval().toSeconds() + " s")
                                + " (scan_interval) while scans find such changes; mode: poll checks every poll_interval");
                    }
                }
                // without a watch on every directory, changes are found by stat only: poll
                nextScan = now + (source.watchesEverything() ? safetyScans.nanos() : pollIntervalNanos);
            }
            else if (!scope.isEmpty()) {
                // only where the notifications point
                FileScanner.ScanResult result = scanner.scan(scope.listed(), scope.walked());
                watched.removeIf(directory -> Scope.isBelowAny(directory, scope.gone()) && !Files.isDirectory(directory));
                watched.addAll(result.directories());
                walkAgain.addAll(source.watch(watched));
                if (!source.watchesEverything()) {
                    nextScan = Math.min(nextScan, now + pollIntervalNanos);
                }
                run.reconciler().apply(result, scope::covers);
            }
            // again: the files a scan just found under the names notified
            markModified(registry, changes);
            moreToRead = run.reader().readChanged();
            applyTimeLimits(run, context.nanoTime());
            run.batch().flush();
        }
    }

    /**
     * What notifications say must be looked at again: directories to list, new directories to walk, and the paths
     * that may be gone (files, or directories that may have held some); or everything (a full scan).
     */
    private record Scope(boolean everything, Set<Path> listed, Set<Path> walked, Set<Path> gone)
    {
        static final Scope EVERYTHING = new Scope(true, Set.of(), Set.of(), Set.of());

        boolean isEmpty()
        {
            return listed.isEmpty() && walked.isEmpty() && gone.isEmpty();
        }

        /** Whether a scan of this scope would have found {@code file} if it were still there. */
        boolean covers(TrackedFile file)
        {
            return listed.contains(file.path.getParent()) || isBelowAny(file.path, walked) || isBelowAny(file.path, gone);
        }

        static boolean isBelowAny(Path path, Set<Path> roots)
        {
            for (Path root : roots) {
                if (path.startsWith(root)) {
                    return true;
                }
            }
            return false;
        }
    }

    private Scope scope(ChangeSource source, FileRegistry registry, ChangeSource.Changes changes, Set<Path> walkAgain)
    {
        Set<Path> listed = new HashSet<>();
        Set<Path> walked = new HashSet<>(walkAgain);
        Set<Path> gone = new HashSet<>();
        List<Path> paths = new ArrayList<>(changes.structural());
        for (Path path : changes.modified()) {
            // written to but not followed: created before its directory was watched, say
            if (!registry.hasPath(path) && scanner.matches(path)) {
                paths.add(path);
            }
        }
        for (Path path : paths) {
            TrackedFile file = registry.byPath(path);
            if (file != null) {
                if (!file.path.equals(file.realPath)) {
                    // followed through a symbolic link, which lives in another directory
                    return Scope.EVERYTHING;
                }
                listed.add(path.getParent());
                gone.add(path);
            }
            else if (scanner.matches(path)) {
                listed.add(path.getParent());
            }
            else if (Files.isDirectory(path)) {
                if (scanner.leadsToMatches(path)) {
                    walked.add(path);
                }
            }
            else if (source.watches(path)) {
                // a watched directory deleted or moved away
                if (scanner.holdsBaseDirectory(path)) {
                    return Scope.EVERYTHING;
                }
                gone.add(path);
            }
        }
        return new Scope(false, listed, walked, gone);
    }

    private static void markModified(FileRegistry registry, ChangeSource.Changes changes)
    {
        for (Path path : changes.modified()) {
            TrackedFile file = registry.byPath(path);
            if (file != null) {
                file.needsCheck = true;
            }
        }
    }

    /** The earliest time-limit deadline of any file ({@code nextScan} when none is nearer). */
    private long nextDeadline(Parts run, long now, long nextScan)
    {
        long deadline = nextScan;
        for (TrackedFile file : run.registry().files()) {
            deadline = run.assembler().nextDeadline(file, deadline);
            if (file.undecided) {
                deadline = Math.min(deadline, run.reconciler().settleDeadline(file));
            }
            if (file.orphaned) {
                // deleted files produce no notifications: look at them at the poll interval
                deadline = Math.min(deadline, Math.min(now + config.pollInterval().toNanos(), file.lastDataNanos + config.rotateWait().toNanos()));
            }
            else if (file.isOpen()) {
                deadline = Math.min(deadline, file.lastDataNanos + config.closeInactive().toNanos());
            }
        }
        return deadline;
    }

    private void applyTimeLimits(Parts run, long now)
            throws InterruptedException
    {
        FileRegistry registry = run.registry();
        for (TrackedFile file : List.copyOf(registry.files())) {
            if (file.undecided) {
                file.needsCheck = true;
            }
            run.assembler().applyTimeLimits(file, now);
            if (file.orphaned) {
                if (now - file.lastDataNanos >= config.rotateWait().toNanos() && drained(file)) {
                    registry.release(file);
                }
            }
            else if (file.isOpen() && now - file.lastDataNanos >= config.closeInactive().toNanos()) {
                if (drained(file)) {
                    logger.log(DEBUG, "closing " + file.pathText + " after " + config.closeInactive() + " without new data");
                    registry.closeFile(file);
                }
                else {
                    file.needsCheck = true;
                }
            }
        }
    }

    private static boolean drained(TrackedFile file)
    {
        try {
            return !file.isOpen() || file.channel.size() <= file.splitter.position();
        }
        catch (IOException e) {
            return true;
        }
    }
}
