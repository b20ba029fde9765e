package io.outrider.plugin.file;

import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.outrider.plugin.file.TestFileInput.append;
import static io.outrider.plugin.file.TestFileInput.lines;
import static io.outrider.plugin.file.TestFileInput.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent creates its inputs, then runs each on a thread of its own and reports that it started. With
 * {@code read_from: end} on a fresh data directory, a line appended right after that report must be read, however
 * late the input's thread gets to its first scan.
 */
class TestStartPosition
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;
    @TempDir
    Path dataDirectory;

    @RepeatedTest(100)
    void aLineAppendedRightAfterTheStartIsRead()
            throws Exception
    {
        Path log = directory.resolve("app.log");
        write(log, lines("before", 0, 50));
        CollectingEmitter emitter = new CollectingEmitter();
        TestingComponentContext context = TestingComponentContext.builder(dataDirectory).componentId("start-position").build();
        RunningInput input = RunningInput.launch(ConfigBuilder.files(directory + "/*.log").readFrom(FileInputConfig.ReadFrom.END).build(), context, emitter);
        append(log, "appended right after the start\n");
        emitter.awaitEvents(1, TIMEOUT);
        input.stop();
        assertThat(context.logged()).contains("INFO reading " + log + " from its end, byte " + lines("before", 0, 50).length() + " (read_from: end, first start)");
        assertThat(emitter.messages()).containsExactly("appended right after the start");
    }
}
