package io.outrider.plugin.file;

import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.GlobPattern;
import io.outrider.support.LineEncoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the input decides about a followed file after a scan finds it renamed, rotated away, deleted, back, or a new
 * file (or a copy), on real files; the nano clock is the test's, so waiting is a number, not a sleep.
 */
class TestScanReconciler
{
    @TempDir
    Path directory;
    @TempDir
    Path dataDirectory;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final CollectingEmitter emitter = new CollectingEmitter();
    private TestingComponentContext context;
    private Batch batch;
    private FileRegistry registry;
    private FileScanner scanner;
    private ScanReconciler reconciler;
    private FileReader reader;

    @BeforeEach
    void setUp()
    {
        context = TestingComponentContext.builder(dataDirectory).nanoTime(nanos::get).build();
        FileInputConfig config = ConfigBuilder.files(directory + "/*.log").build();
        FileInputMetrics metrics = new FileInputMetrics(context.metrics());
        batch = new Batch(emitter, 1000, 1 << 20);
        EventAssembler assembler = new EventAssembler(config, context, LineEncoding.forName("UTF-8"), null, null, metrics, batch);
        registry = new FileRegistry(context, 100, metrics, assembler, batch);
        scanner = new FileScanner(List.of(GlobPattern.compileAbsolute(directory + "/*.log")), List.of());
        RotatedFiles rotatedFiles = new RotatedFiles(context, scanner, registry, assembler, batch);
        reconciler = new ScanReconciler(context, registry, rotatedFiles, assembler, batch, metrics);
        reader = new FileReader(context, registry, rotatedFiles, reconciler, assembler, batch, metrics, () -> false);
    }

    @AfterEach
    void closeFiles()
    {
        registry.closeAll();
    }

    /** Follows every file the globs match from its start, as the first scan of a run does, and reads it. */
    private void followAll()
            throws IOException, InterruptedException
    {
        for (FileScanner.ScannedFile scanned : scanner.scan().files().values()) {
            reconciler.trackNew(scanned, (path, stat, channel) -> 0);
        }
        registry.indexPaths();
        reader.readChanged();
        batch.flush();
    }

    private void scan()
            throws IOException, InterruptedException
    {
        reconciler.apply(scanner.scan());
        batch.flush();
    }

    private TrackedFile only()
    {
        assertThat(registry.files()).hasSize(1);
        return registry.files().iterator().next();
    }

    private long counter(String name)
    {
        return context.metrics().counterValue(name);
    }

    @Test
    void aRenameWithinTheGlobsKeepsTheFileAndItsPosition()
            throws Exception
    {
        Path log = write("a.log", "one\ntwo\n");
        followAll();
        TrackedFile file = only();
        String key = file.key();

        Files.move(log, directory.resolve("b.log"));
        scan();

        assertThat(only()).isSameAs(file);
        assertThat(file.path).isEqualTo(directory.resolve("b.log"));
        assertThat(file.renamed).isTrue();
        assertThat(file.orphaned).isFalse();
        assertThat(counter("rotations_total")).isEqualTo(1);
        assertThat(emitter.committedCheckpoints().get(key)).endsWith(" " + directory.resolve("b.log"));
        assertThat(registry.byPath(directory.resolve("b.log"))).isSameAs(file);
        assertThat(registry.byPath(log)).isNull();
    }

    @Test
    void anOpenFileRotatedBesideItsNameIsDrainedAndItsPositionKept()
            throws Exception
    {
        Path log = write("a.log", "one\ntwo\n");
        followAll();
        TrackedFile file = only();

        Files.move(log, directory.resolve("a.log.1"));
        scan();

        assertThat(only()).isSameAs(file);
        assertThat(file.orphaned).isTrue();
        assertThat(file.deleted).isFalse();
        assertThat(file.needsCheck).isTrue();
        assertThat(counter("rotations_total")).isEqualTo(1);
        assertThat(emitter.committedCheckpoints()).containsKey(file.key());
    }

    @Test
    void anOpenFileDeletedIsDrainedButItsPositionForgotten()
            throws Exception
    {
        Path log = write("a.log", "one\ntwo\n");
        followAll();
        TrackedFile file = only();
        assertThat(emitter.committedCheckpoints()).containsKey(file.key());

        Files.delete(log);
        scan();

        assertThat(only()).isSameAs(file);
        assertThat(file.orphaned).isTrue();
        assertThat(file.deleted).isTrue();
        assertThat(file.isOpen()).isTrue();
        assertThat(emitter.committedCheckpoints()).doesNotContainKey(file.key());
    }

