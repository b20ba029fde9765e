package io.outrider.plugin.file;

import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.LineEncoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestFileRegistry
{
    @TempDir
    Path directory;
    @TempDir
    Path dataDirectory;

    private final CollectingEmitter emitter = new CollectingEmitter();
    private final Batch batch = new Batch(emitter, 1000, 1 << 20);
    private TestingComponentContext context;
    private EventAssembler assembler;
    private FileRegistry registry;

    private FileRegistry registry(int maxOpenFiles)
    {
        context = TestingComponentContext.builder(dataDirectory).build();
        FileInputMetrics metrics = new FileInputMetrics(context.metrics());
        assembler = new EventAssembler(ConfigBuilder.files(directory + "/*.log").build(), context, LineEncoding.forName("UTF-8"), null, null, metrics, batch);
        registry = new FileRegistry(context, maxOpenFiles, metrics, assembler, batch);
        return registry;
    }

    @AfterEach
    void closeFiles()
    {
        if (registry != null) {
            registry.closeAll();
        }
    }

    /** Follows {@code path} from {@code offset}, last active at {@code lastDataNanos}. */
    private TrackedFile follow(Path path, long offset, long lastDataNanos)
            throws IOException
    {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        FileStat stat = FileStat.of(path);
        TrackedFile file = assembler.newFile(FileIdentity.of(stat.fileKey(), channel, stat.size()), path, path, offset);
        file.sequence = registry.nextSequence();
        file.size = stat.size();
        file.setLastModified(stat.lastModified().toMillis());
        file.lastDataNanos = lastDataNanos;
        registry.adopt(file, channel);
        batch.moved(file);
        return file;
    }

    private double gauge(String name)
    {
        return context.metrics().gaugeValue(name);
    }

    @Test
    void closesTheLeastActiveFileBeyondMaxOpenFilesButNeverOneRotatedAway()
            throws IOException
    {
        registry(2);
        TrackedFile busy = follow(write("busy.log", "a\n"), 0, 30);
        TrackedFile idle = follow(write("idle.log", "b\n"), 0, 10);
        TrackedFile newest = follow(write("new.log", "c\n"), 0, 40);

        assertThat(idle.isOpen()).isFalse();
        assertThat(busy.isOpen()).isTrue();
        assertThat(newest.isOpen()).isTrue();
        assertThat(gauge("files_open")).isEqualTo(2);

        // a file rotated away is held open until it is read to its end: the next least active goes instead
        busy.orphaned = true;
        busy.lastDataNanos = 0;
        follow(write("another.log", "d\n"), 0, 50);
        assertThat(busy.isOpen()).isTrue();
        assertThat(newest.isOpen()).isFalse();
        assertThat(gauge("files_open")).isEqualTo(2);
    }

    @Test
    void reopensAClosedFileOnlyWhenItChangedAndIsStillThere()
            throws IOException
    {
        registry(10);
        Path log = write("a.log", "one\n");
        TrackedFile file = follow(log, 4, 0);
        file.splitter.reset(4);
        registry.closeFile(file);
        assertThat(gauge("files_open")).isZero();

        assertThat(registry.reopen(file)).isFalse();
        assertThat(file.isOpen()).isFalse();

        Files.writeString(log, "two\n", StandardOpenOption.APPEND);
        assertThat(registry.reopen(file)).isTrue();
        assertThat(file.isOpen()).isTrue();
        assertThat(gauge("files_open")).isEqualTo(1);
        assertThat(registry.rescanRequested()).isFalse();

        registry.closeFile(file);
        Files.delete(log);
        assertThat(registry.reopen(file)).isFalse();
        assertThat(registry.rescanRequested()).isTrue();
    }

    @Test
    void keepsTheFinalPositionOfAFileReleasedBesideItsNameUntilItIsGone()
            throws Exception
    {
        registry(10);
        Path log = write("a.log", "one\n");
        TrackedFile file = follow(log, 0, 0);
        Path rotated = Files.move(log, directory.resolve("a.log.1"));
        file.openPath = rotated;
        file.orphaned = true;
        file.splitter.reset(4);

        registry.release(file);
        batch.flush();

        assertThat(registry.files()).isEmpty();
        assertThat(file.isOpen()).isFalse();
        assertThat(registry.isKeptBeside(file.identity().fileKey())).isTrue();
        assertThat(emitter.committedCheckpoints()).containsEntry(file.key(), "4 #1 " + log);
        assertThat(context.metrics().counterValue("files_released_total")).isEqualTo(1);

        // still there: kept
        registry.forgetKeptMissing(directory, Set.of(file.identity().fileKey()));
        batch.flush();
        assertThat(emitter.committedCheckpoints()).containsKey(file.key());

        // gone: its inode goes to the next new file, so its position goes now
        Files.delete(rotated);
        registry.forgetKeptMissing(directory, new HashSet<>());
        batch.flush();
        assertThat(registry.isKeptBeside(file.identity().fileKey())).isFalse();
        assertThat(emitter.committedCheckpoints()).doesNotContainKey(file.key());
    }

    @Test
    void forgetsThePositionOfAFileReleasedAfterItWasDeleted()
            throws Exception
    {
        registry(10);
        Path log = write("a.log", "one\n");
        TrackedFile file = follow(log, 0, 0);
        batch.flush();
        assertThat(emitter.committedCheckpoints()).containsKey(file.key());
        Files.delete(log);
        file.orphaned = true;

        registry.release(file);
        batch.flush();

        assertThat(registry.isKeptBeside(file.identity().fileKey())).isFalse();
        assertThat(emitter.committedCheckpoints()).doesNotContainKey(file.key());
    }

    @Test
    void countsWhatAFileDeletedWhileFollowedStillHeldWhenTheInputStops()
            throws Exception
    {
        registry(10);
        Path deleted = write("deleted.log", "one\ntwo\n");
        TrackedFile gone = follow(deleted, 0, 0);
        gone.splitter.reset(4);
        TrackedFile kept = follow(write("kept.log", "three\n"), 0, 0);
        Files.delete(deleted);

        registry.letGoOfDeletedFiles();

        assertThat(registry.files()).containsExactly(kept);
        assertThat(context.metrics().counterValue("lost_bytes_total")).isEqualTo(4);
        assertThat(emitter.committedCheckpoints()).containsKey(kept.key()).doesNotContainKey(gone.key());
        assertThat(gone.isOpen()).isFalse();
        assertThat(context.metrics().counterValue("files_released_total")).isEqualTo(1);
    }

    @Test
    void remembersTheLast512RetiredIdentities()
    {
        registry(10);
        for (int i = 0; i <= 512; i++) {
            registry.retire(new FileIdentity(1, i, 256, i), i * 10L);
        }
        assertThat(registry.retired()).hasSize(512);
        assertThat(registry.retired().iterator().next()).isEqualTo(new FileRegistry.RetiredFile(new FileIdentity(1, 1, 256, 1), 10));
    }

    @Test
    void ordersFilesSeenForTheFirstTimeAfterEverySavedOne()
    {
        registry(10);
        assertThat(registry.nextSequence()).isEqualTo(1);
        registry.sequenceUsed(7);
        registry.sequenceUsed(3);
        assertThat(registry.nextSequence()).isEqualTo(8);
        assertThat(registry.sequenceOrNext(5)).isEqualTo(5);
        // saved before sequences existed
        assertThat(registry.sequenceOrNext(0)).isEqualTo(9);
    }

    private Path write(String name, String content)
            throws IOException
    {
        return Files.writeString(directory.resolve(name), content);
    }
}
