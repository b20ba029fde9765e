package io.outrider.plugin.file;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.outrider.plugin.file.TestFileInput.append;
import static io.outrider.plugin.file.TestFileInput.truncate;
import static io.outrider.plugin.file.TestFileInput.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Kernel change notification drives the input: with the safety-net scan and the poll interval an hour away, every
 * rotation, new file and new directory is found through the watches alone, each line exactly once; an overflow (events
 * dropped) makes the input scan everything, and a directory it cannot watch makes it poll.
 */
class TestNotifiedChanges
{
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path directory;
    @TempDir
    Path dataDirectory;

    private final CollectingEmitter emitter = new CollectingEmitter();
    private TestingComponentContext context;

    /** Only notifications can tell the input anything before an hour passes. */
    private static ConfigBuilder notifiedOnly(String glob)
    {
        return ConfigBuilder.files(glob).scanInterval(NEVER).pollInterval(NEVER);
    }

    private RunningInput start(ConfigBuilder config, NotifyChangeSource.Watches watches, String componentId)
            throws Exception
    {
        context = TestingComponentContext.builder(dataDirectory).componentType("file").componentId(componentId).build();
        return RunningInput.start(new FileInputFactory().create(config.build(), context, watches), context, emitter);
    }

    private RunningInput start(ConfigBuilder config)
            throws Exception
    {
        return start(config, NotifyChangeSource.Watches.KERNEL, "notified");
    }

