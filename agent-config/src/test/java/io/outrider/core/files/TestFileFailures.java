package io.outrider.core.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TestFileFailures
{
    @Test
    void saysWhatFailedAndOnWhichFileWhenItIsNotTheOneTheMessageNames(@TempDir Path dir)
            throws Exception
    {
        Path missing = dir.resolve("missing.log");
        IOException noFile = catchThrowableOfType(() -> Files.readString(missing), IOException.class);
        assertThat(FileFailures.reason(noFile, missing)).isEqualTo("no such file or directory");

        Path file = Files.writeString(dir.resolve("a-file"), "");
        Path below = file.resolve("data").resolve("samples");
        IOException notADirectory = catchThrowableOfType(() -> Files.createDirectories(below), IOException.class);
        assertThat(FileFailures.reason(notADirectory, below)).isEqualTo("Not a directory on " + file.resolve("data"));
        IOException inTheWay = catchThrowableOfType(() -> PrivateFiles.createDirectories(below), IOException.class);
        assertThat(FileFailures.reason(inTheWay, below)).isEqualTo(file + " already exists");

        // as root here, a real permission refusal cannot be had: the JDK's exception is made as it makes it
        Path lock = dir.resolve("agent.lock");
        assertThat(FileFailures.reason(new AccessDeniedException(lock.toString()), lock)).isEqualTo("permission denied");
        assertThat(FileFailures.reason(new AccessDeniedException("/nonexistent"), lock)).isEqualTo("permission denied on /nonexistent");

        assertThat(FileFailures.reason(new IOException("Is a directory"), dir)).isEqualTo("Is a directory");
    }

    /** A component that cannot start says why: "cannot start: /proc/nope" said nothing but the path. */
    @Test
    void aComponentsFailureSaysWhatFailedNotOnlyWhere()
    {
        assertThat(FileFailures.message(new java.nio.file.NoSuchFileException("/proc/nope"))).isEqualTo("no such file or directory on /proc/nope");
        assertThat(FileFailures.message(new AccessDeniedException("/var/log/secure"))).isEqualTo("permission denied on /var/log/secure");
        assertThat(FileFailures.message(new IllegalStateException("the key store holds no key"))).isEqualTo("the key store holds no key");
        assertThat(FileFailures.message(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
