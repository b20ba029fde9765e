package io.outrider.core.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TestProgress
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void redrawsOneLineInPlaceOnATerminalAndErasesItWhenDone()
            throws InterruptedException
    {
        AtomicLong hashed = new AtomicLong(1_234_567);
        try (Progress progress = Progress.start("ssh.fim baseline", () -> String.format(java.util.Locale.ROOT, "%,d bytes hashed", hashed.get()), err, Duration.ofMillis(10), true)) {
            awaitOutput();
            hashed.set(9);
            awaitText("9 bytes hashed");
        }
        String text = text();
        assertThat(text).startsWith("\rssh.fim baseline: 1,234,567 bytes hashed, ").doesNotContain("\n");
        // the shorter line is padded over the longer one, and the last thing written blanks the line
        assertThat(text).containsPattern("\rssh\\.fim baseline: 9 bytes hashed, \\d+ s {8,}");
        assertThat(text).matches("(?s).*\r {40,}\r");
    }

    @Test
    void writesNothingWithoutATerminal()
    {
        try (Progress progress = Progress.start("verifying buffer.db", () -> "", err, Duration.ofMillis(1), false)) {
            assertThat(progress.line()).matches("verifying buffer\\.db, \\d+ s");
        }
        assertThat(text()).isEmpty();
    }

    private void awaitOutput()
            throws InterruptedException
    {
        awaitText("\r");
    }

    private void awaitText(String part)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!text().contains(part)) {
            assertThat(System.nanoTime()).as("waiting for %s", part).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private String text()
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
