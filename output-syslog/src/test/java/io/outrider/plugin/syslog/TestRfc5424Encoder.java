package io.outrider.plugin.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRfc5424Encoder
{
    private static final Instant TIME = Instant.parse("2026-11-23T10:53:59.123456789Z");

    private final AtomicInteger truncations = new AtomicInteger();

    @Test
    void encodesFailedLoginByteForByte()
            throws Exception
    {
        Event event = Event.builder()
                .timestamp(TIME)
                .message("Failed password for root from 10.0.0.1 port 22 ssh2")
                .field(Fields.HOST_NAME, "web-01")
                .field(Fields.PROCESS_NAME, "sshd")
                .field(Fields.PROCESS_PID, 4242L)
                .field(Fields.EVENT_ACTION, "auth.login_failed")
                .field(Fields.EVENT_OUTCOME, "failure")
                .field(Fields.SOURCE_IP, "10.0.0.1")
                .build();

        // authpriv (10) * 8 + warning (4) = 84
        assertThat(encode(encoder(), event)).isEqualTo("<84>1 2026-11-23T10:53:59.123456Z web-01 sshd 4242 auth.login_failed "
                + "[outrider@32473 host.name=\"web-01\" process.name=\"sshd\" process.pid=\"4242\" event.action=\"auth.login_failed\" "
                + "event.outcome=\"failure\" source.ip=\"10.0.0.1\"] Failed password for root from 10.0.0.1 port 22 ssh2");
    }

    @Test
    void theHostALineNamesIsTheHostnameOfARelayedMessage()
            throws Exception
    {
        // a central syslog server's file: the line names web-01, the agent runs on loghost
        Event event = Event.builder().timestamp(TIME).message("m").field(Fields.HOST_NAME, "loghost").field(Fields.LOG_SYSLOG_HOSTNAME, "web-01").build();
        Event local = Event.builder().timestamp(TIME).message("m").field(Fields.HOST_NAME, "loghost").field(Fields.LOG_SYSLOG_HOSTNAME, " ").build();
        Rfc5424Encoder encoder = encoder(Optional.of(List.of()), 2048, false);

        assertThat(encode(encoder, event)).isEqualTo("<14>1 2026-11-23T10:53:59.123456Z web-01 outrider - - - m");
        assertThat(encode(encoder, local)).isEqualTo("<14>1 2026-11-23T10:53:59.123456Z loghost outrider - - - m");
        SyslogWriter out = new SyslogWriter(16);
        encoder.encode(List.of(event), 0, out);
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("<14>1 2026-11-23T10:53:59.123456Z web-01 outrider - - - m");
    }

    @Test
    void usesNilValuesAndDefaultsForABareEvent()
            throws Exception
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-01-02T03:04:05Z")).build();

        assertThat(encode(encoder(), event)).isEqualTo("<14>1 2026-01-02T03:04:05.000000Z agent-host outrider - - -");
    }

    @Test
    void escapesParamValuesAndMapsParamNames()
            throws Exception
    {
        Event event = Event.builder()
                .timestamp(TIME)
                .message("m")
                .field("quote", "a\"b\\c]d")
                .field("odd name=x]\"y", "v")
                .field("a.very.long.field.name.that.goes.on.and.on", 1.5)
                .field("list", List.of("x", 2L))
                .field("map", Map.of("k", true))
                .field("unicode", "héllo ✓")
                .build();

        assertThat(new String(encoder().encode(event), StandardCharsets.UTF_8)).isEqualTo("<14>1 2026-11-23T10:53:59.123456Z agent-host outrider - - "
                + "[outrider@32473 quote=\"a\\\"b\\\\c\\]d\" odd_name_x__y=\"v\" a.very.long.field.name.that.goes=\"1.5\" "
                + "list=\"[\\\"x\\\",2\\]\" map=\"{\\\"k\\\":true}\" unicode=\"héllo ✓\"] m");
    }

    @Test
    void writesOnlySelectedFieldsInTheirOrder()
            throws Exception
    {
        Event event = Event.builder().timestamp(TIME).message("m")
                .field(Fields.USER_NAME, "root").field(Fields.SOURCE_IP, "10.0.0.1").field("other", "x").build();

        assertThat(encode(encoder(Optional.of(List.of(Fields.SOURCE_IP, "absent", Fields.USER_NAME)), 2048, false), event))
                .endsWith(" - [outrider@32473 source.ip=\"10.0.0.1\" user.name=\"root\"] m");
        assertThat(encode(encoder(Optional.of(List.of()), 2048, false), event)).endsWith(" - - m");
    }

    @Test
    void sanitisesHeaderFields()
            throws Exception
    {
        Event event = Event.builder().timestamp(TIME).message("m")
                .field(Fields.HOST_NAME, "my host")
                .field(Fields.PROCESS_NAME, "my app\u00e9")
                .field(Fields.PROCESS_PID, "12 34")
                .field(Fields.EVENT_ACTION, "user login:failed/é and a very long tail beyond thirty-two")
                .build();

        assertThat(encode(encoder(Optional.of(List.of()), 2048, false), event))
                .isEqualTo("<14>1 2026-11-23T10:53:59.123456Z my_host my_app_ 12_34 user_login:failed/__and_a_very_l - m");
    }

    @Test
    void sendsTimestampsBeyondFourDigitYearsAsNil()
            throws Exception
    {
        Event event = Event.builder().timestamp(Instant.parse("+10000-01-01T00:00:00Z")).message("m").build();

        assertThat(encode(encoder(), event)).isEqualTo("<14>1 - agent-host outrider - - - m");
    }

    @Test
    void writesEveryTimestampAsTheFormatterDoesAlsoWithinOneSecond()
            throws Exception
    {
        // the encoder keeps the text of the last second: same-second runs, jumps back, and the range's ends
        java.time.format.DateTimeFormatter reference = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(5424);
        List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_000), Instant.ofEpochSecond(1_780_000_000, 1_000)));
        for (int i = 0; i < 2_000; i++) {
            long second = random.nextInt(4) == 0 ? 1_780_000_000L : random.nextLong(-62_000_000_000L, 253_000_000_000L);
            instants.add(Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)));
        }
        Rfc5424Encoder encoder = encoder();
        for (Instant instant : instants) {
            Event event = Event.builder().timestamp(instant).message("m").build();
            assertThat(encode(encoder, event)).isEqualTo("<14>1 " + reference.format(instant) + " agent-host outrider - - - m");
        }
    }

    @Test
    void escapesLineBreaksForLfFraming()
            throws Exception
    {
        Event event = Event.builder().timestamp(TIME).message("line one\r\nline two\n").field("f", "a\nb").build();

        assertThat(encode(encoder(Optional.empty(), 2048, true), event))
                .endsWith(" - [outrider@32473 f=\"a#012b\"] line one#015#012line two#012");
        assertThat(encode(encoder(Optional.empty(), 2048, false), event))
                .endsWith(" - [outrider@32473 f=\"a\nb\"] line one\r\nline two\n");
    }

    @Test
    void truncatesTheMessageAtACharacterBoundary()
            throws Exception
    {
        Event event = Event.builder().timestamp(TIME).message("€".repeat(400)).build();
        String header = "<14>1 2026-11-23T10:53:59.123456Z agent-host outrider - - - ";

        byte[] encoded = encoder(Optional.empty(), 500, false).encode(event);

        // 500 - 61 header bytes = 439 bytes of room: 146 three-byte characters (438 bytes), never half of the 147th
        assertThat(encoded.length).isEqualTo(header.length() + 146 * 3);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(header + "€".repeat(146));
        assertThat(truncations.get()).isEqualTo(1);
    }

    @Test
    void dropsStructuredDataThatDoesNotFit()
            throws Exception
    {
        Event event = Event.builder().timestamp(TIME).message("short").field("big", "x".repeat(600)).build();

        assertThat(encode(encoder(Optional.empty(), 500, false), event))
                .isEqualTo("<14>1 2026-11-23T10:53:59.123456Z agent-host outrider - - - short");
        assertThat(truncations.get()).isEqualTo(1);
    }

    @Test
    void rejectsAnEventWhoseHeaderAloneIsTooLong()
    {
        Event event = Event.builder().timestamp(TIME).message("m")
                .field(Fields.HOST_NAME, "h".repeat(255)).field(Fields.PROCESS_PID, "p".repeat(128)).build();

        assertThatThrownBy(() -> encoder(Optional.empty(), 400, false).encode(event))
                .isInstanceOf(UnencodableEventException.class)
                .hasMessage("the RFC 5424 header alone is 431 bytes, more than max_message_size (400 bytes)");
    }

    @Test
    void writesTheEventAsJsonWithTheCeeCookie()
            throws Exception
    {
        SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, "outrider", "agent-host",
                MessageBody.JSON, true);
        Rfc5424Encoder encoder = new Rfc5424Encoder(mapper, "outrider@32473", Optional.of(List.of()), 2048, false, truncations::incrementAndGet);
        Event event = Event.builder().timestamp(TIME).message("say \"hi\"\n").field("n", 3L).field("tags", List.of("a")).build();

        assertThat(encode(encoder, event)).isEqualTo("<14>1 2026-11-23T10:53:59.123456Z agent-host outrider - - - "
                + "@cee: {\"@timestamp\":\"2026-11-23T10:53:59.123456789Z\",\"message\":\"say \\\"hi\\\"\\n\",\"n\":3,\"tags\":[\"a\"]}");
    }

    @Test
    void cutsTheLongestValuesOfAJsonBodyThatDoesNotFitAndKeepsItJson()
            throws Exception
    {
        SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, "outrider", "agent-host",
                MessageBody.JSON, false);
        Rfc5424Encoder encoder = new Rfc5424Encoder(mapper, "outrider@32473", Optional.of(List.of()), 600, false, truncations::incrementAndGet);
        Event event = Event.builder().timestamp(TIME).message("m " + "y".repeat(300))
                .field(Fields.EVENT_ORIGINAL, "x".repeat(3000)).field(Fields.USER_NAME, "root").build();

        String encoded = encode(encoder, event);

        // both long values cut to one length, as long as the 600 bytes allow; the short one whole
        String header = "<14>1 2026-11-23T10:53:59.123456Z agent-host outrider - - - ";
        int valueBytes = (600 - (header + "{\"@timestamp\":\"2026-11-23T10:53:59.123456789Z\",\"message\":\"\",\"event.original\":\"\",\"user.name\":\"root\"}")
                .length()) / 2;
        int kept = valueBytes - "\u2026".getBytes(StandardCharsets.UTF_8).length;
        assertThat(encoded).isEqualTo(header + "{\"@timestamp\":\"2026-11-23T10:53:59.123456789Z\",\"message\":\"" + ("m " + "y".repeat(300)).substring(0, kept)
                + "\u2026\",\"event.original\":\"" + "x".repeat(kept) + "\u2026\",\"user.name\":\"root\"}");
        assertThat(encoded.getBytes(StandardCharsets.UTF_8).length).isBetween(599, 600);
        assertThat(truncations).hasValue(1);
    }

    @Test
    void cutsAJsonBodysValuesAtCharacterBoundaries()
            throws Exception
    {
        SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, "outrider", "agent-host",
                MessageBody.ECS, false);
        Rfc5424Encoder encoder = new Rfc5424Encoder(mapper, "outrider@32473", Optional.of(List.of()), 480, false, truncations::incrementAndGet);
        Event event = Event.builder().timestamp(TIME).message("").field(Fields.EVENT_ORIGINAL, "\ud83d\ude00".repeat(500)).build();

        String encoded = encode(encoder, event);

        assertThat(encoded).startsWith("<14>1 2026-11-23T10:53:59.123456Z agent-host outrider - - - {\"@timestamp\":\"2026-11-23T10:53:59.123456789Z\","
                + "\"message\":\"\",\"event\":{\"original\":\"\ud83d\ude00\ud83d\ude00").endsWith("\ud83d\ude00\u2026\"}}");
        assertThat(encoded.getBytes(StandardCharsets.UTF_8).length).isBetween(477, 480);
        assertThat(truncations).hasValue(1);
    }

    @Test
    void cutsAJsonBodyWhereTheLimitFallsWhenNoCutOfItsValuesFits()
            throws Exception
    {
        SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, "outrider", "agent-host",
                MessageBody.JSON, false);
        Rfc5424Encoder encoder = new Rfc5424Encoder(mapper, "outrider@32473", Optional.of(List.of()), 480, false, truncations::incrementAndGet);
        Event.Builder builder = Event.builder().timestamp(TIME).message("m");
        for (int i = 0; i < 40; i++) {
            builder.field("field.number." + i, (long) i);
        }

        String encoded = encode(encoder, builder.build());

        assertThat(encoded.getBytes(StandardCharsets.UTF_8)).hasSize(480);
        assertThat(encoded).startsWith("<14>1 2026-11-23T10:53:59.123456Z agent-host outrider - - - {\"@timestamp\":").doesNotEndWith("}");
        assertThat(truncations).hasValue(1);
    }

    @Test
    void writesWhatTheStraightforwardEncodingWritesForRandomEvents()
            throws Exception
    {
        // the encoder writes bytes straight from the event's strings; the reference builds strings, escapes and encodes them
        RandomEvents random = new RandomEvents(5424);
        List<Configuration> configurations = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            MessageBody body = MessageBody.values()[random.random().nextInt(MessageBody.values().length)];
            SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, random.nonEmptyText(),
                    random.nonEmptyText(), body, body != MessageBody.MESSAGE && random.random().nextBoolean());
            Optional<List<String>> sdFields = switch (random.random().nextInt(4)) {
                case 0 -> Optional.of(List.of());
                case 1 -> Optional.of(List.of(Fields.SOURCE_IP, "absent", Fields.USER_NAME, Fields.SOURCE_IP));
                default -> Optional.empty();
            };
            int maxBytes = i % 3 == 0 ? 480 + random.random().nextInt(200) : i % 3 == 1 ? 2048 : 480 + random.random().nextInt(8000);
            boolean escapeLineBreaks = random.random().nextBoolean();
            configurations.add(new Configuration(mapper, sdFields, maxBytes, escapeLineBreaks,
                    new Rfc5424Encoder(mapper, "outrider@32473", sdFields, maxBytes, escapeLineBreaks, truncations::incrementAndGet)));
        }
        SyslogWriter out = new SyslogWriter(16);
        for (int i = 0; i < 10_000; i++) {
            Configuration configuration = configurations.get(random.random().nextInt(configurations.size()));
            Event event = random.event();
            StraightforwardEncoding.Encoded expected = StraightforwardEncoding.rfc5424(configuration.mapper(), "outrider@32473", configuration.sdFields(),
                    configuration.maxBytes(), configuration.escapeLineBreaks(), event);
            // appended after what the writer holds already, as a batch's messages are
            out.reset();
            out.text(random.text(), false);
            byte[] before = out.toByteArray();
            int truncationsBefore = truncations.get();

            if (expected.rejection() != null) {
                assertThatThrownBy(() -> configuration.encoder().encode(event, out)).isInstanceOf(UnencodableEventException.class)
                        .hasMessage(expected.rejection());
                assertThat(out.toByteArray()).isEqualTo(before);
                continue;
            }
            configuration.encoder().encode(event, out);
            assertThat(java.util.Arrays.copyOfRange(out.buffer(), before.length, out.size())).as("%s", event).isEqualTo(expected.bytes());
            assertThat(java.util.Arrays.copyOf(out.buffer(), before.length)).isEqualTo(before);
            assertThat(truncations.get() - truncationsBefore).as("truncated: %s", event).isEqualTo(expected.truncated() ? 1 : 0);
        }
    }

    private record Configuration(SyslogEventMapper mapper, Optional<List<String>> sdFields, int maxBytes, boolean escapeLineBreaks, Rfc5424Encoder encoder) {}

    @Test
    void mapsPriorityFromTheEvent()
    {
        SyslogEventMapper mapper = mapper();
        assertThat(mapper.priority(event(Map.of()))).as("user.info").isEqualTo(14);
        assertThat(mapper.priority(event(Map.of(Fields.EVENT_OUTCOME, "failure")))).as("user.warning").isEqualTo(12);
        assertThat(mapper.priority(event(Map.of(Fields.EVENT_ACTION, "auth.login_failed")))).as("authpriv.warning").isEqualTo(84);
        assertThat(mapper.priority(event(Map.of(Fields.EVENT_ACTION, "auth.login_succeeded")))).as("authpriv.info").isEqualTo(86);
        assertThat(mapper.priority(event(Map.of(Fields.EVENT_CATEGORY, List.of("authentication", "session"))))).as("authpriv.info").isEqualTo(86);
        assertThat(mapper.priority(event(Map.of(Fields.LOG_SYSLOG_PRIORITY, 3L)))).as("journald PRIORITY 3: user.err").isEqualTo(11);
        assertThat(mapper.priority(event(Map.of(Fields.LOG_SYSLOG_PRIORITY, "2")))).as("journald PRIORITY as text: user.crit").isEqualTo(10);
        assertThat(mapper.priority(event(Map.of(Fields.LOG_SYSLOG_PRIORITY, 38L)))).as("an RFC PRI value: auth.info").isEqualTo(38);
        assertThat(mapper.priority(event(Map.of(Fields.LOG_SYSLOG_PRIORITY, 6L, Fields.LOG_SYSLOG_FACILITY, 3L)))).as("daemon.info").isEqualTo(30);
        assertThat(mapper.priority(event(Map.of(Fields.LOG_SYSLOG_FACILITY, "local3", Fields.EVENT_OUTCOME, "failure")))).as("local3.warning").isEqualTo(156);
        assertThat(mapper.priority(event(Map.of(Fields.LOG_SYSLOG_PRIORITY, 999L)))).as("out of range: ignored").isEqualTo(14);
    }

    private static Event event(Map<String, Object> fields)
    {
        return Event.builder().timestamp(TIME).fields(fields).build();
    }

    private static SyslogEventMapper mapper()
    {
        return new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, "outrider", "agent-host", MessageBody.MESSAGE, false);
    }

    private Rfc5424Encoder encoder()
    {
        return encoder(Optional.empty(), 2048, false);
    }

    private Rfc5424Encoder encoder(Optional<List<String>> sdFields, int maxBytes, boolean escapeLineBreaks)
    {
        return new Rfc5424Encoder(mapper(), "outrider@32473", sdFields, maxBytes, escapeLineBreaks, truncations::incrementAndGet);
    }

    private static String encode(SyslogEncoder encoder, Event event)
            throws UnencodableEventException
    {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
