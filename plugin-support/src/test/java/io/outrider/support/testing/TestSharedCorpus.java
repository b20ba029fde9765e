package io.outrider.support.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSharedCorpus
{
    @TempDir
    Path shared;

    @Test
    void presentCorpusIsReturned()
            throws IOException
    {
        Path loghub = Files.createDirectories(shared.resolve("corpora/loghub"));
        assertThat(SharedCorpus.locate(shared.toString(), null, SharedCorpus.LOGHUB, "the Loghub corpus")).isEqualTo(loghub);
        assertThat(SharedCorpus.locate(shared.toString(), "true", SharedCorpus.LOGHUB, "the Loghub corpus")).isEqualTo(loghub);
    }

    @Test
    void missingCorpusSkipsTheTestWithOneSentence()
    {
        Path missing = shared.resolve("corpora/loghub");
        assertThatThrownBy(() -> SharedCorpus.locate(shared.toString(), null, SharedCorpus.LOGHUB, "the Loghub corpus"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("skipped: the Loghub corpus is not at " + missing + " (set -Doutrider.shared.dir=DIR to the directory that holds corpora/loghub)");
        assertThatThrownBy(() -> SharedCorpus.locate(shared.toString(), "false", SharedCorpus.LOGHUB, "the Loghub corpus"))
                .isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> SharedCorpus.locate(null, null, SharedCorpus.LOGHUB, "the Loghub corpus"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("skipped: the Loghub corpus is not available: the system property outrider.shared.dir is not set "
                        + "(set -Doutrider.shared.dir=DIR to the directory that holds corpora/loghub)");
    }

    @Test
    void aWindowsEventFileIsNamedInsideTheWindowsCorpus()
            throws IOException
    {
        Path file = Files.createFile(Files.createDirectories(shared.resolve("corpora/winevent")).resolve("security.xml"));
        assertThat(SharedCorpus.locate(shared.toString(), null, SharedCorpus.WINEVENT + "/security.xml", "the Windows event corpus")).isEqualTo(file);
        Path missing = shared.resolve("corpora/winevent/system.xml");
        assertThatThrownBy(() -> SharedCorpus.locate(shared.toString(), null, SharedCorpus.WINEVENT + "/system.xml", "the Windows event corpus"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("skipped: the Windows event corpus is not at " + missing + " (set -Doutrider.shared.dir=DIR to the directory that holds corpora/winevent/system.xml)");
    }

    @Test
    void missingCorpusFailsUnderCi()
    {
        Path missing = shared.resolve("corpora/loghub");
        assertThatThrownBy(() -> SharedCorpus.locate(shared.toString(), "true", SharedCorpus.LOGHUB, "the Loghub corpus"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("CI=true: the Loghub corpus is not at " + missing + " (set -Doutrider.shared.dir=DIR to the directory that holds corpora/loghub)");
    }
}
