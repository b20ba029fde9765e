package io.outrider.plugin.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The output's own OTLP writers against protobuf's: for the same batch, {@link ProtobufLogsWriter}'s bytes equal the
 * official classes' {@code toByteArray()} of the request {@link ReferenceMapper} builds, and {@link JsonLogsWriter}'s
 * text equals {@link ReferenceJson}'s print of it; {@link ProtobufReader} reads what the official classes write.
 */
class TestOtlpEncoding
{
    private static final Instant OBSERVED = Instant.parse("2026-03-01T12:00:00.123456789Z");
    private static final Map<String, String> EXTRA = Map.of("deployment.environment.name", "prod", "host.name", "not this one");

    private final LogRecordMapper mapper = new LogRecordMapper("agent-host", "outrider", "1.2.3", EXTRA);
    private final ReferenceMapper reference = new ReferenceMapper("agent-host", "outrider", "1.2.3", EXTRA);

    @Test
    void everyKindOfValueIsEncodedAsProtobufEncodesIt()
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("empty list", List.of());
        nested.put("empty map", Map.of());
        nested.put("", "an empty key");
        nested.put("deeper", Map.of("list", Arrays.asList(null, List.of(1, 2), Map.of("k", false))));
        List<Event> batch = List.of(
                TestOtlpOutput.sshdFailure(),
                Event.builder().timestamp(Instant.parse("1960-01-01T00:00:00Z")).message("")
                        .field("empty", "")
                        .field("null", null)
                        .field("false", false)
                        .field("true", true)
                        .field("zero", 0)
                        .field("negative", -1L)
                        .field("min", Long.MIN_VALUE)
                        .field("short", (short) 7)
                        .field("double", -0.0)
                        .field("float", 1.5f)
                        .field("nan", Double.NaN)
                        .field("decimal", new BigDecimal("1e400"))
                        .field("big", new BigInteger("-123456789012345678901234567890"))
                        .field("fits", new BigInteger("9223372036854775807"))
                        .field("atomic", new java.util.concurrent.atomic.AtomicLong(5))
                        .field("text", "é 😀 \u2028 \ud800 unpaired")
                        .field("map", nested)
                        .field(Fields.LOG_SYSLOG_PRIORITY, "13")
                        .build(),
                Event.builder().timestamp(Instant.parse("2300-01-01T00:00:00Z")).message("far future").field(Fields.HOST_NAME, "").build(),
                Event.builder().timestamp(Instant.ofEpochSecond(1)).message("other host").field(Fields.HOST_NAME, "web-2")
                        .field(Fields.EVENT_OUTCOME, Fields.OUTCOME_SUCCESS).build());

