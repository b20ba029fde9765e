package io.outrider.plugin.http;

import io.outrider.plugin.http.RecordingServer.Recorded;
import io.outrider.spi.DataSize;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import io.outrider.spi.Output;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.outrider.plugin.http.HttpOutputConfig.Format.JSON;
import static io.outrider.plugin.http.HttpOutputConfig.Format.LOGNOG;
import static io.outrider.plugin.http.HttpOutputConfig.Format.NDJSON;
import static io.outrider.plugin.http.TestingConfigs.config;
import static io.outrider.plugin.http.TestingEvents.fileLine;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long lines and the memory of a batch: an agent with a small heap sends a batch holding one line of several MiB,
 * then many batches of short lines, to a real collector on 127.0.0.1. The output runs in a child JVM with
 * {@code -Xmx64m}, so sizing a buffer by anything but the byte limit ends in an {@link OutOfMemoryError} there.
 */
class TestLongLines
{
    private static final int SMALL_BATCHES = 20;
    private static final int SMALL_BATCH_EVENTS = 500;

    @Test
    void oneLongLineThenManyShortOnesFitIn64MiBOfHeap(@TempDir Path directory)
            throws Exception
    {
        for (HttpOutputConfig.Format format : List.of(NDJSON, JSON)) {
            try (RecordingServer server = RecordingServer.http()) {
                Path out = directory.resolve(format.configName() + ".out");
                Path log = directory.resolve(format.configName() + ".log");
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                        format.name(), server.uri("/ingest").toString(), directory.resolve(format.configName()).toString())
                        .redirectOutput(out.toFile())
                        .redirectError(log.toFile())
                        .start();
                try {
                    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ends").isTrue();
                }
                finally {
                    child.destroyForcibly();
                }

                List<String> expected = new ArrayList<>();
                expected.add("1 x " + Child.LONG_LINE_CHARACTERS + " characters: DELIVERED");
                expected.addAll(Collections.nCopies(SMALL_BATCHES, SMALL_BATCH_EVENTS + " x 5 characters: DELIVERED"));
                assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).as("%s; its log: %s", format.configName(), Files.readString(log)).isEqualTo(expected);
                assertThat(child.exitValue()).isZero();
                List<Recorded> requests = server.requests();
                assertThat(requests).hasSize(1 + SMALL_BATCHES);
                assertThat(requests.get(0).body()).contains("\"message\":\"" + "L".repeat(Child.LONG_LINE_CHARACTERS) + "\"");
                assertThat(requests.subList(1, requests.size())).allSatisfy(request -> assertThat(request.body().split("\"message\":\"short\"", -1)).hasSize(SMALL_BATCH_EVENTS + 1));
            }
        }
    }

    @Test
    void aLineAboveMaxBodySizeIsTooLargeAndNeverSent(@TempDir Path directory)
            throws Exception
    {
        try (RecordingServer server = RecordingServer.http()) {
            TestingComponentContext context = TestingComponentContext.builder(directory).build();
            Output output = new HttpOutputFactory().create(config(NDJSON, server.uri("/")).maxBodySize(DataSize.ofBytes(64 << 10)).gzip(true).build(), context);
            output.start();
            try {
                // all control characters: six bytes of JSON each, 6 MiB for a line of 1 MiB; gzip would shrink it below
                // the limit, but the JSON before compression is what takes the memory
                DeliveryResult result = output.deliver(List.of(fileLine("\u0001".repeat(1 << 20))));
                assertThat(result.toString()).isEqualTo("TOO_LARGE: 1 event(s) encode to more than max_body_size (64KiB) before compression");
                assertThat(output.deliver(List.of(fileLine("short")))).isSameAs(DeliveryResult.delivered());
            }
            finally {
                output.close();
            }
            assertThat(server.requests()).extracting(Recorded::body).singleElement().asString().contains("\"message\":\"short\"");
        }
    }

    @Test
    void byDefaultNoBodyAboveOneMiBGoesOnTheWireAndATooLargeBatchSaysHowManyOfItsEventsFit(@TempDir Path directory)
            throws Exception
    {
        try (RecordingServer server = RecordingServer.http()) {
            TestingComponentContext context = TestingComponentContext.builder(directory).build();
            Output output = new HttpOutputFactory().create(config(NDJSON, server.uri("/")).build(), context);
            output.start();
            int fitting;
            try {
                // about 1.5MiB of NDJSON: nginx in front of a collector would answer 413 (client_max_body_size 1m)
                List<Event> batch = Collections.nCopies(2_000, fileLine("x".repeat(600)));
                int lineBytes = EventJsonEncoder.ndjson(batch.subList(0, 1)).length;
                fitting = (1 << 20) / lineBytes;
                assertThat(fitting).isBetween(1_000, 1_999);
                DeliveryResult tooLarge = output.deliver(batch);
                assertThat(tooLarge.toString()).isEqualTo("TOO_LARGE: 2000 event(s) encode to more than max_body_size (1MiB); the first " + fitting + " fit");
                assertThat(tooLarge.fitting()).hasValue(fitting);
                assertThat(output.deliver(batch.subList(0, fitting + 1)).fitting()).hasValue(fitting);
                assertThat(output.deliver(batch.subList(0, fitting))).isSameAs(DeliveryResult.delivered());
            }
            finally {
                output.close();
            }
            assertThat(server.requests()).singleElement().satisfies(request -> {
                assertThat(request.body().split("\"message\":\"x", -1)).hasSize(fitting + 1);
                assertThat(request.rawBody().length).isLessThanOrEqualTo(1 << 20);
            });
        }
    }

    @Test
    void aJsonArrayCountsItsBracketsAndCommasInWhatFits(@TempDir Path directory)
            throws Exception
    {
        try (RecordingServer server = RecordingServer.http()) {
            TestingComponentContext context = TestingComponentContext.builder(directory).build();
            Output output = new HttpOutputFactory().create(config(JSON, server.uri("/")).maxBodySize(DataSize.ofBytes(64 << 10)).build(), context);
            output.start();
            int fitting;
            try {
                List<Event> batch = Collections.nCopies(200, fileLine("y".repeat(500)));
                // [a,b,...]: two brackets, one comma between each two events
                int eventBytes = EventJsonEncoder.jsonArray(batch.subList(0, 1)).length - 2;
                fitting = ((64 << 10) - 1) / (eventBytes + 1);
                DeliveryResult tooLarge = output.deliver(batch);
                assertThat(tooLarge.toString()).isEqualTo("TOO_LARGE: 200 event(s) encode to more than max_body_size (64KiB); the first " + fitting + " fit");
                assertThat(output.deliver(batch.subList(0, fitting))).isSameAs(DeliveryResult.delivered());
            }
            finally {
                output.close();
            }
            assertThat(server.requests()).singleElement().satisfies(request -> {
                assertThat(request.rawBody().length).isEqualTo(2 + fitting * (EventJsonEncoder.jsonArray(List.of(fileLine("y".repeat(500)))).length - 2) + fitting - 1);
                assertThat(request.rawBody().length).isLessThanOrEqualTo(64 << 10);
            });
        }
    }

    @Test
    void aLogNogBatchAboveMaxBodySizeIsTooLargeAndNeverSent(@TempDir Path directory)
            throws Exception
    {
        try (RecordingServer server = RecordingServer.http()) {
            server.respond(request -> RecordingServer.Reply.json(200, "{\"accepted\":1,\"rejected\":0}"));
            TestingComponentContext context = TestingComponentContext.builder(directory).build();
            Output output = new HttpOutputFactory().create(config(LOGNOG, server.uri("/")).apiKey(TestingConfigs.KEY)
                    .maxBodySize(DataSize.ofBytes(64 << 10)).build(), context);
            output.start();
            try {
                DeliveryResult result = output.deliver(List.of(fileLine("short"), fileLine("L".repeat(1 << 20)), fileLine("short")));
                assertThat(result.toString()).isEqualTo("TOO_LARGE: 3 event(s) encode to more than max_body_size (64KiB); the first 1 fit");
                assertThat(result.fitting()).hasValue(1);
                assertThat(output.deliver(List.of(fileLine("L".repeat(1 << 20)))).toString())
                        .isEqualTo("TOO_LARGE: 1 event(s) encode to more than max_body_size (64KiB)");
                assertThat(output.deliver(List.of(fileLine("short")))).isSameAs(DeliveryResult.delivered());
            }
            finally {
                output.close();
            }
            assertThat(server.requests()).hasSize(1);
        }
    }

    /** The agent's side, in the child JVM: prints one line per batch with what became of it. */
    public static final class Child
    {
        static final int LONG_LINE_CHARACTERS = 3 << 20;

        private Child() {}

        public static void main(String[] args)
                throws Exception
        {
            HttpOutputConfig.Format format = HttpOutputConfig.Format.valueOf(args[0]);
            Path data = Files.createDirectories(Path.of(args[2]));
            TestingComponentContext context = TestingComponentContext.builder(data).build();
            // a body of several MiB: the limit above the line, so that what is measured is the memory it takes
            HttpOutputConfig config = config(format, URI.create(args[1])).requestTimeout(Duration.ofSeconds(30)).maxBodySize(DataSize.ofBytes(8L << 20)).build();
            Output output = new HttpOutputFactory().create(config, context);
            output.start();
            try {
                deliver(output, List.of(fileLine("L".repeat(LONG_LINE_CHARACTERS))), LONG_LINE_CHARACTERS);
                List<Event> small = Collections.nCopies(SMALL_BATCH_EVENTS, fileLine("short"));
                for (int i = 0; i < SMALL_BATCHES; i++) {
                    deliver(output, small, 5);
                }
            }
            finally {
                output.close();
            }
        }

        private static void deliver(Output output, List<Event> batch, int characters)
                throws InterruptedException, IOException
        {
            DeliveryResult result = output.deliver(batch);
            System.out.println(batch.size() + " x " + characters + " characters: " + result.kind());
        }
    }
}
