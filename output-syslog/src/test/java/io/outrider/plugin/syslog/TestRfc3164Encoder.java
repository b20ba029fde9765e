package io.outrider.plugin.syslog;

import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
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
