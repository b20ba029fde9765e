package io.outrider.core.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outrider.spi.DeliveryResult;
import io.outrider.spi.Event;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestConsoleOutput
{
    // what an attacker can put into a log line: clear the screen, ring the bell, return to column 0 and overwrite
    private static final String HOSTILE = "Failed password for root\u001b[2J\u0007\rAccepted password for root";

    @Test
    void textFormatShowsControlCharactersAsEscapes()
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message(HOSTILE)
                .field("event.action", "login_failed").field("user.name", "ro\u009bot\u202e").build();

        String printed = deliver(ConsoleOutputFactory.Format.TEXT, event);

        assertThat(printed).isEqualTo("2026-11-23T10:00:00Z login_failed user.name=ro\\u009bot\\u202e"
                + " | Failed password for root\\u001b[2J\\u0007\\rAccepted password for root\n");
        assertThat(printed.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    }

    @Test
    void textFormatKeepsOneLinePerEventAndPrintableTextAsItIs()
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message("first\nsecond\tC:\\Users ünïcode ✓\u007f").build();

        assertThat(deliver(ConsoleOutputFactory.Format.TEXT, event))
                .isEqualTo("2026-11-23T10:00:00Z | first\\nsecond\\tC:\\Users ünïcode ✓\\u007f\n");
    }

    @Test
    void jsonFormatIsValidJsonWithTheSameTextAndNoRawControlCharacters()
            throws Exception
    {
        Event event = Event.builder().timestamp(Instant.parse("2026-11-23T10:00:00Z")).message(HOSTILE + "\u0085\u007f\u2066")
                .field("user.name", "ro\u009bot").build();

        String printed = deliver(ConsoleOutputFactory.Format.JSON, event);

        assertThat(printed).isEqualTo("{\"@timestamp\":\"2026-11-23T10:00:00Z\",\"message\":\"Failed password for root\\u001B[2J\\u0007\\rAccepted password for root"
                + "\\u0085\\u007f\\u2066\",\"user.name\":\"ro\\u009bot\"}\n");
        JsonNode parsed = new ObjectMapper().readTree(printed);
        assertThat(parsed.get("message").asText()).isEqualTo(HOSTILE + "\u0085\u007f\u2066");
        assertThat(parsed.get("user.name").asText()).isEqualTo("ro\u009bot");
    }

    private static String deliver(ConsoleOutputFactory.Format format, Event event)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ConsoleOutput output = new ConsoleOutput(new ConsoleOutputFactory.Config(format), new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            assertThat(output.deliver(List.of(event))).isEqualTo(DeliveryResult.delivered());
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
