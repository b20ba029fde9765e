package io.outrider.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gate for the rule that core never tests a plugin's type name nor reads a plugin's private fields (issue 21): what
 * a plugin can do is said through the SPI (for example {@code InputFactory.worksInRounds()}), so a third-party plugin
 * gets the same treatment as an in-tree one. Reads core's main sources as text.
 */
class TestCoreKnowsNoPluginType
{
    // the input types of the in-tree plugins, and the words input-fim keeps to itself
    private static final Set<String> FORBIDDEN = Set.of("\"fim\"", "\"journald\"", "\"winevent\"", "\"scan_complete\"");
    private static final Pattern FIM_FIELD = Pattern.compile("\"fim\\.[^\"]*\"");
    private static final Pattern TYPE_TEST = Pattern.compile("type\\(\\)\\s*\\.equals\\(\"|\\.equals\\([^)]*\\.type\\(\\)\\)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    // the deprecated 'outrider fim' alias keeps its command name for one minor version; it selects nothing by it
    private static final String ALLOWED_FILE = "FimCommand.java";
    private static final String ALLOWED_LINE = "@Command(name = \"fim\",";

    @Test
    void coreMainCodeNamesNoPluginTypeAndNoPluginField()
            throws IOException
    {
        Path sources = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java");
        assertThat(sources).isDirectory();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java")).sorted().forEach(file -> scan(sources, file, found));
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theGateSeesATypeTestAndAPluginField()
    {
        List<String> found = new ArrayList<>();
        scanLine("Example.java", 1, "if (input.type().equals(\"fim\") && event.field(\"fim.changes\") != null) {", found);
        scanLine("Example.java", 2, "String action = \"scan_complete\";", found);
        scanLine("Example.java", 3, "// \"fim\" in a comment is prose", found);
        assertThat(found).containsExactly(
                "Example.java:1: \"fim\"",
                "Example.java:1: \"fim.changes\"",
                "Example.java:1: a type test: type().equals(\"",
                "Example.java:2: \"scan_complete\"");
    }

    private static void scan(Path root, Path file, List<String> found)
    {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                scanLine(root.relativize(file).toString(), i + 1, lines.get(i), found);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void scanLine(String file, int number, String line, List<String> found)
    {
        String code = line.strip();
        if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*") || (file.endsWith(ALLOWED_FILE) && code.startsWith(ALLOWED_LINE))) {
            return;
        }
        Matcher literals = STRING_LITERAL.matcher(code);
        while (literals.find()) {
            String literal = literals.group();
            if (FORBIDDEN.contains(literal) || FIM_FIELD.matcher(literal).matches()) {
                found.add(file + ":" + number + ": " + literal);
            }
        }
        Matcher typeTest = TYPE_TEST.matcher(code);
        if (typeTest.find()) {
            found.add(file + ":" + number + ": a type test: " + typeTest.group());
        }
    }
}
