package io.outrider.core.storage;

import java.util.Random;

/**
 * Text the buffer's block compression cannot shrink, for tests that fill a disk or a byte cap with events: the buffer
 * stores a block compressed only when that halves it ({@link BlockCompression}), so events of this text take on disk
 * what they count as.
 */
final class IncompressibleText
{
    private IncompressibleText() {}

    /** {@code length} letters and digits drawn at random from {@code seed}: the same text for the same seed. */
    static String of(long seed, int length)
    {
        Random random = new Random(seed);
        char[] text = new char[length];
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < length; i++) {
            text[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(text);
    }
}
