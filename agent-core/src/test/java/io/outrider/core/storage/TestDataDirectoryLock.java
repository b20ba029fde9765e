package io.outrider.core.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDataDirectoryLock
{
    @Test
    void createsAPrivateDirectoryAndNamesItsHolderInTheLockFile(@TempDir Path dir)
            throws Exception
    {
        Path data = dir.resolve("a").resolve("data");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data, "outrider run")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            Path file = data.resolve("agent.lock");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            // read by another process, never by this one (closing a descriptor of the file would release the lock)
            assertThat(ProcessText.read(file)).matches("pid " + ProcessHandle.current().pid() + ": outrider run, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n");
        }
    }

    @Test
    void aSecondLockInTheSameProcessIsRefusedUntilTheFirstIsReleased(@TempDir Path dir)
            throws Exception
    {
        DataDirectoryLock first = DataDirectoryLock.acquire(dir, "outrider run");
        assertThatThrownBy(() -> DataDirectoryLock.acquire(dir, "outrider run-once"))
                .isInstanceOf(DataDirectoryInUseException.class)
                .hasMessage("data_dir " + dir + " is in use by this process (pid " + ProcessHandle.current().pid() + ")");
        first.close();

        try (DataDirectoryLock second = DataDirectoryLock.acquire(dir, "outrider run-once")) {
            assertThat(ProcessText.read(dir.resolve("agent.lock"))).startsWith("pid " + ProcessHandle.current().pid() + ": outrider run-once, since ");
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedSaysWhere(@TempDir Path dir)
            throws Exception
    {
        Path file = Files.writeString(dir.resolve("plain-file"), "not a directory");

        assertThatThrownBy(() -> DataDirectoryLock.acquire(file.resolve("data"), "outrider run"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("cannot open the data directory's lock file " + file.resolve("data").resolve("agent.lock") + ": ");
        // and the failed attempt holds nothing
        Files.delete(file);
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(file.resolve("data"), "outrider run")) {
            assertThat(file.resolve("data").resolve("agent.lock")).exists();
        }
    }

    /** Reads a file in a child process: this JVM must not open a lock file it holds. */
    private static final class ProcessText
    {
        static String read(Path file)
                throws Exception
        {
            Process cat = new ProcessBuilder("cat", file.toString()).redirectErrorStream(true).start();
            String text = new String(cat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(cat.waitFor()).isZero();
            return text;
        }
    }
}
