package io.outrider.support;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where an input that has no checkpoint yet starts reading: the oldest data still there, or only what is written
 * from now on. One vocabulary ({@code read_from: beginning | end}) for every input that offers the choice (file,
 * journald, Windows event log), as text in their configuration records so that the spellings of earlier versions get
 * a sentence naming the new one instead of an enum error.
 */
public enum ReadFrom
{
    /** The oldest data still there. */
    BEGINNING,
    /** Only what is written after the input starts. */
    END;

    /** {@code beginning} or {@code end}, in any case and with surrounding spaces. */
    public static Optional<ReadFrom> parse(String text)
    {
        for (ReadFrom position : values()) {
            if (position.name().equalsIgnoreCase(text.trim())) {
                return Optional.of(position);
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with {@code text} as a position, or empty when it is one.
     *
     * @param formerSpellings words an earlier version of the plugin accepted, each with what it meant
     */
    public static Optional<String> problem(String text, Map<String, ReadFrom> formerSpellings)
    {
        if (parse(text).isPresent()) {
            return Optional.empty();
        }
        ReadFrom meant = formerSpellings.get(text.trim().toLowerCase(Locale.ROOT));
        if (meant != null) {
            return Optional.of("\"" + text + "\" is no longer accepted; use \"" + meant + "\"");
        }
        return Optional.of("expected one of beginning, end but found '" + text + "'");
    }

    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
