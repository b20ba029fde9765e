package io.outrider.plugin.file;

import io.outrider.support.GlobPattern;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Expands the configured globs into the regular files they match (following symbolic links, with loop detection),
 * and lists the directories worth watching for changes.
 */
final class FileScanner
{
    private final List<GlobPattern> patterns;
    private final List<String> exclusionGlobs;
    private final List<Pattern> exclusions;

    FileScanner(List<GlobPattern> patterns, List<String> exclusionGlobs)
    {
        this.patterns = List.copyOf(requireNonNull(patterns, "patterns is null"));
        this.exclusionGlobs = List.copyOf(requireNonNull(exclusionGlobs, "exclusionGlobs is null"));
        List<Pattern> compiled = new ArrayList<>();
        for (String glob : exclusionGlobs) {
            compiled.add(GlobPattern.compileExclusion(glob));
        }
        this.exclusions = List.copyOf(compiled);
    }

    /**
     * A file the globs matched.
     *
     * @param path the path as matched (a symbolic link stays a link)
     * @param realPath where it leads ({@code path} itself when it is no link)
     */
    record ScannedFile(Path path, Path realPath, FileStat stat) {}

    /**
     * What one scan found.
     *
     * @param files by device and inode; a file reachable under several matching paths appears once, under the first
     *        path in sort order
     * @param directories the directories to watch
     * @param matchesByGlob each configured glob, in order, with the paths it matched (sorted)
     */
    record ScanResult(Map<FileIdentity.FileKey, ScannedFile> files, Set<Path> directories, Map<String, List<Path>> matchesByGlob) {}

    boolean matches(Path path)
    {
        for (GlobPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return !excluded(path);
            }
        }
        return false;
    }

    ScanResult scan()
    {
        List<ScannedFile> found = new ArrayList<>();
        Set<Path> directories = new LinkedHashSet<>();
        Map<String, List<Path>> matchesByGlob = new LinkedHashMap<>();
        for (GlobPattern pattern : patterns) {
            int before = found.size();
            Path base = pattern.baseDirectory();
            if (!Files.isDirectory(base)) {
                // watch the nearest existing ancestor so the directory is noticed when it appears
                nearestExistingAncestor(base).ifPresent(directories::add);
                matchesByGlob.putIfAbsent(pattern.glob(), List.of());
                continue;
            }
            walk(pattern, found, directories);
            List<Path> matched = new ArrayList<>();
            found.subList(before, found.size()).forEach(file -> matched.add(file.path()));
            matched.sort(Comparator.comparing(Path::toString));
            matchesByGlob.putIfAbsent(pattern.glob(), List.copyOf(matched));
        }
        found.sort(Comparator.comparing(file -> file.path().toString()));
        Map<FileIdentity.FileKey, ScannedFile> files = new LinkedHashMap<>();
        for (ScannedFile file : found) {
            files.putIfAbsent(file.stat().fileKey(), file);
        }
        return new ScanResult(files, directories, matchesByGlob);
    }

    /**
     * A scan of part of the tree, for notifications about it: the files the globs match directly in {@code listed},
     * and every file and directory they can reach below {@code walked} (directories that appeared or were moved in).
     * Directories no glob can hold a match in are not listed; a walked directory on the way to a glob's base
     * directory walks the whole glob. {@link ScanResult#matchesByGlob()} is empty.
     */
    ScanResult scan(Set<Path> listed, Set<Path> walked)
    {
        List<ScannedFile> found = new ArrayList<>();
        Set<Path> directories = new LinkedHashSet<>();
        for (GlobPattern pattern : patterns) {
            Path base = pattern.baseDirectory();
            for (Path directory : walked) {
                if (base.startsWith(directory)) {
                    if (Files.isDirectory(base)) {
                        walk(pattern, base, pattern.maxDepth(), found, directories);
                    }
                    else {
                        nearestExistingAncestor(base).ifPresent(directories::add);
                    }
                }
                else if (directory.startsWith(base) && depthBelow(base, directory) < pattern.maxDepth()) {
                    walk(pattern, directory, remainingDepth(pattern, directory), found, directories);
                }
            }
            for (Path directory : listed) {
                if (directory.startsWith(base) && depthBelow(base, directory) < pattern.maxDepth() && !isBelowAny(directory, walked)) {
                    walk(pattern, directory, 1, found, directories);
                }
            }
        }
        found.sort(Comparator.comparing(file -> file.path().toString()));
        Map<FileIdentity.FileKey, ScannedFile> files = new LinkedHashMap<>();
        for (ScannedFile file : found) {
            files.putIfAbsent(file.stat().fileKey(), file);
        }
        return new ScanResult(files, directories, Map.of());
    }

    /**
     * Whether some glob can match a file in {@code directory}, or below it, or has its base directory below it: a
     * directory that appears there must be watched.
     */
    boolean leadsToMatches(Path directory)
    {
        for (GlobPattern pattern : patterns) {
            Path base = pattern.baseDirectory();
            if (base.startsWith(directory) || directory.startsWith(base) && depthBelow(base, directory) < pattern.maxDepth()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some glob has its base directory in or below {@code path}: when it goes, a whole glob is affected. */
    boolean holdsBaseDirectory(Path path)
    {
        for (GlobPattern pattern : patterns) {
            if (pattern.baseDirectory().startsWith(path)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Path> nearestExistingAncestor(Path path)
    {
        Path ancestor = path.getParent();
        while (ancestor != null && !Files.isDirectory(ancestor)) {
            ancestor = ancestor.getParent();
        }
        return Optional.ofNullable(ancestor);
    }

    private static int depthBelow(Path base, Path directory)
    {
        return directory.getNameCount() - base.getNameCount();
    }

    private static int remainingDepth(GlobPattern pattern, Path directory)
    {
        return pattern.maxDepth() == Integer.MAX_VALUE ? Integer.MAX_VALUE : pattern.maxDepth() - depthBelow(pattern.baseDirectory(), directory);
    }

    private static boolean isBelowAny(Path directory, Set<Path> roots)
    {
        for (Path root : roots) {
            if (directory.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    private void walk(GlobPattern pattern, List<ScannedFile> found, Set<Path> directories)
    {
        walk(pattern, pattern.baseDirectory(), pattern.maxDepth(), found, directories);
    }

    private void walk(GlobPattern pattern, Path start, int maxDepth, List<ScannedFile> found, Set<Path> directories)
    {
        try {
            Files.walkFileTree(start, EnumSet.of(FileVisitOption.FOLLOW_LINKS), maxDepth, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                {
                    directories.add(directory);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                {
                    if (attributes.isRegularFile() && pattern.matches(file) && !excluded(file)) {
                        try {
                            FileStat stat = FileStat.of(file);
                            Path realPath = file;
                            if (Files.isSymbolicLink(file)) {
                                realPath = file.toRealPath();
                                directories.add(realPath.getParent());
                            }
                            found.add(new ScannedFile(file, realPath, stat));
                        }
                        catch (IOException e) {
                            // vanished or unreadable since the directory was listed: the next scan sees it again
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e)
                {
                    // unreadable entries and symbolic-link loops are skipped, not fatal
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException e) {
            // the base directory disappeared while walking; the next scan tries again
        }
    }

    private boolean excluded(Path path)
    {
        for (int i = 0; i < exclusions.size(); i++) {
            if (GlobPattern.excludes(exclusions.get(i), exclusionGlobs.get(i), path)) {
                return true;
            }
        }
        return false;
    }
}
