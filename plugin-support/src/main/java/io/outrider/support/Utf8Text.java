package io.outrider.support;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bytes that should be UTF-8, as text a person can read. Thread-safe (stateless). */
public final class Utf8Text
{
    private Utf8Text() {}

    /**
     * Valid UTF-8 read as text, every other byte shown as {@code \xNN} (lower-case hex, as {@code ls -b} shows file
     * names): nothing is lost, and nothing garbles a terminal as a replaced character would.
     */
    public static String escapingMalformed(byte[] bytes)
    {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        StringBuilder text = new StringBuilder(bytes.length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            out.flip();
            text.append(out);
            out.clear();
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    text.append(String.format("\\x%02x", in.get() & 0xff));
                }
            }
            else if (result.isUnderflow()) {
                return text.toString();
            }
        }
    }
}
