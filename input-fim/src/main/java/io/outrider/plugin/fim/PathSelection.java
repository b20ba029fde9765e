package io.outrider.plugin.fim;

import io.outrider.support.GlobPattern;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Which paths the input monitors: a list of {@link Spec}s (a root directory or file, plus an optional glob and a
 * depth limit) and exclusion globs. Immutable and thread-safe.
 */
final class PathSelection
{
    private static final String GLOB_CHARACTERS = "*?[{";

    private final List<Spec> specs;
    private final List<Exclusion> excludes;
    // as text (absolute, normalized; null when not watched): the scan checks every file it reports without making a Path
    private final String agentConfigFileText;
    private final String pluginsDirectoryText;

    PathSelection(List<Spec> specs, List<Exclusion> excludes, Optional<Path> agentConfigFile, Optional<Path> pluginsDirectory)
    {
        this.specs = List.copyOf(requireNonNull(specs, "specs is null"));
        this.excludes = List.copyOf(requireNonNull(excludes, "excludes is null"));
        this.agentConfigFileText = requireNonNull(agentConfigFile, "agentConfigFile is null").map(Path::toString).orElse(null);
        this.pluginsDirectoryText = requireNonNull(pluginsDirectory, "pluginsDirectory is null").map(Path::toString).orElse(null);
    }

    /**
     * Builds the selection from configured path texts and exclusion globs, plus the agent's own files when given.
     *
     * @throws IllegalArgumentException naming the offending text when a path is not absolute or a glob is malformed
     */
    static PathSelection of(List<String> paths, List<String> excludes, Optional<Path> agentConfigFile, Optional<Path> pluginsDirectory)
    {
        List<Spec> specs = new ArrayList<>();
        for (String text : paths) {
            specs.add(Spec.parse(text));
        }
        agentConfigFile.ifPresent(file -> specs.add(Spec.parse(file.toAbsolutePath().normalize().toString())));
        pluginsDirectory.ifPresent(directory -> specs.add(Spec.parse(directory.toAbsolutePath().normalize().toString())));
        List<Exclusion> excludeMatchers = new ArrayList<>();
        for (String text : excludes) {
            excludeMatchers.add(Exclusion.parse(text));
        }
        return new PathSelection(specs, excludeMatchers,
                agentConfigFile.map(file -> file.toAbsolutePath().normalize()),
                pluginsDirectory.map(directory -> directory.toAbsolutePath().normalize()));
    }

    List<Spec> specs()
    {
        return specs;
    }

    /** The distinct roots, without those below another root that is walked without depth limit. */
    List<Path> roots()
    {
        Set<Path> roots = new LinkedHashSet<>();
        for (Spec spec : specs) {
            boolean covered = specs.stream().anyMatch(other -> other != spec && other.unlimitedPlainDirectory()
                    && spec.root().startsWith(other.root()) && !spec.root().equals(other.root()));
            if (!covered) {
                roots.add(spec.root());
            }
        }
        return List.copyOf(roots);
    }

