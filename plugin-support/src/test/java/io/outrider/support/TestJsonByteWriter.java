package io.outrider.support;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TestJsonByteWriter
{
    @Test
    void writesExactlyTheUtf8OfWhatJsonWriterWrites()
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", "quote\" backslash\\ tab\t nul\0 bell\u0007 del\u007f");
        nested.put("absent", null);
        nested.put("list", Arrays.asList(1L, -2, (short) 3, (byte) -4, 2.5, 1.1f, Double.NaN, Float.POSITIVE_INFINITY, true, false, null));
        List<Object> values = List.of(
                "plain ascii",
                "caf\u00e9 \u65e5\u672c\u8a9e \ud83d\udd12 line\u2028para\u2029 \n\r\b\f",
                "lone high \ud800 and lone low \udc00 and high at the end \ud83d",
                Long.MIN_VALUE, Long.MAX_VALUE, 0L, -0.0, 1.0e300, Double.MIN_VALUE,
                new BigDecimal("12345678901234567890.123456789012345678901"), new BigDecimal("6.02214076E+23"),
                BigInteger.TWO.pow(100).negate(), new java.util.concurrent.atomic.AtomicLong(7),
                nested, List.of(), Map.of(), Thread.State.NEW);
        for (Object value : values) {
            assertThat(bytes(value)).as("%s", value).isEqualTo(text(value));
        }
    }

    @Test
    void agreesWithJsonWriterOnRandomStrings()
    {
        Random random = new Random(20261123);
        char[] alphabet = "aZ09 \"\\/\n\t\u0000\u001f\u007f\u0080\u00ff\u0100\u07ff\u0800\u2028\u2029\ud7ff\ud800\udbff\udc00\udfff\ue000\uffff".toCharArray();
        for (int round = 0; round < 5_000; round++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String value = new String(chars);
            assertThat(bytes(value)).as("round %d", round).isEqualTo(text(value));
        }
    }

    @Test
    void writesUtf8BytesAsItWritesTheTextTheyDecodeTo()
    {
        Random random = new Random(20261205);
        byte[][] pieces = {{'a'}, {'"'}, {'\\'}, {0}, {0x1f}, {0x7f}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE2, (byte) 0x80, (byte) 0xA8},
                {(byte) 0xE2, (byte) 0x80, (byte) 0xA9}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x94, (byte) 0x92}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF},
                // ill-formed: a lone continuation, an overlong form, an encoded surrogate, a cut sequence, beyond U+10FFFF, 0xFF
                {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}};
        for (int round = 0; round < 20_000; round++) {
            boolean wellFormed = random.nextBoolean();
            // now and then longer than a chunk, so that sequences cross chunk ends
            int count = random.nextInt(10) == 0 ? 1_000 + random.nextInt(2_000) : random.nextInt(30);
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            text.write('#');
            for (int i = 0; i < count; i++) {
                byte[] piece = pieces[random.nextInt(wellFormed ? 11 : pieces.length)];
                text.write(piece, 0, piece.length);
            }
            text.write('#');
            byte[] bytes = text.toByteArray();
            JsonByteWriter fromBytes = new JsonByteWriter(16);
            fromBytes.raw('[');
            // a slice: the bytes around it are not written
            fromBytes.writeUtf8String(bytes, 1, bytes.length - 2);
            fromBytes.raw(']');
            JsonByteWriter fromText = new JsonByteWriter(16);
            fromText.raw('[');
            fromText.writeString(new String(bytes, 1, bytes.length - 2, StandardCharsets.UTF_8));
            fromText.raw(']');
            assertThat(fromBytes.toByteArray()).as("round %d", round).isEqualTo(fromText.toByteArray());
        }
    }

    @Test
    void writesNamesAsStringsEveryTimeTheyRecur()
    {
        // colliding slots (Aa, BB and C# share one hash: three names for a set of two ways), equal names that are other instances, names too long to keep, names needing escapes
        List<String> names = new ArrayList<>(List.of("source.ip", "event.action", "quote\"d", "caf\u00e9", "\ud800", "", "x".repeat(100), "Aa", "BB", "C#", "Aa", "C#", "BB"));
        for (int i = 0; i < 200; i++) {
            names.add("f" + (i % 70));
        }
        JsonByteWriter out = new JsonByteWriter(4);
        StringBuilder expected = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            for (String name : names) {
                String same = round == 1 ? new String(name) : name;
                out.writeName(same).raw(':');
                out.writeValue(1L);
                out.raw(',');
                JsonWriter.writeString(expected, name);
                expected.append(":1,");
            }
        }
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(bytes(Map.of("event.action", "x"))).isEqualTo("{\"event.action\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTimestampsAsIsoInstantDoes()
    {
        Random random = new Random(42);
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 999_999_999),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("0000-03-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("1600-02-29T12:00:00Z"), Instant.parse("1900-03-01T00:00:00Z"), Instant.parse("2000-02-29T23:59:59.5Z"),
                Instant.parse("2026-11-23T10:15:30.000001Z"), Instant.parse("2026-11-23T10:15:30.000000001Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX));
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong() % 400_000_000_000L;
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant instant : instants) {
            JsonByteWriter out = new JsonByteWriter(8);
            out.writeTimestamp(instant);
            assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).as("%s", instant)
                    .isEqualTo("\"" + DateTimeFormatter.ISO_INSTANT.format(instant) + "\"");
        }
    }

    @Test
    void growsAndResets()
    {
        JsonByteWriter out = new JsonByteWriter(1);
        String long_ = "\u65e5".repeat(10_000);
        out.raw('[').writeString(long_);
        out.raw(",").raw(']');
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("[\"" + long_ + "\",]");
        assertThat(out.size()).isEqualTo(3 * 10_000 + 5);
        out.reset();
        out.writeValue(List.of(1L));
        assertThat(out.toByteArray()).isEqualTo("[1]".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(Object value)
    {
        JsonByteWriter out = new JsonByteWriter(4);
        out.writeValue(value);
        return out.toByteArray();
    }

    private static byte[] text(Object value)
    {
        StringBuilder out = new StringBuilder();
        JsonWriter.writeValue(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
