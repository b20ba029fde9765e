package io.outrider.plugin.file;

import io.outrider.support.GlobPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static io.outrider.plugin.file.TestFileInput.write;
import static org.assertj.core.api.Assertions.assertThat;

class TestFileScanner
{
    @TempDir
    Path directory;

    private FileScanner scanner(String... globs)
    {
        return new FileScanner(List.of(globs).stream().map(GlobPattern::compileAbsolute).toList(), List.of("*.gz"));
    }

    private static List<Path> paths(FileScanner.ScanResult result)
    {
        return result.files().values().stream().map(FileScanner.ScannedFile::path).toList();
    }

    @Test
    void listsOnlyTheDirectoriesItIsGivenAndWalksNewOnesAsDeepAsTheGlobReaches()
            throws Exception
    {
        for (String path : List.of("a/x.log", "a/x.log.gz", "b/x.log", "b/deep/x.log", "c/x.log")) {
            Files.createDirectories(directory.resolve(path).getParent());
            write(directory.resolve(path), "line\n");
        }
        FileScanner scanner = scanner(directory + "/*/x.log");

        FileScanner.ScanResult result = scanner.scan(Set.of(directory.resolve("a")), Set.of(directory.resolve("b")));

        assertThat(paths(result)).containsExactly(directory.resolve("a/x.log"), directory.resolve("b/x.log"));
        // b/deep is one level deeper than the glob reaches: not entered, not watched
        assertThat(result.directories()).containsExactlyInAnyOrder(directory.resolve("a"), directory.resolve("b"));
        assertThat(result.matchesByGlob()).isEmpty();
    }

    @Test
    void walksANewDirectoryWholeUnderDoubleStar()
            throws Exception
    {
        Files.createDirectories(directory.resolve("logs/app/2026"));
        write(directory.resolve("logs/app/2026/x.log"), "line\n");
        write(directory.resolve("logs/app/x.log"), "line\n");
        write(directory.resolve("logs/top.log"), "line\n");
        FileScanner scanner = scanner(directory + "/logs/**/*.log");

        FileScanner.ScanResult result = scanner.scan(Set.of(), Set.of(directory.resolve("logs/app")));

        assertThat(paths(result)).containsExactly(directory.resolve("logs/app/2026/x.log"), directory.resolve("logs/app/x.log"));
        assertThat(result.directories()).containsExactlyInAnyOrder(directory.resolve("logs/app"), directory.resolve("logs/app/2026"));
    }

    @Test
    void aNewDirectoryOnTheWayToAGlobsBaseWalksTheGlob()
            throws Exception
    {
        FileScanner scanner = scanner(directory + "/later/logs/*.log");
        Files.createDirectories(directory.resolve("later"));

        // the base directory is not there yet: the deepest directory that is gets watched
        FileScanner.ScanResult partway = scanner.scan(Set.of(), Set.of(directory.resolve("later")));
        assertThat(paths(partway)).isEmpty();
        assertThat(partway.directories()).containsExactly(directory.resolve("later"));

        Files.createDirectories(directory.resolve("later/logs"));
        write(directory.resolve("later/logs/a.log"), "line\n");
        FileScanner.ScanResult there = scanner.scan(Set.of(), Set.of(directory.resolve("later")));
        assertThat(paths(there)).containsExactly(directory.resolve("later/logs/a.log"));
        assertThat(there.directories()).containsExactly(directory.resolve("later/logs"));
    }

    @Test
    void tellsWhichDirectoriesLeadToMatches()
    {
        FileScanner scanner = scanner(directory + "/logs/*/x.log", directory + "/deep/**/y.log");

        assertThat(scanner.leadsToMatches(directory)).isTrue();
        assertThat(scanner.leadsToMatches(directory.resolve("logs"))).isTrue();
        assertThat(scanner.leadsToMatches(directory.resolve("logs/a"))).isTrue();
        assertThat(scanner.leadsToMatches(directory.resolve("logs/a/b"))).isFalse();
        assertThat(scanner.leadsToMatches(directory.resolve("deep/a/b/c"))).isTrue();
        assertThat(scanner.leadsToMatches(directory.resolve("other"))).isFalse();
        assertThat(scanner.holdsBaseDirectory(directory)).isTrue();
        assertThat(scanner.holdsBaseDirectory(directory.resolve("logs"))).isTrue();
        assertThat(scanner.holdsBaseDirectory(directory.resolve("logs/a"))).isFalse();
    }
}
