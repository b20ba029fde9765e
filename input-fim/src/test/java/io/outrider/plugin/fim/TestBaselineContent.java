package io.outrider.plugin.fim;

import io.outrider.plugin.fim.FileState.FileType;
import io.outrider.plugin.fim.FileState.HashState;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.outrider.plugin.fim.Trees.sha256;
import static io.outrider.plugin.fim.Trees.withAction;
import static io.outrider.plugin.fim.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline database holds, for every selected path, exactly what the file system says about it: compared row by
 * row with attributes and hashes the test reads itself, over a tree large enough for several transactions and a
 * full hashing pipeline, with files around the read buffer's size and every kind of file.
 */
class TestBaselineContent
{
    private static final int BUFFER_BYTES = 256 * 1024;

    @Test
    void everyRowIsWhatTheFileSystemSays(@TempDir Path tree, @TempDir Path data)
            throws Exception
    {
        Random random = new Random(7);
        for (int i = 0; i < 2_600; i++) {
            byte[] content = new byte[random.nextInt(3_000)];
            random.nextBytes(content);
            write(tree.resolve(String.format("d%02d/s%d/f%04d", i % 13, i % 3, i)), content);
        }
        for (int size : new int[] {0, 1, 63, 64, 65, BUFFER_BYTES - 1, BUFFER_BYTES, BUFFER_BYTES + 1, 3 * BUFFER_BYTES + 17}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            write(tree.resolve("sizes/" + size), content);
        }
        Files.setPosixFilePermissions(write(tree.resolve("modes/private"), "secret\n"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(write(tree.resolve("modes/tool"), "#!/bin/sh\n"), PosixFilePermissions.fromString("rwxr-x--x"));
        Files.createSymbolicLink(tree.resolve("modes/link"), tree.resolve("modes/tool"));
        Files.createSymbolicLink(tree.resolve("dangling"), tree.resolve("nowhere"));
        assertThat(new ProcessBuilder("mkfifo", tree.resolve("fifo").toString()).start().waitFor()).isZero();

        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput input = RunningInput.start(TestConfig.paths(tree).hashThreads(3).build(), TestingComponentContext.builder(data).build(), emitter)) {
            assertThat(withAction(input.awaitScans(1), "scan_complete").get(0).field("fim.scan.files")).isEqualTo(2_600L + 9 + 5);
        }

        Map<String, FileState> expected = new HashMap<>();
        try (Stream<Path> paths = Files.walk(tree)) {
            // the directories too, the tree's own included: their mode and owners are compared at every scan
            for (Path path : paths.toList()) {
                expected.put(path.toString(), expectedRow(path));
            }
        }
        Map<String, FileState> rows;
        try (BaselineStore store = BaselineStore.open(data)) {
            rows = store.loadAll();
        }
        assertThat(rows).hasSize(expected.size());
        assertThat(rows).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /** The row a baseline must hold for {@code path}, from the file system's own answers. */
    private static FileState expectedRow(Path path)
            throws Exception
    {
        PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        FileType type = FileType.fromMode(mode);
        String sha256 = type == FileType.FILE ? sha256(Files.readAllBytes(path)) : null;
        String linkTarget = type == FileType.SYMLINK ? Files.readSymbolicLink(path).toString() : null;
        return new FileState(path.toString(), type, posix.size(),
                posix.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                ((FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).to(TimeUnit.NANOSECONDS),
                (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS),
                (Long) Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS),
                (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS),
                posix.owner().getName(), posix.group().getName(), mode & 07777,
                sha256, type == FileType.FILE ? HashState.HASHED : HashState.NOT_REGULAR, null, linkTarget);
    }
}
