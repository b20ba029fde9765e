package io.outrider.core.storage;

import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestEventCodec
{
    /** A codec with field names of its own, as a new buffer has. */
    private final EventCodec codec = EventCodec.standalone();

    @Test
    void roundTripsNestedMapsAndListsInOrder()
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", "last in the alphabet, first in the map");
        nested.put("a", List.of(1L, "two", List.of(true, false), Map.of("deep", List.of())));
        nested.put("empty", Map.of());
        nested.put("absent", null);
        Event event = Event.builder()
                .timestamp(Instant.parse("2026-11-23T10:15:30.123456789Z"))
                .message("Accepted publickey for alice from 203.0.113.7 port 52111 ssh2")
                .field("source.ip", "203.0.113.7")
                .field("source.port", 52111L)
                .field("event.outcome", "success")
                .field("labels", nested)
                .field("tags", List.of("ssh", "auth"))
                .field("flag", true)
                .build();

        Event decoded = roundTrip(event);

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.fields().keySet()).containsExactly("source.ip", "source.port", "event.outcome", "labels", "tags", "flag");
        @SuppressWarnings("unchecked")
        Map<String, Object> labels = (Map<String, Object>) decoded.field("labels");
        assertThat(labels.keySet()).containsExactly("z", "a", "empty", "absent");
        assertThat(labels).containsEntry("absent", null);
    }

    @Test
    void roundTripsUnicodeAndControlCharacters()
    {
        String message = "caf\u00e9 \u65e5\u672c\u8a9e \u0645\u0631\u062d\u0628\u0627 \ud83d\udd12\ud83d\ude00 tab\tnul\0 quote\" backslash\\ newline\n\u2028";
        Event event = Event.builder()
                .timestamp(Instant.EPOCH)
                .message(message)
                .field("user.name", "\u00e5sa \u00d8stergaard")
                .field("\u952e.\ud83d\udd11", "value under a non-ASCII name")
                .field("lone", "high \ud800 and low \udc00 surrogates")
                .build();

        Event decoded = roundTrip(event);

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.message()).isEqualTo(message);
        // non-ASCII text is stored as its UTF-8 bytes
        assertThat(new String(codec.encode(event), StandardCharsets.UTF_8)).contains("caf\u00e9");
    }

    @Test
    void roundTripsBigAndSmallNumbers()
    {
        BigInteger beyondLong = BigInteger.TWO.pow(100).negate();
        BigDecimal manyDigits = new BigDecimal("12345678901234567890.123456789012345678901");
        BigDecimal trailingZero = new BigDecimal("1.10");
        BigDecimal scientific = new BigDecimal("6.02214076E+23");
        Event event = Event.builder()
                .timestamp(Instant.ofEpochSecond(1, 1))
                .field("max", Long.MAX_VALUE)
                .field("min", Long.MIN_VALUE)
                .field("zero", 0L)
                .field("beyond_long", beyondLong)
                .field("many_digits", manyDigits)
                .field("trailing_zero", trailingZero)
                .field("scientific", scientific)
                .field("tenth", 0.1)
                .field("huge", 1.0e300)
                .field("tiny", Double.MIN_VALUE)
                .field("negative_zero", -0.0)
                .field("in_list", List.of(manyDigits, beyondLong, Long.MAX_VALUE, 2.5))
                .build();

        Event decoded = roundTrip(event);

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.field("many_digits")).isEqualTo(manyDigits);
        assertThat(decoded.field("trailing_zero")).isEqualTo(trailingZero);
        assertThat(decoded.field("beyond_long")).isEqualTo(beyondLong);
        assertThat(decoded.field("negative_zero")).isEqualTo(-0.0);
    }

    @Test
    void normalisesIntegralNumbersToLongAndFloatsToDouble()
    {
        Event event = Event.builder()
                .timestamp(Instant.EPOCH)
                .field("int", 42)
                .field("short", (short) 7)
                .field("byte", (byte) -1)
                .field("float", 1.1f)
                .field("small_big_integer", BigInteger.valueOf(5))
                .build();

        Event decoded = roundTrip(event);

        assertThat(decoded.fields()).containsExactly(
                Map.entry("int", 42L),
                Map.entry("short", 7L),
                Map.entry("byte", -1L),
                // the float's own decimal text, not the binary expansion 1.100000023841858 of its double widening
                Map.entry("float", 1.1),
                Map.entry("small_big_integer", 5L));
    }

    @Test
    void roundTripsTimestampsBeforeTheEpochAndWithNanoseconds()
    {
        for (Instant timestamp : List.of(
                Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("1601-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.000000001Z"),
                Instant.ofEpochSecond(-1, 1))) {
            Event event = Event.of(timestamp, "");
            assertThat(roundTrip(event).timestamp()).isEqualTo(timestamp);
        }
    }

    @Test
    void refusesPayloadsThatAreNotEvents()
    {
        assertThatThrownBy(() -> codec.decode("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("buffered event cannot be decoded: buffered event is not a JSON object");
        // a name too long to learn, so that it is spelled out in the payload and can be found below
        String name = "custom." + "n".repeat(FieldNames.MAX_NAME_LENGTH);
        byte[] encoded = codec.encode(Event.builder().timestamp(Instant.EPOCH).message("cut short").field(name, "root").build());
        for (int length = 1; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .as("cut to %d of %d bytes", length, encoded.length)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("buffered event cannot be decoded: ");
        }
        byte[] trailing = Arrays.copyOf(encoded, encoded.length + 2);
        assertThatThrownBy(() -> codec.decode(trailing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("buffered event cannot be decoded: 2 byte(s) after the event");
        byte[] unknownTag = encoded.clone();
        // the last field's value tag sits right after its name
        int tagAt = indexOf(unknownTag, name.getBytes(StandardCharsets.UTF_8)) + name.length();
        unknownTag[tagAt] = 42;
        assertThatThrownBy(() -> codec.decode(unknownTag))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("buffered event cannot be decoded: unknown value tag 42 at byte " + tagAt);
    }

    @Test
    void writesLearnedNamesAsTheirIds()
    {
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("user.name", "root");
        custom.put("x", 1L);
        Event event = Event.builder()
                .timestamp(Instant.ofEpochSecond(1, 2))
                .message("m")
                .field("log.file.path", "/var/log/auth.log")
                .field("source.port", 22L)
                .field("custom", custom)
                .build();

        byte[] encoded = codec.encode(event);

        // the format is stored: these bytes must decode the same in every later version; the names got the ids 0 to 4
        // in the order they first appeared, whatever they are
        assertThat(encoded).isEqualTo(bytes(
                0x03, 2, 2, 2, 'm', 3,
                0 << 1 | 1, 5, 34, "/var/log/auth.log",
                1 << 1 | 1, 3, 44,
                2 << 1 | 1, 8, 2, 3 << 1 | 1, 5, 8, "root", 4 << 1 | 1, 3, 2));
        assertThat(codec.names().unstored()).isEqualTo(new FieldNames.Unstored(0, List.of("log.file.path", "source.port", "custom", "user.name", "x")));
        assertThat(roundTrip(event)).isEqualTo(event);
        assertThat(roundTrip(event).fields().keySet()).containsExactly("log.file.path", "source.port", "custom");
        // another buffer's codec has not learned these ids: its payloads cannot be read with it
        assertThatThrownBy(() -> EventCodec.standalone().decode(encoded))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("buffered event cannot be decoded: field name 0 is not in the buffer's dictionary of 0 name(s)");
    }

    @Test
    void decodesThePayloadsOfTheFrozenDictionaryFormat()
    {
        // format 0x02, as buffers and dead letters of the versions with a dictionary in the code hold it
        byte[] frozen = bytes(
                0x02, 2, 2, 2, 'm', 3,
                0 << 1 | 1, 5, 34, "/var/log/auth.log",
                16 << 1 | 1, 3, 44,
                (6 << 1) << 1, "custom", 8, 2, 18 << 1 | 1, 5, 8, "root", (1 << 1) << 1, "x", 3, 2);

        Event decoded = codec.decode(frozen);

        assertThat(decoded).isEqualTo(Event.builder()
                .timestamp(Instant.ofEpochSecond(1, 2))
                .message("m")
                .field("log.file.path", "/var/log/auth.log")
                .field("source.port", 22L)
                .field("custom", Map.of("user.name", "root", "x", 1L))
                .build());
        assertThat(decoded.fields().keySet()).containsExactly("log.file.path", "source.port", "custom");
        assertThat(codec.names().size()).as("decoding learns nothing").isZero();
    }

    @Test
    void spellsOutNamesTooLongToLearn()
    {
        String longName = "n".repeat(FieldNames.MAX_NAME_LENGTH + 1);
        Event event = Event.builder().timestamp(Instant.EPOCH).message("").field(longName, 1L).field("short", 2L).build();

        byte[] encoded = codec.encode(event);

        assertThat(indexOf(encoded, longName.getBytes(StandardCharsets.UTF_8))).isPositive();
        assertThat(codec.names().unstored().names()).containsExactly("short");
        assertThat(roundTrip(event)).isEqualTo(event);
    }

    @Test
    void roundTripsNamesOfEveryLengthAndSurrogateNamesWithTheDictionary()
    {
        Event.Builder builder = Event.builder().timestamp(Instant.EPOCH);
        for (int length : List.of(1, 30, 31, 32, 63, 64, 65, 200)) {
            builder.field("n".repeat(length), (long) length);
        }
        builder.field("lone \ud800 name", "v");
        builder.field("event.action", "auth.login_failed");
        Event event = builder.build();

        Event decoded = roundTrip(event);

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.fields().keySet()).containsExactlyElementsOf(event.fields().keySet());
    }

    @Test
    void decodesThePayloadsOfTheFirstBinaryFormat()
    {
        // format 0x01, as buffers and dead letters from before the name dictionary hold it: every name spelled out
        byte[] legacy = bytes(
                0x01, 2, 2, 2, 'm', 3,
                13 << 1, "log.file.path", 5, 34, "/var/log/auth.log",
                11 << 1, "source.port", 3, 44,
                6 << 1, "custom", 8, 1, 9 << 1, "user.name", 5, 8, "root");

        Event decoded = codec.decode(legacy);

        assertThat(decoded).isEqualTo(Event.builder()
                .timestamp(Instant.ofEpochSecond(1, 2))
                .message("m")
                .field("log.file.path", "/var/log/auth.log")
                .field("source.port", 22L)
                .field("custom", Map.of("user.name", "root"))
                .build());
        assertThat(decoded.fields().keySet()).containsExactly("log.file.path", "source.port", "custom");
    }

    @Test
    void refusesNamesBeyondTheDictionary()
    {
        byte[] unknown = bytes(0x02, 0, 0, 0, 1, 60 << 1 | 1, 0);

        assertThatThrownBy(() -> codec.decode(unknown))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("buffered event cannot be decoded: name 60 is not in the dictionary");
    }

    @Test
    void decodesTheJsonPayloadsOfEarlierBuffers()
    {
        // exactly what the JSON codec of earlier versions wrote; such rows and dead letters outlive an upgrade
        String legacy = "{\"s\":1795428930,\"n\":123000000,\"m\":\"Failed password for root\",\"f\":{\"source.ip\":\"198.51.100.9\","
                + "\"source.port\":52111,\"ratio\":0.25,\"exact\":1.10,\"big\":123456789012345678901234567890,\"ok\":false,"
                + "\"tags\":[\"ssh\",null],\"labels\":{\"k\":\"v\"}}}";

        Event decoded = codec.decode(legacy.getBytes(StandardCharsets.UTF_8));

        assertThat(decoded).isEqualTo(Event.builder()
                .timestamp(Instant.ofEpochSecond(1795428930, 123000000))
                .message("Failed password for root")
                .field("source.ip", "198.51.100.9")
                .field("source.port", 52111L)
                .field("ratio", 0.25)
                .field("exact", new BigDecimal("1.10"))
                .field("big", new BigInteger("123456789012345678901234567890"))
                .field("ok", false)
                .field("tags", java.util.Arrays.asList("ssh", null))
                .field("labels", Map.of("k", "v"))
                .build());
    }

    @Test
    void keepsNonFiniteDoublesAndOtherNumberTypes()
    {
        Event event = Event.builder()
                .timestamp(Instant.EPOCH)
                .field("nan", Double.NaN)
                .field("infinity", Double.NEGATIVE_INFINITY)
                .field("atomic", new java.util.concurrent.atomic.AtomicLong(-17))
                .field("decimal_text", new BigDecimal("2.5"))
                .build();

        Event decoded = roundTrip(event);

        assertThat(decoded.fields()).containsExactly(
                Map.entry("nan", Double.NaN),
                Map.entry("infinity", Double.NEGATIVE_INFINITY),
                Map.entry("atomic", -17L),
                // a BigDecimal stays one even when a double would print the same digits
                Map.entry("decimal_text", new BigDecimal("2.5")));
    }

    @Test
    void roundTripsLongStringsWhoseLengthPrefixIsShorterThanReserved()
    {
        for (int length : List.of(0, 1, 42, 43, 127, 128, 5_000, 16_384, 200_000)) {
            String ascii = "a".repeat(length);
            String mixed = "\u00e9\u65e5".repeat(length / 2 + 1);
            Event event = Event.builder().timestamp(Instant.EPOCH).message(ascii).field("mixed", mixed).build();
            assertThat(roundTrip(event)).as("length %d", length).isEqualTo(event);
        }
    }

    @Test
    void roundTripsQuestionMarksAndLoneSurrogatesAtEveryPositionOfLongAsciiStrings()
    {
        // a lone surrogate becomes '?' in the JDK's UTF-8: the copy of ASCII strings must tell the two apart
        for (int length = 15; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (char odd : new char[] {'?', '\ud800', '\udfff'}) {
                    char[] chars = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".substring(0, length).toCharArray();
                    chars[at] = odd;
                    String value = new String(chars);
                    Event event = Event.builder().timestamp(Instant.EPOCH).message(value).field("v", value).build();
                    Event decoded = roundTrip(event);
                    assertThat(decoded.message()).as("%d at %d", (int) odd, at).isEqualTo(value);
                    assertThat(decoded).isEqualTo(event);
                }
            }
        }
        String ascii = "Accepted publickey for alice from 203.0.113.7 port 52111 ssh2";
        byte[] encoded = codec.encode(Event.of(Instant.EPOCH, ascii));
        assertThat(Arrays.copyOfRange(encoded, 4, encoded.length - 1)).isEqualTo(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void writesStringsAsTheirUtf8BytesAfterTheirLengthWhateverTheirCharactersAndLength()
    {
        // U+0141 and U+4E41 end in the byte of an ASCII letter: a string of them must not pass for ASCII; strings
        // around the bulk copy's limit, and Latin-1 ones, are written as all others
        for (int length : List.of(1, 63, 64, 127, 128, 255, 256, 257, 16_383, 16_384, 16_385, 40_000)) {
            for (char odd : new char[] {0, 'a', '\u007f', '\u0080', '\u00e9', '\u00ff', '\u0141', '\u4e41'}) {
                for (int at : new int[] {0, length / 2, length - 1}) {
                    char[] chars = "x".repeat(length).toCharArray();
                    chars[at] = odd;
                    String value = new String(chars);
                    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                    byte[] encoded = codec.encode(Event.of(Instant.EPOCH, value));

                    // the format byte, seconds 0, nanos 0, the string's header (UTF-8 length, shifted), its bytes, 0 fields
                    BinaryEventWriter expected = new BinaryEventWriter();
                    expected.put(BinaryFormat.FORMAT_LEARNED_NAMES);
                    expected.putVarLong(0);
                    expected.putVarLong(0);
                    expected.putVarLong((long) utf8.length << 1);
                    for (byte b : utf8) {
                        expected.put(b);
                    }
                    expected.putVarLong(0);
                    assertThat(encoded).as("length %d, U+%04X at %d", length, (int) odd, at).isEqualTo(expected.toByteArray());
                }
            }
        }
    }

    @Test
    void encodesABatchAsTheBlocksOfItsPayloadsSplitByEventsAndBytes()
    {
        // prefixes of one, two and three bytes (payloads below 128 bytes, below 16 KiB, above), strings with and without
        // non-ASCII characters, and blocks closed by the event count and by the bytes: the blocks hold exactly the
        // payloads encode() makes, each after its length, split where blockEnd splits the list of payloads
        List<Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < 2_300; i++) {
            String message = switch (i % 4) {
                case 0 -> "m" + i;
                case 1 -> "Failed password for invalid user admin from 203.0.113." + (i % 250) + " port " + (40_000 + i) + " ssh2";
                case 2 -> "caf\u00e9 \u65e5\u672c " + i;
                default -> "x".repeat(20_000 + i);
            };
            events.add(Event.builder().timestamp(Instant.ofEpochSecond(1_700_000_000L + i, i)).message(message)
                    .field("log.offset", (long) i).field("user.name", "\ud83d\ude00 bob").build());
        }
        for (int i = 0; i < 60; i++) {
            events.add(Event.builder().timestamp(Instant.EPOCH).message("y".repeat(100_000)).build());
        }
        List<byte[]> payloads = events.stream().map(codec::encode).toList();

        EncodedBlocks blocks = codec.encodeBlocks(events);

        List<byte[]> expected = new java.util.ArrayList<>();
        List<Integer> counts = new java.util.ArrayList<>();
        for (int from = 0; from < payloads.size(); ) {
            int to = BlockPayload.blockEnd(payloads, from);
            expected.add(BlockPayload.join(payloads, from, to));
            counts.add(to - from);
            from = to;
        }
        assertThat(blocks.blocks()).hasSize(expected.size()).hasSizeGreaterThan(3);
        for (int i = 0; i < expected.size(); i++) {
            EncodedBlocks.Block block = blocks.blocks().get(i);
            assertThat(BlockCompression.decompress(block.payload(), block.codec())).as("block %d", i).isEqualTo(expected.get(i));
            assertThat(blocks.blocks().get(i).events()).as("block %d", i).isEqualTo(counts.get(i));
        }
        assertThat(blocks.events()).isEqualTo(events.size());
        assertThat(blocks.bytes()).isEqualTo(payloads.stream().mapToLong(payload -> payload.length).sum());
        assertThat(codec.encodeBlocks(List.of()).blocks()).isEmpty();
    }

    @Test
    void namesKeepTheIdsOfTheirOwnBufferWhenOneThreadWritesForTwo()
    {
        EventCodec other = EventCodec.standalone();
        Event both = Event.builder().timestamp(Instant.EPOCH).message("m").field("a", 1L).field("b", 2L).build();
        Event onlyB = Event.builder().timestamp(Instant.EPOCH).message("m").field("b", 3L).build();

        codec.encode(both);
        byte[] encoded = other.encode(onlyB);

        // "b" is 1 in the first codec's names and 0 in the other's: the other's payload must say 0
        assertThat(encoded).isEqualTo(bytes(0x03, 0, 0, 2, 'm', 1, 0 << 1 | 1, 3, 6));
        assertThat(other.decode(encoded)).isEqualTo(onlyB);
        assertThat(codec.decode(codec.encode(onlyB))).isEqualTo(onlyB);
    }

    @Test
    void writesOneJsonLineForPeople()
    {
        Event event = Event.builder()
                .timestamp(Instant.parse("2026-11-23T10:15:30.5Z"))
                .message("Failed password for root")
                .field("source.ip", "198.51.100.9")
                .field("attempts", 3L)
                .field("tags", List.of("ssh"))
                .build();

        assertThat(EventCodec.toJsonLine(event))
                .isEqualTo("{\"@timestamp\":\"2026-11-23T10:15:30.500Z\",\"message\":\"Failed password for root\",\"source.ip\":\"198.51.100.9\",\"attempts\":3,\"tags\":[\"ssh\"]}");
    }

    /** A plugin author's Number whose text was "seven" made outrider parse print invalid JSON; NaN was "NaN" there and null in http. */
    @Test
    void numbersJsonCannotCarryAreWrittenAsTheOutputsWriteThem()
    {
        Number seven = new Number()
        {
            @Override
            public int intValue()
            {
                return 7;
            }

            @Override
            public long longValue()
            {
                return 7;
            }

            @Override
            public float floatValue()
            {
                return 7;
            }

            @Override
            public double doubleValue()
            {
                return 7;
            }

            @Override
            public String toString()
            {
                return "seven";
            }
        };
        Event event = Event.builder().timestamp(Instant.parse("2026-11-23T10:15:30Z")).message("m")
                .field("custom", seven).field("nan", Double.NaN).field("infinite", Float.POSITIVE_INFINITY)
                .field("atomic", new java.util.concurrent.atomic.AtomicLong(5)).build();

        assertThat(EventCodec.toJsonLine(event)).isEqualTo("{\"@timestamp\":\"2026-11-23T10:15:30Z\",\"message\":\"m\",\"custom\":\"seven\",\"nan\":null,"
                + "\"infinite\":null,\"atomic\":5}");
    }

    private static int indexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    /** Bytes from numbers below 128 (one byte each) and ASCII strings (their characters). */
    private static byte[] bytes(Object... parts)
    {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String) {
                out.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
            }
            else {
                int value = part instanceof Character ? (Character) part : (Integer) part;
                assertThat(value).isBetween(0, 127);
                out.write(value);
            }
        }
        return out.toByteArray();
    }

    private Event roundTrip(Event event)
    {
        return codec.decode(codec.encode(event));
    }
}
