package io.outrider.plugin.file;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TestFileInput
{
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path directory;
    @TempDir
    Path dataDirectory;

    private final CollectingEmitter emitter = new CollectingEmitter();
    private TestingComponentContext context;

    private TestingComponentContext context()
    {
        if (context == null) {
            context = TestingComponentContext.builder(dataDirectory).componentType("file").hostName("web-1").build();
        }
        return context;
    }

    private RunningInput start(ConfigBuilder config)
            throws Exception
    {
        return RunningInput.start(config.build(), context(), emitter);
    }

    /** The committed positions as {@code offset path}, without the sequence, which most tests do not pin. */
    private Map<String, String> positions()
    {
        Map<String, String> positions = new java.util.HashMap<>();
        emitter.committedCheckpoints().forEach((key, value) -> positions.put(key, value.replaceFirst(" #\\d+ ", " ")));
        return positions;
    }

    /** {@link #positions()} without the checkpoints that belong to no file. */
    private Map<String, String> filePositions()
    {
        Map<String, String> positions = positions();
        positions.remove(FilePositions.STARTED_KEY);
        positions.remove(FilePositions.SIBLINGS_KEY);
        return positions;
    }

    private long released()
    {
        return context().metrics().counterValue("files_released_total");
    }

    /** The checkpoint key of {@code file} as it is now: device, inode and its first bytes. */
    private static String key(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file)) {
            return FileIdentity.of(FileStat.of(file).fileKey(), channel, Files.size(file)).key();
        }
    }

    /** The checkpoint key a position saved while {@code file}'s inode held an empty file would have. */
    private static String keyWithoutBytes(Path file)
            throws IOException
    {
        FileIdentity.FileKey fileKey = FileStat.of(file).fileKey();
        return new FileIdentity(fileKey.device(), fileKey.inode(), 0, FileIdentity.fingerprint(new byte[0], 0)).key();
    }

    /** A restart: a new input from what was committed. */
    private RunningInput restart(ConfigBuilder config)
            throws Exception
    {
        context = context().withCheckpoints(emitter.committedCheckpoints());
        return RunningInput.start(config.build(), context, emitter);
    }

    @Test
    void emitsEachLineWithItsFileFacts()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "first\nsecond\n");
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        context = TestingComponentContext.builder(dataDirectory).hostName("web-1").clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        List<Event> events = emitter.awaitEvents(2, TIMEOUT);
        input.stop();

        assertThat(events).extracting(Event::message).containsExactly("first", "second");
        Event second = events.get(1);
        assertThat(second.timestamp()).isEqualTo(now);
        assertThat(second.fields()).containsExactly(
                Map.entry(Fields.LOG_FILE_PATH, log.toString()),
                Map.entry(Fields.LOG_OFFSET, 6L),
                Map.entry(Fields.LOG_FILE_SIZE, 13L),
                Map.entry(Fields.LOG_FILE_MTIME, Files.getLastModifiedTime(log).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString()),
                Map.entry(Fields.HOST_NAME, "web-1"));
        assertThat(emitter.committedCheckpoints()).hasSize(3).containsKeys(FilePositions.STARTED_KEY, FilePositions.SIBLINGS_KEY)
                .containsValue("13 #1 " + log);
    }

    @Test
    void readsFromTheEndAtFirstStartAndNewFilesFromTheBeginning()
            throws Exception
    {
        Path old = directory.resolve("old.log");
        write(old, "before start\nhalf a li");
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").readFrom(FileInputConfig.ReadFrom.END));
        append(old, "ne\nafter start\n");
        Path fresh = directory.resolve("fresh.log");
        write(fresh, "new file line\n");
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyInAnyOrder("half a line", "after start", "new file line");

        // the end rule is for the first start only: a file that appeared while stopped is read whole
        Path whileStopped = directory.resolve("stopped.log");
        write(whileStopped, "written while stopped\n");
        input = restart(ConfigBuilder.files(directory + "/*.log").readFrom(FileInputConfig.ReadFrom.END));
        emitter.awaitEvents(4, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).hasSize(4).contains("written while stopped");
    }

    @Test
    void saysWhatItReadsAndPicksUpAFileThatMatchedNothingAtStart()
            throws Exception
    {
        write(directory.resolve("a.log"), "a-0\n");
        write(directory.resolve("b.log"), "b-0\n");
        context = TestingComponentContext.builder(dataDirectory).componentId("announcing").build();
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log", directory + "/later/*.log");
        RunningInput input = start(config);
        emitter.awaitEvents(2, TIMEOUT);
        Files.createDirectories(directory.resolve("later"));
        write(directory.resolve("later/c.log"), "c-0\n");
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(context.logged()).contains("DEBUG new file " + directory + "/later/c.log: reading it from the beginning");
        assertThat(context.logged()).startsWith(
                "INFO path " + directory + "/*.log matches 2 files",
                "DEBUG path " + directory + "/*.log matches " + directory + "/a.log, " + directory + "/b.log",
                "INFO path " + directory + "/later/*.log matches no file yet; it will be picked up when it appears",
                "INFO reading " + directory + "/a.log from the beginning (read_from: beginning, first start)",
                "INFO reading " + directory + "/b.log from the beginning (read_from: beginning, first start)");

        append(directory.resolve("a.log"), "a-1\n");
        write(directory.resolve("d.log"), "d-0\n");
        int before = context.logged().size();
        input = restart(config);
        emitter.awaitEvents(5, TIMEOUT);
        input.stop();
        assertThat(context.logged().subList(before, context.logged().size())).startsWith(
                "INFO path " + directory + "/*.log matches 3 files",
                "DEBUG path " + directory + "/*.log matches " + directory + "/a.log, " + directory + "/b.log, " + directory + "/d.log",
                "INFO path " + directory + "/later/*.log matches 1 file",
                "DEBUG path " + directory + "/later/*.log matches " + directory + "/later/c.log");
        assertThat(context.logged().subList(before, context.logged().size())).contains(
                "INFO resuming " + directory + "/a.log at byte 4 (saved position)",
                "INFO resuming " + directory + "/b.log at byte 4 (saved position)",
                "INFO resuming " + directory + "/later/c.log at byte 4 (saved position)",
                "INFO reading " + directory + "/d.log from the beginning: it has no saved position (new since the last run)");
        assertThat(emitter.messages()).containsExactlyInAnyOrder("a-0", "b-0", "c-0", "a-1", "d-0");
    }

    @Test
    void followsGlobsWithDoubleStarAndExclusionsIntoNewDirectories()
            throws Exception
    {
        write(directory.resolve("top.log"), "top\n");
        write(directory.resolve("skip.log"), "excluded by name\n");
        Files.createDirectories(directory.resolve("a/b"));
        write(directory.resolve("a/b/deep.log"), "deep\n");
        write(directory.resolve("a/b/deep.txt"), "not matched\n");
        RunningInput input = start(ConfigBuilder.files(directory + "/**/*.log").exclude("skip.log"));
        emitter.awaitEvents(2, TIMEOUT);
        Files.createDirectories(directory.resolve("c/d"));
        write(directory.resolve("c/d/later.log"), "later\n");
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyInAnyOrder("top", "deep", "later");
    }

    @Test
    void drainsAFileRenamedAwayThenReadsItsSuccessor()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, lines("a", 0, 100));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(100, TIMEOUT);
        append(log, lines("a", 100, 50));
        Files.move(log, directory.resolve("app.log.1"));
        write(log, lines("a", 150, 50));
        emitter.awaitEvents(200, TIMEOUT);
        RunningInput.await(() -> released() == 1, TIMEOUT, "the rotated file to be released");
        input.stop();
        assertThat(emitter.messages()).isEqualTo(lines("a", 0, 200).lines().toList());
        assertThat(emitter.events().get(199).field(Fields.LOG_FILE_PATH)).isEqualTo(log.toString());
        // the rotated file's position, at its end, is kept while it is beside app.log: it says that file was read
        assertThat(filePositions().values()).containsExactlyInAnyOrder("2400 " + log, "800 " + log);
    }

    @Test
    void followsAFileRenamedWithinTheGlobs()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, lines("r", 0, 10));
        RunningInput input = start(ConfigBuilder.files(directory + "/app.log*"));
        emitter.awaitEvents(10, TIMEOUT);
        Path rotated = directory.resolve("app.log.1");
        Files.move(log, rotated);
        append(rotated, lines("r", 10, 5));
        write(log, lines("r", 15, 5));
        emitter.awaitEvents(20, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("r", 0, 20).lines().toList());
        assertThat(positions().values()).contains("240 " + rotated, "80 " + log);
    }

    @Test
    void copytruncateWithTheCopyOutsideTheGlobs()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, lines("c", 0, 40));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(40, TIMEOUT);
        Files.copy(log, directory.resolve("app.log.1"));
        truncate(log);
        append(log, lines("c", 40, 3));
        emitter.awaitEvents(43, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("c", 0, 43).lines().toList());
        assertThat(context().metrics().counterValue("truncations_total")).isEqualTo(1);
    }

    @Test
    void copytruncateWhileStoppedWithTheCopyExcludedReadsTheUnreadTailFromTheCopy()
            throws Exception
    {
        // the shape of the shipped example: every file of the directory, rotated copies excluded
        ConfigBuilder config = ConfigBuilder.files(directory + "/*").exclude("*.gz", "*.[0-9]");
        Path log = directory.resolve("app.log");
        write(log, lines("c", 0, 40));
        RunningInput input = start(config);
        emitter.awaitEvents(40, TIMEOUT);
        input.stop();
        append(log, lines("c", 40, 500));
        Files.copy(log, directory.resolve("app.log.1"));
        truncate(log);
        append(log, lines("c", 540, 3));
        input = restart(config);
        emitter.awaitEvents(543, TIMEOUT);
        Thread.sleep(300);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("c", 0, 543).lines().toList());
        assertThat(context().metrics().counterValue("truncations_total")).isEqualTo(1);
        assertThat(context().metrics().counterValue("lost_bytes_total")).isZero();
    }

    /**
     * Lines appended, then copied and truncated between two looks of the input (polling, within one interval): they
     * are only in the copy, outside the globs, which is read from where the original was, before the truncated file.
     */
    @Test
    void copytruncateWhileRunningReadsTheLinesOnlyTheCopyHolds()
            throws Exception
    {
        ConfigBuilder config = ConfigBuilder.files(directory + "/*").exclude("*.gz", "*.[0-9]")
                .mode(FileInputConfig.Mode.POLL).pollInterval(Duration.ofSeconds(1)).scanInterval(Duration.ofSeconds(1));
        Path log = directory.resolve("app.log");
        write(log, lines("p", 0, 40));
        RunningInput input = start(config);
        emitter.awaitEvents(40, TIMEOUT);
        append(log, lines("p", 40, 500));
        Files.copy(log, directory.resolve("app.log.1"));
        truncate(log);
        append(log, lines("p", 540, 3));
        emitter.awaitEvents(543, TIMEOUT);
        Thread.sleep(300);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("p", 0, 543).lines().toList());
        assertThat(context().metrics().counterValue("truncations_total")).isEqualTo(1);
    }

    @Test
    void copytruncateWhileStoppedWithACompressedCopyWarnsAndCountsTheUnreadBytes()
            throws Exception
    {
        ConfigBuilder config = ConfigBuilder.files(directory + "/*").exclude("*.gz", "*.[0-9]");
        Path log = directory.resolve("app.log");
        write(log, lines("z", 0, 40));
        context = TestingComponentContext.builder(dataDirectory).componentId("compressed").build();
        RunningInput input = start(config);
        emitter.awaitEvents(40, TIMEOUT);
        input.stop();
        append(log, lines("z", 40, 500));
        // logrotate with copytruncate and compress, without delaycompress
        Path compressed = directory.resolve("app.log.1.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(compressed))) {
            Files.copy(log, out);
        }
        truncate(log);
        append(log, lines("z", 540, 3));
        input = restart(config);
        emitter.awaitEvents(43, TIMEOUT);
        Thread.sleep(300);
        input.stop();
        assertThat(context.logged()).contains("WARNING " + log + " was rotated into the compressed file " + compressed + " with " + lines("z", 40, 500).length()
                + " bytes not read yet (after byte " + lines("z", 0, 40).length() + "); compressed files are not read, so they are lost");
        List<String> expected = new ArrayList<>(lines("z", 0, 40).lines().toList());
        expected.addAll(lines("z", 540, 3).lines().toList());
        assertThat(emitter.messages()).containsExactlyElementsOf(expected);
        assertThat(context().metrics().counterValue("lost_bytes_total")).isEqualTo(lines("z", 40, 500).length());
        assertThat(context().metrics().counterValue("truncations_total")).isEqualTo(1);
    }

    @Test
    void truncatedWhileStoppedWithoutACopyWarns()
            throws Exception
    {
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log");
        Path log = directory.resolve("app.log");
        write(log, lines("n", 0, 10));
        context = TestingComponentContext.builder(dataDirectory).componentId("no-copy").build();
        RunningInput input = start(config);
        emitter.awaitEvents(10, TIMEOUT);
        input.stop();
        truncate(log);
        append(log, "after\n");
        input = restart(config);
        emitter.awaitEvents(11, TIMEOUT);
        input.stop();
        assertThat(context.logged()).contains("WARNING " + log + " was truncated or rewritten while the agent was stopped and no copy of it is beside it: "
                + "whatever was written to it after byte " + lines("n", 0, 10).length() + " before that is lost; reading it from the start");
        assertThat(emitter.messages()).endsWith("after");
        assertThat(context().metrics().counterValue("truncations_total")).isEqualTo(1);
    }

    @Test
    void copytruncateWithTheCopyInsideTheGlobs()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        ConfigBuilder config = ConfigBuilder.files(directory + "/app.log*");
        write(log, lines("k", 0, 40));
        RunningInput input = start(config);
        emitter.awaitEvents(40, TIMEOUT);
        // while running: the copy holds nothing new, the truncated original starts over
        Path copy = directory.resolve("app.log.1");
        Files.copy(log, copy);
        truncate(log);
        append(log, lines("k", 40, 40));
        emitter.awaitEvents(80, TIMEOUT);
        RunningInput.await(() -> positions().containsValue("640 " + copy), TIMEOUT, "the copy's position");
        input.stop();
        // while stopped: lines written after the last read exist only in the copy
        append(log, lines("k", 80, 5));
        Files.move(directory.resolve("app.log.1"), directory.resolve("app.log.2"));
        Files.copy(log, directory.resolve("app.log.1"));
        truncate(log);
        append(log, lines("k", 85, 5));
        input = restart(config);
        emitter.awaitEvents(90, TIMEOUT);
        Thread.sleep(300);
        input.stop();
        assertThat(emitter.messages()).containsExactlyInAnyOrderElementsOf(lines("k", 0, 90).lines().toList());
    }

    @Test
    void readsATruncatedFileAgainFromTheStart()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, lines("t", 0, 20));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(20, TIMEOUT);
        truncate(log);
        append(log, "short\n");
        emitter.awaitEvents(21, TIMEOUT);
        // truncated and written again past the old offset before the input looked: the first bytes differ
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.UTF_8.encode(lines("u", 0, 30)));
        }
        emitter.awaitEvents(51, TIMEOUT);
        input.stop();
        List<String> expected = new ArrayList<>(lines("t", 0, 20).lines().toList());
        expected.add("short");
        expected.addAll(lines("u", 0, 30).lines().toList());
        assertThat(emitter.messages()).containsExactlyElementsOf(expected);
    }

    @Test
    void drainsADeletedFileThroughItsOpenHandleThenClosesIt()
            throws Exception
    {
        Path log = directory.resolve("gone.log");
        write(log, lines("d", 0, 5));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(5, TIMEOUT);
        append(log, lines("d", 5, 500));
        Files.delete(log);
        emitter.awaitEvents(505, TIMEOUT);
        RunningInput.await(() -> filePositions().isEmpty(), TIMEOUT, "the deleted file's key to be forgotten");
        RunningInput.await(() -> context().metrics().gaugeValue("files_open") == 0, TIMEOUT, "the handle to be closed");
        assertThat(openDescriptorsTo(directory)).isEmpty();
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("d", 0, 505).lines().toList());
    }

    /**
     * A file deleted while followed is still read through its handle, but its position is let go as soon as the
     * deletion is seen: its inode will be another file's, which a restart must not take for this one.
     */
    @Test
    void aDeletedFileIsReadToItsEndButItsPositionIsLetGoAtOnce()
            throws Exception
    {
        Path deleted = directory.resolve("deleted.log");
        try (FileChannel writer = FileChannel.open(deleted, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            writer.write(java.nio.ByteBuffer.wrap(lines("d", 0, 3).getBytes(StandardCharsets.UTF_8)));
            RunningInput input = start(ConfigBuilder.files(directory + "/*.log").rotateWait(Duration.ofHours(1)));
            emitter.awaitEvents(3, TIMEOUT);
            Files.delete(deleted);
            RunningInput.await(() -> filePositions().isEmpty(), TIMEOUT, "the deleted file's position to be let go");
            writer.write(java.nio.ByteBuffer.wrap(lines("d", 3, 2).getBytes(StandardCharsets.UTF_8)));
            emitter.awaitEvents(5, TIMEOUT);
            input.stop();
        }
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("d", 0, 5).lines().toList());
        assertThat(emitter.committedCheckpoints()).containsOnlyKeys(FilePositions.STARTED_KEY, FilePositions.SIBLINGS_KEY);
    }

    /**
     * Stopped before it noticed that one file was deleted and another renamed beside it (polling, with a poll that
     * does not come): the deleted file's position is let go on the way out, the renamed one's is kept so a restart
     * finds it beside its old name.
     */
    @Test
    void aDeletedFilesPositionIsLetGoOnStopARenamedOnesIsKept()
            throws Exception
    {
        Path deleted = directory.resolve("deleted.log");
        Path renamed = directory.resolve("renamed.log");
        write(deleted, lines("d", 0, 3));
        write(renamed, lines("r", 0, 3));
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log").mode(FileInputConfig.Mode.POLL).pollInterval(Duration.ofHours(1))
                .scanInterval(Duration.ofHours(1)).rotateWait(Duration.ofHours(1));
        RunningInput input = start(config);
        emitter.awaitEvents(6, TIMEOUT);
        Files.delete(deleted);
        Files.move(renamed, directory.resolve("renamed.log.1"));
        input.stop();
        assertThat(context().metrics().counterValue("rotations_total")).as("seen gone while running").isZero();
        assertThat(filePositions()).containsOnly(Map.entry(key(directory.resolve("renamed.log.1")), lines("r", 0, 3).length() + " " + renamed));
        assertThat(openDescriptorsTo(directory)).isEmpty();
        append(directory.resolve("renamed.log.1"), lines("r", 3, 2));
        input = restart(config);
        emitter.awaitEvents(8, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyInAnyOrderElementsOf(List.of(lines("d", 0, 3) + lines("r", 0, 5)).get(0).lines().toList());
    }

    @Test
    void aFileThatReappearsIsReadFromItsStart()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "one\n");
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(1, TIMEOUT);
        Files.delete(log);
        RunningInput.await(() -> filePositions().isEmpty(), TIMEOUT, "the key to be forgotten");
        write(log, "one\ntwo\n");
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("one", "one", "two");
    }

    @Test
    void recognisesAReusedInodeAfterRestart()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "new content\n");
        FileStat stat = FileStat.of(log);
        // what an earlier file with this device and inode, but other first bytes, left behind
        long otherFingerprint = FileIdentity.fingerprint("old content\n".getBytes(StandardCharsets.UTF_8), 12);
        FileIdentity earlier = new FileIdentity(stat.fileKey().device(), stat.fileKey().inode(), 12, otherFingerprint);
        context = context().withCheckpoints(Map.of(FilePositions.STARTED_KEY, "2026-01-01T00:00:00Z", earlier.key(), "12 " + log));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").readFrom(FileInputConfig.ReadFrom.END));
        emitter.awaitEvents(1, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("new content");
        // the emitter saw only this run: the new file's position replaced the earlier file's
        assertThat(filePositions()).doesNotContainKey(earlier.key()).containsOnly(
                Map.entry(new FileIdentity(stat.fileKey().device(), stat.fileKey().inode(), 12, FileIdentity.fingerprint("new content\n".getBytes(StandardCharsets.UTF_8), 12)).key(), "12 " + log));
    }

    /**
     * app.log was truncated (its position then checks no bytes), deleted, and the agent stopped before letting it go;
     * its inode was then reused by another stream's file, which was followed and rotated away. The position that
     * checks the file's bytes claims it, and the one that checks none does not.
     */
    @Test
    void aStalePositionWithoutBytesToCheckDoesNotClaimAReusedInode()
            throws Exception
    {
        Path rotated = directory.resolve("other.log.12");
        write(rotated, lines("o", 0, 10));
        String stale = keyWithoutBytes(rotated);
        String owner = key(rotated);
        long fifthLine = lines("o", 0, 5).length();
        context = context().withCheckpoints(Map.of(FilePositions.STARTED_KEY, "2026-01-01T00:00:00Z",
                stale, "0 " + directory.resolve("app.log"),
                owner, fifthLine + " " + directory.resolve("other.log")));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(5, TIMEOUT);
        // this run's emits only: the stale position is let go, the rotated file's is kept at its end while it is there
        RunningInput.await(() -> released() == 1, TIMEOUT, "the rotated file to be released");
        input.stop();
        assertThat(filePositions()).containsOnly(Map.entry(owner, lines("o", 0, 10).length() + " " + directory.resolve("other.log")));
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("o", 5, 5).lines().toList());
        assertThat(emitter.events()).allSatisfy(event -> assertThat(event.field(Fields.LOG_FILE_PATH)).isEqualTo(directory.resolve("other.log").toString()));
    }

    /** With no bytes to check, only a name that continues the former one (app.log.1, not other.txt) makes a file beside it the same file. */
    @Test
    void aPositionWithoutBytesToCheckFollowsItsFileOnlyUnderAContinuingName()
            throws Exception
    {
        Path continuing = directory.resolve("app.log.1");
        Path unrelated = directory.resolve("other.txt");
        write(continuing, lines("c", 0, 3));
        write(unrelated, lines("u", 0, 3));
        Map<String, String> checkpoints = new java.util.HashMap<>(Map.of(FilePositions.STARTED_KEY, "2026-01-01T00:00:00Z"));
        for (Path file : List.of(continuing, unrelated)) {
            checkpoints.put(keyWithoutBytes(file), "0 " + directory.resolve("app.log"));
        }
        context = context().withCheckpoints(checkpoints);
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(3, TIMEOUT);
        // this run's emits only: the unrelated file's position is let go, the continuing one's is kept at its end
        RunningInput.await(() -> released() == 1, TIMEOUT, "the rotated file to be released");
        input.stop();
        assertThat(filePositions()).containsOnly(Map.entry(key(continuing), lines("c", 0, 3).length() + " " + directory.resolve("app.log")));
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("c", 0, 3).lines().toList());
        assertThat(emitter.events()).allSatisfy(event -> assertThat(event.field(Fields.LOG_FILE_PATH)).isEqualTo(directory.resolve("app.log").toString()));
    }

    /**
     * Two files rotated away while stopped, both with lines left, written within one tick of the kernel's clock (the
     * same modification time): the one the input saw first is drained first, whichever order the positions come in.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void drainsFilesRotatedWithTheSameModificationTimeInTheOrderTheyWereFirstSeen(boolean secondSeenFirst)
            throws Exception
    {
        Path first = directory.resolve("app.log.1");
        Path second = directory.resolve("app.log.2");
        write(first, lines("f", 0, 5));
        write(second, lines("s", 0, 5));
        java.nio.file.attribute.FileTime sameTick = Files.getLastModifiedTime(first);
        Files.setLastModifiedTime(second, sameTick);
        Map<String, String> checkpoints = new java.util.HashMap<>(Map.of(FilePositions.STARTED_KEY, "2026-01-01T00:00:00Z"));
        for (Path file : List.of(first, second)) {
            long sequence = (file.equals(first) != secondSeenFirst) ? 7 : 8;
            checkpoints.put(key(file), "0 #" + sequence + " " + directory.resolve("app.log"));
        }
        context = context().withCheckpoints(checkpoints);
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(10, TIMEOUT);
        input.stop();
        List<String> expected = new ArrayList<>(secondSeenFirst ? lines("s", 0, 5).lines().toList() : lines("f", 0, 5).lines().toList());
        expected.addAll(secondSeenFirst ? lines("f", 0, 5).lines().toList() : lines("s", 0, 5).lines().toList());
        assertThat(emitter.messages()).containsExactlyElementsOf(expected);
        // a file seen for the first time after these counts on from the highest
        write(directory.resolve("app.log"), lines("n", 0, 1));
        input = restart(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(11, TIMEOUT);
        input.stop();
        assertThat(emitter.committedCheckpoints()).containsValue(lines("n", 0, 1).length() + " #9 " + directory.resolve("app.log"));
    }

    @Test
    void handlesARotationWhileStopped()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log");
        write(log, lines("s", 0, 10));
        RunningInput input = start(config);
        emitter.awaitEvents(10, TIMEOUT);
        input.stop();
        append(log, lines("s", 10, 10));
        Files.move(log, directory.resolve("app.log-20260101"));
        write(log, lines("s", 20, 10));
        input = restart(config);
        emitter.awaitEvents(30, TIMEOUT);
        RunningInput.await(() -> released() == 1, TIMEOUT, "the rotated file to be released");
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("s", 0, 30).lines().toList());
    }

    /**
     * The glob names one file; while the agent is stopped, app.log is rotated twice: the file in the middle was
     * renamed out of the glob before the agent ever saw it. Its lines are read, between the two others', and a
     * restart after that reads nothing again.
     */
    @Test
    void aFileRenamedOutOfTheGlobBeforeItWasReadIsReadAfterARestart()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        ConfigBuilder config = ConfigBuilder.files(log.toString());
        write(log, lines("r", 0, 10));
        context = TestingComponentContext.builder(dataDirectory).componentId("renamed-unread").build();
        RunningInput input = start(config);
        emitter.awaitEvents(10, TIMEOUT);
        input.stop();
        append(log, lines("r", 10, 5));
        Files.move(log, directory.resolve("app.log.1"));
        write(log, lines("r", 15, 10));
        Files.move(directory.resolve("app.log.1"), directory.resolve("app.log.2"));
        Files.move(log, directory.resolve("app.log.1"));
        write(log, lines("r", 25, 5));
        input = restart(config);
        emitter.awaitEvents(30, TIMEOUT);
        RunningInput.await(() -> released() == 2, TIMEOUT, "the rotated files to be released");
        input.stop();
        assertThat(context.logged()).contains("INFO " + directory.resolve("app.log.1") + " was rotated from " + log + " before the input read it; reading it from the start");
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("r", 0, 30).lines().toList());
        // both rotated files keep their positions while they are there: a restart reads neither again
        assertThat(filePositions()).containsOnlyKeys(key(directory.resolve("app.log.2")), key(directory.resolve("app.log.1")), key(log));
        append(log, lines("r", 30, 1));
        input = restart(config);
        emitter.awaitEvents(31, TIMEOUT);
        Thread.sleep(300);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("r", 0, 31).lines().toList());
        assertThat(filePositions()).hasSize(3);

        // once a rotated file is gone, its position goes with the next rotation
        input = restart(config);
        Files.delete(directory.resolve("app.log.2"));
        Files.move(log, directory.resolve("app.log.3"));
        write(log, lines("r", 31, 1));
        emitter.awaitEvents(32, TIMEOUT);
        String current = key(log);
        RunningInput.await(() -> filePositions().size() == 3 && filePositions().containsKey(current), TIMEOUT, "app.log.2's position to be let go");
        input.stop();
        assertThat(filePositions()).containsOnlyKeys(key(directory.resolve("app.log.1")), key(directory.resolve("app.log.3")), key(log));
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("r", 0, 32).lines().toList());
    }

    /** Stopped before it read a file that was deleted meanwhile: what it did not read is lost, and said and counted. */
    @Test
    void aDeletedFileClosedUnreadOnStopCountsItsBytesAsLost()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, lines("l", 0, 100));
        long size = Files.size(log);
        context = TestingComponentContext.builder(dataDirectory).componentId("lost-on-stop").build();
        // the input opens the file at start, then waits for its first commit
        emitter.block();
        RunningInput input = RunningInput.launch(ConfigBuilder.files(directory + "/*.log").build(), context, emitter);
        RunningInput.await(() -> descriptorsTo(directory) == 1, TIMEOUT, "the file to be opened");
        Files.delete(log);
        input.close();
        emitter.unblock();
        input.stop();
        assertThat(context.logged()).contains("WARNING " + log + " was deleted (or moved out of its directory) and is closed with " + size
                + " bytes unread: the input stopped before reading them");
        assertThat(emitter.events()).isEmpty();
        assertThat(context().metrics().counterValue("lost_bytes_total")).isEqualTo(size);
    }

    private static int descriptorsTo(Path directory)
    {
        try {
            return openDescriptorsTo(directory).size();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A copy beside a watched name of lines already read (cp app.log app.log.1 while stopped) is not read again. */
    @Test
    void aRotatedFileThatIsACopyOfAFileReadIsNotReadAgain()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        ConfigBuilder config = ConfigBuilder.files(log.toString());
        write(log, lines("k", 0, 10));
        RunningInput input = start(config);
        emitter.awaitEvents(10, TIMEOUT);
        input.stop();
        Files.copy(log, directory.resolve("app.log.1"));
        append(log, lines("k", 10, 1));
        input = restart(config);
        emitter.awaitEvents(11, TIMEOUT);
        Thread.sleep(300);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("k", 0, 11).lines().toList());
    }

    /** Renamed beside its old name, then deleted before it was released: its inode will be another file's. */
    @Test
    void aRotatedFileDeletedBeforeItIsReleasedLeavesNoPosition()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, lines("x", 0, 5));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").rotateWait(Duration.ofMillis(500)));
        emitter.awaitEvents(5, TIMEOUT);
        Files.move(log, directory.resolve("app.log.1"));
        RunningInput.await(() -> context().metrics().counterValue("rotations_total") == 1, TIMEOUT, "the rename to be seen");
        Files.delete(directory.resolve("app.log.1"));
        RunningInput.await(() -> released() == 1, TIMEOUT, "the rotated file to be released");
        input.stop();
        assertThat(filePositions()).isEmpty();
    }

    /** A rotated file renamed out of the glob while the agent was stopped is drained, whatever it is named. */
    @Test
    void aFileRenamedOutOfTheGlobWhileStoppedLosesNoLine()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        ConfigBuilder config = ConfigBuilder.files(log.toString());
        write(log, lines("w", 0, 10));
        RunningInput input = start(config);
        emitter.awaitEvents(10, TIMEOUT);
        input.stop();
        append(log, lines("w", 10, 500));
        Files.move(log, directory.resolve("app.log-20260101"));
        write(log, lines("w", 510, 3));
        input = restart(config);
        emitter.awaitEvents(513, TIMEOUT);
        Thread.sleep(300);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("w", 0, 513).lines().toList());
    }

    @Test
    void readsWhatWasAppendedWhileStoppedWithoutWaitingForTheNextScan()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        // nothing is written after the restart, and no scan comes within the test: only the resume itself reads
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log").scanInterval(Duration.ofHours(1));
        write(log, lines("w", 0, 5));
        RunningInput input = start(config);
        emitter.awaitEvents(5, TIMEOUT);
        input.stop();
        append(log, lines("w", 5, 5));
        input = restart(config);
        emitter.awaitEvents(10, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("w", 0, 10).lines().toList());
    }

    @Test
    void resumesAPartialLineAfterRestart()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log");
        write(log, "complete\nhalf of ");
        RunningInput input = start(config);
        emitter.awaitEvents(1, TIMEOUT);
        Thread.sleep(200);
        input.stop();
        assertThat(positions()).containsValue("9 " + log);
        append(log, "the line\n");
        input = restart(config);
        emitter.awaitEvents(2, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("complete", "half of the line");
        assertThat(emitter.events().get(1).field(Fields.LOG_OFFSET)).isEqualTo(9L);
    }

    @Test
    void flushesAPartialLineAfterItsTimeout()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, "no newline yet");
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").partialLineFlush(Duration.ofMillis(200)));
        List<Event> events = emitter.awaitEvents(1, TIMEOUT);
        append(log, "\nnext\n");
        emitter.awaitEvents(2, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("no newline yet", "next");
        assertThat(events.get(0).field(Fields.LOG_FLAGS)).isEqualTo(List.of("partial"));
    }

    @Test
    void truncatesATenMebibyteLineAndKeepsItWhole()
            throws Exception
    {
        Path log = directory.resolve("big.log");
        String big = "x".repeat(10 << 20);
        write(log, "before\n" + big + "\nafter\n");
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        List<Event> events = emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(events.get(1).message()).hasSize(1 << 20);
        assertThat(events.get(1).field(Fields.LOG_FLAGS)).isEqualTo(List.of("truncated"));
        assertThat(events.get(2).message()).isEqualTo("after");
        assertThat(events.get(2).field(Fields.LOG_OFFSET)).isEqualTo(7L + big.length() + 1);
        assertThat(context().metrics().counterValue("skipped_bytes_total")).isEqualTo((10 << 20) - (1 << 20));

        CollectingEmitter whole = new CollectingEmitter();
        RunningInput second = RunningInput.start(ConfigBuilder.files(directory + "/*.log").maxLineBytes(16 << 20).build(),
                TestingComponentContext.builder(dataDirectory.resolve("second")).build(), whole);
        assertThat(whole.awaitEvents(3, TIMEOUT).get(1).message()).isEqualTo(big);
        second.stop();
    }

    @Test
    void keepsNulBytesReplacesInvalidUtf8AndDropsCarriageReturns()
            throws Exception
    {
        Path log = directory.resolve("bytes.log");
        Files.write(log, new byte[] {'a', 0, 'b', '\r', '\n', (byte) 0xFF, 'c', '\r', '\n', 'd', '\n'});
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("a\0b", "\uFFFDc", "d");
    }

    @Test
    void decodesTheConfiguredEncoding()
            throws Exception
    {
        Path log = directory.resolve("latin.log");
        Files.write(log, "café\r\nnaïve\n".getBytes(StandardCharsets.ISO_8859_1));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").encoding("ISO-8859-1"));
        emitter.awaitEvents(2, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("café", "naïve");
    }

    @Test
    void joinsStackTracesAndEmitsTheLastOneAfterTheTimeout()
            throws Exception
    {
        Path log = directory.resolve("java.log");
        write(log, "2026 error\n  at a.B.c(B.java:1)\n  at a.B.d(B.java:2)\n2026 fine\n2026 boom\n  at x.Y.z(Y.java:3)\n");
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log")
                .multiline(new FileInputConfig.MultilineConfig("^\\d{4} ", null, Duration.ofMillis(300), null)));
        List<Event> events = emitter.awaitEvents(3, TIMEOUT);
        input.stop();
        assertThat(events).extracting(Event::message).containsExactly(
                "2026 error\n  at a.B.c(B.java:1)\n  at a.B.d(B.java:2)", "2026 fine", "2026 boom\n  at x.Y.z(Y.java:3)");
        assertThat(events.get(0).field(Fields.LOG_FLAGS)).isEqualTo(List.of("multiline"));
        assertThat(events.get(1).field(Fields.LOG_FLAGS)).isNull();
        assertThat(events.get(2).field(Fields.LOG_OFFSET)).isEqualTo(63L);
    }

    @Test
    void resumesAPendingMultilineEventAfterRestart()
            throws Exception
    {
        Path log = directory.resolve("java.log");
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log")
                .multiline(new FileInputConfig.MultilineConfig("^\\d{4} ", null, Duration.ofMinutes(1), null));
        write(log, "2026 one\n2026 two\n  at a.B.c(B.java:1)\n");
        RunningInput input = start(config);
        emitter.awaitEvents(1, TIMEOUT);
        Thread.sleep(200);
        input.stop();
        // the pending event is not committed: its first line is where a restart resumes
        assertThat(positions()).containsValue("9 " + log);
        append(log, "  at a.B.d(B.java:2)\n2026 three\n");
        input = restart(config);
        emitter.awaitEvents(2, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("2026 one", "2026 two\n  at a.B.c(B.java:1)\n  at a.B.d(B.java:2)");
    }

    @Test
    void followsSymbolicLinks()
            throws Exception
    {
        Path elsewhere = Files.createDirectories(dataDirectory.resolve("real"));
        Path target = elsewhere.resolve("target.txt");
        write(target, "via link\n");
        Path link = Files.createSymbolicLink(directory.resolve("linked.log"), target);
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log"));
        emitter.awaitEvents(1, TIMEOUT);
        append(target, "appended to the target\n");
        emitter.awaitEvents(2, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("via link", "appended to the target");
        assertThat(emitter.events().get(1).field(Fields.LOG_FILE_PATH)).isEqualTo(link.toString());
    }

    @Test
    void readsTwoThousandFilesCreatedInABurstWithinTheOpenFileLimit()
            throws Exception
    {
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").maxOpenFiles(50));
        for (int i = 0; i < 2000; i++) {
            write(directory.resolve("f" + i + ".log"), "file " + i + " line 1\nfile " + i + " line 2\n");
        }
        emitter.awaitEvents(4000, Duration.ofSeconds(60));
        assertThat(context().metrics().gaugeValue("files_open")).isLessThanOrEqualTo(50);
        assertThat(context().metrics().gaugeValue("files_tracked")).isEqualTo(2000);
        input.stop();
        assertThat(emitter.messages()).hasSize(4000).doesNotHaveDuplicates();
        assertThat(emitter.committedCheckpoints()).hasSize(2002);
    }

    @Test
    void closesInactiveFilesAndOpensThemAgainOnChange()
            throws Exception
    {
        Path log = directory.resolve("quiet.log");
        write(log, "one\n");
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").closeInactive(Duration.ofMillis(200)));
        emitter.awaitEvents(1, TIMEOUT);
        RunningInput.await(() -> context().metrics().gaugeValue("files_open") == 0, TIMEOUT, "the inactive file to be closed");
        append(log, "two\n");
        emitter.awaitEvents(2, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactly("one", "two");
    }

    @Test
    void pollModeFollowsGrowthAndRotation()
            throws Exception
    {
        Path log = directory.resolve("nfs.log");
        write(log, lines("p", 0, 3));
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").mode(FileInputConfig.Mode.POLL));
        emitter.awaitEvents(3, TIMEOUT);
        append(log, lines("p", 3, 3));
        Files.move(log, directory.resolve("nfs.log.1"));
        write(log, lines("p", 6, 3));
        emitter.awaitEvents(9, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("p", 0, 9).lines().toList());
    }

    @Test
    void resumesFromCommittedCheckpointsAfterACrash()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        ConfigBuilder config = ConfigBuilder.files(directory + "/*.log").batchMaxEvents(10);
        RunningInput input = start(config);
        emitter.failAfter(3);
        // appears complete (renamed into place), so the first emits are full batches
        Path staging = directory.resolve("staging");
        write(staging, lines("x", 0, 100));
        Files.move(staging, log);
        assertThat(input.awaitFailure(TIMEOUT)).hasMessage("simulated crash before commit");
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("x", 0, 20).lines().toList());
        input = restart(config);
        emitter.awaitEvents(100, TIMEOUT);
        input.stop();
        assertThat(emitter.messages()).containsExactlyElementsOf(lines("x", 0, 100).lines().toList());
    }

    @Test
    void waitsWhileTheAgentPushesBack()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        RunningInput input = start(ConfigBuilder.files(directory + "/*.log").batchMaxEvents(10));
        emitter.block();
        write(log, lines("b", 0, 1000));
        Thread.sleep(300);
        assertThat(emitter.events()).isEmpty();
        emitter.unblock();
        emitter.awaitEvents(1000, TIMEOUT);
        assertThat(emitter.batches()).isGreaterThanOrEqualTo(100);
        input.stop();
    }

    @Test
    void closeIsIdempotentAndMayComeFirst()
            throws Exception
    {
        var input = new FileInputFactory().create(ConfigBuilder.files(directory + "/*.log").build(), context());
        input.close();
        input.close();
        input.run(emitter);
        assertThat(emitter.batches()).isZero();
    }

    static String lines(String prefix, int from, int count)
    {
        return Stream.iterate(from, i -> i + 1).limit(count)
                .map(i -> String.format("%s-%05d payload", prefix, i))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    static void write(Path path, String text)
            throws IOException
    {
        Files.writeString(path, text);
    }

    static void append(Path path, String text)
            throws IOException
    {
        Files.writeString(path, text, StandardOpenOption.APPEND);
    }

    static void truncate(Path path)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    /** Descriptors of this process that point into {@code directory}, deleted files included. */
    static List<String> openDescriptorsTo(Path directory)
            throws IOException
    {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith(directory.toString())) {
                        targets.add(target);
                    }
                }
                catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return targets;
    }
}