    @Test
    void followsARenameAndTheFileCreatedUnderTheName()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "1\n2\n");
        RunningInput input = start(notifiedOnly(directory + "/*.log"));
        emitter.awaitEvents(2, TIMEOUT);

        append(log, "3\n");
        Files.move(log, directory.resolve("app.log.1"));
        append(directory.resolve("app.log.1"), "4\n");
        write(log, "5\n");
        emitter.awaitEvents(5, TIMEOUT);
        append(log, "6\n");
        emitter.awaitEvents(6, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void followsCopyTruncate()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "1\n2\n");
        RunningInput input = start(notifiedOnly(directory + "/*.log"));
        emitter.awaitEvents(2, TIMEOUT);

        append(log, "3\n4\n");
        Files.copy(log, directory.resolve("app.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
        truncate(log);
        append(log, "5\n");
        emitter.awaitEvents(5, TIMEOUT);
        append(log, "6\n");
        emitter.awaitEvents(6, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void followsADeletedFileToItsEndAndTheFileRecreatedUnderItsName()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "1\n2\n");
        RunningInput input = start(notifiedOnly(directory + "/*.log"));
        emitter.awaitEvents(2, TIMEOUT);

        append(log, "3\n");
        Files.delete(log);
        write(log, "4\n");
        emitter.awaitEvents(4, TIMEOUT);
        append(log, "5\n");
        emitter.awaitEvents(5, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void watchesDirectoriesCreatedLaterThatAGlobReaches()
            throws Exception
    {
        Files.createDirectories(directory.resolve("logs/web"));
        write(directory.resolve("logs/web/x.log"), "web-1\n");
        RunningInput input = start(notifiedOnly(directory + "/logs/**/x.log"));
        emitter.awaitEvents(1, TIMEOUT);

        // a file written at once in a directory two levels below one that did not exist
        Files.createDirectories(directory.resolve("logs/app/2026"));
        write(directory.resolve("logs/app/2026/x.log"), "app-1\n");
        write(directory.resolve("logs/app/2026/y.log"), "not matched\n");
        emitter.awaitEvents(2, TIMEOUT);
        // written to later: only the new directory's own watch tells
        append(directory.resolve("logs/app/2026/x.log"), "app-2\n");
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactly("web-1", "app-1", "app-2");
    }

    @Test
    void followsADirectoryRenamedWithinTheGlobsAndOneDeletedAndCreatedAgain()
            throws Exception
    {
        Files.createDirectories(directory.resolve("logs/a"));
        Files.createDirectories(directory.resolve("logs/c"));
        write(directory.resolve("logs/a/x.log"), "a-1\n");
        write(directory.resolve("logs/c/x.log"), "c-1\n");
        RunningInput input;
        input = start(notifiedOnly(directory + "/logs/*/x.log"));
        emitter.awaitEvents(2, TIMEOUT);

        append(directory.resolve("logs/a/x.log"), "a-2\n");
        Files.move(directory.resolve("logs/a"), directory.resolve("logs/b"));
        append(directory.resolve("logs/b/x.log"), "a-3\n");
        emitter.awaitEvents(4, TIMEOUT);
        // a-2 and a-3 may both be read through the open file before the rename's notification arrives (lines
        // read then carry the old path); the next line is written once the input has seen the rename
        awaitLine("DEBUG " + directory.resolve("logs/a/x.log") + " was renamed to " + directory.resolve("logs/b/x.log"));
        // written to through its new directory's watch
        append(directory.resolve("logs/b/x.log"), "a-4\n");
        emitter.awaitEvents(5, TIMEOUT);

        Files.delete(directory.resolve("logs/c/x.log"));
        Files.delete(directory.resolve("logs/c"));
        Files.createDirectories(directory.resolve("logs/c"));
        write(directory.resolve("logs/c/x.log"), "c-2\n");
        emitter.awaitEvents(6, TIMEOUT);
        append(directory.resolve("logs/c/x.log"), "c-3\n");
        emitter.awaitEvents(7, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactlyInAnyOrder("a-1", "c-1", "a-2", "a-3", "a-4", "c-2", "c-3");
        assertThat(emitter.events()).filteredOn(event -> event.message().equals("a-4")).extracting(event -> event.field(Fields.LOG_FILE_PATH))
                .containsExactly(directory.resolve("logs/b/x.log").toString());
    }

    private void awaitLine(String line)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!context.logged().contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(context.logged()).contains(line);
    }

    @Test
    void watchesTheDirectoryAGlobStartsAtWhenItIsCreated()
            throws Exception
    {
        Path later = directory.resolve("later");
        RunningInput input = start(notifiedOnly(later + "/**/z.log"));
        Files.createDirectories(later.resolve("a"));
        write(later.resolve("a/z.log"), "later-1\n");
        emitter.awaitEvents(1, TIMEOUT);
        append(later.resolve("a/z.log"), "later-2\n");
        emitter.awaitEvents(2, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactly("later-1", "later-2");
    }

    @Test
    void scansEverythingWhenTheKernelDroppedEvents()
            throws Exception
    {
        OverflowingWatches watches = new OverflowingWatches();
        Path log = directory.resolve("app.log");
        write(log, "1\n2\n");
        Files.createDirectories(directory.resolve("a"));
        write(directory.resolve("a/app.log"), "a-1\n");
        RunningInput input = start(notifiedOnly(directory + "/**/*.log"), watches, "overflow");
        emitter.awaitEvents(3, TIMEOUT);

        // from now on every event is lost, as when the kernel's queue is full: an overflow is all that arrives
        watches.overflowing = true;
        append(log, "3\n");
        Files.move(log, directory.resolve("app.log.1"));
        write(log, "4\n");
        append(directory.resolve("a/app.log"), "a-2\n");
        Files.createDirectories(directory.resolve("b"));
        write(directory.resolve("b/new.log"), "b-1\n");
        emitter.awaitEvents(7, TIMEOUT);
        assertThat(watches.overflows).isPositive();

        watches.overflowing = false;
        append(log, "5\n");
        append(directory.resolve("b/new.log"), "b-2\n");
        emitter.awaitEvents(9, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "a-1", "a-2", "b-1", "b-2");
        assertThat(emitter.messages()).containsSubsequence("1", "2", "3", "4", "5");
    }

    @Test
    void looksOnlyWhereANotificationPoints()
            throws Exception
    {
        OverflowingWatches watches = new OverflowingWatches();
        Files.createDirectories(directory.resolve("a"));
        Files.createDirectories(directory.resolve("b"));
        write(directory.resolve("a/app.log"), "a-1\n");
        write(directory.resolve("b/app.log"), "b-1\n");
        RunningInput input = start(notifiedOnly(directory + "/*/*.log"), watches, "targeted");
        emitter.awaitEvents(2, TIMEOUT);

        // b stops reporting, as a network filesystem written to by another machine does
        watches.silent.add(directory.resolve("b"));
        append(directory.resolve("b/app.log"), "b-2\n");
        write(directory.resolve("a/new.log"), "a-new\n");
        emitter.awaitEvents(3, TIMEOUT);
        // a scan of everything would have read b-2 in the cycle that found a/new.log, which is read 200 ms later
        assertThat(emitter.messages()).containsExactly("a-1", "b-1", "a-new");

        // the safety net (here: an overflow) finds what b did not report
        watches.overflowing = true;
        append(directory.resolve("a/app.log"), "a-2\n");
        emitter.awaitEvents(5, TIMEOUT);
        input.stop();

        assertThat(emitter.messages()).containsExactlyInAnyOrder("a-1", "b-1", "a-new", "b-2", "a-2");
    }

    @Test
    void keepsTheNameItFollowsWhenALookAtOneDirectoryMeetsASecondName()
            throws Exception
    {
        Files.createDirectories(directory.resolve("logs/app"));
        Path target = directory.resolve("logs/app/2026.log");
        write(target, "1\n");
        Files.createSymbolicLink(directory.resolve("logs/current.log"), target);
        RunningInput input = start(notifiedOnly(directory + "/logs/**/*.log"));
        emitter.awaitEvents(1, TIMEOUT);

        // logs/ is listed again, where current.log leads to the file followed as app/2026.log
        write(directory.resolve("logs/new.log"), "new\n");
        emitter.awaitEvents(2, TIMEOUT);
        append(target, "2\n");
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();

        assertThat(emitter.events()).extracting(Event::message, event -> event.field(Fields.LOG_FILE_PATH)).containsExactlyInAnyOrder(
                tuple("1", target.toString()),
                tuple("new", directory.resolve("logs/new.log").toString()),
                tuple("2", target.toString()));
        assertThat(context.metrics().counterValue("rotations_total")).isZero();
    }

    /** A directory whose changes the kernel never reports, as on a network file system written by another machine. */
    @Test
    void theSafetyNetScanReadsWhatNotificationsNeverReportAndSaysSoOnce()
            throws Exception
    {
        OverflowingWatches watches = new OverflowingWatches();
        watches.silent.add(directory);
        Path log = directory.resolve("app.log");
        write(log, "1\n");
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log").scanInterval(Duration.ofMillis(100)).pollInterval(NEVER);
        RunningInput input = start(config, watches, "deaf");
        emitter.awaitEvents(1, TIMEOUT);

        append(log, "2\n");
        emitter.awaitEvents(2, TIMEOUT);
        write(directory.resolve("new.log"), "new-1\n");
        append(log, "3\n");
        emitter.awaitEvents(4, TIMEOUT);
        input.stop();

        assertThat(context.logged()).filteredOn(line -> line.contains("safety-net scan")).containsExactly(
                "INFO the safety-net scan found changes that change notifications had not reported (files on a network file system?): "
                        + "scanning every 100 ms (scan_interval) while scans find such changes; mode: poll checks every poll_interval");
        assertThat(emitter.messages()).containsExactlyInAnyOrder("1", "2", "3", "new-1");
    }

    /** Where notifications report everything, the scans find nothing they missed: no word, and the scans back off. */
    @Test
    void theSafetyNetScanSaysNothingWhereNotificationsReportEverything()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "1\n");
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log").scanInterval(Duration.ofMillis(100)).pollInterval(NEVER);
        RunningInput input = start(config, NotifyChangeSource.Watches.KERNEL, "reported");
        emitter.awaitEvents(1, TIMEOUT);
        append(log, "2\n");
        emitter.awaitEvents(2, TIMEOUT);
        // a new time and no new data (touch): notified, and nothing to read
        Files.setLastModifiedTime(log, FileTime.fromMillis(Files.getLastModifiedTime(log).toMillis() + 5_000));
        append(log, "3\n");
        emitter.awaitEvents(3, TIMEOUT);
        // scans at 100, 200, 400 ms and on
        TimeUnit.MILLISECONDS.sleep(1_500);
        input.stop();

        assertThat(context.logged()).noneMatch(line -> line.contains("safety-net scan"));
        assertThat(emitter.messages()).containsExactly("1", "2", "3");
    }

    @Test
    void pollsWhileADirectoryCannotBeWatched()
            throws Exception
    {
        Files.createDirectories(directory.resolve("a"));
        Files.createDirectories(directory.resolve("b"));
        write(directory.resolve("a/app.log"), "a-1\n");
        write(directory.resolve("b/app.log"), "b-1\n");
        LimitedWatches watches = new LimitedWatches(Set.of(directory.resolve("b")));
        ConfigBuilder config = ConfigBuilder.files(directory + "/*/app.log").scanInterval(NEVER).pollInterval(Duration.ofMillis(100));
        RunningInput input = start(config, watches, "limited");
        emitter.awaitEvents(2, TIMEOUT);
        assertThat(context.logged()).contains("WARNING cannot watch " + directory.resolve("b") + " (User limit of inotify watches reached): checking every file every 100 ms"
                + " (poll_interval) until every directory is watched; if the limit of inotify watches was reached, raise fs.inotify.max_user_watches");

        // only the poll finds this: b has no watch
        append(directory.resolve("b/app.log"), "b-2\n");
        emitter.awaitEvents(3, TIMEOUT);

        // the limit raised: b is watched at the next poll, and the input goes back to waiting for notifications
        watches.unwatchable.clear();
        RunningInput.await(() -> context.logged().contains("INFO every directory is watched again; back to kernel change notification"), TIMEOUT, "b to be watched");
        append(directory.resolve("b/app.log"), "b-3\n");
        append(directory.resolve("a/app.log"), "a-2\n");
        emitter.awaitEvents(5, TIMEOUT);
        input.stop();
        assertThat(context.logged()).filteredOn(line -> line.startsWith("WARNING")).hasSize(1);
        assertThat(emitter.messages()).containsExactlyInAnyOrder("a-1", "b-1", "b-2", "b-3", "a-2");
    }

    @Test
    void pollsWithoutKernelNotification()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "1\n");
        NotifyChangeSource.Watches noInstanceLeft = new NotifyChangeSource.Watches()
        {
            @Override
            public WatchService newWatchService()
                    throws IOException
            {
                // what the JDK throws when inotify_init fails with EMFILE
                throw new IOException("User limit of inotify instances reached or too many open files");
            }
        };
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log").scanInterval(NEVER).pollInterval(Duration.ofMillis(100));
        RunningInput input = start(config, noInstanceLeft, "no-inotify");
        emitter.awaitEvents(1, TIMEOUT);
        append(log, "2\n");
        Files.move(log, directory.resolve("app.log.1"));
        write(log, "3\n");
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(context.logged()).contains("WARNING cannot use kernel change notification (User limit of inotify instances reached or too many open files): "
                + "checking every file every 100 ms (poll_interval) instead; if the limit of inotify instances was reached, raise fs.inotify.max_user_instances");
        assertThat(emitter.messages()).containsExactly("1", "2", "3");
    }

    /**
     * The kernel's watches, except that while {@link #overflowing} every event is replaced by one overflow, and the
     * events of the directories in {@link #silent} are lost.
     */
    private static final class OverflowingWatches
            implements NotifyChangeSource.Watches
    {
        final Set<Path> silent = ConcurrentHashMap.newKeySet();
        volatile boolean overflowing;
        volatile int overflows;

        @Override
        public List<WatchEvent<?>> events(WatchKey key)
        {
            List<WatchEvent<?>> events = key.pollEvents();
            if (silent.contains((Path) key.watchable())) {
                return List.of();
            }
            if (!overflowing || events.isEmpty()) {
                return events;
            }
            overflows++;
            return List.of(new WatchEvent<>()
            {
                @Override
                public Kind<Object> kind()
                {
                    return StandardWatchEventKinds.OVERFLOW;
                }

                @Override
                public int count()
                {
                    return 1;
                }

                @Override
                public Object context()
                {
                    return null;
                }
            });
        }
    }

    /** The kernel's watches, except that the directories in {@link #unwatchable} fail as when the watch limit is reached. */
    private static final class LimitedWatches
            implements NotifyChangeSource.Watches
    {
        final Set<Path> unwatchable;

        LimitedWatches(Set<Path> unwatchable)
        {
            this.unwatchable = ConcurrentHashMap.newKeySet();
            this.unwatchable.addAll(unwatchable);
        }

        @Override
        public WatchKey register(WatchService service, Path directory)
                throws IOException
        {
            if (unwatchable.contains(directory)) {
                // what the JDK throws when inotify_add_watch fails with ENOSPC
                throw new IOException("User limit of inotify watches reached");
            }
            return NotifyChangeSource.Watches.super.register(service, directory);
        }
    }
}
