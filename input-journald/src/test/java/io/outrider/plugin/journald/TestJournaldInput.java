package io.outrider.plugin.journald;

import io.outrider.plugin.journald.JournalFiles.Entry;
import io.outrider.support.ReadFrom;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.Input;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.RunningInput;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.outrider.plugin.journald.JournalFiles.BASE_MICROS;
import static io.outrider.plugin.journald.JournalFiles.BOOT_1;
import static io.outrider.plugin.journald.JournalFiles.BOOT_2;
import static io.outrider.plugin.journald.JournalFiles.BOOT_3;
import static io.outrider.plugin.journald.JournalFiles.entries;
import static io.outrider.plugin.journald.JournalFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** The journald input against real journal files made by systemd-journal-remote. */
// try-with-resources runs each input for the block and stops it; the resource itself is not referenced
@SuppressWarnings("try")
class TestJournaldInput
{
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    private TestingComponentContext context;

    @BeforeEach
    void setUp()
    {
        JournalFiles.requireTools();
        context = TestingComponentContext.builder(temp.resolve("data")).componentType("journald").build();
    }

    @Test
    void mapsEntriesOfSeveralBootsWithBinaryHugeAndRepeatedFields()
            throws Exception
    {
        Path journal = temp.resolve("system.journal");
        byte[] binaryMessage = {'b', 'i', 'n', 0, (byte) 0xff, '\n', 'x'};
        String huge = "y".repeat(100_000);
        JournalFiles.write(journal, List.of(
                entry(1, "Accepted publickey for alice from 192.0.2.1 port 22 ssh2")
                        .field("SYSLOG_FACILITY", "10")
                        .field("_COMM", "sshd")
                        .field("_TRANSPORT", "syslog"),
                new Entry(BASE_MICROS + 2_000_000, 5_000, BOOT_2)
                        .field("MESSAGE", "kernel: second boot")
                        .field("_TRANSPORT", "kernel")
                        .field("PRIORITY", "4")
                        .field("SYSLOG_IDENTIFIER", "kernel"),
                new Entry(BASE_MICROS + 3_000_000, 6_000, BOOT_3)
                        .binaryField("MESSAGE", binaryMessage)
                        .binaryField("COREDUMP_DATA", new byte[] {1, 2, (byte) 0xc3})
                        .field("SYSLOG_PID", "77")
                        .field("_COMM", "myapp"),
                entry(4, "huge")
                        .field("BIG", huge)
                        .addField("TAG", "one")
                        .addField("TAG", "two")));

        CollectingEmitter emitter = new CollectingEmitter();
        JournaldInputConfig config = ConfigBuilder.files(journal).maxFieldSize(DataSize.ofBytes(1024)).build();
        try (RunningInput ignored = start(config, emitter)) {
            emitter.awaitEvents(4, TIMEOUT);
        }
        List<Event> events = emitter.events();
        assertThat(events).hasSize(4);

        Event ssh = events.get(0);
        assertThat(ssh.timestamp()).isEqualTo(Instant.parse("2023-11-14T22:13:21Z"));
        assertThat(ssh.message()).isEqualTo("Accepted publickey for alice from 192.0.2.1 port 22 ssh2");
        assertThat(ssh.fields()).containsExactly(
                Map.entry(Fields.HOST_NAME, "host1"),
                Map.entry(Fields.PROCESS_NAME, "sshd"),
                Map.entry(Fields.PROCESS_PID, 1001L),
                Map.entry("systemd.unit", "ssh.service"),
                Map.entry(Fields.LOG_SYSLOG_PRIORITY, 6L),
                Map.entry(Fields.LOG_SYSLOG_FACILITY, 10L),
                Map.entry("journald._boot_id", BOOT_1),
                Map.entry("journald._comm", "sshd"),
                Map.entry("journald._transport", "syslog"));

        Event kernel = events.get(1);
        assertThat(kernel.timestamp()).isEqualTo(Instant.parse("2023-11-14T22:13:22Z"));
        assertThat(kernel.fields())
                .containsEntry(Fields.HOST_NAME, "test-host")
                .containsEntry(Fields.PROCESS_NAME, "kernel")
                .containsEntry(Fields.LOG_SYSLOG_PRIORITY, 4L)
                .containsEntry("journald._boot_id", BOOT_2)
                .doesNotContainKey(Fields.PROCESS_PID);

        Event binary = events.get(2);
        assertThat(binary.message()).isEqualTo(new String(binaryMessage, StandardCharsets.UTF_8)).isEqualTo("bin\0\uFFFD\nx");
        assertThat(binary.fields())
                .containsEntry(Fields.PROCESS_NAME, "myapp")
                .containsEntry(Fields.PROCESS_PID, 77L)
                .containsEntry("journald.coredump_data", "\u0001\u0002\uFFFD")
                .containsEntry("journald._boot_id", BOOT_3)
                .doesNotContainKey("journald.syslog_pid");

        Event hugeEvent = events.get(3);
        assertThat(hugeEvent.fieldAsString("journald.big")).isEqualTo("y".repeat(1024));
        assertThat(hugeEvent.field("journald.tag")).isEqualTo(List.of("one", "two"));
        assertThat(hugeEvent.field(Fields.LOG_FLAGS)).isEqualTo(List.of("truncated"));
        assertThat(context.metrics().counterValue(JournaldInput.TRUNCATED_FIELDS_METRIC)).isEqualTo(1);
        assertThat(events.subList(0, 3)).allSatisfy(event -> assertThat(event.fields()).doesNotContainKey(Fields.LOG_FLAGS));
    }

