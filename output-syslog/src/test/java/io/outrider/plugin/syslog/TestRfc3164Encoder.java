package io.outrider.plugin.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRfc3164Encoder
{
    private static final Instant TIME = Instant.parse("2026-11-03T04:05:06.789Z");

    private final AtomicInteger truncations = new AtomicInteger();

    @Test
    void encodesByteForByte()
            throws Exception
    {
        Event event = Event.builder().timestamp(TIME).message("Failed password for root from 10.0.0.1 port 22 ssh2")
                .field(Fields.HOST_NAME, "web-01").field(Fields.PROCESS_NAME, "sshd").field(Fields.PROCESS_PID, 4242L)
                .field(Fields.EVENT_ACTION, "auth.login_failed").build();

        assertThat(encode(encoder(ZoneId.of("UTC"), 1024, false), event))
                .isEqualTo("<84>Nov  3 04:05:06 web-01 sshd[4242]: Failed password for root from 10.0.0.1 port 22 ssh2");
        assertThat(encode(encoder(ZoneId.of("Asia/Tokyo"), 1024, false), event))
                .isEqualTo("<84>Nov  3 13:05:06 web-01 sshd[4242]: Failed password for root from 10.0.0.1 port 22 ssh2");
    }

    @Test
    void writesTagWithoutPidAndSanitisesIt()
            throws Exception
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-12-24T23:59:59Z")).message("ho ho\nho")
                .field(Fields.PROCESS_NAME, "my:app[x] with a name longer than thirty-two").build();

        assertThat(encode(encoder(ZoneId.of("UTC"), 1024, true), event))
                .isEqualTo("<14>Dec 24 23:59:59 agent-host my_app_x__with_a_name_longer_tha: ho ho#012ho");
    }

    @Test
    void truncatesAtACharacterBoundary()
            throws Exception
    {
        Event event = Event.builder().timestamp(TIME).message("😀".repeat(300)).build();
        String header = "<14>Nov  3 04:05:06 agent-host outrider: ";

        byte[] encoded = encoder(ZoneId.of("UTC"), 480, false).encode(event);

        // 480 - 41 header bytes = 439 bytes of room: 109 four-byte characters (436 bytes), never part of the 110th
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(header + "😀".repeat(109));
        assertThat(encoded).hasSize(477);
        assertThat(truncations.get()).isEqualTo(1);
    }

    @Test
    void rejectsAnEventWhoseHeaderAloneIsTooLong()
    {
        Event event = Event.builder().timestamp(TIME).field(Fields.HOST_NAME, "h".repeat(255)).field(Fields.PROCESS_PID, "p".repeat(128)).build();

        assertThatThrownBy(() -> encoder(ZoneId.of("UTC"), 400, false).encode(event))
                .isInstanceOf(UnencodableEventException.class)
                .hasMessage("the RFC 3164 header alone is 416 bytes, more than max_message_size (400 bytes)");
    }

    @Test
    void writesWhatTheStraightforwardEncodingWritesForRandomEvents()
            throws Exception
    {
        // the encoder keeps the text of the last second and writes bytes straight from the event's strings
        RandomEvents random = new RandomEvents(3164);
        List<ZoneId> zones = List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Tokyo"), ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"),
                ZoneId.of("Australia/Lord_Howe"), ZoneOffset.ofHoursMinutesSeconds(-3, -17, -42));
        List<Configuration> configurations = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            MessageBody body = MessageBody.values()[random.random().nextInt(MessageBody.values().length)];
            SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, random.nonEmptyText(),
                    random.nonEmptyText(), body, body != MessageBody.MESSAGE && random.random().nextBoolean());
            ZoneId zone = zones.get(i % zones.size());
            int maxBytes = i % 3 == 0 ? 480 + random.random().nextInt(200) : i % 3 == 1 ? 1024 : 480 + random.random().nextInt(8000);
            boolean escapeLineBreaks = random.random().nextBoolean();
            configurations.add(new Configuration(mapper, zone, maxBytes, escapeLineBreaks,
                    new Rfc3164Encoder(mapper, zone, maxBytes, escapeLineBreaks, truncations::incrementAndGet)));
        }
        SyslogWriter out = new SyslogWriter(16);
        for (int i = 0; i < 10_000; i++) {
            Configuration configuration = configurations.get(random.random().nextInt(configurations.size()));
            Event event = random.event();
            StraightforwardEncoding.Encoded expected = StraightforwardEncoding.rfc3164(configuration.mapper(), configuration.zone(), configuration.maxBytes(),
                    configuration.escapeLineBreaks(), event);
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
            assertThat(Arrays.copyOfRange(out.buffer(), before.length, out.size())).as("%s", event).isEqualTo(expected.bytes());
            assertThat(Arrays.copyOf(out.buffer(), before.length)).isEqualTo(before);
            assertThat(truncations.get() - truncationsBefore).as("truncated: %s", event).isEqualTo(expected.truncated() ? 1 : 0);
        }
    }

    private record Configuration(SyslogEventMapper mapper, ZoneId zone, int maxBytes, boolean escapeLineBreaks, Rfc3164Encoder encoder) {}

    private Rfc3164Encoder encoder(ZoneId zone, int maxBytes, boolean escapeLineBreaks)
    {
        SyslogEventMapper mapper = new SyslogEventMapper(Facility.USER, Facility.AUTHPRIV, Severity.INFO, Severity.WARNING, "outrider", "agent-host",
                MessageBody.MESSAGE, false);
        return new Rfc3164Encoder(mapper, zone, maxBytes, escapeLineBreaks, truncations::incrementAndGet);
    }

    private static String encode(SyslogEncoder encoder, Event event)
            throws UnencodableEventException
    {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
