package io.outrider.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docs/reference/} is what {@code outrider plugins docs} makes of the assembled agent's plugins, and documents every option. */
class TestReferenceDocs
{
    private static final String REGENERATE = "mvn -B -q -pl distribution -am package -DskipTests && distribution/target/outrider/bin/outrider plugins docs --output docs/reference";

    @Test
    void theCheckedInReferenceIsWhatThePluginsSay(@TempDir Path dir)
            throws Exception
    {
        Path generated = dir.resolve("reference");

        Outrider.Result result = Outrider.run(dir, Map.of(), "plugins", "docs", "--output", generated.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Map<String, String> expected = markdownFiles(generated);
        Map<String, String> checkedIn = markdownFiles(repository().resolve("docs").resolve("reference"));
        List<String> differences = new ArrayList<>();
        for (String name : new TreeSet<>(union(expected, checkedIn))) {
            if (!checkedIn.containsKey(name)) {
                differences.add(name + " is missing");
            }
            else if (!expected.containsKey(name)) {
                differences.add(name + " documents a type no plugin offers");
            }
            else if (!expected.get(name).equals(checkedIn.get(name))) {
                differences.add(name + " differs");
            }
        }
        assertThat(differences)
                .as("docs/reference/ is out of date with the plugins' code; regenerate it from the repository's root with: " + REGENERATE)
                .isEmpty();
        assertThat(expected.get("README.md")).contains(REGENERATE.replace(" && ", "\n    "));
    }

    @Test
    void everyOptionOfEveryBuiltInTypeIsDescribed(@TempDir Path dir)
            throws Exception
    {
        Path generated = dir.resolve("reference");
        Outrider.Result result = Outrider.run(dir, Map.of(), "plugins", "docs", "--output", generated.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        Map<String, String> pages = markdownFiles(generated);
        assertThat(pages.keySet()).contains("input-file.md", "input-fim.md", "input-journald.md", "input-winevent.md", "parser-sshd.md", "parser-linux_auth.md",
                "output-console.md", "output-http.md", "output-kafka.md", "output-otlp.md", "output-syslog.md");
        List<String> undescribed = new ArrayList<>();
        pages.forEach((name, text) -> text.lines()
                .filter(line -> (line.startsWith("| `") || line.startsWith("| [`")) && line.endsWith("|  |"))
                .forEach(line -> undescribed.add(name + ": " + line)));
        assertThat(undescribed).as("options without @Description (or types without description())").isEmpty();
    }

    private static Path repository()
    {
        // surefire runs in the module's directory and names it in basedir
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
    }

    private static Map<String, String> markdownFiles(Path directory)
            throws IOException
    {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.filter(path -> path.getFileName().toString().endsWith(".md")).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    private static TreeSet<String> union(Map<String, String> first, Map<String, String> second)
    {
        TreeSet<String> names = new TreeSet<>(first.keySet());
        names.addAll(second.keySet());
        return names;
    }
}
