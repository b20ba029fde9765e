package io.outrider.core.logging;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.config.SecretRegistry;
import io.outrider.spi.DataSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class TestLogSetup
{
    private static final String KEY = "sk_live_0123456789";

    @AfterEach
    void resetLogging()
    {
        LogManager.getLogManager().reset();
    }

    @Test
    void agentLogGoesToStandardErrorAndNoFileUnlessOneIsConfigured(@TempDir Path dir)
            throws Exception
    {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        AgentSettings settings = new AgentSettings(dir, "h", dir, null, null, null, null, null);

        Optional<Path> file = LogSetup.forAgent(settings, Level.INFO, new SecretRegistry(), RedactingFormatter.Style.SINGLE_LINE, stderr);
        System.getLogger("io.outrider.core.Thing").log(System.Logger.Level.INFO, "signal");

        assertThat(file).isEmpty();
        assertThat(dir.resolve("logs")).doesNotExist();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z INFO  Thing: signal\n");
    }

    @Test
    void aConfiguredLogFileRotatesAndMasksSecretsLikeStandardError(@TempDir Path dir)
            throws Exception
    {
        SecretRegistry secrets = new SecretRegistry();
        secrets.register(KEY);
        Path configured = dir.resolve("log").resolve("agent.log");
        AgentSettings settings = new AgentSettings(dir, "h", dir, null, null, new AgentSettings.LogSettings(null, configured, DataSize.parse("1MiB"), 2), null, null);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        Path file = LogSetup.forAgent(settings, Level.INFO, secrets, RedactingFormatter.Style.JOURNAL, stderr).orElseThrow();
        System.getLogger("outrider.p.out").log(System.Logger.Level.ERROR, "collector refused key " + KEY + " for tenant 7", new IllegalStateException("401 for " + KEY));
        flush();

        assertThat(file).isEqualTo(dir.resolve("log").resolve("agent.log.0"));
        String log = Files.readString(file);
        assertThat(log).contains("ERROR outrider.p.out: collector refused key ****** for tenant 7\n    java.lang.IllegalStateException: 401 for ******\n")
                .doesNotContain(KEY);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("<3>ERROR outrider.p.out: collector refused key ****** for tenant 7\\njava.lang.IllegalStateException: 401 for ******\\n\\tat ")
                .doesNotContain(KEY)
                .endsWith("\n")
                .hasLineCount(1);
    }

    @Test
    void singleLineStyleEscapesLineBreaksStackTracesAndTerminalEscapes()
    {
        SecretRegistry secrets = new SecretRegistry();
        secrets.register(KEY);
        LogRecord record = record(Level.WARNING, "io.outrider.input.file.FileInput", "first line\nsecond line with " + KEY + " and \u001b[31mred\u001b[0m\r\tend");
        IllegalStateException thrown = new IllegalStateException("refused " + KEY);
        thrown.setStackTrace(new StackTraceElement[] {new StackTraceElement("io.outrider.Sender", "send", "Sender.java", 42)});
        record.setThrown(thrown);

        assertThat(new RedactingFormatter(secrets, RedactingFormatter.Style.SINGLE_LINE).format(record))
                .isEqualTo("2026-01-02T03:04:05Z WARN  FileInput: first line\\nsecond line with ****** and \\u001b[31mred\\u001b[0m\\r\\tend"
                        + "\\njava.lang.IllegalStateException: refused ******\\n\\tat io.outrider.Sender.send(Sender.java:42)\n");
        assertThat(new RedactingFormatter(secrets, RedactingFormatter.Style.JOURNAL).format(record))
                .isEqualTo("<4>WARN  FileInput: first line\\nsecond line with ****** and \\u001b[31mred\\u001b[0m\\r\\tend"
                        + "\\njava.lang.IllegalStateException: refused ******\\n\\tat io.outrider.Sender.send(Sender.java:42)\n");
        assertThat(new RedactingFormatter(secrets, RedactingFormatter.Style.MULTI_LINE).format(record(Level.INFO, "outrider.p.in", "a\nb")))
                .isEqualTo("2026-01-02T03:04:05Z INFO  outrider.p.in: a\nb\n");
    }

    @Test
    void journalPrioritiesFollowSdDaemon()
    {
        RedactingFormatter journal = new RedactingFormatter(new SecretRegistry(), RedactingFormatter.Style.JOURNAL);

        assertThat(journal.format(record(Level.SEVERE, "io.outrider.core.pipeline.Agent", "cannot start"))).isEqualTo("<3>ERROR Agent: cannot start\n");
        assertThat(journal.format(record(Level.WARNING, "io.outrider.core.pipeline.Agent", "slow"))).isEqualTo("<4>WARN  Agent: slow\n");
        assertThat(journal.format(record(Level.INFO, "io.outrider.core.pipeline.Agent", "agent started"))).isEqualTo("<6>INFO  Agent: agent started\n");
        assertThat(journal.format(record(Level.FINE, "io.outrider.core.pipeline.Agent", "batch of 3 sent"))).isEqualTo("<7>DEBUG Agent: batch of 3 sent\n");
    }

    @Test
    void standardErrorStyleFollowsTheTerminalThenJournalStream()
    {
        assertThat(LogSetup.stderrStyle(true, Map.of("JOURNAL_STREAM", "8:12345"))).isEqualTo(RedactingFormatter.Style.MULTI_LINE);
        assertThat(LogSetup.stderrStyle(false, Map.of("JOURNAL_STREAM", "8:12345"))).isEqualTo(RedactingFormatter.Style.JOURNAL);
        assertThat(LogSetup.stderrStyle(false, Map.of())).isEqualTo(RedactingFormatter.Style.SINGLE_LINE);
    }

    @Test
    void debugShowsTheAgentsDecisionsButNotLibraryInternals(@TempDir Path dir)
            throws Exception
    {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        LogSetup.forAgent(new AgentSettings(dir, "h", dir, null, null, null, null, null), LogSetup.level(AgentSettings.LogLevel.DEBUG), new SecretRegistry(),
                RedactingFormatter.Style.JOURNAL, stderr);

        System.getLogger("io.outrider.input.file.FileInput").log(System.Logger.Level.DEBUG, "resuming app.log at byte 120");
        System.getLogger("outrider.p.out").log(System.Logger.Level.DEBUG, "sent a batch of 3");
        System.getLogger("jdk.internal.httpclient.debug").log(System.Logger.Level.DEBUG, "GET http://collector/?token=abc");
        System.getLogger("jdk.internal.httpclient.debug").log(System.Logger.Level.INFO, "connection pool");
        System.getLogger("com.google.inject.internal.Binder").log(System.Logger.Level.DEBUG, "binding");
        System.getLogger("com.google.inject.internal.Binder").log(System.Logger.Level.WARNING, "binding trouble");
        System.getLogger("org.example.library").log(System.Logger.Level.DEBUG, "library chatter");
        System.getLogger("org.example.library").log(System.Logger.Level.INFO, "library news");

        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("""
                <7>DEBUG FileInput: resuming app.log at byte 120
                <7>DEBUG outrider.p.out: sent a batch of 3
                <4>WARN  com.google.inject.internal.Binder: binding trouble
                <6>INFO  org.example.library: library news
                """);
    }

    @Test
    void debugRecordsAreDroppedAtInfo(@TempDir Path dir)
            throws Exception
    {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        LogSetup.forAgent(new AgentSettings(dir, "h", dir, null, null, null, null, null), Level.INFO, new SecretRegistry(), RedactingFormatter.Style.JOURNAL, stderr);

        System.getLogger("io.outrider.core.Thing").log(System.Logger.Level.DEBUG, "noise");
        System.getLogger("io.outrider.core.Thing").log(System.Logger.Level.INFO, "signal");

        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("<6>INFO  Thing: signal\n");
    }

    private static LogRecord record(Level level, String logger, String message)
    {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        record.setInstant(Instant.parse("2026-01-02T03:04:05Z"));
        return record;
    }

    private static void flush()
    {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
        }
    }
}
