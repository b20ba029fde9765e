package io.outrider.plugin.file;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Kernel change notification (inotify on Linux) through {@link WatchService}, one watch per directory. Where a
 * directory cannot be watched (the per-user limit of inotify watches, {@code fs.inotify.max_user_watches}, most
 * often), {@link #watchesEverything()} says so and the input polls until every directory is watched again.
 */
final class NotifyChangeSource
        implements ChangeSource
{
    /**
     * Registers directories and reads their events: the kernel's watch service, except in tests of the paths the
     * kernel rarely takes (a watch limit reached, events dropped in an overflow).
     */
    interface Watches
    {
        Watches KERNEL = new Watches() {};

        default WatchService newWatchService()
                throws IOException
        {
            return FileSystems.getDefault().newWatchService();
        }

        default WatchKey register(WatchService service, Path directory)
                throws IOException
        {
            return directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
        }

        default List<WatchEvent<?>> events(WatchKey key)
        {
            return key.pollEvents();
        }
    }

    private final WatchService watchService;
    private final Watches watches;
    private final Duration pollInterval;
    private final System.Logger logger;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Set<Path> unwatched = new HashSet<>();

    /**
     * @param pollInterval how often the input polls while some directory cannot be watched (for the warning)
     */
    NotifyChangeSource(Watches watches, Duration pollInterval, System.Logger logger)
            throws IOException
    {
        this.watches = requireNonNull(watches, "watches is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.logger = requireNonNull(logger, "logger is null");
        this.watchService = watches.newWatchService();
    }

    @Override
    public Set<Path> watch(Set<Path> directories)
    {
        Iterator<Map.Entry<Path, WatchKey>> entries = keys.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Path, WatchKey> entry = entries.next();
            if (!directories.contains(entry.getKey()) || !entry.getValue().isValid()) {
                entry.getValue().cancel();
                entries.remove();
            }
        }
        boolean watchedEverything = unwatched.isEmpty();
        unwatched.retainAll(directories);
        Set<Path> added = new HashSet<>();
        IOException failure = null;
        Path failed = null;
        for (Path directory : directories) {
            if (keys.containsKey(directory)) {
                continue;
            }
            try {
                keys.put(directory, watches.register(watchService, directory));
                unwatched.remove(directory);
                added.add(directory);
            }
            catch (NoSuchFileException e) {
                // gone since the scan; the next scan decides
                unwatched.remove(directory);
            }
            catch (ClosedWatchServiceException e) {
                return added;
            }
            catch (IOException e) {
                unwatched.add(directory);
                failure = e;
                failed = directory;
            }
        }
        if (watchedEverything && failure != null) {
            logger.log(WARNING, "cannot watch " + failed + " (" + failure.getMessage() + "): checking every file every " + pollInterval.toMillis()
                    + " ms (poll_interval) until every directory is watched; if the limit of inotify watches was reached, raise fs.inotify.max_user_watches");
        }
        else if (!watchedEverything && unwatched.isEmpty()) {
            logger.log(INFO, "every directory is watched again; back to kernel change notification");
        }
        return added;
    }

    @Override
    public boolean watches(Path directory)
    {
        return keys.containsKey(directory);
    }

    @Override
    public boolean watchesEverything()
    {
        return unwatched.isEmpty();
    }

    @Override
    public Changes await(long timeoutNanos)
            throws InterruptedException
    {
        Set<Path> modified = new HashSet<>();
        Set<Path> structural = new HashSet<>();
        boolean overflow = false;
        try {
            WatchKey key = timeoutNanos <= 0 ? watchService.poll() : watchService.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            while (key != null) {
                Path directory = (Path) key.watchable();
                for (WatchEvent<?> event : watches.events(key)) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        // the kernel's queue (or the JDK's per-directory list) was full: events were dropped
                        overflow = true;
                        continue;
                    }
                    Path child = directory.resolve((Path) event.context());
                    if (event.kind() == StandardWatchEventKinds.ENTRY_MODIFY) {
                        modified.add(child);
                    }
                    else {
                        structural.add(child);
                    }
                }
                if (!key.reset()) {
                    // the directory itself went away; its key goes at the next watch call, so watches() still knows it
                    structural.add(directory);
                }
                key = watchService.poll();
            }
        }
        catch (ClosedWatchServiceException e) {
            return Changes.NONE;
        }
        return new Changes(modified, structural, overflow);
    }

    @Override
    public void wakeUp()
    {
        // closing the service is the only way to wake a thread blocked in WatchService.poll
        close();
    }

    @Override
    public void close()
    {
        try {
            watchService.close();
        }
        catch (IOException e) {
            logger.log(WARNING, "cannot close the file watch service: " + e.getMessage());
        }
    }
}
