package io.outrider.plugin.winevent;

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
        Path corpus = Files.createDirectories(shared.resolve("corpora/winevent"));
        assertThat(SharedCorpus.locate(shared.toString(), null, SharedCorpus.WINEVENT, "the Windows event corpus")).isEqualTo(corpus);
        assertThat(SharedCorpus.locate(shared.toString(), "true", SharedCorpus.WINEVENT, "the Windows event corpus")).isEqualTo(corpus);
    }

    @Test
    void missingCorpusSkipsTheTestWithOneSentence()
    {
        Path missing = shared.resolve("corpora/winevent");
        assertThatThrownBy(() -> SharedCorpus.locate(shared.toString(), null, SharedCorpus.WINEVENT, "the Windows event corpus"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("skipped: the Windows event corpus is not at " + missing + " (set -Doutrider.shared.dir=DIR to the directory that holds corpora/winevent)");
        assertThatThrownBy(() -> SharedCorpus.locate(shared.toString(), "false", SharedCorpus.WINEVENT, "the Windows event corpus"))
                .isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> SharedCorpus.locate(null, null, SharedCorpus.WINEVENT, "the Windows event corpus"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("skipped: the Windows event corpus is not available: the system property outrider.shared.dir is not set "
                        + "(set -Doutrider.shared.dir=DIR to the directory that holds corpora/winevent)");
    }

    @Test
    void missingCorpusFailsUnderCi()
    {
        Path missing = shared.resolve("corpora/winevent");
        assertThatThrownBy(() -> SharedCorpus.locate(shared.toString(), "true", SharedCorpus.WINEVENT, "the Windows event corpus"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("CI=true: the Windows event corpus is not at " + missing + " (set -Doutrider.shared.dir=DIR to the directory that holds corpora/winevent)");
    }
}
