package io.outrider.desktop;

import java.nio.file.Path;
import java.util.Optional;

/** Checks a configuration text before the window saves it. */
@FunctionalInterface
public interface ConfigValidator
{
    /**
     * @param file where the text will be saved (relative {@code ${file:...}} paths resolve against its folder)
     * @return empty when valid, else the numbered problems as {@code outrider validate} prints them
     */
    Optional<String> validate(Path file, String text);
}
