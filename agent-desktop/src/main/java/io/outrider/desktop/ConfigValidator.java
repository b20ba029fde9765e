package io.outrider.desktop;

import io.outrider.config.ConfigProblem;

import java.nio.file.Path;
import java.util.List;

/** Checks a configuration text before the window saves it. */
@FunctionalInterface
public interface ConfigValidator
{
    /**
     * @param file where the text will be saved (relative {@code ${file:...}} paths resolve against its folder)
     * @return empty when valid, else the problems {@code outrider validate} would number, each with its YAML path so
     *         the window can show it beside its field
     */
    List<ConfigProblem> validate(Path file, String text);
}
