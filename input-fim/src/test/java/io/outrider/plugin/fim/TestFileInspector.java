package io.outrider.plugin.fim;

import io.outrider.spi.ComponentMetrics;

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
import java.util.concurrent.atomic.AtomicLong;

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
        // the file grows during every hash attempt: appended to when the inspector counts the bytes it has just
        // read, before it looks at the file again (appender threads made this depend on the machine's load)
        Path file = write(directory.resolve("growing"), new byte[1 << 20]);
        AtomicBoolean changing = new AtomicBoolean(true);
        AtomicLong hashed = new AtomicLong();
        ComponentMetrics.Counter appendingCounter = new ComponentMetrics.Counter()
        {
            @Override
            public void add(long amount)
            {
                hashed.addAndGet(amount);
                if (changing.get()) {
                    try {
                        Files.write(file, new byte[] {'x'}, StandardOpenOption.APPEND);
                    }
                    catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }

            @Override
            public long get()
            {
                return hashed.get();
            }
        };
        try (FileInspector changingInspector = new FileInspector(1L << 30, false, appendingCounter)) {
            FileState state = changingInspector.inspect(changingInspector.stat(file));
            assertThat(state.hashState()).isEqualTo(HashState.UNSTABLE);
            assertThat(state.sha256()).isNull();

            changing.set(false);
            FileState settled = changingInspector.inspect(changingInspector.stat(file));
            assertThat(settled.hashState()).isEqualTo(HashState.HASHED);
            assertThat(settled.sha256()).isEqualTo(sha256(Files.readAllBytes(file)));
        }
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
