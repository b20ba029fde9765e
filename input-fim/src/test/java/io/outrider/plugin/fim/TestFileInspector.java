package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileState.FileType;
import io.outrider.plugin.fim.FileState.HashState;
import io.outrider.spi.testing.TestingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.outrider.plugin.fim.Trees.sha256;
import static io.outrider.plugin.fim.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;

class TestFileInspector
{
    private final TestingMetrics metrics = new TestingMetrics();
    private final FileInspector inspector = new FileInspector(1L << 30, false, metrics.counter("bytes_hashed_total", ""));

    @AfterEach
    void closeInspector()
    {
        inspector.close();
    }

    @Test
    void hashesARegularFileAndReadsItsAttributes(@TempDir Path directory)
            throws Exception
    {
        Path file = write(directory.resolve("a"), "alpha\n");
        FileState state = inspector.inspect(inspector.stat(file));
        assertThat(state.type()).isEqualTo(FileType.FILE);
        assertThat(state.hashState()).isEqualTo(HashState.HASHED);
        assertThat(state.sha256()).isEqualTo(sha256("alpha\n"));
        assertThat(state.size()).isEqualTo(6);
        assertThat(state.modeText()).isEqualTo("0644");
        assertThat(state.inode()).isEqualTo(Files.getAttribute(file, "unix:ino"));
        assertThat(state.mtime()).isEqualTo(Files.getLastModifiedTime(file).toInstant());
        assertThat(metrics.counterValue("bytes_hashed_total")).isEqualTo(6);
    }

    @Test
    void aFileThatVanishesBetweenItsListingAndItsHashingIsNoObservation(@TempDir Path directory)
            throws Exception
    {
        Path file = write(directory.resolve("a"), "alpha\n");
        FileState listed = inspector.stat(file);
        Files.delete(file);
        assertThat(inspector.inspect(listed)).isNull();
        assertThat(inspector.stat(file)).isNull();
    }

    @Test
    void aFileReplacedByAFifoBetweenListingAndHashingIsNeverOpened(@TempDir Path directory)
            throws Exception
    {
        Path file = write(directory.resolve("a"), "alpha\n");
        FileState listed = inspector.stat(file);
        Files.delete(file);
        assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
        // the stale listing says "regular file": the open blocks until the watchdog releases it
        FileState state = inspector.inspect(listed);
        assertThat(state).isNotNull();
        assertThat(state.type()).isEqualTo(FileType.FIFO);
        assertThat(state.hashState()).isEqualTo(HashState.NOT_REGULAR);
    }

    @Test
    void aFileThatKeepsChangingWhileItIsHashedIsUnstableWithoutAHash(@TempDir Path directory)
            throws Exception
    {
        // large enough that every hash attempt takes many scheduling slices; two appenders so that, on a busy
        // machine, some append still lands within each attempt
        Path file = write(directory.resolve("growing"), new byte[64 << 20]);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch writing = new CountDownLatch(2);
        List<Thread> appenders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread appender = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                    out.write('x');
                    writing.countDown();
                    while (!stop.get()) {
                        out.write('x');
                    }
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "test-appender-" + i);
            appender.start();
            appenders.add(appender);
        }
        try {
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            FileState state = inspector.inspect(inspector.stat(file));
            assertThat(state.hashState()).isEqualTo(HashState.UNSTABLE);
            assertThat(state.sha256()).isNull();
        }
        finally {
            stop.set(true);
            for (Thread appender : appenders) {
                appender.join(10_000);
            }
        }
        FileState settled = inspector.inspect(inspector.stat(file));
        assertThat(settled.hashState()).isEqualTo(HashState.HASHED);
        assertThat(settled.sha256()).isEqualTo(sha256(Files.readAllBytes(file)));
    }

    @Test
    void symbolicLinksAreDescribedByTheirTargetAndFilesAboveTheLimitAreNotHashed(@TempDir Path directory)
            throws Exception
    {
        Path link = Files.createSymbolicLink(directory.resolve("link"), Path.of("nowhere"));
        FileState linkState = inspector.inspect(inspector.stat(link));
        assertThat(linkState.type()).isEqualTo(FileType.SYMLINK);
        assertThat(linkState.linkTarget()).isEqualTo("nowhere");
        assertThat(linkState.sha256()).isNull();

        FileState large;
        try (FileInspector limited = new FileInspector(4, false, metrics.counter("bytes_hashed_total", ""))) {
            large = limited.inspect(limited.stat(write(directory.resolve("large"), "12345")));
        }
        assertThat(large.hashState()).isEqualTo(HashState.TOO_LARGE);
        assertThat(large.sha256()).isNull();
    }
}