        assertSameAsProtobuf(batch);
    }

    @Test
    void messagesOfEveryLengthClassAreFramedAsProtobufFramesThem()
    {
        // lengths around 2^7, 2^14 and 2^21 bytes: the length prefixes of one, two, three and four bytes
        List<Event> batch = new ArrayList<>();
        for (int length : new int[] {0, 1, 100, 126, 127, 128, 129, 16_000, 16_383, 16_384, 16_385, 2_097_200}) {
            batch.add(Event.builder().timestamp(OBSERVED).message("x".repeat(length)).field("copy", "y".repeat(length / 2)).build());
        }
        assertSameAsProtobuf(batch);
    }

    @Test
    void randomBatchesAreEncodedAsProtobufEncodesThem()
    {
        Random random = new Random(20261206);
        for (int round = 0; round < 50; round++) {
            List<Event> batch = new ArrayList<>();
            int size = random.nextInt(40);
            for (int i = 0; i < size; i++) {
                Event.Builder event = Event.builder()
                        .timestamp(Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)))
                        .message(text(random));
                int fields = random.nextInt(12);
                for (int f = 0; f < fields; f++) {
                    event.field(random.nextInt(8) == 0 ? Fields.HOST_NAME : "field." + random.nextInt(20), value(random, 3));
                }
                batch.add(event.build());
            }
            assertSameAsProtobuf(batch);
        }
    }

    @Test
    void anEmptyBatchIsAnEmptyRequest()
    {
        assertThat(mapper.write(List.of(), OBSERVED, new ProtobufLogsWriter(0)).toByteArray()).isEmpty();
        assertThat(new String(mapper.write(List.of(), OBSERVED, new JsonLogsWriter(0)).toByteArray(), StandardCharsets.UTF_8)).isEqualTo("{\"resourceLogs\":[]}");
    }

    @Test
    void theReaderFindsPartialSuccessAndStatusFieldsAsProtobufWritesThem()
            throws Exception
    {
        byte[] response = ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(3).setErrorMessage("too big é"))
                .build()
                .toByteArray();
        // unknown fields of every wire type around it, and the message merged from two occurrences
        byte[] withUnknown = UnknownFieldSet.newBuilder()
                .addField(7, UnknownFieldSet.Field.newBuilder().addFixed32(1).addFixed64(2).addVarint(-1).build())
                .build().toByteArray();
        byte[] secondOccurrence = ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(4))
                .build().toByteArray();
        byte[] body = concat(withUnknown, response, secondOccurrence);

        byte[] partial = ProtobufReader.message(body, 1);
        assertThat(ProtobufReader.varint(partial, 1, 0)).isEqualTo(4);
        assertThat(ProtobufReader.string(partial, 2)).isEqualTo("too big é");
        assertThat(ProtobufReader.message(new byte[0], 1)).isEmpty();

        byte[] status = UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(3).build())
                .addField(2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("bad record")).build())
                .build().toByteArray();
        assertThat(ProtobufReader.string(status, 2)).isEqualTo("bad record");
        assertThat(ProtobufReader.varint(status, 1, -1)).isEqualTo(3);
        assertThat(ProtobufReader.varint(status, 9, -1)).isEqualTo(-1);
    }

    @Test
    void theReaderRefusesWhatIsNotAProtobufMessage()
    {
        assertThatThrownBy(() -> ProtobufReader.string(new byte[] {0x12, 0x05, 'a'}, 2)).isInstanceOf(ProtobufReader.MalformedException.class);
        assertThatThrownBy(() -> ProtobufReader.string(new byte[] {0x08}, 1)).isInstanceOf(ProtobufReader.MalformedException.class);
        assertThatThrownBy(() -> ProtobufReader.string(new byte[] {0x00, 0x01}, 1)).isInstanceOf(ProtobufReader.MalformedException.class);
        assertThatThrownBy(() -> ProtobufReader.string(new byte[] {0x0b}, 1)).as("a group").isInstanceOf(ProtobufReader.MalformedException.class);
        assertThatThrownBy(() -> ProtobufReader.string("<html>".getBytes(StandardCharsets.UTF_8), 1)).isInstanceOf(ProtobufReader.MalformedException.class);
        byte[] overlong = new byte[11];
        Arrays.fill(overlong, (byte) 0x80);
        overlong[0] = 0x08;
        assertThatThrownBy(() -> ProtobufReader.varint(overlong, 1, 0)).isInstanceOf(ProtobufReader.MalformedException.class);
    }

    private void assertSameAsProtobuf(List<Event> batch)
    {
        ExportLogsServiceRequest expected = reference.toRequest(batch, OBSERVED);
        assertThat(mapper.write(batch, OBSERVED, new ProtobufLogsWriter(16)).toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(new String(mapper.write(batch, OBSERVED, new JsonLogsWriter(16)).toByteArray(), StandardCharsets.UTF_8)).isEqualTo(ReferenceJson.print(expected));
    }

    private static Object value(Random random, int depth)
    {
        int kind = random.nextInt(depth > 0 ? 11 : 9);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong() >> random.nextInt(64);
            case 3 -> random.nextInt(1000);
            case 4 -> random.nextDouble() * 1e6 - 5e5;
            case 5 -> new BigInteger(96, random).subtract(BigInteger.ONE.shiftLeft(95));
            case 6 -> new java.util.concurrent.atomic.AtomicInteger(random.nextInt());
            case 7, 8 -> text(random);
            case 9 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(value(random, depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(text(random), value(random, depth - 1));
                }
                yield map;
            }
        };
    }

    private static String text(Random random)
    {
        int length = random.nextInt(8) == 0 ? random.nextInt(400) : random.nextInt(30);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(20);
            text.append(pick == 0 ? (char) (0x80 + random.nextInt(0x700)) : pick == 1 ? "😀" : pick == 2 ? "\"\\\n" : String.valueOf((char) (0x20 + random.nextInt(0x5f))));
        }
        return text.toString();
    }

    private static byte[] concat(byte[]... parts)
    {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
