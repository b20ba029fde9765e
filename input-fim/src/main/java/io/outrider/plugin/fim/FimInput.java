package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileChange.Action;
import io.outrider.plugin.fim.FileState.FileType;
import io.outrider.plugin.fim.FileState.HashState;
import io.outrider.plugin.fim.FimEvents.ScanSummary;
import io.outrider.spi.Checkpoint;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentMetrics;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * File integrity monitoring: keeps a baseline of the selected files (attributes and SHA-256) in a SQLite database in
 * the component's data directory and reports every difference as an event.
 *
 * <p>On start the whole selection is compared with the baseline, so changes made while the agent was down are
 * reported; the very first scan builds the baseline without change events. Then changes are found through kernel
 * notifications (debounced), by a full rescan every {@code rescan_interval}, and by an immediate, rate-limited
 * rescan of the roots concerned whenever notifications were lost, announced by a {@code gap} event.
 *
 * <p>Consistency: the new baseline row of a change goes into an open transaction, which is committed only after the
 * change's events were handed to the agent and {@link Emitter#emit} returned. A crash in between leaves the old row
 * (the transaction is rolled back), so the change is reported again after the restart: a change may be reported
 * twice, never lost. The one checkpoint, {@value #CHECKPOINT_BASELINE}, names the baseline database the agent last
 * acknowledged, so a deleted or replaced baseline is reported as a gap.
 *
 * <p>Threads: {@link #run} does all emitting and all database work; {@code hash_threads} threads hash; one thread
 * relays kernel notifications.
 */
final class FimInput
        implements Input
{
    static final String CHECKPOINT_BASELINE = "baseline";
    private static final String META_BASELINE_ID = "baseline_id";
    private static final String META_BASELINE_COMPLETE = "baseline_complete";
    /** Set once a full scan has put the directories in the baseline: from then on one appearing or going is reported. */
    private static final String META_DIRECTORIES_BASELINED = "directories_baselined";
    // rows go into the open transaction as they come (no list of them in memory): a commit per 10,000 is a handful
    // for a whole baseline, while a check's events still commit at every batch_size
    private static final int MAX_ROWS_PER_TRANSACTION = 10_000;

    private final FimInputConfig config;
    private final ComponentContext context;
    private final PathSelection selection;
    private final FimEvents events;
    private final ChangeQueue queue;
    private final System.Logger logger;
    private final AtomicLong baselineFiles = new AtomicLong();
    private final AtomicInteger watchedDirectories = new AtomicInteger();
    private final ComponentMetrics.Counter scansTotal;
    private final ComponentMetrics.Counter changesTotal;
    private final ComponentMetrics.Counter errorsTotal;
    private final ComponentMetrics.Counter lossesTotal;
    private final ComponentMetrics.Counter bytesHashedTotal;
    private volatile boolean closed;

    FimInput(FimInputConfig config, ComponentContext context, PathSelection selection)
    {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.selection = requireNonNull(selection, "selection is null");
        this.logger = context.logger();
        this.events = new FimEvents(context.hostName(), config.severity(), selection, context.clock());
        this.queue = new ChangeQueue(config.debounce().toNanos(), config.maxPendingPaths(), context::nanoTime);
        ComponentMetrics metrics = context.metrics();
        this.scansTotal = metrics.counter("scans_total", "Full scans completed");
        this.changesTotal = metrics.counter("changes_total", "File changes reported");
        this.errorsTotal = metrics.counter("read_errors_total", "Paths that could not be read");
        this.lossesTotal = metrics.counter("notification_losses_total", "Kernel notification overflows and pending-path overflows");
        this.bytesHashedTotal = metrics.counter("bytes_hashed_total", "Bytes read to hash files");
        metrics.gauge("baseline_files", "Paths in the baseline", baselineFiles::get);
        metrics.gauge("watched_directories", "Directories watched through the kernel", watchedDirectories::get);
        metrics.gauge("pending_paths", "Changed paths waiting for their debounce", queue::pendingCount);
    }

    @Override
    public void run(Emitter emitter)
            throws Exception
    {
        requireNonNull(emitter, "emitter is null");
        String name = "fim-" + context.pipelineId() + "-" + context.componentId();
        ChangeWatcher watcher = null;
        try (BaselineStore store = BaselineStore.open(context.dataDirectory());
                FileInspector inspector = new FileInspector(config.maxHashSize().bytes(), config.followSymlinks(), bytesHashedTotal)) {
            if (config.realtime()) {
                watcher = startWatcher(name + "-watch");
            }
            ExecutorService hashPool = Executors.newFixedThreadPool(config.hashThreads(), daemonThreads(name + "-hash-"));
            try {
                // on a hash thread, while this one opens the baseline and starts the walk
                hashPool.execute(FileInspector::warmUp);
                ChangeWatcher registrar = watcher;
                Scanner scanner = new Scanner(selection, inspector, hashPool, config.hashThreads(), config.trustCtime(),
                        directory -> {
                            if (registrar != null) {
                                registrar.register(directory);
                                watchedDirectories.set(registrar.watchedDirectories());
                            }
                        },
                        () -> closed);
                new Session(emitter, store, scanner, inspector, watcher).run();
            }
            catch (InterruptedException e) {
                // closed during a scan, or the agent stopping while emit waited: "stop now", not a failure
                if (!closed) {
                    logger.log(INFO, "interrupted: stopping");
                }
            }
            finally {
                // while the inspector's watchdog still runs, so that no hash thread stays stuck in an open
                hashPool.shutdownNow();
                if (!hashPool.awaitTermination(10, TimeUnit.SECONDS)) {
                    logger.log(WARNING, "hash threads did not stop within 10 s");
                }
            }
        }
        finally {
            if (watcher != null) {
                watcher.close();
            }
        }
    }

    private ChangeWatcher startWatcher(String threadName)
    {
        try {
            ChangeWatcher watcher = new ChangeWatcher(queue, logger, threadName, path -> selection.isUnderAnyRoot(path) || selection.leadsToARoot(path));
            watcher.start();
            return watcher;
        }
        catch (IOException e) {
            // e.g. fs.inotify.max_user_instances reached: scheduled rescans still find every change, only later
            logger.log(WARNING, "cannot watch for changes through the kernel (" + FileInspector.reason(e) + "); changes are found by rescans only");
            return null;
        }
    }

    @Override
    public void close()
    {
        closed = true;
        queue.wakeUp();
    }

    private static ThreadFactory daemonThreads(String prefix)
    {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The state of one run: everything here is used by the run thread only. */
    private final class Session
    {
        private final Emitter emitter;
        private final BaselineStore store;
        private final Scanner scanner;
        private final FileInspector inspector;
        private final ChangeWatcher watcher;
        private long lastLossRescan;
        private boolean lossRescanDone;
        private boolean limitReported;
        private boolean directoriesBaselined;

        Session(Emitter emitter, BaselineStore store, Scanner scanner, FileInspector inspector, ChangeWatcher watcher)
        {
            this.emitter = emitter;
            this.store = store;
            this.scanner = scanner;
            this.inspector = inspector;
            this.watcher = watcher;
        }

        void run()
                throws Exception
        {
            String baselineId = store.meta(META_BASELINE_ID).orElse(null);
            if (baselineId == null) {
                baselineId = UUID.randomUUID().toString();
                store.putMeta(META_BASELINE_ID, baselineId);
            }
            boolean complete = store.meta(META_BASELINE_COMPLETE).isPresent();
            // a baseline from before directories were reported holds none: the first scan adds them without events
            directoriesBaselined = complete && store.meta(META_DIRECTORIES_BASELINED).isPresent();
            baselineFiles.set(store.count());
            String committed = context.checkpoints().get(CHECKPOINT_BASELINE);
            if (committed != null && !committed.equals(baselineId)) {
                emitter.emit(List.of(events.gap("the baseline database " + context.dataDirectory().resolve(BaselineStore.FILE_NAME)
                        + " is not the one this input used before (it was deleted or replaced): changes made before this start cannot be reported",
                        selection.roots(), 0)), List.of());
            }
            watchRootParents();
            List<Checkpoint> checkpoints = baselineId.equals(committed) ? List.of() : List.of(Checkpoint.of(CHECKPOINT_BASELINE, baselineId));
            fullScan(complete ? "startup" : "baseline", checkpoints);
            if (!complete) {
                store.putMeta(META_BASELINE_COMPLETE, "true");
            }
            if (!directoriesBaselined) {
                store.putMeta(META_DIRECTORIES_BASELINED, "true");
                directoriesBaselined = true;
            }
            long nextFullScan = context.nanoTime() + config.rescanInterval().toNanos();
            while (!closed) {
                long lossesAllowedAt = lossRescanDone ? lastLossRescan + config.overflowRescanInterval().toNanos() : context.nanoTime();
                ChangeQueue.Work work = queue.await(nextFullScan, lossesAllowedAt);
                if (closed) {
                    break;
                }
                if (context.nanoTime() - nextFullScan >= 0) {
                    fullScan("scheduled", List.of());
                    nextFullScan = context.nanoTime() + config.rescanInterval().toNanos();
                }
                if (!work.lostDirectories().isEmpty()) {
                    rescanAfterLoss(work);
                }
                if (!work.duePaths().isEmpty()) {
                    scan(work.duePaths());
                }
            }
        }

        private void watchRootParents()
        {
            if (watcher == null) {
                return;
            }
            // a root that is a file, or a root directory that is deleted and re-created, is seen from its parent; a root
            // whose parent does not exist either, from the nearest directory above it that does, walked down as the
            // directories on the way appear
            for (PathSelection.Spec spec : selection.specs()) {
                Path parent = spec.root().getParent();
                while (parent != null && !Files.isDirectory(parent)) {
                    parent = parent.getParent();
                }
                if (parent != null) {
                    watcher.register(parent);
                }
            }
        }

        private void fullScan(String reason, List<Checkpoint> checkpoints)
                throws Exception
        {
            long started = context.nanoTime();
            long bytesBefore = bytesHashedTotal.get();
            limitReported = false;
            ScanRun run = new ScanRun(store.loadAll(), reason.equals("baseline"));
            run.execute(selection.roots());
            scansTotal.increment();
            ScanSummary summary = new ScanSummary(reason, run.files, run.agentFiles, run.unmonitored, bytesHashedTotal.get() - bytesBefore,
                    TimeUnit.NANOSECONDS.toMillis(context.nanoTime() - started),
                    run.counts.getOrDefault(Action.CREATED, 0L), run.counts.getOrDefault(Action.MODIFIED, 0L),
                    run.counts.getOrDefault(Action.DELETED, 0L), run.counts.getOrDefault(Action.ATTRIBUTES_CHANGED, 0L),
                    run.counts.getOrDefault(Action.ERROR, 0L));
            // the agent's own files count too (watch_agent_files): a count above what the configured paths hold says why
            String agentFiles = summary.agentFiles() == 0 ? "" : " (" + summary.agentFiles() + " of them the agent's own configuration and plugins)";
            logger.log(INFO, "fim " + reason + " scan: " + summary.files() + " files" + agentFiles + ", " + summary.bytesHashed() + " bytes hashed in "
                    + summary.durationMillis() + " ms");
            if (config.summaryEvents()) {
                emitter.emit(List.of(events.scanComplete(summary)), checkpoints);
            }
            else if (!checkpoints.isEmpty()) {
                emitter.commit(checkpoints);
            }
        }

        private void scan(List<Path> paths)
                throws Exception
        {
            List<Path> targets = outermost(paths);
            Map<String, FileState> baseline = new HashMap<>();
            for (Path target : targets) {
                store.loadUnder(target, baseline);
            }
            new ScanRun(baseline, false).execute(targets);
        }

        private void rescanAfterLoss(ChangeQueue.Work work)
                throws Exception
        {
            Set<Path> roots = new LinkedHashSet<>();
            for (Path lost : work.lostDirectories()) {
                for (Path root : selection.roots()) {
                    if (lost.startsWith(root) || root.startsWith(lost)) {
                        roots.add(root);
                    }
                }
            }
            if (roots.isEmpty()) {
                roots.addAll(selection.roots());
            }
            lossesTotal.add(work.losses());
            lastLossRescan = context.nanoTime();
            lossRescanDone = true;
            List<Path> rootList = List.copyOf(roots);
            emitter.emit(List.of(events.gap("file change notifications were lost (" + work.losses() + " overflow(s)); rescanning "
                    + String.join(", ", rootList.stream().map(Path::toString).toList()), rootList, work.losses())), List.of());
            scan(rootList);
        }

        /** One scan: compares observations with the baseline rows of its targets and reports the differences. */
        private final class ScanRun
                implements Scanner.Sink
        {
            private final Map<String, FileState> baseline;
            private final boolean building;
            private final Set<String> visited = new HashSet<>();
            private final List<Event> pendingEvents = new ArrayList<>();
            private final Map<Action, Long> counts = new HashMap<>();
            private final List<Path> unstable = new ArrayList<>();
            private long files;
            private long agentFiles;
            private long unmonitored;
            // new files let in under max_files whose observation (after hashing) has not come yet
            private long admitted;
            private int uncommittedRows;

            ScanRun(Map<String, FileState> baseline, boolean building)
            {
                this.baseline = baseline;
                this.building = building;
            }

            void execute(Collection<Path> targets)
                    throws Exception
            {
                Set<Path> unknown = scanner.walk(targets, this);
                List<FileState> goneDirectories = new ArrayList<>();
                for (FileState remaining : List.copyOf(baseline.values())) {
                    if (closed) {
                        throw new InterruptedException("closed during a scan");
                    }
                    Path path = Path.of(remaining.path());
                    if (unknown.stream().anyMatch(path::startsWith)) {
                        continue;
                    }
                    if (remaining.type() == FileType.DIRECTORY) {
                        // a directory that went is reported (a file in its place was observed already), one no longer
                        // selected is forgotten quietly, one the walk did not reach is kept
                        boolean gone = !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        if (gone || !Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !selection.descendsInto(path)) {
                            baseline.remove(remaining.path());
                            if (gone && directoriesBaselined && selection.descendsInto(path)) {
                                goneDirectories.add(remaining);
                            }
                            remove(remaining.path());
                            flushIfFull();
                        }
                        continue;
                    }
                    if (!selection.selects(path)) {
                        // no longer selected (the configuration changed): forgotten without an event
                        baseline.remove(remaining.path());
                        remove(remaining.path());
                        baselineFiles.decrementAndGet();
                        continue;
                    }
                    FileState now;
                    try {
                        now = inspector.stat(path);
                    }
                    catch (IOException e) {
                        continue;
                    }
                    if (now != null && visited.add(remaining.path())) {
                        // it appeared after the walk passed its directory
                        observed(inspector.inspect(now));
                    }
                    else if (now == null) {
                        baseline.remove(remaining.path());
                        report(FileChange.compare(remaining, null));
                        remove(remaining.path());
                        baselineFiles.decrementAndGet();
                        flushIfFull();
                    }
                }
                // after the files in them, the deepest first: the order in which they went
                goneDirectories.sort(Comparator.comparing(FileState::path).reversed());
                for (FileState directory : goneDirectories) {
                    report(FileChange.compare(directory, null));
                }
                flush();
                unstable.forEach(queue::changed);
            }

            @Override
            public boolean firstVisit(String path)
            {
                return visited.add(path);
            }

            @Override
            public FileState baseline(String path)
            {
                return baseline.get(path);
            }

            @Override
            public void observedDirectory(FileState current)
                    throws Exception
            {
                FileState previous = baseline.remove(current.path());
                if (previous == null && directoriesBaselined && !building) {
                    report(FileChange.compare(null, current));
                }
                if (previous != null) {
                    FileChange change = FileChange.compareDirectory(previous, current);
                    if (change != null) {
                        report(change);
                    }
                    if (previous.type() != FileType.DIRECTORY) {
                        // a file replaced by a directory: the file's row was counted
                        baselineFiles.decrementAndGet();
                    }
                }
                if (!current.equals(previous)) {
                    store.write(current);
                    uncommittedRows++;
                }
                flushIfFull();
            }

            @Override
            public boolean beyondLimit(String path)
            {
                if (baseline.containsKey(path)) {
                    return false;
                }
                // the files still being hashed count: all of a first scan's files are let in before any is observed
                if (baselineFiles.get() + admitted >= config.maxFiles()) {
                    leftOut(path);
                    return true;
                }
                admitted++;
                return false;
            }

            /** A new file beyond max_files: counted, and said once per scan with the first one. */
            private void leftOut(String path)
            {
                unmonitored++;
                if (!limitReported) {
                    limitReported = true;
                    logger.log(WARNING, "more than max_files (" + config.maxFiles() + ") files are selected; new files beyond it, from " + path
                            + " on, are not monitored: raise max_files");
                    counts.merge(Action.ERROR, 1L, Long::sum);
                    pendingEvents.add(events.limitReached(config.maxFiles(), path));
                }
            }

            @Override
            public void observed(FileState current)
                    throws Exception
            {
                if (current == null) {
                    return;
                }
                FileState previous = baseline.remove(current.path());
                if (previous == null) {
                    if (admitted > 0) {
                        admitted--;
                    }
                    else if (baselineFiles.get() >= config.maxFiles()) {
                        leftOut(current.path());
                        return;
                    }
                    baselineFiles.incrementAndGet();
                }
                files++;
                if (selection.isAgentFile(current.path())) {
                    agentFiles++;
                }
                FileChange change = FileChange.compare(previous, current);
                if (change != null && !(building && change.action() == Action.CREATED)) {
                    report(change);
                }
                FileState row = FileChange.baselineRow(previous, current);
                if (!row.equals(previous)) {
                    store.write(row);
                    uncommittedRows++;
                }
                if (current.hashState() == HashState.UNSTABLE) {
                    unstable.add(Path.of(current.path()));
                }
                flushIfFull();
            }

            @Override
            public void pathError(Path path, String reason)
                    throws Exception
            {
                errorsTotal.increment();
                counts.merge(Action.ERROR, 1L, Long::sum);
                pendingEvents.add(events.pathError(path, reason));
                flushIfFull();
            }

            private void report(FileChange change)
            {
                if (change.action() == Action.ERROR) {
                    errorsTotal.increment();
                }
                else {
                    changesTotal.increment();
                }
                counts.merge(change.action(), 1L, Long::sum);
                pendingEvents.add(events.fileChange(change));
            }

            private void remove(String path)
                    throws Exception
            {
                store.remove(path);
                uncommittedRows++;
            }

            private void flushIfFull()
                    throws Exception
            {
                if (pendingEvents.size() >= config.batchSize() || uncommittedRows >= MAX_ROWS_PER_TRANSACTION) {
                    flush();
                }
            }

            private void flush()
                    throws Exception
            {
                if (!pendingEvents.isEmpty()) {
                    emitter.emit(List.copyOf(pendingEvents), List.of());
                    pendingEvents.clear();
                }
                // only now, with the events committed, may the baseline move on
                store.commit();
                uncommittedRows = 0;
            }
        }
    }

    /** The paths of {@code paths} that are not below another of them. */
    static List<Path> outermost(Collection<Path> paths)
    {
        Set<Path> all = new HashSet<>(paths);
        List<Path> result = new ArrayList<>();
        for (Path path : new LinkedHashSet<>(paths)) {
            boolean below = false;
            for (Path parent = path.getParent(); parent != null && !below; parent = parent.getParent()) {
                below = all.contains(parent);
            }
            if (!below) {
                result.add(path);
            }
        }
        return List.copyOf(result);
    }
}
