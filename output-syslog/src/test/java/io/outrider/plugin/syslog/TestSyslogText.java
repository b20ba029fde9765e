package io.outrider.plugin.syslog;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TestSyslogText
{
    @Test
    void truncatesBeforeAMultiByteCharacter()
    {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes

        assertThat(cut(text, 10)).isEqualTo("aé€😀");
        assertThat(cut(text, 9)).isEqualTo("aé€");
        assertThat(cut(text, 7)).isEqualTo("aé€");
        assertThat(cut(text, 6)).isEqualTo("aé€");
        assertThat(cut(text, 5)).isEqualTo("aé");
        assertThat(cut(text, 3)).isEqualTo("aé");
        assertThat(cut(text, 2)).isEqualTo("a");
        assertThat(cut(text, 1)).isEqualTo("a");
        assertThat(cut(text, 0)).isEmpty();
        assertThat(cut(text, -1)).isEmpty();
    }

    @Property(tries = 300)
    void truncationKeepsAValidPrefixThatFits(@ForAll String text, @ForAll @IntRange(min = 0, max = 200) int maxBytes)
            throws CharacterCodingException
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] truncated = SyslogText.truncateUtf8(bytes, maxBytes);

        assertThat(truncated.length).isLessThanOrEqualTo(Math.max(maxBytes, 0));
        // strict decoding: a split character would fail here
        String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(truncated)).toString();
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith(decoded);
        // nothing more could have been kept: the next character would not fit
        if (truncated.length < bytes.length) {
            int next = new String(bytes, StandardCharsets.UTF_8).substring(decoded.length()).codePoints()
                    .limit(1).mapToObj(Character::toString).findFirst().orElseThrow().getBytes(StandardCharsets.UTF_8).length;
            assertThat(truncated.length + next).isGreaterThan(maxBytes);
        }
    }

    @Test
    void replacesWhatIsNotPrintableAscii()
    {
        assertThat(SyslogText.printableAscii(null, 10)).isEqualTo("-");
        assertThat(SyslogText.printableAscii("", 10)).isEqualTo("-");
        assertThat(SyslogText.printableAscii("a b\tc\u00e9\ud83d\ude00d", 10)).isEqualTo("a_b_c__d");
        assertThat(SyslogText.printableAscii("abcdef", 3)).isEqualTo("abc");
        String valid = new String("source.ip");
        assertThat(SyslogText.printableAscii(valid, 9)).isSameAs(valid);
        assertThat(SyslogText.printableAscii(valid, 32, "= ]\"")).isSameAs(valid);
        assertThat(SyslogText.printableAscii("\ud83d\ude00\ud83d\ude00abc", 3)).isEqualTo("__a");
        assertThat(SyslogText.printableAscii("a=b]c\"d", 32, "= ]\"")).isEqualTo("a_b_c_d");
    }

    private static String cut(byte[] text, int maxBytes)
    {
        return new String(SyslogText.truncateUtf8(text, maxBytes), StandardCharsets.UTF_8);
    }
}
