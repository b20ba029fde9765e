package io.outrider.support;

/**
 * Well-formed UTF-8, checked on bytes: what a writer that copies stored UTF-8 straight to the wire needs to know to
 * give exactly the bytes {@code new String(bytes, UTF_8).getBytes(UTF_8)} would (a malformed sequence or an encoded
 * surrogate would come back as U+FFFD). Shared by {@link JsonByteWriter} and the syslog output's writers.
 */
public final class Utf8
{
    private Utf8() {}

    /** Whether {@code utf8[offset, offset + length)} is well-formed UTF-8 with no encoded surrogate. */
    public static boolean isWellFormed(byte[] utf8, int offset, int length)
    {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (utf8[i] >= 0) {
                i++;
                continue;
            }
            int sequence = sequenceLength(utf8, i, end);
            if (sequence == 0) {
                return false;
            }
            i += sequence;
        }
        return true;
    }

    /**
     * The length of the well-formed UTF-8 sequence of a code point other than a surrogate that starts at
     * {@code utf8[i]} (a lead byte of 0x80 or more) and ends before {@code end}; 0 when there is none there.
     */
    public static int sequenceLength(byte[] utf8, int i, int end)
    {
        int lead = utf8[i] & 0xFF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            return i + 1 < end && continuation(utf8[i + 1]) ? 2 : 0;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            if (i + 2 >= end) {
                return 0;
            }
            int second = utf8[i + 1] & 0xFF;
            boolean secondFits = lead == 0xE0 ? second >= 0xA0 && second <= 0xBF
                    : lead == 0xED ? second >= 0x80 && second <= 0x9F
                    : second >= 0x80 && second <= 0xBF;
            return secondFits && continuation(utf8[i + 2]) ? 3 : 0;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            if (i + 3 >= end) {
                return 0;
            }
            int second = utf8[i + 1] & 0xFF;
            boolean secondFits = lead == 0xF0 ? second >= 0x90 && second <= 0xBF
                    : lead == 0xF4 ? second >= 0x80 && second <= 0x8F
                    : second >= 0x80 && second <= 0xBF;
            return secondFits && continuation(utf8[i + 2]) && continuation(utf8[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    private static boolean continuation(byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}
