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
                Path ancestor = base.getParent();
                while (ancestor != null && !Files.isDirectory(ancestor)) {
                    ancestor = ancestor.getParent();
                }
                if (ancestor != null) {
                    directories.add(ancestor);
                }
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

    private void walk(GlobPattern pattern, List<ScannedFile> found, Set<Path> directories)
    {
        try {
            Files.walkFileTree(pattern.baseDirectory(), EnumSet.of(FileVisitOption.FOLLOW_LINKS), pattern.maxDepth(), new SimpleFileVisitor<>()
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
