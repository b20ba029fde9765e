package io.outrider.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small real file system for disk-full tests: a tmpfs of a given size mounted on a test's directory. Mounting needs
 * root, which CI has; elsewhere the test is skipped with the reason, and under {@code CI=true} it fails instead.
 */
final class Tmpfs
        implements AutoCloseable
{
    private final Path mountPoint;

    private Tmpfs(Path mountPoint)
    {
        this.mountPoint = mountPoint;
    }

    static Tmpfs mount(Path mountPoint, String size)
            throws IOException, InterruptedException
    {
        Files.createDirectories(mountPoint);
        if (!"root".equals(System.getProperty("user.name"))) {
            skipOrFail("mounting a small tmpfs to fill needs root");
        }
        Process mount = new ProcessBuilder(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", mountPoint.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!mount.waitFor(30, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            skipOrFail("mount -t tmpfs failed (" + output + ")");
        }
        return new Tmpfs(mountPoint);
    }

    private static void skipOrFail(String message)
    {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + ": CI runs the tests as root");
        }
        assumeTrue(false, message);
    }

    Path path()
    {
        return mountPoint;
    }

    long usableSpace()
            throws IOException
    {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /** Writes {@code file} until the file system has no byte left, as another writer (a log, say) would. */
    void fillToTheLastByte(Path file)
            throws IOException
    {
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (true) {
                block.clear();
                channel.write(block);
            }
        }
        catch (IOException e) {
            if (usableSpace() > 0) {
                throw e;
            }
        }
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            Process unmount = new ProcessBuilder(List.of("umount", mountPoint.toString())).redirectErrorStream(true).start();
            unmount.getInputStream().readAllBytes();
            if (!unmount.waitFor(30, TimeUnit.SECONDS) || unmount.exitValue() != 0) {
                // a file still open (a failed test's buffer): detach it now, the kernel frees it when closed
                new ProcessBuilder(List.of("umount", "-l", mountPoint.toString())).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountPoint, e);
        }
    }
}
