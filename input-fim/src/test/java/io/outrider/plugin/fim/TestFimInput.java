package io.outrider.plugin.fim;

import io.outrider.spi.Checkpoint;
import io.outrider.spi.DataSize;
import io.outrider.spi.Emitter;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import static io.outrider.plugin.fim.Trees.actionsAndPaths;
import static io.outrider.plugin.fim.Trees.eventsOf;
import static io.outrider.plugin.fim.Trees.fileEvents;
import static io.outrider.plugin.fim.Trees.sha256;
import static io.outrider.plugin.fim.Trees.withAction;
import static io.outrider.plugin.fim.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;

class TestFimInput
{
    @Test
    void firstScanBuildsTheBaselineSilentlyAndARestartReportsEveryChangeMadeWhileStopped(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path a = write(tree.resolve("etc/a.conf"), "alpha\n");
        Path b = write(tree.resolve("etc/b.conf"), "bravo\n");
        Path c = write(tree.resolve("etc/sub/c.conf"), "charlie\n");
        Path d = write(tree.resolve("etc/sub/d.conf"), "delta\n");
        Path f = write(tree.resolve("etc/f.conf"), "foxtrot\n");
        FimInputConfig config = TestConfig.paths(tree).build();
        TestingComponentContext context = context(data);

        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            List<Event> events = input.awaitScans(1);
            assertThat(fileEvents(events)).isEmpty();
            assertThat(events).hasSize(1);
            assertThat(events.get(0).fields())
                    .containsEntry(Fields.EVENT_ACTION, "scan_complete")
                    .containsEntry(Fields.OUTRIDER_ROUND_COMPLETE, true)
                    .containsEntry("fim.scan.reason", "baseline")
                    .containsEntry("fim.scan.files", 5L);
        }
        assertThat(first.committedCheckpoints()).containsOnlyKeys(FimInput.CHECKPOINT_BASELINE);

