package io.outrider.plugin.file;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.TestingComponentContext;
import io.outrider.support.LineEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TestEventAssembler
{
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final FileIdentity IDENTITY = new FileIdentity(1, 2, 0, 0);
    private static final Path PATH = Path.of("/var/log/app.log");

    @TempDir
    Path dataDirectory;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final CollectingEmitter emitter = new CollectingEmitter();
    private final Batch batch = new Batch(emitter, 1000, 1 << 20);

    private EventAssembler assembler(ConfigBuilder config, Pattern multilineStart)
    {
        TestingComponentContext context = TestingComponentContext.builder(dataDirectory)
                .hostName("web-1")
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .nanoTime(nanos::get)
                .build();
        return new EventAssembler(config.build(), context, LineEncoding.forName("UTF-8"), multilineStart, null, new FileInputMetrics(context.metrics()), batch);
    }

    private static void feed(TrackedFile file, String text)
            throws InterruptedException
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        file.splitter.consume(bytes, 0, bytes.length, file.lineSink);
    }

    @Test
    void makesOneEventPerLineWithTheFilesFields()
            throws InterruptedException
    {
        EventAssembler assembler = assembler(ConfigBuilder.files("/var/log/*.log"), null);
        TrackedFile file = assembler.newFile(IDENTITY, PATH, PATH, 100);
        file.size = 130;
        file.setLastModified(NOW.toEpochMilli());
        feed(file, "first\nsecond\nthi");
        assembler.flushPending(file);
        batch.flush();

        assertThat(emitter.events()).extracting(Event::message).containsExactly("first", "second", "thi");
        Event first = emitter.events().get(0);
        assertThat(first.timestamp()).isEqualTo(NOW);
        assertThat(first.fields()).isEqualTo(Map.of(
                Fields.LOG_FILE_PATH, "/var/log/app.log",
                Fields.LOG_OFFSET, 100L,
                Fields.LOG_FILE_SIZE, 130L,
                Fields.LOG_FILE_MTIME, "2026-03-01T10:00:00Z",
                Fields.HOST_NAME, "web-1"));
        assertThat(emitter.events().get(1).field(Fields.LOG_OFFSET)).isEqualTo(106L);
        assertThat(emitter.events().get(2).field(Fields.LOG_FLAGS)).isEqualTo(List.of("partial"));
        assertThat(emitter.committedCheckpoints()).containsEntry(IDENTITY.key(), "116 #0 /var/log/app.log");
    }

    @Test
    void cutsAndCountsLongLines()
            throws InterruptedException
    {
        EventAssembler assembler = assembler(ConfigBuilder.files("/var/log/*.log").maxLineBytes(4), null);
        TrackedFile file = assembler.newFile(IDENTITY, PATH, PATH, 0);
        feed(file, "abcdefgh\nok\n");
        batch.flush();

        assertThat(emitter.events()).extracting(Event::message).containsExactly("abcd", "ok");
        assertThat(emitter.events().get(0).field(Fields.LOG_FLAGS)).isEqualTo(List.of("truncated"));
        assertThat(emitter.events().get(1).field(Fields.LOG_FLAGS)).isNull();
    }

    @Test
    void emitsAPartialLineOnceItWaitedPartialLineFlush()
            throws InterruptedException
    {
        EventAssembler assembler = assembler(ConfigBuilder.files("/var/log/*.log").partialLineFlush(Duration.ofSeconds(2)), null);
        TrackedFile file = assembler.newFile(IDENTITY, PATH, PATH, 0);
        feed(file, "no newline yet");
        long fedAt = nanos.get();
        assertThat(assembler.nextDeadline(file, Long.MAX_VALUE)).isEqualTo(fedAt + Duration.ofSeconds(2).toNanos());

        nanos.addAndGet(Duration.ofSeconds(2).toNanos() - 1);
        assembler.applyTimeLimits(file, nanos.get());
        batch.flush();
        assertThat(emitter.events()).isEmpty();

        nanos.incrementAndGet();
        assembler.applyTimeLimits(file, nanos.get());
        batch.flush();
        assertThat(emitter.events()).extracting(Event::message).containsExactly("no newline yet");
        assertThat(emitter.events().get(0).field(Fields.LOG_FLAGS)).isEqualTo(List.of("partial"));
        assertThat(assembler.nextDeadline(file, 42)).isEqualTo(42);
    }

    @Test
    void withoutPartialLineFlushWaitsForTheNewline()
            throws InterruptedException
    {
        EventAssembler assembler = assembler(ConfigBuilder.files("/var/log/*.log"), null);
        TrackedFile file = assembler.newFile(IDENTITY, PATH, PATH, 0);
        feed(file, "no newline yet");
        assertThat(assembler.nextDeadline(file, 42)).isEqualTo(42);
        nanos.addAndGet(Duration.ofDays(1).toNanos());
        assembler.applyTimeLimits(file, nanos.get());
        batch.flush();
        assertThat(emitter.events()).isEmpty();
        assertThat(file.offset()).isZero();
    }

    @Test
    void joinsLinesAndEmitsTheLastGroupAfterItsTimeout()
            throws InterruptedException
    {
        ConfigBuilder config = ConfigBuilder.files("/var/log/*.log")
                .multiline(new FileInputConfig.MultilineConfig("^\\d{4} ", null, Duration.ofMillis(300), null));
        EventAssembler assembler = assembler(config, Pattern.compile("^\\d{4} "));
        TrackedFile file = assembler.newFile(IDENTITY, PATH, PATH, 0);
        feed(file, "2026 error\n  at a\n  at b\n2026 next\n");
        batch.flush();
        assertThat(emitter.events()).extracting(Event::message).containsExactly("2026 error\n  at a\n  at b");
        assertThat(emitter.events().get(0).field(Fields.LOG_FLAGS)).isEqualTo(List.of("multiline"));
        // the pending group holds the checkpoint at its start
        assertThat(file.offset()).isEqualTo(25);
        assertThat(assembler.nextDeadline(file, Long.MAX_VALUE)).isEqualTo(nanos.get() + Duration.ofMillis(300).toNanos());

        nanos.addAndGet(Duration.ofMillis(300).toNanos());
        assembler.applyTimeLimits(file, nanos.get());
        batch.flush();
        assertThat(emitter.events()).extracting(Event::message).containsExactly("2026 error\n  at a\n  at b", "2026 next");
        assertThat(emitter.events().get(1).field(Fields.LOG_FLAGS)).isNull();
        assertThat(file.offset()).isEqualTo(35);
    }
}