    /** Whether {@code path} (a directory) is excluded, which excludes everything below it. */
    boolean isExcluded(Path path)
    {
        for (Exclusion exclude : excludes) {
            if (exclude.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the walk lists the directory at {@code path}: some spec reaches below it and it is not excluded. */
    boolean descendsInto(Path directory)
    {
        boolean reached = false;
        for (Spec spec : specs) {
            if (spec.descendsInto(directory) && !excludedOnTheWay(spec.root(), directory)) {
                reached = true;
                break;
            }
        }
        return reached;
    }

    /** Whether a non-directory at {@code path} is monitored by any spec. */
    boolean selects(Path path)
    {
        for (Spec spec : specs) {
            if (spec.includes(path) && !excludedOnTheWay(spec.root(), path)) {
                return true;
            }
        }
        return false;
    }

    private boolean excludedOnTheWay(Path root, Path path)
    {
        if (!path.startsWith(root)) {
            return isExcluded(path);
        }
        for (Path current = path; current != null && current.startsWith(root); current = current.getParent()) {
            if (isExcluded(current)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether changes to {@code path} (absolute and normalized, as the scanner reports it) concern the agent itself: its
     * configuration file, or its plugins directory or anything below it.
     */
    boolean isAgentFile(String path)
    {
        if (path.equals(agentConfigFileText)) {
            return true;
        }
        return pluginsDirectoryText != null && path.startsWith(pluginsDirectoryText)
                && (path.length() == pluginsDirectoryText.length() || path.charAt(pluginsDirectoryText.length()) == java.io.File.separatorChar);
    }

    /** {@link #isAgentFile(String)} for a path the scan made. */
    boolean isAgentFile(Path path)
    {
        return isAgentFile(path.toString());
    }

    /**
     * The entries of {@code directory} on the way down to the roots below it: a root whose parent directories do not
     * exist yet is reached through them as they appear. Empty when no root is below {@code directory}.
     */
    List<Path> towardRoots(Path directory)
    {
        List<Path> next = new ArrayList<>();
        for (Spec spec : specs) {
            Path root = spec.root();
            if (root.startsWith(directory) && root.getNameCount() > directory.getNameCount()) {
                Path child = directory.resolve(root.getName(directory.getNameCount()));
                if (!next.contains(child)) {
                    next.add(child);
                }
            }
        }
        return next;
    }

    /** Whether {@code path} is a directory above some root (where a root that does not exist yet will appear). */
    boolean leadsToARoot(Path path)
    {
        for (Spec spec : specs) {
            if (spec.root().startsWith(path) && !spec.root().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code path} is at or below a root of some spec: notifications about anything else are ignored. */
    boolean isUnderAnyRoot(Path path)
    {
        for (Spec spec : specs) {
            if (path.startsWith(spec.root())) {
                return true;
            }
        }
        return false;
    }

    private static GlobPattern glob(String glob, String property)
    {
        try {
            return GlobPattern.compileAbsolute(glob);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " '" + glob + "' is not a valid glob: " + e.getMessage(), e);
        }
    }

    /** An exclusion glob: with a {@code /} it matches whole absolute paths, without one file names (as in input-file). */
    record Exclusion(String glob, Pattern pattern)
    {
        static Exclusion parse(String glob)
        {
            try {
                return new Exclusion(glob, GlobPattern.compileExclusion(glob));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("exclude '" + glob + "' is not a valid glob: " + e.getMessage(), e);
            }
        }

        boolean matches(Path path)
        {
            return GlobPattern.excludes(pattern, glob, path);
        }
    }

    /**
     * One configured path: the root to walk, and for a glob the matcher and how deep below the root it can match.
     *
     * @param text the configured text
     * @param root the longest leading part without glob characters
     * @param matcher the glob, or empty for a plain path (the root and everything below it)
     * @param maxDepth how many levels below the root entries may be selected
     */
    record Spec(String text, Path root, Optional<GlobPattern> matcher, int maxDepth)
    {
        Spec
        {
            requireNonNull(text, "text is null");
            requireNonNull(root, "root is null");
            requireNonNull(matcher, "matcher is null");
        }

        static Spec parse(String text)
        {
            if (!text.startsWith("/")) {
                throw new IllegalArgumentException("path '" + text + "' is not absolute");
            }
            String[] segments = text.split("/+");
            StringBuilder root = new StringBuilder();
            int firstGlob = -1;
            for (int i = 1; i < segments.length; i++) {
                if (segments[i].chars().anyMatch(c -> GLOB_CHARACTERS.indexOf(c) >= 0)) {
                    firstGlob = i;
                    break;
                }
                root.append('/').append(segments[i]);
            }
            Path rootPath = Path.of(root.length() == 0 ? "/" : root.toString()).normalize();
            if (firstGlob < 0) {
                return new Spec(text, rootPath, Optional.empty(), Integer.MAX_VALUE);
            }
            GlobPattern glob = glob(text, "paths");
            return new Spec(text, glob.baseDirectory(), Optional.of(glob), glob.maxDepth());
        }

        boolean unlimitedPlainDirectory()
        {
            return matcher.isEmpty();
        }

        /** Whether the non-directory at {@code path} belongs to this spec (exclusions aside). */
        boolean includes(Path path)
        {
            if (!path.startsWith(root)) {
                return false;
            }
            if (matcher.isEmpty()) {
                return true;
            }
            return path.getNameCount() - root.getNameCount() <= maxDepth && matcher.get().matches(path) || belowAMatchedDirectory(path);
        }

        /** Whether the walk should list the directory at {@code directory} (at or below the root). */
        boolean descendsInto(Path directory)
        {
            if (!directory.startsWith(root)) {
                return false;
            }
            int depth = directory.getNameCount() - root.getNameCount();
            return depth < maxDepth || depth == maxDepth && matcher.isPresent() && matcher.get().matches(directory) || belowAMatchedDirectory(directory);
        }

        /**
         * Whether {@code path} is below a directory this spec's glob matches: as a plain directory does, a directory the
         * glob matches means everything below it ({@code /srv/site*} with directories {@code site1} and {@code site2}
         * monitors what they hold, as a walkthrough expected; before, nothing of it was monitored, without a word). A
         * glob of unlimited depth ({@code **}) reaches every level anyway.
         */
        private boolean belowAMatchedDirectory(Path path)
        {
            if (matcher.isEmpty() || maxDepth == Integer.MAX_VALUE) {
                return false;
            }
            int depth = path.getNameCount() - root.getNameCount();
            for (int level = 1; level < depth && level <= maxDepth; level++) {
                if (matcher.get().matches(path.getRoot().resolve(path.subpath(0, root.getNameCount() + level)))) {
                    return true;
                }
            }
            return false;
        }
    }
}
