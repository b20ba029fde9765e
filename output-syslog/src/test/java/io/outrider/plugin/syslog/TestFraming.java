package io.outrider.plugin.syslog;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestFraming
{
    @Property(tries = 300)
    void octetCountingRoundTripsAnyBytes(@ForAll @Size(max = 20) List<byte[]> messages)
            throws IOException
    {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            Framing.OCTET_COUNTING.write(message, stream);
        }

        assertThat(deframeOctetCounted(stream.toByteArray())).containsExactlyElementsOf(messages);
    }

    @Property(tries = 300)
    void lfFramingOfEscapedMessagesRoundTrips(@ForAll @Size(max = 20) List<String> texts)
            throws IOException
    {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> escaped = new ArrayList<>();
        for (String text : texts) {
            String line = SyslogText.escapeLineBreaks(text);
            escaped.add(line);
            Framing.LF.write(line.getBytes(StandardCharsets.UTF_8), stream);
        }

        String framed = stream.toString(StandardCharsets.UTF_8);
        assertThat(framed.chars().filter(c -> c == '\n').count()).isEqualTo(texts.size());
        assertThat(escaped).allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r"));
        List<String> lines = framed.isEmpty() ? List.of() : Arrays.asList(framed.substring(0, framed.length() - 1).split("\n", -1));
        assertThat(lines).containsExactlyElementsOf(escaped);
    }

    /** An RFC 6587 octet-counting reader, as a receiver implements it. */
    private static List<byte[]> deframeOctetCounted(byte[] stream)
    {
        List<byte[]> messages = new ArrayList<>();
        int position = 0;
        while (position < stream.length) {
            int length = 0;
            while (stream[position] != ' ') {
                assertThat((char) stream[position]).isBetween('0', '9');
                length = length * 10 + (stream[position++] - '0');
            }
            position++;
            messages.add(Arrays.copyOfRange(stream, position, position + length));
            position += length;
        }
        return messages;
    }
}
