package io.outrider.plugin.file;

import io.outrider.spi.Event;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer appends, rotates (rename and create), copies and truncates, truncates, deletes and recreates two log
 * files at random while the input runs, is restarted, or crashes before a commit; afterwards every line written
 * must have been delivered exactly once, in order per file (a crash loses an uncommitted batch, which is read again,
 * so there are no duplicates either). Bounded: a few hundred operations, a seed printed on failure
 * ({@code -Doutrider.test.seed=...} replays one).
 */
class TestRandomizedTailing
{
    /** Operations per run; {@code -Doutrider.test.operations=...} soaks longer. */
    private static final int OPERATIONS = Integer.getInteger("outrider.test.operations", 300);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;
    @TempDir
    Path dataDirectory;

    @Test
    void deliversEveryLineExactlyOnceInOrderPerFile()
            throws Exception
    {
        runScenario(Duration.ofSeconds(1));
    }

    /** The same with the safety-net scan an hour away: kernel notifications alone drive the input. */
    @Test
    void deliversEveryLineExactlyOnceInOrderPerFileWithNotificationsAlone()
            throws Exception
    {
        runScenario(Duration.ofHours(1));
    }

    private void runScenario(Duration scanInterval)
            throws Exception
    {
        long seed = Long.getLong("outrider.test.seed", new Random().nextLong());
        Scenario scenario = new Scenario(seed, scanInterval);
        // the input's own account, interleaved with the writer's, for the report of a failure
        java.util.logging.Logger inputLogger = java.util.logging.Logger.getLogger("outrider.test.test");
        java.util.logging.Handler handler = new java.util.logging.Handler()
        {
            @Override
            public void publish(java.util.logging.LogRecord record)
            {
                scenario.log("    [input] " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(java.util.logging.Level.ALL);
        inputLogger.setLevel(java.util.logging.Level.ALL);
        inputLogger.setUseParentHandlers(false);
        inputLogger.addHandler(handler);
        try {
            scenario.run();
        }
        catch (Throwable e) {
            synchronized (scenario.history) {
                System.err.println("operations before the failure:\n" + String.join("\n", scenario.history));
            }
            scenario.describeMissing();
            throw new AssertionError("randomized tailing failed with seed " + seed + " (replay with -Doutrider.test.seed=" + seed + "): " + e.getMessage(), e);
        }
        finally {
            inputLogger.removeHandler(handler);
            inputLogger.setUseParentHandlers(true);
        }
    }

    private final class Scenario
    {
        private final Random random;

        private static String abbreviate(String line)
        {
            return line.length() <= 30 ? line : line.substring(0, 30) + "...(" + line.length() + ")";
        }
        private final CollectingEmitter emitter = new CollectingEmitter();
        private final ConfigBuilder config;
        private final Map<String, Stream> streams = new HashMap<>();
        private TestingComponentContext context;
        private RunningInput input;
        private int rotations;
        final List<String> history = java.util.Collections.synchronizedList(new ArrayList<>());
        private final long startNanos = System.nanoTime();

        void log(String operation)
        {
            history.add(String.format("%6d ", (System.nanoTime() - startNanos) / 1_000_000) + operation);
        }

        void describeMissing()
        {
            for (Stream stream : streams.values()) {
                String difference = difference(stream);
                System.err.println(stream.name + ": " + (difference == null ? "as written" : difference));
            }
            System.err.println("checkpoints: " + emitter.committedCheckpoints());
        }

        /**
         * How the lines delivered for {@code stream} differ from those written, in a few lines: the counts, the line
         * numbers missing and duplicated, and the lines around the first difference. @return null: no difference
         */
        String difference(Stream stream)
        {
            List<String> got = delivered(stream.name);
            if (got.equals(stream.written)) {
                return null;
            }
            List<String> missing = new ArrayList<>(stream.written);
            missing.removeAll(got);
            List<String> duplicated = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String line : got) {
                if (!seen.add(line)) {
                    duplicated.add(line);
                }
            }
            List<String> unexpected = new ArrayList<>(got);
            unexpected.removeAll(stream.written);
            StringBuilder text = new StringBuilder()
                    .append("written ").append(stream.written.size()).append(", delivered ").append(got.size())
                    .append("; missing ").append(numbers(missing))
                    .append("; duplicated ").append(numbers(duplicated))
                    .append("; not written ").append(unexpected.stream().map(Scenario::abbreviate).toList());
            for (int i = 0; i < Math.max(got.size(), stream.written.size()); i++) {
                if (i >= got.size() || i >= stream.written.size() || !got.get(i).equals(stream.written.get(i))) {
                    text.append("\nfirst difference at index ").append(i).append(':');
                    for (int k = Math.max(0, i - 3); k < Math.min(i + 6, Math.max(got.size(), stream.written.size())); k++) {
                        text.append("\n  written ").append(k < stream.written.size() ? abbreviate(stream.written.get(k)) : "-")
                                .append(" | delivered ").append(k < got.size() ? abbreviate(got.get(k)) : "-");
                    }
                    break;
                }
            }
            return text.toString();
        }

        private static List<String> numbers(List<String> lines)
        {
            return lines.stream().map(line -> line.substring(0, line.indexOf(' '))).toList();
        }

        Scenario(long seed, Duration scanInterval)
        {
            this.random = new Random(seed);
            this.config = ConfigBuilder.files(directory + "/*.log")
                    .batchMaxEvents(1 + random.nextInt(20))
                    .rotateWait(Duration.ofMillis(100))
                    .scanInterval(scanInterval);
            streams.put("a", new Stream("a", directory.resolve("a.log")));
            streams.put("b", new Stream("b", directory.resolve("b.log")));
        }

        void run()
                throws Exception
        {
            context = TestingComponentContext.builder(dataDirectory).build();
            input = RunningInput.start(config.build(), context, emitter);
            for (int operation = 0; operation < OPERATIONS; operation++) {
                Stream stream = random.nextBoolean() ? streams.get("a") : streams.get("b");
                int choice = random.nextInt(100);
                if (choice < 55) {
                    stream.appendLines(1 + random.nextInt(30));
                }
                else if (choice < 65) {
                    stream.writePartOfALine();
                }
                else if (choice < 75) {
                    log("rotate " + stream.name + (input == null ? " while stopped" : ""));
                    rotate(stream);
                }
                else if (choice < 80 && input != null && Files.exists(stream.path)) {
                    log("truncate " + stream.name);
                    awaitDelivered(stream);
                    if (random.nextBoolean()) {
                        Files.copy(stream.path, directory.resolve(stream.name + ".log.copy" + rotations++));
                    }
                    TestFileInput.truncate(stream.path);
                }
                else if (choice < 84 && input != null && Files.exists(stream.path)) {
                    log("delete " + stream.name);
                    awaitDelivered(stream);
                    Files.delete(stream.path);
                    Thread.sleep(random.nextInt(300));
                    stream.appendLines(1 + random.nextInt(5));
                }
                else if (choice < 92) {
                    log(input != null ? "stop" : "restart");
                    if (input != null) {
                        input.stop();
                        input = null;
                    }
                    else {
                        restart();
                    }
                }
                else if (choice < 96 && input != null) {
                    log("crash");
                    crash(stream);
                }
                else if (input != null) {
                    Thread.sleep(random.nextInt(50));
                }
            }
            if (input == null) {
                restart();
            }
            for (Stream stream : streams.values()) {
                stream.completeLine();
                awaitDelivered(stream);
            }
            // state stays bounded: once released, rotated files leave a position only while they are there, besides the live
            // files and the two markers
            RunningInput.await(() -> emitter.committedCheckpoints().size() <= 2 + filesInDirectory(), TIMEOUT, "rotated files to be released");
            input.stop();
            for (Stream stream : streams.values()) {
                // not isEqualTo: its message lists every line, which buries the seed in a build log
                String difference = difference(stream);
                if (difference != null) {
                    throw new AssertionError("lines of " + stream.name + " differ from those written: " + difference);
                }
            }
        }

        private long filesInDirectory()
        {
            try (java.util.stream.Stream<Path> listing = Files.list(directory)) {
                return listing.count();
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void rotate(Stream stream)
                throws Exception
        {
            stream.completeLine();
            if (!Files.exists(stream.path)) {
                return;
            }
            // a file the agent never saw cannot be followed once renamed out of the globs
            awaitKnown(stream.path);
            log("  renaming " + stream.path + " with key " + FileStat.of(stream.path).fileKey() + " and " + Files.size(stream.path) + " bytes");
            Files.move(stream.path, directory.resolve(stream.name + ".log." + rotations++));
            if (random.nextBoolean()) {
                stream.appendLines(1 + random.nextInt(10));
            }
        }

        private void crash(Stream stream)
                throws Exception
        {
            emitter.failAfter(1);
            stream.appendLines(1 + random.nextInt(30));
            Throwable failure = input.awaitFailure(TIMEOUT);
            assertThat(failure).hasMessage("simulated crash before commit");
            input = null;
            restart();
        }

        private void restart()
                throws Exception
        {
            log("  restarting from " + emitter.committedCheckpoints());
            context = context.withCheckpoints(emitter.committedCheckpoints());
            input = RunningInput.start(config.build(), context, emitter);
        }

        private void awaitDelivered(Stream stream)
                throws Exception
        {
            stream.completeLine();
            int count = stream.written.size();
            emitter.awaitEvents(events -> delivered(events, stream.name).size() >= count, TIMEOUT, count + " lines of " + stream.name);
        }

        private void awaitKnown(Path path)
                throws Exception
        {
            if (input == null) {
                // while stopped, only a file with a committed position can be found again
                if (!known(path)) {
                    restart();
                    RunningInput.await(() -> known(path), TIMEOUT, "a position for " + path);
                    input.stop();
                    input = null;
                }
                return;
            }
            RunningInput.await(() -> known(path), TIMEOUT, "a position for " + path);
        }

        /**
         * Whether a committed checkpoint names this file: its device and inode, its first bytes, and this path. The
         * path matters: a position left by a deleted file of the other stream can name a reused inode and, when it
         * checks no bytes (its file was empty), match any file.
         */
        private boolean known(Path path)
        {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
                FileStat stat = FileStat.of(path);
                for (Map.Entry<String, String> checkpoint : emitter.committedCheckpoints().entrySet()) {
                    java.util.Optional<FileIdentity> identity = FileIdentity.parseKey(checkpoint.getKey());
                    if (identity.isPresent() && identity.get().fileKey().equals(stat.fileKey()) && identity.get().sameStart(channel)
                            && checkpoint.getValue().endsWith(" " + path)) {
                        return true;
                    }
                }
                return false;
            }
            catch (IOException e) {
                return false;
            }
        }

        private List<String> delivered(String name)
        {
            return delivered(emitter.events(), name);
        }

        private List<String> delivered(List<Event> events, String name)
        {
            List<String> lines = new ArrayList<>();
            for (Event event : events) {
                if (event.message().startsWith(name + "-")) {
                    lines.add(event.message());
                }
            }
            return lines;
        }

        private final class Stream
        {
            final String name;
            final Path path;
            final List<String> written = new ArrayList<>();
            private String unfinished;
            private int next;

            Stream(String name, Path path)
            {
                this.name = name;
                this.path = path;
            }

            void appendLines(int count)
                    throws IOException
            {
                StringBuilder text = new StringBuilder();
                if (unfinished != null) {
                    text.append(unfinished);
                    unfinished = null;
                }
                log("append " + count + " to " + name + " from " + next + (Files.exists(path) ? "" : " (new file)"));
                for (int i = 0; i < count; i++) {
                    String line = newLine();
                    written.add(line);
                    text.append(line).append(random.nextInt(10) == 0 ? "\r\n" : "\n");
                }
                append(text.toString());
            }

            void writePartOfALine()
                    throws IOException
            {
                completeLine();
                log("part of a line to " + name + " at " + next);
                String line = newLine();
                written.add(line);
                int cut = random.nextInt(line.length());
                append(line.substring(0, cut));
                unfinished = line.substring(cut) + "\n";
            }

            void completeLine()
                    throws IOException
            {
                if (unfinished != null) {
                    String rest = unfinished;
                    unfinished = null;
                    append(rest);
                }
            }

            private String newLine()
            {
                StringBuilder line = new StringBuilder(name).append('-').append(next++).append(' ');
                int length = random.nextInt(10) == 0 ? 300 + random.nextInt(3000) : random.nextInt(80);
                for (int i = 0; i < length; i++) {
                    line.append((char) ('a' + random.nextInt(26)));
                }
                return line.toString();
            }

            private void append(String text)
                    throws IOException
            {
                Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }
}