    @Test
    void filtersByUnitsIdentifiersPriorityAndMatches()
            throws Exception
    {
        Path journal = temp.resolve("filters.journal");
        JournalFiles.write(journal, List.of(
                entry(1, "ssh info"),
                entry(2, "ssh error").field("PRIORITY", "3"),
                entry(3, "ssh notice").field("PRIORITY", "5"),
                entry(4, "sudo warning").field("SYSLOG_IDENTIFIER", "sudo").field("_SYSTEMD_UNIT", "session-1.scope").field("PRIORITY", "4"),
                entry(5, "cron info").field("SYSLOG_IDENTIFIER", "CRON").field("_SYSTEMD_UNIT", "cron.service"),
                entry(6, "cron debug").field("SYSLOG_IDENTIFIER", "CRON").field("_SYSTEMD_UNIT", "cron.service").field("PRIORITY", "7")));

        assertThat(readAll(ConfigBuilder.files(journal).units("ssh"), 3))
                .containsExactly("ssh info", "ssh error", "ssh notice");
        assertThat(readAll(ConfigBuilder.files(journal).identifiers("sudo", "CRON"), 3))
                .containsExactly("sudo warning", "cron info", "cron debug");
        assertThat(readAll(ConfigBuilder.files(journal).priority("warning"), 2))
                .containsExactly("ssh error", "sudo warning");
        // same field OR, different fields AND
        assertThat(readAll(ConfigBuilder.files(journal).matches("_SYSTEMD_UNIT=ssh.service", "PRIORITY=3", "PRIORITY=5"), 2))
                .containsExactly("ssh error", "ssh notice");
        // '+' ORs groups; priority restricts every group
        assertThat(readAll(ConfigBuilder.files(journal).matches("SYSLOG_IDENTIFIER=sudo", "+", "_SYSTEMD_UNIT=cron.service").priority("info"), 2))
                .containsExactly("sudo warning", "cron info");
    }

