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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/** Kernel change notification (inotify on Linux) through {@link WatchService}, one watch per directory. */
final class NotifyChangeSource
        implements ChangeSource
{
    private final WatchService watchService;
    private final System.Logger logger;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private boolean warnedAboutWatchLimit;

    NotifyChangeSource(System.Logger logger)
            throws IOException
    {
        this.logger = requireNonNull(logger, "logger is null");
        this.watchService = FileSystems.getDefault().newWatchService();
    }

    @Override
    public void watch(Set<Path> directories)
    {
        Iterator<Map.Entry<Path, WatchKey>> entries = keys.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Path, WatchKey> entry = entries.next();
            if (!directories.contains(entry.getKey()) || !entry.getValue().isValid()) {
                entry.getValue().cancel();
                entries.remove();
            }
        }
        for (Path directory : directories) {
            if (keys.containsKey(directory)) {
                continue;
            }
            try {
                keys.put(directory, directory.register(watchService,
                        StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
            }
            catch (NoSuchFileException e) {
                // gone since the scan; the next scan decides
            }
            catch (ClosedWatchServiceException e) {
                return;
            }
            catch (IOException e) {
                if (!warnedAboutWatchLimit) {
                    warnedAboutWatchLimit = true;
                    logger.log(WARNING, "cannot watch " + directory + " (" + e.getMessage() + "); changes there are found by the periodic scan only. "
                            + "Raise fs.inotify.max_user_watches if the limit was reached");
                }
            }
        }
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
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
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
                    // the directory itself went away
                    keys.remove(directory);
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
