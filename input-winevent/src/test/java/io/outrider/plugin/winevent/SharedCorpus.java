package io.outrider.plugin.winevent;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The larger Windows event corpora live outside the repository, in the directory named by the system property
 * {@value #PROPERTY} (the root pom sets it to {@code ../shared}; override it with {@code -Doutrider.shared.dir=DIR}).
 * A test over them runs when they are there and is skipped with one sentence when they are not, so that a fresh
 * clone passes its own tests; under {@code CI=true} a missing corpus fails, because there it means a broken CI
 * machine, not a fresh clone. The behaviours these corpora cover also have fixtures of the project's own
 * ({@link Corpus#FIXTURE_FILES}) that always run.
 */
final class SharedCorpus
{
    static final String PROPERTY = "outrider.shared.dir";
    static final String WINEVENT = "corpora/winevent";

    private SharedCorpus() {}

    /** A file of the shared Windows event corpus; skips the test (fails it under {@code CI=true}) when it is missing. */
    static Path winevent(String name)
    {
        return require(WINEVENT + "/" + name, "the shared Windows event corpus file " + name);
    }

    static Path require(String relative, String what)
    {
        return locate(System.getProperty(PROPERTY), System.getenv("CI"), relative, what);
    }

    static Path locate(String sharedDirectory, String ci, String relative, String what)
    {
        requireNonNull(relative, "relative is null");
        requireNonNull(what, "what is null");
        String message;
        if (sharedDirectory == null || sharedDirectory.isBlank()) {
            message = what + " is not available: the system property " + PROPERTY + " is not set (set -D" + PROPERTY + "=DIR to the directory that holds " + relative + ")";
        }
        else {
            Path path = Path.of(sharedDirectory).toAbsolutePath().normalize().resolve(relative);
            if (Files.exists(path)) {
                return path;
            }
            message = what + " is not at " + path + " (set -D" + PROPERTY + "=DIR to the directory that holds " + relative + ")";
        }
        if ("true".equals(ci)) {
            throw new AssertionError("CI=true: " + message);
        }
        return Assumptions.abort("skipped: " + message);
    }
}
