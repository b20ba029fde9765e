package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileState.FileType;
import io.outrider.plugin.fim.FileState.HashState;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Walks targets (directories, files or paths that no longer exist) and hands an observation of every selected
 * non-directory to a {@link Sink}, on the calling thread. Regular files are hashed on the hash pool, with a bounded
 * number of files in flight, so the walk, the hashing and the sink's work (comparing, emitting, writing the baseline)
 * overlap.
 *
 * <p>Directories are listed only where a spec reaches and no exclusion applies, each at most once per walk (by
 * device and inode), which also keeps followed symbolic links out of loops. Every listed directory is offered to
 * the directory listener (the kernel watch) before it is listed, so nothing created after the listing is missed.
 */
final class Scanner
{
    private static final int FILES_IN_FLIGHT_PER_HASH_THREAD = 64;

    private final PathSelection selection;
    private final FileInspector inspector;
    private final ExecutorService hashPool;
    private final int maxInFlight;
    private final boolean trustCtime;
    private final Consumer<Path> directoryListener;
    private final BooleanSupplier closed;

    Scanner(PathSelection selection, FileInspector inspector, ExecutorService hashPool, int hashThreads, boolean trustCtime,
            Consumer<Path> directoryListener, BooleanSupplier closed)
    {
        this.selection = requireNonNull(selection, "selection is null");
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.hashPool = requireNonNull(hashPool, "hashPool is null");
        // deep enough that the hash threads keep busy while this thread commits or emits (64 files of the benchmark
        // tree are ~1.5 ms of hashing each), small enough that what is in flight (~500 bytes a file) survives young
        // collections without being promoted: with 512 in flight a 20k-file baseline filled the agent's old
        // generation, and the full collection that followed grew the heap from 12 to 50 MB
        this.maxInFlight = hashThreads * FILES_IN_FLIGHT_PER_HASH_THREAD;
        this.trustCtime = trustCtime;
        this.directoryListener = requireNonNull(directoryListener, "directoryListener is null");
        this.closed = requireNonNull(closed, "closed is null");
    }

    /**
     * Walks {@code targets}.
     *
     * @return the directories that could not be listed or paths whose attributes could not be read: nothing is known
     *         below them, so their baseline rows must be kept as they are
     * @throws InterruptedException when the input is closed during the walk
     */
    Set<Path> walk(Collection<Path> targets, Sink sink)
            throws Exception
    {
        Walk walk = new Walk(sink);
        try {
            for (Path target : targets) {
                walk.stack.push(target);
                while (!walk.stack.isEmpty()) {
                    if (closed.getAsBoolean()) {
                        throw new InterruptedException("closed during a scan");
                    }
                    walk.visit(walk.stack.pop());
                }
            }
            while (walk.inFlight > 0) {
                walk.observeNextHash();
            }
        }
        finally {
            walk.abandonHashes();
        }
        return walk.unknown;
    }

    /**
     * The state of one walk. Each path is handled by its own call of {@link #visit}, not in the loop of
     * {@link Scanner#walk}: a method called once and looping 20,000 times would run interpreted for the whole scan
     * (the JIT compiles a loop in a running method only after hundreds of thousands of iterations), one called per
     * path is compiled after a few hundred.
     */
    private final class Walk
    {
        private final Sink sink;
        private final Set<Path> unknown = new HashSet<>();
        private final Set<Object> listedDirectories = new HashSet<>();
        private final CompletionService<FileState> hashing = new ExecutorCompletionService<>(hashPool);
        private final Deque<Path> stack = new ArrayDeque<>();
        private int inFlight;

        Walk(Sink sink)
        {
            this.sink = sink;
        }

        void visit(Path path)
                throws Exception
        {
            if (!PathNames.representable(path)) {
                // no text names it: the baseline could not keep it, an event could not name it; said, never skipped
                unknown.add(path);
                sink.pathError(path, "its name is not valid UTF-8 (the odd bytes are shown as \\xNN), so it cannot be monitored"
                        + (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? ", nor anything in it" : "")
                        + "; a name like this is unusual: look at what it is");
                return;
            }
            FileState stat;
            try {
                stat = inspector.stat(path);
            }
            catch (IOException e) {
                unknown.add(path);
                sink.pathError(path, FileInspector.reason(e));
                return;
            }
            if (stat == null) {
                return;
            }
            if (stat.type() == FileType.DIRECTORY) {
                if (selection.descendsInto(path)) {
                    if (listedDirectories.add(List.of(stat.device(), stat.inode()))) {
                        if (sink.firstVisit(stat.path())) {
                            // its own mode and owners are baselined too: a world-writable /etc/sudoers.d is news
                            sink.observedDirectory(stat);
                        }
                        list(path);
                    }
                    return;
                }
                // a directory above a root that did not exist: watched, and walked down toward the root
                List<Path> toward = selection.towardRoots(path);
                if (!toward.isEmpty()) {
                    directoryListener.accept(path);
                    toward.forEach(stack::push);
                }
                return;
            }
            if (!selection.selects(path) || !sink.firstVisit(stat.path()) || sink.beyondLimit(stat.path())) {
                return;
            }
            FileState known = sink.baseline(stat.path());
            if (stat.type() == FileType.FILE && trustCtime && known != null && known.hashState() == HashState.HASHED
                    && known.sameContentStamp(stat)) {
                sink.observed(stat.withContent(known.sha256(), HashState.HASHED, null));
            }
            else if (stat.type() == FileType.FILE) {
                hashing.submit(() -> inspector.inspect(stat));
                inFlight++;
                while (inFlight >= maxInFlight) {
                    observeNextHash();
                }
            }
            else {
                sink.observed(inspector.inspect(stat));
            }
        }

        void observeNextHash()
                throws Exception
        {
            FileState state = result(hashing);
            inFlight--;
            sink.observed(state);
        }

        /** Leaves no hash of this walk running into the next one. */
        void abandonHashes()
        {
            while (inFlight > 0) {
                try {
                    hashing.take();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                inFlight--;
            }
        }

        private void list(Path directory)
                throws Exception
        {
            directoryListener.accept(directory);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    stack.push(entry);
                }
            }
            catch (IOException e) {
                if (Files.exists(directory)) {
                    unknown.add(directory);
                    sink.pathError(directory, FileInspector.reason(e));
                }
            }
        }
    }

    private static FileState result(CompletionService<FileState> hashing)
            throws InterruptedException
    {
        try {
            return hashing.take().get();
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed unexpectedly", e.getCause());
        }
    }

    /** Receives a walk's observations on the walking thread. */
    interface Sink
    {
        /** Whether {@code path} was not yet observed in this scan (a path reached twice is observed once). */
        boolean firstVisit(String path);

        /** The baseline row of {@code path}, or null. */
        FileState baseline(String path);

        /** A directory the walk goes into, as {@link FileInspector#stat} saw it. */
        void observedDirectory(FileState state)
                throws Exception;

        /** Whether {@code path} is new and beyond {@code max_files}: not examined (nor hashed) at all. */
        boolean beyondLimit(String path);

        /** A complete observation; null when the path vanished while it was examined. */
        void observed(FileState state)
                throws Exception;

        /** {@code path} exists but cannot be examined. */
        void pathError(Path path, String reason)
                throws Exception;
    }
}