        Files.writeString(a, "alpha, changed\n");
        Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("rw-------"));
        Files.delete(d);
        Path e = write(tree.resolve("etc/sub/e.conf"), "echo\n");
        Path replacement = write(data.resolve("f.conf.new"), "foxtrot 2\n");
        Files.move(replacement, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        CollectingEmitter second = new CollectingEmitter();
        List<Event> events;
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            events = input.awaitScans(1);
        }
        assertThat(actionsAndPaths(events)).containsExactlyInAnyOrder(
                "modified " + a, "attributes_changed " + b, "deleted " + d, "created " + e, "modified " + f);
        // the scan's summary is the round's last event, committed after every change it found
        List<Event> roundComplete = events.stream().filter(event -> Boolean.TRUE.equals(event.field(Fields.OUTRIDER_ROUND_COMPLETE))).toList();
        assertThat(roundComplete).singleElement().satisfies(event -> assertThat(event.field(Fields.EVENT_ACTION)).isEqualTo("scan_complete"));
        assertThat(events.indexOf(roundComplete.get(0))).isGreaterThan(events.indexOf(fileEvents(events).get(fileEvents(events).size() - 1)));

        Event modified = eventsOf(events, a).get(0);
        assertThat(modified.fields())
                .containsEntry(Fields.EVENT_MODULE, "fim")
                .containsEntry(Fields.EVENT_CATEGORY, "file")
                .containsEntry(Fields.EVENT_SEVERITY, "medium")
                .containsEntry(Fields.HOST_NAME, "test-host")
                .containsEntry("file.type", "file")
                .containsEntry(Fields.FILE_HASH_SHA256, sha256("alpha, changed\n"))
                .containsEntry(FimEvents.FIELD_HASH_PREVIOUS, sha256("alpha\n"))
                .containsEntry(Fields.FILE_SIZE, 15L)
                .containsEntry("fim.previous.size", 6L)
                .containsEntry(Fields.FILE_MODE, "0644")
                .containsEntry(Fields.FILE_MTIME, Files.getLastModifiedTime(a).toInstant().toString())
                .containsEntry(Fields.FILE_INODE, Files.getAttribute(a, "unix:ino").toString())
                .containsEntry(FimEvents.FIELD_CHANGES, List.of("content", "size", "mtime"));
        assertThat(modified.message()).isEqualTo("modified " + a + " (content, size, mtime)");

        assertThat(eventsOf(events, b).get(0).fields())
                .containsEntry(FimEvents.FIELD_CHANGES, List.of("mode"))
                .containsEntry(Fields.FILE_MODE, "0600")
                .containsEntry("fim.previous.mode", "0644")
                .containsEntry(Fields.FILE_HASH_SHA256, sha256("bravo\n"))
                .doesNotContainKey(FimEvents.FIELD_HASH_PREVIOUS);
        assertThat(eventsOf(events, c)).isEmpty();
        assertThat(eventsOf(events, d).get(0).fields())
                .containsEntry(Fields.FILE_HASH_SHA256, sha256("delta\n"))
                .containsEntry(Fields.FILE_SIZE, 6L)
                .doesNotContainKey(FimEvents.FIELD_CHANGES);
        assertThat(eventsOf(events, e).get(0).fields())
                .containsEntry(Fields.FILE_HASH_SHA256, sha256("echo\n"))
                .containsEntry(Fields.FILE_OWNER, Files.getOwner(e).getName())
                .containsEntry("file.uid", Files.getAttribute(e, "unix:uid").toString())
                .containsEntry(Fields.FILE_MODE, "0644");
        assertThat(eventsOf(events, f).get(0).fields())
                .containsEntry(FimEvents.FIELD_CHANGES, List.of("content", "size", "mtime", "inode"))
                .containsEntry(Fields.FILE_HASH_SHA256, sha256("foxtrot 2\n"))
                .containsEntry(FimEvents.FIELD_HASH_PREVIOUS, sha256("foxtrot\n"));
        assertThat(withAction(events, "scan_complete").get(0).fields())
                .containsEntry("fim.scan.reason", "startup")
                .containsEntry("fim.scan.created", 1L)
                .containsEntry("fim.scan.modified", 2L)
                .containsEntry("fim.scan.deleted", 1L)
                .containsEntry("fim.scan.attributes_changed", 1L)
                .containsEntry("fim.scan.errors", 0L);

        // the baseline moved on with the events: a third start finds nothing new
        CollectingEmitter third = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(second.committedCheckpoints()), third)) {
            assertThat(fileEvents(input.awaitScans(1))).isEmpty();
        }
    }

    @Test
    void reportsChangesAsTheyHappenAfterTheyHaveSettled(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path a = write(tree.resolve("a.conf"), "alpha\n");
        Path b = write(tree.resolve("b.conf"), "bravo\n");
        // long enough that the steps below, 20 ms apart, fall within it even on a busy machine
        FimInputConfig config = TestConfig.paths(tree).realtime().debounce(Duration.ofMillis(700)).build();
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), emitter)) {
            input.awaitScans(1);

            Path c = write(tree.resolve("c.conf"), "charlie\n");
            assertThat(awaitEventOf(emitter, c, 1).fields())
                    .containsEntry(Fields.EVENT_ACTION, "created")
                    .containsEntry(Fields.FILE_HASH_SHA256, sha256("charlie\n"));

            // written in many small steps: one event, after the last step
            StringBuilder content = new StringBuilder("alpha\n");
            for (int step = 0; step < 10; step++) {
                String line = "step " + step + "\n";
                Files.writeString(a, line, java.nio.file.StandardOpenOption.APPEND);
                content.append(line);
                Thread.sleep(20);
            }
            assertThat(awaitEventOf(emitter, a, 1).fields())
                    .containsEntry(Fields.EVENT_ACTION, "modified")
                    .containsEntry(Fields.FILE_HASH_SHA256, sha256(content.toString()))
                    .containsEntry(FimEvents.FIELD_HASH_PREVIOUS, sha256("alpha\n"));

            Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("rwxr-x---"));
            assertThat(awaitEventOf(emitter, b, 1).fields())
                    .containsEntry(Fields.EVENT_ACTION, "attributes_changed")
                    .containsEntry(FimEvents.FIELD_CHANGES, List.of("mode"))
                    .containsEntry(Fields.FILE_MODE, "0750");

            // atomic replace through a temporary file in the same directory
            Path temporary = write(tree.resolve(".b.conf.tmp"), "bravo 2\n");
            Files.move(temporary, b, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            assertThat(awaitEventOf(emitter, b, 2).fields())
                    .containsEntry(Fields.EVENT_ACTION, "modified")
                    .containsEntry(Fields.FILE_HASH_SHA256, sha256("bravo 2\n"))
                    .containsEntry(FimEvents.FIELD_HASH_PREVIOUS, sha256("bravo\n"));

            // a new directory with files created right away
            Path deep = write(tree.resolve("new/deep/x.conf"), "x-ray\n");
            assertThat(awaitEventOf(emitter, deep, 1).field(Fields.EVENT_ACTION)).isEqualTo("created");

            Files.delete(c);
            assertThat(awaitEventOf(emitter, c, 2).field(Fields.EVENT_ACTION)).isEqualTo("deleted");

            // a whole directory removed
            Files.delete(deep);
            Files.delete(deep.getParent());
            Files.delete(deep.getParent().getParent());
            assertThat(awaitEventOf(emitter, deep, 2).field(Fields.EVENT_ACTION)).isEqualTo("deleted");

            // a sentinel change after everything else: any late duplicate would have come before it
            Path sentinel = write(tree.resolve("sentinel"), "s\n");
            awaitEventOf(emitter, sentinel, 1);
            // the directories that came and went are events of their own
            Path newDirectory = tree.resolve("new");
            Path deepDirectory = newDirectory.resolve("deep");
            assertThat(actionsAndPaths(emitter.events())).containsExactly(
                    "created " + c, "modified " + a, "attributes_changed " + b, "modified " + b, "created " + newDirectory, "created " + deepDirectory,
                    "created " + deep, "deleted " + c, "deleted " + deep, "deleted " + deepDirectory, "deleted " + newDirectory, "created " + sentinel);
        }
    }

    /**
     * "it is monitored once it appears" was true only when the root's parent existed: with later/ missing too,
     * files made under later/sub/ were found by the next full rescan (12 h by default). The nearest directory that
     * exists is watched now, and the directories on the way are followed as they appear.
     */
    @Test
    void aRootWhoseParentDoesNotExistEitherIsMonitoredOnceItAppears(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path root = tree.resolve("later/sub");
        FimInputConfig config = TestConfig.paths(root).realtime().debounce(Duration.ofMillis(100)).build();
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), emitter)) {
            input.awaitScans(1);

            Path file = write(root.resolve("f.txt"), "hi\n");
            assertThat(awaitEventOf(emitter, file, 1).fields())
                    .containsEntry(Fields.EVENT_ACTION, "created")
                    .containsEntry(Fields.FILE_HASH_SHA256, sha256("hi\n"));
            Files.writeString(file, "more\n", java.nio.file.StandardOpenOption.APPEND);
            assertThat(awaitEventOf(emitter, file, 2).field(Fields.EVENT_ACTION)).isEqualTo("modified");
            // beside the way to the root: not monitored
            Path beside = write(tree.resolve("later/other.txt"), "no\n");
            Path sentinel = write(root.resolve("sentinel"), "s\n");
            awaitEventOf(emitter, sentinel, 1);
            assertThat(eventsOf(emitter.events(), beside)).isEmpty();
        }
    }

    @Test
    void tenThousandFilesWithChangesWhileStoppedYieldExactlyThoseEvents(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            files.add(write(tree.resolve(String.format("d%02d/f%05d", i % 100, i)), "file " + i + "\n"));
        }
        FimInputConfig config = TestConfig.paths(tree).build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            assertThat(withAction(input.awaitScans(1), "scan_complete").get(0).field("fim.scan.files")).isEqualTo(10_000L);
        }

        List<String> expected = new ArrayList<>();
        for (Path path : files.subList(0, 100)) {
            Files.writeString(path, "changed\n");
            expected.add("modified " + path);
        }
        for (Path path : files.subList(100, 150)) {
            Files.delete(path);
            expected.add("deleted " + path);
        }
        for (Path path : files.subList(150, 175)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            expected.add("attributes_changed " + path);
        }
        for (int i = 0; i < 50; i++) {
            expected.add("created " + write(tree.resolve(String.format("d%02d/new%02d", i, i)), "new " + i + "\n"));
        }

        CollectingEmitter second = new CollectingEmitter();
        List<Event> events;
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            events = input.awaitScans(1);
        }
        assertThat(actionsAndPaths(events)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(withAction(events, "modified")).allSatisfy(event ->
                assertThat(event.fields()).containsEntry(Fields.FILE_HASH_SHA256, sha256("changed\n")).containsKey(FimEvents.FIELD_HASH_PREVIOUS));
        assertThat(withAction(events, "attributes_changed")).allSatisfy(event ->
                assertThat(event.fields()).containsEntry(FimEvents.FIELD_CHANGES, List.of("mode")));
    }

    @Test
    void aChangeWhoseEventsWereNotCommittedIsReportedAfterTheRestart(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path a = write(tree.resolve("a"), "alpha\n");
        Path b = write(tree.resolve("b"), "bravo\n");
        FimInputConfig config = TestConfig.paths(tree).build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            input.awaitScans(1);
        }
        Files.writeString(a, "alpha 2\n");
        Files.delete(b);

        // the agent dies before committing the events
        CollectingEmitter crashing = new CollectingEmitter();
        crashing.failAfter(1);
        RunningInput failed = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), crashing);
        assertThat(failed.awaitFailure()).hasMessage("simulated crash before commit");
        assertThat(crashing.events()).isEmpty();

        // the agent dies right after committing them, before the baseline was updated: reported again, not lost
        CollectingEmitter committedThenCrashed = new CollectingEmitter();
        RunningInput crashedAfterCommit = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()),
                new CrashAfterCommitEmitter(committedThenCrashed), committedThenCrashed);
        assertThat(crashedAfterCommit.awaitFailure()).hasMessage("simulated crash after commit");
        assertThat(actionsAndPaths(committedThenCrashed.events())).containsExactlyInAnyOrder("modified " + a, "deleted " + b);

        CollectingEmitter restarted = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(committedThenCrashed.committedCheckpoints()), restarted)) {
            assertThat(actionsAndPaths(input.awaitScans(1))).containsExactlyInAnyOrder("modified " + a, "deleted " + b);
        }
        CollectingEmitter settled = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(restarted.committedCheckpoints()), settled)) {
            assertThat(fileEvents(input.awaitScans(1))).isEmpty();
        }
    }

    @Test
    void anEmitThatFailsWhileFilesAreStillBeingHashedEndsTheRunAndLosesNothing(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            files.add(write(tree.resolve(String.format("d%d/f%03d", i % 3, i)), "file " + i + "\n"));
        }
        FimInputConfig config = TestConfig.paths(tree).batchSize(1).build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            input.awaitScans(1);
        }
        List<String> expected = new ArrayList<>();
        for (Path path : files) {
            Files.writeString(path, "changed " + path.getFileName() + "\n");
            expected.add("modified " + path);
        }

        // the first event's emit fails while the walk still has files in flight: the run ends with that failure
        CollectingEmitter crashing = new CollectingEmitter();
        crashing.failAfter(1);
        RunningInput failed = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), crashing);
        assertThat(failed.awaitFailure()).hasMessage("simulated crash before commit");

        CollectingEmitter restarted = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), restarted)) {
            assertThat(actionsAndPaths(input.awaitScans(1))).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void lostNotificationsTriggerAGapEventAndARescan(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Files.createDirectories(tree.resolve("dir"));
        FimInputConfig config = TestConfig.paths(tree).realtime().maxPendingPaths(3).build();
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), emitter)) {
            input.awaitScans(1);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("created " + write(tree.resolve("dir/f" + i), "f" + i));
            }
            List<Event> events = emitter.awaitEvents(list -> fileEvents(list).size() >= 20, RunningInput.TIMEOUT, "20 created events");
            Event gap = withAction(events, "gap").get(0);
            assertThat(gap.fields()).containsEntry("fim.roots", List.of(tree.toString()));
            assertThat(gap.fieldAsString(Fields.EVENT_REASON)).startsWith("file change notifications were lost (");

            Path sentinel = write(tree.resolve("sentinel"), "s");
            awaitEventOf(emitter, sentinel, 1);
            expected.add("created " + sentinel);
            assertThat(actionsAndPaths(emitter.events())).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void aLostBaselineIsReportedAsAGap(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        write(tree.resolve("a"), "alpha\n");
        FimInputConfig config = TestConfig.paths(tree).build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            input.awaitScans(1);
        }
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        CollectingEmitter second = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            List<Event> events = input.awaitScans(1);
            assertThat(events).extracting(event -> event.field(Fields.EVENT_ACTION)).containsExactly("gap", "scan_complete");
            assertThat(events.get(0).fieldAsString(Fields.EVENT_REASON)).isEqualTo("the baseline database " + data.resolve("fim-baseline.db")
                    + " is not the one this input used before (it was deleted or replaced): changes made before this start cannot be reported");
            assertThat(events.get(1).field("fim.scan.reason")).isEqualTo("baseline");
        }
        assertThat(second.committedCheckpoints().get(FimInput.CHECKPOINT_BASELINE)).isNotEqualTo(first.committedCheckpoints().get(FimInput.CHECKPOINT_BASELINE));
    }

    @Test
    void theAgentsOwnConfigurationAndPluginsAreWatchedAtHighSeverity(@TempDir Path tree, @TempDir Path agent, @TempDir Path data)
            throws Exception
    {
        Path watched = write(tree.resolve("a"), "alpha\n");
        Path agentConfig = write(agent.resolve("outrider.yaml"), "pipelines: {}\n");
        Path plugin = write(agent.resolve("plugins/input-fim/input-fim.jar"), "jar");
        write(agent.resolve("unrelated.txt"), "not watched\n");
        TestingComponentContext context = TestingComponentContext.builder(data).componentType("fim")
                .agentConfigFile(agentConfig).pluginsDirectory(agent.resolve("plugins")).build();
        FimInputConfig config = TestConfig.paths(tree).build();
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            Event scan = input.awaitScans(1).get(0);
            assertThat(scan.field("fim.scan.files")).isEqualTo(3L);
            // the configuration file and the plugin's jar, outside the configured path: counted, and counted apart
            assertThat(scan.field("fim.scan.agent_files")).isEqualTo(2L);
        }
        Files.writeString(watched, "alpha 2\n");
        Files.writeString(agentConfig, "pipelines: {evil: {}}\n");
        Path dropped = write(agent.resolve("plugins/evil/evil.jar"), "evil");
        write(agent.resolve("unrelated.txt"), "changed, still not watched\n");
        Files.delete(plugin);

        CollectingEmitter second = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            List<Event> events = fileEvents(input.awaitScans(1));
            assertThat(events).extracting(event -> event.field(Fields.EVENT_ACTION) + " " + event.field(Fields.FILE_PATH) + " " + event.field(Fields.EVENT_SEVERITY))
                    .containsExactlyInAnyOrder(
                            "modified " + watched + " medium",
                            "modified " + agentConfig + " high",
                            "created " + dropped.getParent() + " high",
                            "created " + dropped + " high",
                            "deleted " + plugin + " high");
        }
    }

    @Test
    void symbolicLinksAreRecordedNotFollowedAndNeverFollowedIntoLoops(@TempDir Path tree, @TempDir Path data, @TempDir Path followData)
            throws Exception
    {
        Path file = write(tree.resolve("real/a.txt"), "alpha\n");
        Path loop = Files.createSymbolicLink(tree.resolve("real/loop"), tree);
        Path self = Files.createSymbolicLink(tree.resolve("real/self"), tree.resolve("real/self"));
        Path link = Files.createSymbolicLink(tree.resolve("link"), Path.of("real/a.txt"));

        FimInputConfig notFollowing = TestConfig.paths(tree).build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(notFollowing, context, first)) {
            assertThat(input.awaitScans(1).get(0).field("fim.scan.files")).isEqualTo(4L);
        }
        CollectingEmitter following = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(TestConfig.paths(tree).followSymlinks().build(), context(followData), following)) {
            // a.txt through its own path and through "link"; "loop" leads back to the root; "self" is a loop of links
            assertThat(input.awaitScans(1).get(0).field("fim.scan.files")).isEqualTo(3L);
        }

        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("real/loop"));
        CollectingEmitter second = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(notFollowing, context.withCheckpoints(first.committedCheckpoints()), second)) {
            List<Event> events = fileEvents(input.awaitScans(1));
            assertThat(actionsAndPaths(events)).containsExactly("modified " + link);
            assertThat(events.get(0).fields())
                    .containsEntry("file.type", "symlink")
                    .containsEntry("file.target_path", "real/loop")
                    .containsEntry("fim.previous.target_path", "real/a.txt")
                    .doesNotContainKey(Fields.FILE_HASH_SHA256);
            // the new link may get the inode number the old one freed
            assertThat(Trees.changes(events.get(0))).startsWith("link_target", "size", "mtime");
        }
        assertThat(List.of(file, loop, self)).allSatisfy(path -> assertThat(Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue());
    }

    /**
     * A name that is not valid UTF-8 has no text leading back to it: such a file (an executable named evil\xff, say)
     * and everything in such a directory were left out without a word. Each is reported at every scan now.
     */
    @Test
    void aNameThatIsNotUtf8IsReportedNeverSilentlyLeftOut(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path ok = write(tree.resolve("ok.txt"), "ok\n");
        // the only way from Java to a name's own bytes: a file URI, percent-encoded
        Path evil = Files.writeString(Path.of(java.net.URI.create(tree.toUri() + "evil%FF")), "#!/bin/sh\n");
        Path odd = Files.createDirectory(Path.of(java.net.URI.create(tree.toUri() + "dir%FE")));
        Files.writeString(odd.resolve("inside.txt"), "hidden\n");

        FimInputConfig config = TestConfig.paths(tree).build();
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), emitter)) {
            List<Event> events = input.awaitScans(1);
            assertThat(events).filteredOn(event -> "error".equals(event.field(Fields.EVENT_ACTION)))
                    .extracting(event -> event.field(Fields.FILE_PATH) + " | " + event.message())
                    .containsExactlyInAnyOrder(
                            tree + "/evil\\xff | error " + tree + "/evil\\xff: its name is not valid UTF-8 (the odd bytes are shown as \\xNN),"
                                    + " so it cannot be monitored; a name like this is unusual: look at what it is",
                            tree + "/dir\\xfe | error " + tree + "/dir\\xfe: its name is not valid UTF-8 (the odd bytes are shown as \\xNN),"
                                    + " so it cannot be monitored, nor anything in it; a name like this is unusual: look at what it is");
            Event scan = events.get(events.size() - 1);
            assertThat(scan.field("fim.scan.files")).isEqualTo(1L);
            assertThat(scan.field("fim.scan.errors")).isEqualTo(2L);
        }
        assertThat(List.of(ok, evil)).allSatisfy(path -> assertThat(path).exists());
    }

    /**
     * A monitored directory made world-writable (chmod 777 /etc/sudoers.d) is a classic persistence step, and made no
     * event: directories were walked, never baselined. Their mode and owners are now, while the agent is stopped and
     * as it runs; their size and times, which every file made in them changes, are not reported.
     */
    @Test
    void aDirectorysModeAndOwnersAreMonitored(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path dropIn = Files.createDirectories(tree.resolve("sudoers.d"));
        Files.setPosixFilePermissions(dropIn, PosixFilePermissions.fromString("rwxr-x---"));
        write(dropIn.resolve("admins"), "%admin ALL=(ALL) ALL\n");
        FimInputConfig config = TestConfig.paths(tree).realtime().debounce(Duration.ofMillis(100)).build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            assertThat(input.awaitScans(1).get(0).field("fim.scan.files")).isEqualTo(1L);
        }

        Files.setPosixFilePermissions(dropIn, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(tree.resolve("empty"));
        CollectingEmitter second = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            List<Event> events = fileEvents(input.awaitScans(1));
            assertThat(actionsAndPaths(events)).containsExactly("created " + tree.resolve("empty"), "attributes_changed " + dropIn);
            assertThat(events.get(0).fields()).containsEntry("file.type", "dir").containsEntry(Fields.EVENT_ACTION, "created");
            assertThat(events.get(1).fields())
                    .containsEntry("file.type", "dir")
                    .containsEntry(Fields.FILE_MODE, "0777")
                    .containsEntry(FimEvents.FIELD_CHANGES, List.of("mode"));

            // as it runs: back to what it was, and a file made in it is the only other event
            Files.setPosixFilePermissions(dropIn, PosixFilePermissions.fromString("rwxr-x---"));
            assertThat(awaitEventOf(second, dropIn, 2).field(Fields.FILE_MODE)).isEqualTo("0750");
            Path added = write(dropIn.resolve("backdoor"), "ALL ALL=(ALL) NOPASSWD: ALL\n");
            awaitEventOf(second, added, 1);
            assertThat(actionsAndPaths(second.events())).containsExactly("created " + tree.resolve("empty"), "attributes_changed " + dropIn, "attributes_changed " + dropIn,
                    "created " + added);
        }
    }

    /**
     * A baseline from before directories were in it (an older agent's) gets them at the first scan without an event
     * each, which would have reported every directory of /etc as created; from then on one appearing is reported.
     */
    /** A walkthrough renamed a directory inside the tree: changes in it and under it went unseen until the 12-hour rescan. */
    @Test
    void aDirectoryRenamedInsideTheTreeIsWatchedUnderItsNewName(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path old = Files.createDirectories(tree.resolve("sub"));
        Files.createDirectories(old.resolve("deeper"));
        write(old.resolve("g9"), "nine\n");
        write(old.resolve("deeper/g10"), "ten\n");
        FimInputConfig config = TestConfig.paths(tree).realtime().debounce(Duration.ofMillis(100)).build();
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), emitter)) {
            input.awaitScans(1);
            Path renamed = tree.resolve("sub2");
            Files.move(tree.resolve("sub"), renamed);
            awaitEventOf(emitter, renamed.resolve("deeper/g10"), 1);

            Path added = write(renamed.resolve("new"), "new\n");
            Files.writeString(renamed.resolve("g9"), "changed\n", java.nio.file.StandardOpenOption.APPEND);
            Path deep = write(renamed.resolve("deeper/later"), "later\n");
            Path newDirectory = Files.createDirectories(renamed.resolve("made/after"));
            Path inNewDirectory = write(newDirectory.resolve("file"), "file\n");

            assertThat(awaitEventOf(emitter, added, 1).field(Fields.EVENT_ACTION)).isEqualTo("created");
            assertThat(awaitEventOf(emitter, renamed.resolve("g9"), 2).field(Fields.EVENT_ACTION)).isEqualTo("modified");
            assertThat(awaitEventOf(emitter, deep, 1).field(Fields.EVENT_ACTION)).isEqualTo("created");
            assertThat(awaitEventOf(emitter, inNewDirectory, 1).field(Fields.EVENT_ACTION)).isEqualTo("created");
            // nothing was reported under the old name after the rename
            assertThat(actionsAndPaths(fileEvents(emitter.events()))).filteredOn(line -> line.contains(tree.resolve("sub") + "/"))
                    .allMatch(line -> line.startsWith("deleted "));
        }
    }

    @Test
    void anOlderBaselineGetsItsDirectoriesWithoutEvents(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        write(tree.resolve("etc/app/a.conf"), "a\n");
        FimInputConfig config = TestConfig.paths(tree).build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            input.awaitScans(1);
        }
        // what an older agent's baseline held: files only, and no word of directories
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + context.dataDirectory().resolve(BaselineStore.FILE_NAME));
                java.sql.Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("DELETE FROM files WHERE type = 'DIRECTORY'")).isEqualTo(3);
            assertThat(statement.executeUpdate("DELETE FROM meta WHERE key = 'directories_baselined'")).isEqualTo(1);
        }

        CollectingEmitter second = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            assertThat(fileEvents(input.awaitScans(1))).isEmpty();
        }
        Files.createDirectories(tree.resolve("etc/cron.d"));
        CollectingEmitter third = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(second.committedCheckpoints()), third)) {
            assertThat(actionsAndPaths(fileEvents(input.awaitScans(1)))).containsExactly("created " + tree.resolve("etc/cron.d"));
        }
    }

    @Test
    void globsExclusionsSizeLimitAndSpecialFiles(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path conf = write(tree.resolve("etc/a.conf"), "a\n");
        Path deepConf = write(tree.resolve("etc/deep/x.conf"), "x\n");
        Path topConf = write(tree.resolve("top.conf"), "top\n");
        Path secret = write(tree.resolve("etc/private/secret.conf"), "secret\n");
        Path notes = write(tree.resolve("etc/notes.txt"), "notes\n");
        Path tool = write(tree.resolve("bin/tool"), "#!/bin/sh\n");
        Path inner = write(tree.resolve("bin/sub/inner"), "inner\n");
        Path big = write(tree.resolve("bin/big"), new byte[4096]);
        Path pipe = tree.resolve("bin/pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();

        FimInputConfig config = TestConfig.pathTexts(tree + "/**/*.conf", tree + "/bin/*")
                .exclude(tree + "/etc/private")
                .maxHashSize(DataSize.ofBytes(1024))
                .build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            // a.conf, x.conf, top.conf, tool, big, pipe (the FIFO is recorded, never opened), and sub/inner: bin/* matches
            // the directory sub, which means everything below it
            assertThat(input.awaitScans(1).get(0).field("fim.scan.files")).isEqualTo(7L);
        }
        Files.write(big, new byte[8192]);
        Files.writeString(secret, "secret 2\n");
        Files.writeString(notes, "notes 2\n");
        Files.writeString(inner, "inner 2\n");
        Files.setPosixFilePermissions(pipe, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(deepConf, "x 2\n");

        CollectingEmitter second = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            List<Event> events = fileEvents(input.awaitScans(1));
            assertThat(actionsAndPaths(events)).containsExactlyInAnyOrder("modified " + big, "attributes_changed " + pipe, "modified " + deepConf, "modified " + inner);
            assertThat(eventsOf(events, big).get(0).fields())
                    .containsEntry("fim.hashed", false)
                    .containsEntry("fim.hash_skipped", "larger than max_hash_size")
                    .containsEntry(FimEvents.FIELD_CHANGES, List.of("content", "size", "mtime"))
                    .doesNotContainKeys(Fields.FILE_HASH_SHA256, FimEvents.FIELD_HASH_PREVIOUS);
            assertThat(eventsOf(events, pipe).get(0).fields())
                    .containsEntry("file.type", "fifo")
                    .containsEntry(Fields.FILE_MODE, "0666");
        }
        assertThat(List.of(conf, topConf, tool)).allSatisfy(path -> assertThat(path).exists());
    }

    @Test
    void ownerAndGroupChangesAreAttributeChanges(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        if (!"root".equals(System.getProperty("user.name"))) {
            String message = "changing a file's owner needs root";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + ": CI runs the tests as root");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, message);
        }
        Path file = write(tree.resolve("owned"), "owned\n");
        FimInputConfig config = TestConfig.paths(tree).realtime().build();
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), emitter)) {
            input.awaitScans(1);
            Files.setAttribute(file, "unix:gid", 4321);
            Files.setAttribute(file, "unix:uid", 1234);
            Event event = emitter.awaitEvents(events -> eventsOf(events, file).stream()
                            .anyMatch(candidate -> "1234".equals(candidate.field("file.uid"))), RunningInput.TIMEOUT, "the owner change")
                    .stream().filter(candidate -> file.toString().equals(candidate.field(Fields.FILE_PATH))).reduce((first, second) -> second).orElseThrow();
            assertThat(event.fields())
                    .containsEntry(Fields.EVENT_ACTION, "attributes_changed")
                    .containsEntry("file.uid", "1234")
                    .containsEntry(Fields.FILE_OWNER, "1234")
                    .containsEntry("file.gid", "4321")
                    .containsEntry("fim.previous.uid", "0")
                    .containsEntry("fim.previous.owner", "root")
                    .containsEntry(Fields.FILE_HASH_SHA256, sha256("owned\n"));
            assertThat(Trees.changes(event)).contains("owner");
        }
    }

    @Test
    void theScheduledRescanFindsWhatNotificationsWouldHaveReported(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path file = write(tree.resolve("a"), "alpha\n");
        FimInputConfig config = TestConfig.paths(tree).rescanInterval(Duration.ofMillis(500)).build();
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), emitter)) {
            input.awaitScans(1);
            Files.writeString(file, "alpha 2\n");
            Event modified = awaitEventOf(emitter, file, 1);
            assertThat(modified.fields())
                    .containsEntry(Fields.EVENT_ACTION, "modified")
                    .containsEntry(Fields.FILE_HASH_SHA256, sha256("alpha 2\n"));
            List<Event> events = input.awaitScans(3);
            assertThat(withAction(events, "scan_complete")).extracting(event -> event.field("fim.scan.reason"))
                    .startsWith("baseline", "scheduled", "scheduled");
        }
    }

    @Test
    void filesBeyondMaxFilesAreNotMonitoredAndThatIsReportedOnce(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        for (int i = 0; i < 5; i++) {
            write(tree.resolve("f" + i), "f" + i);
        }
        FimInputConfig config = TestConfig.paths(tree).maxFiles(3).build();
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data), first)) {
            List<Event> events = input.awaitScans(1);
            assertThat(events).hasSize(2);
            assertThat(events.get(0).field(Fields.EVENT_ACTION)).isEqualTo("error");
            assertThat((String) events.get(0).field(Fields.FILE_PATH)).startsWith(tree + "/f");
            assertThat(events.get(0).field("error.message")).isEqualTo("more than max_files (3) files are selected: the files already in the baseline"
                    + " stay monitored, new ones beyond the limit are not (the first is this one); raise max_files (the scan's fim.scan.unmonitored says"
                    + " how many more there are)");
            // counted as what they are, and the two left out never hashed
            assertThat(events.get(1).fields()).containsEntry("fim.scan.files", 3L).containsEntry("fim.scan.unmonitored", 2L)
                    .containsEntry("fim.scan.errors", 1L).containsEntry("fim.scan.bytes_hashed", 6L);
        }
        for (int i = 0; i < 5; i++) {
            write(tree.resolve("f" + i), "changed " + i);
        }
        CollectingEmitter second = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context(data).withCheckpoints(first.committedCheckpoints()), second)) {
            List<Event> events = input.awaitScans(1);
            // the three in the baseline are still monitored; the other two are still left out, and said so again
            assertThat(events).extracting(event -> event.field(Fields.EVENT_ACTION)).containsExactlyInAnyOrder("modified", "modified", "modified", "error", "scan_complete");
            assertThat(events.get(events.size() - 1).fields()).containsEntry("fim.scan.files", 3L).containsEntry("fim.scan.unmonitored", 2L);
        }
    }

    @Test
    void aFileGrowingWhileItIsHashedIsNeverReportedWithAHashOfNoVersion(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Path growing = write(tree.resolve("growing.log"), new byte[8 << 20]);
        write(tree.resolve("other"), "other\n");
        FimInputConfig config = TestConfig.paths(tree).realtime().build();
        TestingComponentContext context = context(data);
        CollectingEmitter first = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(config, context, first)) {
            input.awaitScans(1);
        }

        // appends before, during and after the startup scan hashes the file
        Thread writer = new Thread(() -> {
            try (var out = Files.newOutputStream(growing, java.nio.file.StandardOpenOption.APPEND)) {
                byte[] chunk = new byte[16 << 10];
                for (int i = 0; i < 300; i++) {
                    java.util.Arrays.fill(chunk, (byte) i);
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(2);
                }
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-appender");
        CollectingEmitter second = new CollectingEmitter();
        byte[] finalContent;
        writer.start();
        try (RunningInput input = RunningInput.start(config, context.withCheckpoints(first.committedCheckpoints()), second)) {
            // the startup scan completes although the file keeps growing
            input.awaitScans(1);
            writer.join(RunningInput.TIMEOUT.toMillis());
            assertThat(writer.isAlive()).isFalse();
            finalContent = Files.readAllBytes(growing);
            String finalHash = sha256(finalContent);
            second.awaitEvents(events -> eventsOf(events, growing).stream().anyMatch(event -> finalHash.equals(event.field(Fields.FILE_HASH_SHA256))),
                    RunningInput.TIMEOUT, "an event with the final hash");
        }
        List<Event> events = eventsOf(second.events(), growing);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.field(Fields.EVENT_ACTION)).isEqualTo("modified");
            Object hash = event.field(Fields.FILE_HASH_SHA256);
            if (hash == null) {
                assertThat(event.fields()).containsEntry("fim.unstable", true);
            }
            else {
                // an append-only file: a hash of a real version is the hash of a prefix as long as the size reported
                int size = Math.toIntExact((Long) event.field(Fields.FILE_SIZE));
                assertThat(hash).isEqualTo(sha256(java.util.Arrays.copyOf(finalContent, size)));
            }
        });
    }

    private static Event awaitEventOf(CollectingEmitter emitter, Path path, int count)
            throws InterruptedException
    {
        List<Event> events = emitter.awaitEvents(list -> eventsOf(list, path).size() >= count, RunningInput.TIMEOUT, count + " event(s) for " + path);
        return eventsOf(events, path).get(count - 1);
    }

    static TestingComponentContext context(Path data)
    {
        return TestingComponentContext.builder(data).componentType("fim").build();
    }

    /** Commits like the agent, then fails as if the agent died before the input saw {@code emit} return. */
    private static final class CrashAfterCommitEmitter
            implements Emitter
    {
        private final CollectingEmitter delegate;

        CrashAfterCommitEmitter(CollectingEmitter delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public void emit(List<Event> events, Collection<Checkpoint> checkpoints)
                throws InterruptedException
        {
            delegate.emit(events, checkpoints);
            if (!events.isEmpty()) {
                throw new IllegalStateException("simulated crash after commit");
            }
        }
    }
}
