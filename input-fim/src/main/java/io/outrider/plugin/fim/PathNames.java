package io.outrider.plugin.fim;

import io.outrider.support.Utf8Text;

import java.io.ByteArrayOutputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * File names as text. A Linux file name is bytes; the baseline keys and the events name files by text (UTF-8), so a
 * name that is not valid UTF-8 has no text that leads back to the file: {@link Path#toString()} replaces its odd bytes
 * with U+FFFD, and the file that text names does not exist. Such a name is reported (shown with its odd bytes as
 * {@code \xNN}), never silently left out. Thread-safe (stateless).
 */
final class PathNames
{
    private PathNames() {}

    /** Whether {@code path}'s text leads back to it: its name (and its directories' names) are valid UTF-8. */
    static boolean representable(Path path)
    {
        String text = path.toString();
        // the common case: no replaced byte (a name with U+FFFD itself is valid UTF-8 and leads back)
        if (text.indexOf('\uFFFD') < 0) {
            return true;
        }
        try {
            return Path.of(text).equals(path);
        }
        catch (InvalidPathException e) {
            // a Java whose file names are not UTF-8 (no locale; bin/outrider gives it one) cannot even encode U+FFFD
            return false;
        }
    }

    /**
     * {@code path} as text, every byte that is not part of valid UTF-8 shown as {@code \xNN}: for a person to find
     * the file ({@code ls -b} shows it alike), not to open it.
     */
    static String display(Path path)
    {
        if (representable(path)) {
            return path.toString();
        }
        // the file URI keeps the name's bytes, percent-encoded: the only public way to them
        String raw = path.toAbsolutePath().toUri().getRawPath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            }
            else {
                bytes.write(c);
            }
        }
        byte[] name = bytes.toByteArray();
        if (name.length > 1 && name[name.length - 1] == '/' && !path.toString().endsWith("/")) {
            // the URI of a directory ends with a slash its path does not have
            name = java.util.Arrays.copyOf(name, name.length - 1);
        }
        return Utf8Text.escapingMalformed(name);
    }
}
