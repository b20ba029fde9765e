package io.outrider.plugin.syslog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer against the plain rules of {@link SyslogText} and {@link String#getBytes}, over random and worst-case text. */
class TestSyslogWriter
{
    private static final int RANDOM_STRINGS = 20_000;

    @Test
    void writesTextAsItsEscapedUtf8Bytes()
    {
        RandomEvents random = new RandomEvents(1);
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            String text = random.text();
            boolean escapeLineBreaks = random.random().nextBoolean();

            SyslogWriter out = new SyslogWriter(16);
            out.text(text, escapeLineBreaks);

            assertThat(out.toByteArray()).as("%s", text).isEqualTo((escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void writesParamValuesAsTheirEscapedUtf8Bytes()
    {
        RandomEvents random = new RandomEvents(2);
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            String text = random.text();
            boolean escapeLineBreaks = random.random().nextBoolean();

            SyslogWriter out = new SyslogWriter(16);
            out.paramValue(text, escapeLineBreaks);

            StringBuilder expected = new StringBuilder();
            SyslogText.appendParamValue(expected, escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text);
            assertThat(out.toByteArray()).as("%s", text).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void copiesUtf8BytesEscapingLineBreaks()
    {
        RandomEvents random = new RandomEvents(3);
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            String text = random.text();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            boolean escapeLineBreaks = random.random().nextBoolean();

            SyslogWriter out = new SyslogWriter(16);
            out.utf8(bytes, 0, bytes.length, escapeLineBreaks);

            String decoded = new String(bytes, StandardCharsets.UTF_8);
            assertThat(out.toByteArray()).as("%s", text).isEqualTo((escapeLineBreaks ? SyslogText.escapeLineBreaks(decoded) : decoded).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void writesWellFormedParamValueBytesAsTheirString()
    {
        // the bytes sit at a random place among others that need escaping, so that the eight-byte steps start anywhere
        RandomEvents random = new RandomEvents(7);
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            String text = random.text();
            byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
            int before = random.random().nextInt(9);
            byte[] source = new byte[before + encoded.length + random.random().nextInt(9)];
            Arrays.fill(source, (byte) ']');
            System.arraycopy(encoded, 0, source, before, encoded.length);
            boolean escapeLineBreaks = random.random().nextBoolean();

            SyslogWriter out = new SyslogWriter(16);
            boolean written = out.paramValueUtf8(source, before, encoded.length, escapeLineBreaks);

            // getBytes made a lone surrogate '?': the bytes are well-formed whatever the text
            SyslogWriter expected = new SyslogWriter(16);
            expected.paramValue(new String(encoded, StandardCharsets.UTF_8), escapeLineBreaks);
            assertThat(written).as("%s", text).isTrue();
            assertThat(out.toByteArray()).as("%s", text).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void findsEveryByteToEscapeWhereverItIs()
    {
        for (String special : List.of("\"", "\\", "]", "\r", "\n", "é")) {
            for (int at = 0; at < 20; at++) {
                for (int after : new int[] {0, 1, 7, 8, 9}) {
                    String text = "a".repeat(at) + special + "b".repeat(after);
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    for (boolean escapeLineBreaks : new boolean[] {false, true}) {
                        SyslogWriter fromBytes = new SyslogWriter(16);
                        assertThat(fromBytes.paramValueUtf8(bytes, 0, bytes.length, escapeLineBreaks)).isTrue();
                        StringBuilder expected = new StringBuilder();
                        SyslogText.appendParamValue(expected, escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text);
                        assertThat(new String(fromBytes.toByteArray(), StandardCharsets.UTF_8)).as("%s", text).isEqualTo(expected.toString());

                        SyslogWriter message = new SyslogWriter(16);
                        message.utf8(bytes, 0, bytes.length, escapeLineBreaks);
                        assertThat(new String(message.toByteArray(), StandardCharsets.UTF_8)).as("%s", text)
                                .isEqualTo(escapeLineBreaks ? SyslogText.escapeLineBreaks(text) : text);
                    }
                }
            }
        }
    }

    @Test
    void refusesMalformedParamValueBytes()
    {
        byte[] malformed = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', (byte) 0xC3, ']', 'x'};

        SyslogWriter out = new SyslogWriter(16);

        assertThat(out.paramValueUtf8(malformed, 0, malformed.length, false)).isFalse();
        assertThat(out.size()).isZero();
    }

    @Test
    void writesPrintableAsciiAsTheTextRulesDo()
    {
        RandomEvents random = new RandomEvents(4);
        List<String> forbiddens = List.of("", "=]\"", ":[]", "[]");
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            String text = random.random().nextInt(50) == 0 ? null : random.text();
            int maxLength = 1 + random.random().nextInt(random.random().nextBoolean() ? 8 : 300);
            String forbidden = forbiddens.get(random.random().nextInt(forbiddens.size()));

            SyslogWriter out = new SyslogWriter(16);
            out.printableAscii(text, maxLength, SyslogWriter.printableAsciiExcept(forbidden));

            assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).as("%s", text).isEqualTo(SyslogText.printableAscii(text, maxLength, forbidden));
        }
    }

    @Test
    void writesNumbersAsLongToStringDoes()
    {
        RandomEvents random = new RandomEvents(5);
        long[] edges = {0, -1, 9, 10, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (long value : edges) {
            assertThat(decimal(value)).isEqualTo(Long.toString(value));
        }
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            long value = random.random().nextLong() >> random.random().nextInt(64);
            assertThat(decimal(value)).isEqualTo(Long.toString(value));
        }
    }

    @Test
    void truncatesAsTheTextRulesDo()
    {
        RandomEvents random = new RandomEvents(6);
        for (int i = 0; i < RANDOM_STRINGS; i++) {
            byte[] prefix = random.text().getBytes(StandardCharsets.UTF_8);
            byte[] text = random.text().getBytes(StandardCharsets.UTF_8);
            int maxBytes = random.random().nextInt(text.length + 5) - 2;

            SyslogWriter out = new SyslogWriter(16);
            out.bytes(prefix);
            out.bytes(text);
            out.truncateUtf8(prefix.length, maxBytes);

            byte[] written = out.toByteArray();
            assertThat(Arrays.copyOf(written, prefix.length)).isEqualTo(prefix);
            assertThat(Arrays.copyOfRange(written, prefix.length, written.length)).isEqualTo(SyslogText.truncateUtf8(text, maxBytes));
        }
    }

    @Test
    void makesRoomForTheLongestEncodingOfEveryCharacter()
    {
        // the writer reserves room a chunk at a time: text made only of the characters that grow most must still fit
        for (String worst : List.of("\r", "\n", "😀", "€", "\ud83d", "]", "\"")) {
            for (int count : new int[] {1, 1023, 1024, 1025, 5000}) {
                String text = worst.repeat(count);
                SyslogWriter escaped = new SyslogWriter(16);
                escaped.paramValue(text, true);
                StringBuilder expected = new StringBuilder();
                SyslogText.appendParamValue(expected, SyslogText.escapeLineBreaks(text));
                assertThat(escaped.toByteArray()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));

                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                SyslogWriter copied = new SyslogWriter(16);
                copied.utf8(bytes, 0, bytes.length, true);
                assertThat(copied.toByteArray()).isEqualTo(SyslogText.escapeLineBreaks(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String decimal(long value)
    {
        SyslogWriter out = new SyslogWriter(16);
        out.decimal(value);
        return new String(out.toByteArray(), StandardCharsets.US_ASCII);
    }
}
