package io.outrider.plugin.fim;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Watches directories through the kernel ({@link WatchService}, inotify on Linux) on a thread of its own and hands
 * every notification to a {@link ChangeQueue}: a created, deleted, modified or attribute-changed entry as its path,
 * an overflow as a loss of its directory (the JDK reports a kernel queue overflow on every key, and its own per-key
 * overflow on the key concerned).
 *
 * <p>inotify watches single directories, so the walk registers every directory it lists; registering again is
 * harmless and picks up a directory that was deleted and re-created.
 *
 * <p>inotify watches an inode, not a name: a watched directory renamed within the tree keeps its watch, and the JDK
 * hands the walk that registers its new name the old key, whose path is the old name. Notifications from in there
 * were resolved against a name that no longer exists, and missed until the next full scan. A watched directory
 * reported gone therefore loses its watch and those of the directories under it, and the scan of its new name (which
 * its creation queues) registers them under the names they have now.
 */
final class ChangeWatcher
        implements AutoCloseable
{
    private final WatchService watchService;
    private final ChangeQueue queue;
    private final System.Logger logger;
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    /** The other way round, to find the watches of a directory reported gone and of those under it. */
    private final Map<Path, WatchKey> keys = new ConcurrentHashMap<>();
    private final AtomicBoolean registrationFailureLogged = new AtomicBoolean();
    private final Predicate<Path> relevant;
    private final Thread thread;

    /** {@code relevant} tells which changed paths matter (a root's parent is watched for the root only). */
    ChangeWatcher(ChangeQueue queue, System.Logger logger, String threadName, Predicate<Path> relevant)
            throws IOException
    {
        this.queue = requireNonNull(queue, "queue is null");
        this.relevant = requireNonNull(relevant, "relevant is null");
        this.logger = requireNonNull(logger, "logger is null");
        this.watchService = FileSystems.getDefault().newWatchService();
        this.thread = new Thread(this::poll, threadName);
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** Starts watching {@code directory}; a failure (e.g. the inotify watch limit) is logged, rescans still cover it. */
    void register(Path directory)
    {
        try {
            WatchKey key = directory.register(watchService,
                    StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            Path previous = directories.put(key, directory);
            if (previous != null && !previous.equals(directory)) {
                // the same inode under a new name (a rename the notifications did not show): the new name counts
                keys.remove(previous, key);
            }
            keys.put(directory, key);
        }
        catch (ClosedWatchServiceException e) {
            // closing: nothing to watch any more
        }
        catch (IOException e) {
            if (registrationFailureLogged.compareAndSet(false, true)) {
                logger.log(WARNING, registrationFailure(directory, e) + "; further such failures are logged at debug level");
            }
            else {
                logger.log(DEBUG, "cannot watch " + directory + ": " + FileInspector.reason(e));
            }
        }
    }

    /** What a failed watch means: a directory the agent may not read is not read by a rescan either. */
    static String registrationFailure(Path directory, IOException failure)
    {
        String consequence = failure instanceof java.nio.file.AccessDeniedException
                ? "the agent may not read it, so neither notifications nor rescans see into it (its error event says so at every scan);"
                        + " run the agent as a user that may read it"
                : "changes there are found by rescans only (raise fs.inotify.max_user_watches if the limit of inotify watches is reached)";
        return "cannot watch " + directory + " (" + FileInspector.reason(failure) + "): " + consequence;
    }

    int watchedDirectories()
    {
        return directories.size();
    }

    private void poll()
    {
        try {
            while (true) {
                WatchKey key = watchService.take();
                Path directory = directories.getOrDefault(key, (Path) key.watchable());
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        queue.lost(directory);
                    }
                    else {
                        Path changed = directory.resolve((Path) event.context());
                        if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                            forgetWatchesUnder(changed);
                        }
                        if (relevant.test(changed)) {
                            queue.changed(changed);
                        }
                    }
                }
                if (!key.reset()) {
                    forget(key);
                }
            }
        }
        catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: the input is stopping
        }
    }

    /** Cancels the watches of {@code gone}, if it was a watched directory, and of every watched directory under it. */
    private void forgetWatchesUnder(Path gone)
    {
        if (!keys.containsKey(gone)) {
            return; // a file, or a directory never watched: the common case costs one lookup
        }
        for (Map.Entry<Path, WatchKey> entry : keys.entrySet()) {
            if (entry.getKey().startsWith(gone)) {
                entry.getValue().cancel();
                forget(entry.getValue());
            }
        }
    }

    private void forget(WatchKey key)
    {
        Path path = directories.remove(key);
        if (path != null) {
            keys.remove(path, key);
        }
    }

    @Override
    public void close()
    {
        try {
            watchService.close();
        }
        catch (IOException e) {
            logger.log(DEBUG, "closing the watch service failed: " + e);
        }
        try {
            thread.join(5_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
