package io.outrider.support;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * A character set seen as fixed-width units in which a newline is one unit: one byte for UTF-8 and the other
 * ASCII-compatible sets, two for UTF-16LE/BE, four for UTF-32LE/BE. Lines are split on bytes, never on decoded
 * text, so an offset is always a byte offset and invalid sequences cannot hide a newline.
 */
public final class LineEncoding
{
    private final Charset charset;
    private final int unitWidth;
    private final byte[] newline;
    private final byte[] carriageReturn;

    private LineEncoding(Charset charset, byte[] newline, byte[] carriageReturn)
    {
        this.charset = charset;
        this.unitWidth = newline.length;
        this.newline = newline;
        this.carriageReturn = carriageReturn;
    }

    /**
     * @throws IllegalArgumentException with a sentence saying why the name cannot be used
     */
    public static LineEncoding forName(String name)
    {
        requireNonNull(name, "name is null");
        Charset charset;
        try {
            charset = Charset.forName(name);
        }
        catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("'" + name + "' is not a character set this Java runtime supports");
        }
        if (!charset.canEncode()) {
            throw new IllegalArgumentException("'" + name + "' cannot be used to find line ends");
        }
        byte[] newline = "\n".getBytes(charset);
        byte[] carriageReturn = "\r".getBytes(charset);
        byte[] both = "\r\n".getBytes(charset);
        int width = newline.length;
        boolean fixedUnits = (width == 1 || width == 2 || width == 4)
                && carriageReturn.length == width
                && both.length == 2 * width
                && Arrays.equals(Arrays.copyOfRange(both, width, 2 * width), newline);
        if (!fixedUnits) {
            throw new IllegalArgumentException("'" + name + "' has no fixed newline bytes (a byte order mark?); name the byte order, e.g. UTF-16LE");
        }
        if (width == 1 && newline[0] != '\n') {
            throw new IllegalArgumentException("'" + name + "' is not ASCII-compatible; use UTF-8 or another ASCII-compatible character set");
        }
        return new LineEncoding(charset, newline, carriageReturn);
    }

    public static LineEncoding utf8()
    {
        return forName(StandardCharsets.UTF_8.name());
    }

    public Charset charset()
    {
        return charset;
    }

    /** Bytes per unit: 1 for ASCII-compatible sets, 2 for UTF-16, 4 for UTF-32. */
    public int unitWidth()
    {
        return unitWidth;
    }

    boolean isNewlineAt(byte[] bytes, int index)
    {
        return unitEquals(bytes, index, newline);
    }

    boolean isCarriageReturnAt(byte[] bytes, int index)
    {
        return unitEquals(bytes, index, carriageReturn);
    }

    boolean isUtf8()
    {
        return charset.equals(StandardCharsets.UTF_8);
    }

    /**
     * Where to cut {@code bytes[offset, offset + length)} so that it keeps at most {@code limit} bytes and does not
     * split a unit or, for UTF-8, a character.
     */
    int cutLength(byte[] bytes, int offset, int length, int limit)
    {
        if (length <= limit) {
            return length;
        }
        int cut = limit - limit % unitWidth;
        if (isUtf8()) {
            // a continuation byte (10xxxxxx) at the cut means the character started before it
            int back = 0;
            while (cut > 0 && back < 3 && (bytes[offset + cut] & 0xC0) == 0x80) {
                cut--;
                back++;
            }
        }
        return cut;
    }

    String decode(byte[] bytes, int offset, int length)
    {
        return new String(bytes, offset, length, charset);
    }

    private boolean unitEquals(byte[] bytes, int index, byte[] unit)
    {
        for (int i = 0; i < unit.length; i++) {
            if (bytes[index + i] != unit[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return charset.name();
    }
}