    @Test
    void resumesRightAfterTheCommittedCursorAcrossCrashesAndRestarts()
            throws Exception
    {
        Path journal = temp.resolve("resume.journal");
        JournalFiles.write(journal, entries(1, 5, "entry "));
        JournaldInputConfig config = ConfigBuilder.files(journal).batchSize(2).build();

        // the second batch fails as if the agent died before committing it: the restart reads it again
        CollectingEmitter emitter = new CollectingEmitter();
        emitter.failAfter(2);
        RunningInput crashed = start(config, emitter);
        assertThat(crashed.awaitEnd(TIMEOUT)).hasMessage("simulated crash before commit");
        assertThat(emitter.messages()).containsExactly("entry 1", "entry 2");

        try (RunningInput ignored = start(config, context.withCheckpoints(emitter.committedCheckpoints()), emitter)) {
            emitter.awaitEvents(5, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactlyElementsOf(messages(1, 5, "entry "));

        // entries appended while the agent was down, then one while it runs
        JournalFiles.write(journal, entries(6, 8, "entry "));
        emitter.clearEvents();
        TestingComponentContext restarted = context.withCheckpoints(emitter.committedCheckpoints());
        try (RunningInput ignored = start(config, restarted, emitter)) {
            emitter.awaitEvents(3, TIMEOUT);
            JournalFiles.write(journal, entries(9, 9, "entry "));
            emitter.awaitEvents(4, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactlyElementsOf(messages(6, 9, "entry "));
        assertThat(context.metrics().counterValue(JournaldInput.CURSOR_FALLBACKS_METRIC)).isZero();
        assertThat(warningMessages()).isEmpty();
    }

    @Test
    void changedFiltersResumeAfterTheCursorWithoutFallback()
            throws Exception
    {
        Path journal = temp.resolve("refilter.journal");
        JournalFiles.write(journal, List.of(
                entry(1, "ssh before"),
                entry(2, "cron last read").field("SYSLOG_IDENTIFIER", "CRON")));
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(ConfigBuilder.files(journal).build(), emitter)) {
            emitter.awaitEvents(2, TIMEOUT);
        }
        JournalFiles.write(journal, List.of(
                entry(3, "ssh after"),
                entry(4, "cron after").field("SYSLOG_IDENTIFIER", "CRON")));

        // the committed entry does not match the new filter: the input must neither skip "ssh after" nor fall back
        emitter.clearEvents();
        JournaldInputConfig sshOnly = ConfigBuilder.files(journal).identifiers("sshd").build();
        try (RunningInput ignored = start(sshOnly, context.withCheckpoints(emitter.committedCheckpoints()), emitter)) {
            emitter.awaitEvents(1, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("ssh after");
        assertThat(context.metrics().counterValue(JournaldInput.CURSOR_FALLBACKS_METRIC)).isZero();
    }

    @Test
    void tailStartCommitsTheLastCursorSoARestartLosesNothing()
            throws Exception
    {
        Path journal = temp.resolve("tail.journal");
        JournalFiles.write(journal, entries(1, 3, "old "));
        JournaldInputConfig config = ConfigBuilder.files(journal).readFrom(ReadFrom.END).build();

        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(config, emitter)) {
            emitter.awaitEvents(events -> emitter.committedCheckpoints().containsKey(JournaldInput.CURSOR_KEY), TIMEOUT, "the tail cursor");
        }
        assertThat(emitter.events()).isEmpty();

        JournalFiles.write(journal, entries(4, 5, "new "));
        try (RunningInput ignored = start(config, context.withCheckpoints(emitter.committedCheckpoints()), emitter)) {
            emitter.awaitEvents(2, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("new 4", "new 5");
    }

    @Test
    void tailStartWithAFilterNothingMatchesYetFollowsNewEntries()
            throws Exception
    {
        Path journal = temp.resolve("tail-filter.journal");
        JournalFiles.write(journal, entries(1, 2, "ssh "));
        CollectingEmitter emitter = new CollectingEmitter();
        JournaldInputConfig config = ConfigBuilder.files(journal).identifiers("sudo").readFrom(ReadFrom.END).build();
        try (RunningInput ignored = start(config, emitter)) {
            JournalFiles.write(journal, List.of(
                    entry(3, "ssh 3"),
                    entry(4, "sudo 4").field("SYSLOG_IDENTIFIER", "sudo")));
            emitter.awaitEvents(1, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("sudo 4");
    }

    @Test
    void followsJournalFilesAddedToTheDirectory()
            throws Exception
    {
        // the layout of a mounted /var/log/journal: one sub-directory per machine id
        Path machine = temp.resolve("journal").resolve("3d1219c7c4c5404aaa1f6d2a48adfda4");
        Files.createDirectories(machine);
        JournalFiles.write(machine.resolve("system.journal"), entries(1, 3, "first file "));

        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(ConfigBuilder.directory(temp.resolve("journal")).build(), emitter)) {
            emitter.awaitEvents(3, TIMEOUT);
            JournalFiles.write(machine.resolve("user-1000.journal"), entries(4, 5, "second file "));
            emitter.awaitEvents(5, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("first file 1", "first file 2", "first file 3", "second file 4", "second file 5");
    }

    @Test
    void vacuumedCursorWarnsCountsAndFallsBackToTheHead()
            throws Exception
    {
        Path directory = temp.resolve("vacuum");
        Files.createDirectories(directory);
        Path oldest = directory.resolve("system@old.journal");
        JournalFiles.write(oldest, entries(1, 3, "old "));
        JournalFiles.write(directory.resolve("system.journal"), entries(4, 6, "kept "));

        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(ConfigBuilder.files(oldest).build(), emitter)) {
            emitter.awaitEvents(3, TIMEOUT);
        }
        String cursor = emitter.committedCheckpoints().get(JournaldInput.CURSOR_KEY);
        Files.delete(oldest);

        emitter.clearEvents();
        JournaldInputConfig config = ConfigBuilder.directory(directory).cursorFallback(ReadFrom.BEGINNING).build();
        try (RunningInput ignored = start(config, context.withCheckpoints(emitter.committedCheckpoints()), emitter)) {
            emitter.awaitEvents(3, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("kept 4", "kept 5", "kept 6");
        assertThat(context.metrics().counterValue(JournaldInput.CURSOR_FALLBACKS_METRIC)).isEqualTo(1);
        assertThat(warningMessages()).containsExactly("the committed journal cursor '" + cursor
                + "' names an entry that is no longer in the journal (vacuumed, or the journal files changed); reading from the beginning of the journal (cursor_fallback)");
    }

    @Test
    void invalidCursorWarnsCountsAndFallsBackToTheTail()
            throws Exception
    {
        Path journal = temp.resolve("invalid.journal");
        JournalFiles.write(journal, entries(1, 2, "existing "));
        CollectingEmitter emitter = new CollectingEmitter();
        JournaldInputConfig config = ConfigBuilder.files(journal).cursorFallback(ReadFrom.END).build();
        try (RunningInput ignored = start(config, context.withCheckpoints(Map.of(JournaldInput.CURSOR_KEY, "not a cursor")), emitter)) {
            // the emitter starts without a cursor (the invalid one is the context's): wait for the tail's
            emitter.awaitEvents(events -> emitter.committedCheckpoints().get(JournaldInput.CURSOR_KEY) != null, TIMEOUT, "the tail cursor");
            JournalFiles.write(journal, entries(3, 3, "new "));
            emitter.awaitEvents(1, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("new 3");
        assertThat(context.metrics().counterValue(JournaldInput.CURSOR_FALLBACKS_METRIC)).isEqualTo(1);
        assertThat(warningMessages()).containsExactly(
                "the committed journal cursor 'not a cursor' is not a valid cursor; reading from the end of the journal (cursor_fallback)");
    }

    @Test
    void missingJournalFileFailsTheRunWithTheReason()
            throws Exception
    {
        Path missing = temp.resolve("missing.journal");
        RunningInput running = start(ConfigBuilder.files(missing).build(), new CollectingEmitter());
        assertThat(running.awaitEnd(TIMEOUT))
                .hasMessage("cannot open the journal files [" + missing + "]: No such file or directory (errno 2)");
    }

    /** A walkthrough listed a rotated file that journald had deleted: no file was read, an ERROR each retry. */
    @Test
    void aListedFileThatIsGoneIsNamedAndTheOthersAreRead()
            throws Exception
    {
        Path present = temp.resolve("remote.journal");
        JournalFiles.write(present, entries(1, 2, "kept "));
        Path gone = temp.resolve("old-rotated.journal");
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(ConfigBuilder.files(present, gone).build(), emitter)) {
            emitter.awaitEvents(2, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("kept 1", "kept 2");
        assertThat(warningMessages()).containsExactly("journal file(s) [" + gone + "] do not exist (rotated away, or not there yet); reading the other 1,"
                + " and the missing ones once the input restarts and finds them");
    }

    /** A walkthrough's agent user could not read the journal's files: the journal looked empty, with no word of why. */
    @Test
    void journalFilesThisUserCannotReadAreFoundInTheDirectoryAndItsMachineDirectories()
            throws Exception
    {
        Path machine = Files.createDirectories(temp.resolve("journal").resolve("3d1219c7c4c5404aaa1f6d2a48adfda4"));
        Path system = machine.resolve("system.journal");
        JournalFiles.write(system, entries(1, 1, "one "));
        // journald's name for a file it found damaged and set aside
        JournalFiles.write(temp.resolve("archived.journal"), entries(2, 2, "two "));
        Path archived = Files.move(temp.resolve("archived.journal"), machine.resolve("system@0005.journal~"));
        Files.writeString(machine.resolve("notes.txt"), "not a journal");

        // root reads any file: which ones this user may not read is the question the predicate answers
        assertThat(JournaldInput.unreadableJournalFiles(List.of(temp.resolve("journal")), file -> !file.equals(system))).containsExactly(system);
        assertThat(JournaldInput.unreadableJournalFiles(List.of(temp.resolve("journal")), file -> false)).containsExactly(system, archived);
        assertThat(JournaldInput.unreadableJournalFiles(List.of(system, temp.resolve("missing.journal")), file -> false)).containsExactly(system);
        assertThat(JournaldInput.unreadableJournalFiles(List.of(temp.resolve("journal")), file -> true)).isEmpty();
    }

    @Test
    void systemJournalStartsAndStopsOnClose()
            throws Exception
    {
        // this machine may have no journal at all: opening it still works and the input waits for entries
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(JournaldInputConfig.defaults(), emitter)) {
            awaitLogMessage("reading new entries of the system journal from its end");
        }
    }

    @Test
    void anEmptyJournalAtTheFirstStartWarnsAndItsFirstEntriesAreRead()
            throws Exception
    {
        // a container without the host's journal, a host without journald: the input would otherwise wait in silence
        Path directory = temp.resolve("empty");
        Files.createDirectories(directory);
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(ConfigBuilder.directory(directory).build(), emitter)) {
            awaitLogMessage("reading the journal directory " + directory + " from its beginning");
            assertThat(warningMessages()).containsExactly("there is no entry in the journal directory " + directory + "; new entries are read as they come");

            JournalFiles.write(directory.resolve("system.journal"), entries(1, 2, "first "));
            emitter.awaitEvents(2, TIMEOUT);
        }
        assertThat(emitter.messages()).containsExactly("first 1", "first 2");
    }

    @Test
    void closeBeforeRunMakesRunReturnAtOnce()
            throws Exception
    {
        Input input = new JournaldInputFactory().create(JournaldInputConfig.defaults(), context);
        input.close();
        input.run(new CollectingEmitter());
        input.close();
    }

    private List<String> readAll(ConfigBuilder config, int expected)
            throws Exception
    {
        CollectingEmitter emitter = new CollectingEmitter();
        try (RunningInput ignored = start(config.build(), emitter)) {
            // entries already in the journal come in one batch: waiting for the first batch sees them all
            emitter.awaitEvents(events -> emitter.batches() > 0, TIMEOUT, "the first batch");
        }
        assertThat(emitter.events()).hasSize(expected);
        return emitter.messages();
    }

    private RunningInput start(JournaldInputConfig config, CollectingEmitter emitter)
            throws Exception
    {
        return start(config, context, emitter);
    }

    private static RunningInput start(JournaldInputConfig config, TestingComponentContext context, CollectingEmitter emitter)
            throws Exception
    {
        JournaldInputFactory factory = new JournaldInputFactory();
        factory.validate(config);
        Input input = factory.create(config, context);
        return RunningInput.start(input, emitter);
    }

    /** The messages the input logged at WARNING or ERROR, without their level; the restarted contexts log to the same lines. */
    private List<String> warningMessages()
    {
        return context.logged().stream()
                .filter(line -> line.startsWith("WARNING ") || line.startsWith("ERROR "))
                .map(line -> line.substring(line.indexOf(' ') + 1))
                .toList();
    }

    private void awaitLogMessage(String message)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (context.logged().stream().noneMatch(line -> line.substring(line.indexOf(' ') + 1).equals(message))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the log message: " + message + "; logged: " + context.logged());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static List<String> messages(int first, int last, String prefix)
    {
        List<String> messages = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            messages.add(prefix + i);
        }
        return messages;
    }
}