    @Test
    void aClosedFileRenamedBesideItsNameIsFoundByInode()
            throws Exception
    {
        Path log = write("a.log", "one\ntwo\n");
        followAll();
        TrackedFile file = only();
        registry.closeFile(file);
        append(log, "three\n");

        Files.move(log, directory.resolve("a.log.1"));
        scan();

        TrackedFile found = only();
        assertThat(found).isNotSameAs(file);
        assertThat(found.openPath).isEqualTo(directory.resolve("a.log.1"));
        assertThat(found.path).isEqualTo(log);
        assertThat(found.orphaned).isTrue();
        assertThat(found.offset()).isEqualTo(8);
        assertThat(counter("lost_bytes_total")).isZero();
        assertThat(counter("files_released_total")).isZero();
    }

    @Test
    void aClosedFileDeletedWithBytesUnreadIsReleasedAndTheBytesCountedLost()
            throws Exception
    {
        Path log = write("a.log", "one\ntwo\n");
        followAll();
        TrackedFile file = only();
        registry.closeFile(file);
        append(log, "three\n");
        reconciler.apply(scanner.scan());
        assertThat(file.size).isEqualTo(14);

        Files.delete(log);
        scan();

        assertThat(registry.files()).isEmpty();
        assertThat(counter("lost_bytes_total")).isEqualTo(6);
        assertThat(counter("files_released_total")).isEqualTo(1);
        assertThat(emitter.committedCheckpoints()).doesNotContainKey(file.key());
    }

    @Test
    void aFileRotatedAwayAndBackIsFollowedAgain()
            throws Exception
    {
        Path log = write("a.log", "one\ntwo\n");
        followAll();
        TrackedFile file = only();
        Files.move(log, directory.resolve("a.log.1"));
        scan();
        assertThat(file.orphaned).isTrue();

        Files.move(directory.resolve("a.log.1"), log);
        scan();

        assertThat(only()).isSameAs(file);
        assertThat(file.orphaned).isFalse();
        assertThat(registry.byPath(log)).isSameAs(file);
    }

    @Test
    void aNewShortFileIsReadFromItsStartOnceItStoppedGrowing()
            throws Exception
    {
        followAll();
        write("new.log", "short\n");
        scan();
        TrackedFile file = only();
        assertThat(file.undecided).isTrue();

        assertThat(reconciler.decideStart(file, 6)).isFalse();
        nanos.addAndGet(Duration.ofMillis(199).toNanos());
        assertThat(reconciler.decideStart(file, 6)).isFalse();
        assertThat(reconciler.settleDeadline(file)).isEqualTo(nanos.get() + Duration.ofMillis(1).toNanos());
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(reconciler.decideStart(file, 6)).isTrue();
        assertThat(file.undecided).isFalse();
        assertThat(file.splitter.position()).isZero();
    }

    @Test
    void aNewFileThatStartsLikeATruncatedFileContinuesWhereItWas()
            throws Exception
    {
        String head = "x".repeat(FileIdentity.FINGERPRINT_BYTES) + "\n";
        Path log = write("app.log", head + "more\n");
        followAll();
        TrackedFile original = only();
        assertThat(original.offset()).isEqualTo(head.length() + 5);

        // copytruncate with the copy inside the globs: the copy is made, then the original truncated
        write("app-copy.log", head + "more\nwritten before the copy\n");
        Files.writeString(log, "");
        scan();
        TrackedFile copy = registry.byPath(directory.resolve("app-copy.log"));
        assertThat(copy.undecided).isTrue();

        assertThat(reconciler.decideStart(copy, Files.size(directory.resolve("app-copy.log")))).isTrue();
        assertThat(copy.splitter.position()).isEqualTo(head.length() + 5);
    }

    @Test
    void aNewFileThatStartsLikeAnotherUntouchedFileIsANewFile()
            throws Exception
    {
        String head = "x".repeat(FileIdentity.FINGERPRINT_BYTES) + "\n";
        write("app.log", head + "more\n");
        followAll();

        write("other.log", head + "different\n");
        scan();
        TrackedFile other = registry.byPath(directory.resolve("other.log"));

        assertThat(reconciler.decideStart(other, Files.size(directory.resolve("other.log")))).isTrue();
        assertThat(other.splitter.position()).isZero();
    }

    private Path write(String name, String content)
            throws IOException
    {
        return Files.writeString(directory.resolve(name), content);
    }

    private static void append(Path path, String content)
            throws IOException
    {
        Files.writeString(path, content, java.nio.file.StandardOpenOption.APPEND);
    }
}
