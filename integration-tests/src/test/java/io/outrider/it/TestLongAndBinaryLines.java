package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite: lines of several MiB and lines of raw binary among ordinary ones, through the installed agent with
 * the shipped delivery defaults and launcher heap. The agent stays up and every line arrives, the long ones cut to
 * {@code max_line_bytes}.
 */
@Timeout(240)
class TestLongAndBinaryLines
{
    private static final int LINES = 3_000;
    private static final Set<Integer> LONG = Set.of(100, 101, 900, 1_500, 2_999);
    private static final Set<Integer> BINARY = Set.of(7, 500, 2_000);

    @Test
    void everyLineArrivesAndTheAgentSurvives(@TempDir Path dir)
            throws Exception
    {
        Path log = dir.resolve("mixed.log");
        Files.write(log, mixedLog(new Random(27)));
        try (NumberedCollector collector = new NumberedCollector()) {
            // a line cut at max_line_bytes (1MiB) is an event of more than 1MiB of JSON, above the default max_body_size
            Path config = Files.writeString(dir.resolve("outrider.yaml"), """
                    agent: { data_dir: %s, shutdown_timeout: 3s }
                    pipelines:
                      mixed:
                        inputs:
                          log: { type: file, paths: ["%s"], read_from: beginning }
                        outputs:
                          collector: { type: http, format: ndjson, endpoint: "%s", max_body_size: 8MiB }
                    """.formatted(dir.resolve("data"), log, collector.endpoint()));
            Outrider agent = Outrider.start(dir.resolve("run"), Map.of(), "run", "-c", config.toString());
            try {
                collector.awaitAll(LINES, Duration.ofSeconds(120));
                assertThat(agent.isAlive()).as("agent alive after long lines; stderr:%n%s", agent.stderr()).isTrue();
            }
            catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nstderr:\n" + agent.stderr(), e);
            }
            finally {
                agent.signal("TERM");
                assertThat(agent.waitFor(Duration.ofSeconds(30))).as("exit code; stderr:%n%s", agent.stderr()).isZero();
            }
            System.out.printf("long and binary lines: written %d (%d of 2-5 MiB, %d binary), lost %d, duplicated %d%n",
                    LINES, LONG.size(), BINARY.size(), collector.missing(LINES).size(), collector.duplicates());
            assertThat(collector.missing(LINES)).as("lost lines").isEmpty();
            assertThat(collector.duplicates()).as("lines delivered twice").isZero();
            assertThat(agent.stderr()).doesNotContain("OutOfMemoryError");
        }
    }

    private static byte[] mixedLog(Random random)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < LINES; i++) {
            out.writeBytes(("line " + i + " ").getBytes(StandardCharsets.US_ASCII));
            if (LONG.contains(i)) {
                // 2 to 5 MiB of text: cut at max_line_bytes (1 MiB by default)
                out.writeBytes("x".repeat((2 + random.nextInt(4)) << 20).getBytes(StandardCharsets.US_ASCII));
            }
            else if (BINARY.contains(i)) {
                // raw bytes: NUL, ESC, invalid UTF-8, lone CR; everything but the newline
                for (int b = 0; b < 4_096; b++) {
                    int value = random.nextInt(256);
                    out.write(value == '\n' ? 0 : value);
                }
            }
            else {
                out.writeBytes("an ordinary line".getBytes(StandardCharsets.US_ASCII));
            }
            out.write('\n');
        }
        return out.toByteArray();
    }
}
