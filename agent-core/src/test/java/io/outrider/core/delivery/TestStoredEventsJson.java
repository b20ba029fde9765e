package io.outrider.core.delivery;

import io.outrider.core.config.AgentSettings;
import io.outrider.core.storage.BufferedEvent;
import io.outrider.core.storage.EventCodec;
import io.outrider.core.storage.SqliteBuffer;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import io.outrider.spi.EventVisitor;
import io.outrider.support.EventDocument;
import io.outrider.support.JsonByteWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EventDocument#JSON} written from a batch's stored bytes ({@link StoredEvents} as an
 * {@link EventVisitor.Source}) is byte for byte what it writes of the decoded {@link Event}s, whatever the events
 * hold, and whatever a damaged payload holds where the codec puts UTF-8.
 */
class TestStoredEventsJson
{
    private static final String PIPELINE = "ssh";

    @TempDir
    Path dataDirectory;

    @Test
    void randomEventsReadFromABufferWriteTheSameBytesAsTheirDecodedEvents()
            throws Exception
    {
        Random random = new Random(20261205);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            events.add(randomEvent(random));
        }
        AgentSettings.BufferSettings settings = new AgentSettings.BufferSettings(DataSize.parse("256MiB"), AgentSettings.WhenFull.BLOCK, null);
        try (SqliteBuffer buffer = SqliteBuffer.open(dataDirectory, settings, Clock.systemUTC())) {
            buffer.registerOutputs(PIPELINE, Set.of("siem"));
            for (int from = 0; from < events.size(); from += 700) {
                buffer.append(PIPELINE, "auth", events.subList(from, Math.min(events.size(), from + 700)), List.of());
            }
            try (SqliteBuffer.Reader reader = buffer.newReader(PIPELINE, "siem")) {
                // batches that end inside blocks, as a delivery loop's do
                long after = 0;
                while (after < events.size()) {
                    List<BufferedEvent> batch = reader.read(PIPELINE, after, 1 + random.nextInt(1_500), Long.MAX_VALUE);
                    StoredEvents stored = new StoredEvents(batch);
                    assertThat(batch.get(0).seq()).isEqualTo(after + 1);
                    assertSameJson(stored);
                    after = batch.get(batch.size() - 1).seq();
                }
            }
        }
    }

    @Test
    void damagedUtf8InAPayloadIsWrittenAsItsDecodedEventIs()
    {
        Random random = new Random(7);
        EventCodec codec = EventCodec.standalone();
        List<BufferedEvent> damaged = new ArrayList<>();
        byte[] placeholder = "QQQQQQQQ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3_000; i++) {
            Event event = Event.builder().timestamp(Instant.ofEpochSecond(1_763_900_000L + i)).message("m QQQQQQQQ m")
                    .field("user.name", "QQQQQQQQ").field("nested", Map.of("k", List.of("QQQQQQQQ"))).build();
            byte[] payload = codec.encode(event);
            for (int at = indexOf(payload, placeholder, 0); at >= 0; at = indexOf(payload, placeholder, at + placeholder.length)) {
                for (int j = 0; j < placeholder.length; j++) {
                    payload[at + j] = randomByte(random);
                }
            }
            // a slice of a larger array, as events of a block are
            byte[] block = new byte[payload.length + 10];
            System.arraycopy(payload, 0, block, 5, payload.length);
            Arrays.fill(block, 0, 5, (byte) '"');
            Arrays.fill(block, 5 + payload.length, block.length, (byte) 0xFF);
            damaged.add(new BufferedEvent(i + 1, 0, payload.length, block, 5, payload.length, codec));
        }

        assertSameJson(new StoredEvents(damaged));
    }

    @Test
    void anEventThatCannotBeDecodedFailsTheVisitAsItFailsTheDecodeAndIsRecordedSo()
    {
        EventCodec codec = EventCodec.standalone();
        byte[] payload = codec.encode(Event.builder().timestamp(Instant.ofEpochSecond(1_763_900_000L)).message("cut short").field("a", "b").build());
        byte[] block = Arrays.copyOf(payload, payload.length + 4);
        StoredEvents events = new StoredEvents(List.of(new BufferedEvent(9, 0, payload.length - 2, block, 0, payload.length - 2, codec)));
        JsonByteWriter out = new JsonByteWriter(64);

        assertThatThrownBy(() -> EventDocument.JSON.write(out, events, 0))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("buffered event cannot be decoded: it ends early");
        assertThat(events.decodeFailure()).isEqualTo("event 9 in the buffer cannot be decoded: buffered event cannot be decoded: it ends early");
        events.forgetDecodeFailure();
        assertThatThrownBy(() -> events.get(0)).isInstanceOf(UncheckedIOException.class).hasMessage("buffered event cannot be decoded: it ends early");
    }

    @Test
    void whatAVisitorThrowsIsItsOwnFailureNotAnEventTheBufferCannotRead()
    {
        EventCodec codec = EventCodec.standalone();
        StoredEvents events = new StoredEvents(List.of(new BufferedEvent(3, 0, 1,
                codec.encode(Event.builder().timestamp(Instant.ofEpochSecond(1_763_900_000L)).message("m").build()))));
        JsonByteWriter out = new JsonByteWriter(64);
        EventVisitor failing = (EventVisitor) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventVisitor.class},
                (proxy, method, arguments) -> {
                    throw new UncheckedIOException(new java.io.IOException("the visitor's own disk is full"));
                });

        assertThatThrownBy(() -> EventVisitor.visit(events, 0, failing)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("the visitor's own disk is full");
        assertThat(events.decodeFailure()).isNull();
    }

    @Test
    void payloadsOfTheFirstJsonFormAreWalkedFromTheirDecodedEvents()
    {
        byte[] legacy = "{\"s\":1763900000,\"n\":5,\"m\":\"caf\u00e9\",\"f\":{\"user.name\":\"root\",\"n\":[1,2.5,null,{\"a\":true}]}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] broken = "{\"s\":".getBytes(StandardCharsets.UTF_8);
        StoredEvents events = new StoredEvents(List.of(new BufferedEvent(1, 0, legacy.length, legacy), new BufferedEvent(2, 0, broken.length, broken)));

        assertSameJson(new StoredEvents(events.stored().subList(0, 1)));
        JsonByteWriter out = new JsonByteWriter(64);
        EventDocument.JSON.write(out, events, 0);
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo("{\"@timestamp\":\"2025-11-23T12:13:20.000000005Z\",\"message\":\"caf\u00e9\",\"user.name\":\"root\",\"n\":[1,2.5,null,{\"a\":true}]}");
        assertThatThrownBy(() -> EventDocument.JSON.write(out, events, 1)).isInstanceOf(UncheckedIOException.class);
        assertThat(events.decodeFailure()).startsWith("event 2 in the buffer cannot be decoded: ");
    }

    private static void assertSameJson(StoredEvents stored)
    {
        JsonByteWriter fromBytes = new JsonByteWriter(1024);
        JsonByteWriter fromEvents = new JsonByteWriter(1024);
        for (int i = 0; i < stored.size(); i++) {
            fromBytes.reset();
            fromEvents.reset();
            EventDocument.JSON.write(fromBytes, stored, i);
            EventDocument.JSON.write(fromEvents, stored.get(i));
            byte[] expected = Arrays.copyOf(fromEvents.buffer(), fromEvents.size());
            byte[] actual = Arrays.copyOf(fromBytes.buffer(), fromBytes.size());
            if (!Arrays.equals(actual, expected)) {
                assertThat(new String(actual, StandardCharsets.UTF_8)).as("event %d", stored.stored().get(i).seq())
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                assertThat(actual).as("event %d", stored.stored().get(i).seq()).isEqualTo(expected);
            }
        }
    }

    private static Event randomEvent(Random random)
    {
        long seconds = switch (random.nextInt(4)) {
            case 0 -> -62_167_219_200L - random.nextInt(1_000_000); // before year 0
            case 1 -> 253_402_300_800L + random.nextInt(1_000_000); // after 9999
            default -> 1_763_900_000L + random.nextInt(100_000_000) - 50_000_000;
        };
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
        };
        Event.Builder event = Event.builder().timestamp(Instant.ofEpochSecond(seconds, nanos)).message(randomString(random));
        int fields = random.nextInt(12);
        for (int i = 0; i < fields; i++) {
            event.field(randomName(random), randomValue(random, 0));
        }
        return event.build();
    }

    private static String randomName(Random random)
    {
        return switch (random.nextInt(10)) {
            case 0 -> "@timestamp";
            case 1 -> "message";
            case 2 -> "x".repeat(130 + random.nextInt(10)); // longer than a learned name may be
            case 3 -> "name." + randomString(random) + "!"; // never empty
            default -> List.of("source.ip", "user.name", "event.action", "log.offset", "process.pid", "sshd.key_type").get(random.nextInt(6));
        };
    }

    private static Object randomValue(Random random, int depth)
    {
        int kind = random.nextInt(depth < 3 ? 14 : 11);
        return switch (kind) {
            case 0, 1, 2 -> randomString(random);
            case 3 -> List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, random.nextLong()).get(random.nextInt(5));
            case 4 -> random.nextInt();
            case 5 -> random.nextBoolean();
            case 6 -> List.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e300, 4.9e-324, random.nextDouble() * 1e6).get(random.nextInt(6));
            case 7 -> random.nextFloat() * 100;
            case 8 -> new BigInteger(100, random).negate();
            case 9 -> new BigDecimal(new BigInteger(80, random), random.nextInt(40) - 20);
            case 10 -> (short) random.nextInt(1000);
            case 11, 12 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int entries = random.nextInt(4);
                for (int i = 0; i < entries; i++) {
                    map.put(random.nextBoolean() ? "@timestamp" : randomString(random), random.nextInt(5) == 0 ? null : randomValue(random, depth + 1));
                }
                yield map;
            }
            default -> {
                List<Object> list = new ArrayList<>();
                int elements = random.nextInt(4);
                for (int i = 0; i < elements; i++) {
                    list.add(random.nextInt(5) == 0 ? null : randomValue(random, depth + 1));
                }
                yield list;
            }
        };
    }

    /** Empty, ASCII, control characters, what JSON escapes, non-ASCII, U+2028, emoji, lone surrogates, long text. */
    private static String randomString(Random random)
    {
        int length = switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 1_000 + random.nextInt(3_000); // over a writer's chunk
            default -> random.nextInt(40);
        };
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(12)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append("\"\\/\u007f".charAt(random.nextInt(4)));
                case 2 -> text.append((char) (0x80 + random.nextInt(0x780)));
                case 3 -> text.append((char) (0x800 + random.nextInt(0xD000)));
                case 4 -> text.append(random.nextBoolean() ? '\u2028' : '\u2029');
                case 5 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                case 6 -> text.append(random.nextInt(20) == 0 ? (char) (0xD800 + random.nextInt(0x800)) : 'a'); // now and then a lone surrogate
                case 7 -> text.append((char) (0xE000 + random.nextInt(0x2000)));
                default -> text.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return text.toString();
    }

    /** Well-formed UTF-8 bytes now and then, else any byte: lone continuations, overlong forms, encoded surrogates. */
    private static byte randomByte(Random random)
    {
        return switch (random.nextInt(6)) {
            case 0 -> (byte) (0x80 + random.nextInt(0x40));
            case 1 -> (byte) 0xED;
            case 2 -> (byte) (0xC0 + random.nextInt(0x40));
            case 3 -> (byte) ('a' + random.nextInt(26));
            default -> (byte) random.nextInt(256);
        };
    }

    private static int indexOf(byte[] bytes, byte[] part, int from)
    {
        for (int i = from; i <= bytes.length - part.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
