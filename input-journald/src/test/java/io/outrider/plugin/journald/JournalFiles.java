package io.outrider.plugin.journald;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Makes real journal files for tests: writes entries in the Journal Export Format and has
 * {@code systemd-journal-remote} (Debian package {@code systemd-journal-remote}) turn them into a journal file, or
 * append them to an existing one.
 */
final class JournalFiles
{
    static final String BOOT_1 = "0123456789abcdef0123456789abcdef";
    static final String BOOT_2 = "1111111111111111aaaaaaaaaaaaaaaa";
    static final String BOOT_3 = "2222222222222222bbbbbbbbbbbbbbbb";
    /** 2023-11-14T22:13:20Z, in microseconds. */
    static final long BASE_MICROS = 1_700_000_000_000_000L;

    private static final List<Path> JOURNAL_REMOTE_LOCATIONS = List.of(
            Path.of("/lib/systemd/systemd-journal-remote"),
            Path.of("/usr/lib/systemd/systemd-journal-remote"));

    private JournalFiles() {}

    /**
     * The systemd-journal-remote binary and libsystemd, or a failed assumption (a failure when {@code CI=true})
     * saying what to install.
     */
    static Path requireTools()
    {
        Path binary = JOURNAL_REMOTE_LOCATIONS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        String problem = null;
        if (binary == null) {
            problem = "systemd-journal-remote is not installed (looked in " + JOURNAL_REMOTE_LOCATIONS + "): apt-get install systemd-journal-remote";
        }
        else {
            try {
                SdJournal.load(SdJournal.LIBRARY_NAMES);
            }
            catch (UnsatisfiedLinkError e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(problem);
            }
            Assumptions.abort(problem);
        }
        return binary;
    }

    /** Writes {@code entries} into {@code journal}, creating it or appending to it. */
    static void write(Path journal, List<Entry> entries)
            throws IOException, InterruptedException
    {
        Path binary = requireTools();
        Path export = Files.createTempFile(journal.toAbsolutePath().getParent(), "entries", ".export");
        try {
            try (OutputStream out = Files.newOutputStream(export)) {
                for (Entry entry : entries) {
                    entry.writeTo(out);
                }
            }
            Files.createDirectories(journal.toAbsolutePath().getParent());
            Path log = Files.createTempFile(journal.toAbsolutePath().getParent(), "journal-remote", ".log");
            Process process = new ProcessBuilder(binary.toString(), "--output=" + journal.toAbsolutePath(), export.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("systemd-journal-remote did not finish within 60 seconds");
            }
            String output = Files.readString(log);
            Files.delete(log);
            if (process.exitValue() != 0) {
                throw new AssertionError("systemd-journal-remote failed with exit code " + process.exitValue() + ": " + output);
            }
        }
        finally {
            Files.deleteIfExists(export);
        }
    }

    /** A typical entry: boot 1, host {@code host1}, {@code sshd} under {@code ssh.service}, priority info. */
    static Entry entry(int sequence, String message)
    {
        return new Entry(BASE_MICROS + sequence * 1_000_000L, 1_000_000L + sequence * 1_000_000L, BOOT_1)
                .field("_HOSTNAME", "host1")
                .field("SYSLOG_IDENTIFIER", "sshd")
                .field("_PID", String.valueOf(1000 + sequence))
                .field("_SYSTEMD_UNIT", "ssh.service")
                .field("PRIORITY", "6")
                .field("MESSAGE", message);
    }

    /** Entries {@code first..last} with messages {@code prefix + n}. */
    static List<Entry> entries(int first, int last, String prefix)
    {
        List<Entry> entries = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            entries.add(entry(i, prefix + i));
        }
        return entries;
    }

    /** One entry of the export format: its timestamps, boot and {@code FIELD=value} data in order. */
    static final class Entry
    {
        private final long realtimeMicros;
        private final long monotonicMicros;
        private final String bootId;
        private final Map<String, List<byte[]>> fields = new LinkedHashMap<>();

        Entry(long realtimeMicros, long monotonicMicros, String bootId)
        {
            this.realtimeMicros = realtimeMicros;
            this.monotonicMicros = monotonicMicros;
            this.bootId = requireNonNull(bootId, "bootId is null");
        }

        /** Sets (replaces) a text field. */
        Entry field(String name, String value)
        {
            fields.put(name, new ArrayList<>(List.of(value.getBytes(StandardCharsets.UTF_8))));
            return this;
        }

        /** Adds another value of a field (the journal allows a field more than once per entry). */
        Entry addField(String name, String value)
        {
            fields.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Sets a field to arbitrary bytes. */
        Entry binaryField(String name, byte[] value)
        {
            fields.put(name, new ArrayList<>(List.of(value.clone())));
            return this;
        }

        Entry without(String name)
        {
            fields.remove(name);
            return this;
        }

        void writeTo(OutputStream out)
                throws IOException
        {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            text(entry, "__REALTIME_TIMESTAMP=" + realtimeMicros);
            text(entry, "__MONOTONIC_TIMESTAMP=" + monotonicMicros);
            text(entry, "_BOOT_ID=" + bootId);
            for (Map.Entry<String, List<byte[]>> field : fields.entrySet()) {
                for (byte[] value : field.getValue()) {
                    if (isText(value)) {
                        entry.write((field.getKey() + "=").getBytes(StandardCharsets.UTF_8));
                        entry.write(value);
                        entry.write('\n');
                    }
                    else {
                        // the export format's binary-safe form: NAME, LF, little-endian 64-bit size, data, LF
                        entry.write(field.getKey().getBytes(StandardCharsets.UTF_8));
                        entry.write('\n');
                        entry.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value.length).array());
                        entry.write(value);
                        entry.write('\n');
                    }
                }
            }
            entry.write('\n');
            entry.writeTo(out);
        }

        private static boolean isText(byte[] value)
        {
            for (byte b : value) {
                if (b == '\n' || b == 0 || b < 0) {
                    return false;
                }
            }
            return true;
        }

        private static void text(ByteArrayOutputStream out, String line)
        {
            out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
