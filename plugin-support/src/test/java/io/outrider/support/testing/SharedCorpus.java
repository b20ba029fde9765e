package io.outrider.support.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Data the project may not redistribute (the Loghub samples are for research use, the larger Windows event corpora
 * come from third parties) lives outside the repository, in the directory named by the system property
 * {@value #PROPERTY} (the root pom sets it to {@code ../shared}; override it with {@code -Doutrider.shared.dir=DIR}).
 * A test over such data runs when it is there and is skipped with one sentence when it is not, so that a fresh clone
 * passes its own tests; under {@code CI=true} a missing corpus fails, because there it means a broken CI machine, not
 * a fresh clone. The behaviours these corpora cover also have fixtures of the project's own that always run.
 *
 * <p>In plugin-support's test jar so that every plugin finds the shared directory, and words a missing corpus, the
 * same way.
 */
public final class SharedCorpus
{
    public static final String PROPERTY = "outrider.shared.dir";
    public static final String LOGHUB = "corpora/loghub";
    public static final String WINEVENT = "corpora/winevent";

    private SharedCorpus() {}

    /** The Loghub OpenSSH and Linux samples (with their structured CSV files). */
    public static Path loghub()
    {
        return require(LOGHUB, "the Loghub corpus");
    }

    /** A file of the shared Windows event corpus. */
    public static Path winevent(String name)
    {
        return require(WINEVENT + "/" + name, "the shared Windows event corpus file " + name);
    }

    /** {@code relative} inside the shared directory; skips the test (fails it under {@code CI=true}) when it is missing. */
    public static Path require(String relative, String what)
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
