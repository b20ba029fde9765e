package io.outrider.core.reference;

import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.core.plugin.RegisteredFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Generates {@code docs/reference/}: one Markdown file per component type ({@code input-file.md}) and an index
 * ({@code README.md}), from the same {@link ComponentReference}s that {@code outrider plugins describe} prints. The
 * output depends only on the plugins' code (no versions, paths or machine-dependent values), so the checked-in files
 * can be compared with a fresh generation.
 */
public final class ReferenceDocs
{
    /** How to bring the checked-in files up to date; the test that compares them says it. */
    public static final String REGENERATE_COMMAND = "mvn -B -q -pl distribution -am package -DskipTests && distribution/target/outrider/bin/outrider plugins docs --output docs/reference";

    private static final Pattern GENERATED_FILE = Pattern.compile("(README|(input|parser|output)-[a-z0-9_.-]+)\\.md");

    private final List<ComponentReference> components;

    public ReferenceDocs(List<ComponentReference> components)
    {
        this.components = List.copyOf(requireNonNull(components, "components is null"));
    }

    /**
     * Every component type the registry offers, by kind (inputs, parsers, outputs), then type. A type offered by more
     * than one plugin is documented as the agent would use it: the first one found.
     *
     * @throws Exception whatever a plugin's code throws while it is read
     */
    public static ReferenceDocs of(PluginRegistry registry)
            throws Exception
    {
        List<ComponentReference> components = new ArrayList<>();
        for (ComponentKind kind : ComponentKind.values()) {
            for (String type : registry.types(kind)) {
                RegisteredFactory factory = registry.find(kind, type).orElseThrow();
                components.add(ComponentReference.of(factory));
            }
        }
        return new ReferenceDocs(components);
    }

    public List<ComponentReference> components()
    {
        return components;
    }

    /** File name to Markdown text, the index first. */
    public Map<String, String> files()
    {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("README.md", index());
        for (ComponentReference component : components) {
            files.put(fileName(component), page(component));
        }
        return files;
    }

    /**
     * Writes {@link #files()} into {@code directory} and deletes the generated files of types that no longer exist;
     * other files there are left alone.
     *
     * @return the files written
     */
    public List<Path> write(Path directory)
            throws IOException
    {
        Files.createDirectories(directory);
        Map<String, String> files = files();
        try (Stream<Path> existing = Files.list(directory)) {
            for (Path file : existing.toList()) {
                String name = file.getFileName().toString();
                if (GENERATED_FILE.matcher(name).matches() && !files.containsKey(name)) {
                    Files.delete(file);
                }
            }
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            written.add(Files.writeString(directory.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8));
        }
        return List.copyOf(written);
    }

    static String fileName(ComponentReference component)
    {
        return component.kind().label() + "-" + component.type() + ".md";
    }

    private String index()
    {
        StringBuilder text = new StringBuilder();
        text.append("# Configuration reference\n\n");
        text.append("Every component type of the built-in plugins and every option it takes, generated from the plugins' code\n");
        text.append("(`ComponentFactory.description()`, the configuration records' `@Description`, `@Required` and `@Sensitive`, and\n");
        text.append("the defaults their constructors fill in). `outrider plugins describe TYPE` prints the same for any installed plugin,\n");
        text.append("third-party ones included.\n\n");
        text.append("Do not edit these files by hand. After changing a plugin's options or descriptions, regenerate them from the\n");
        text.append("repository's root:\n\n");
        text.append("    ").append(REGENERATE_COMMAND.replace(" && ", "\n    ")).append("\n\n");
        text.append("`TestReferenceDocs` in `integration-tests` fails while they differ from what the code says.\n");
        for (ComponentKind kind : ComponentKind.values()) {
            List<ComponentReference> ofKind = components.stream().filter(component -> component.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            text.append("\n## ").append(capitalized(kind.section())).append("\n\n");
            text.append("| Type | Plugin | Description |\n");
            text.append("|---|---|---|\n");
            for (ComponentReference component : ofKind) {
                text.append("| [`").append(component.type()).append("`](").append(fileName(component)).append(") | ")
                        .append(component.pluginName()).append(" | ").append(escape(component.description())).append(" |\n");
            }
        }
        return text.toString();
    }

    private static String page(ComponentReference component)
    {
        StringBuilder text = new StringBuilder();
        text.append("# ").append(capitalized(component.kind().label())).append(" type `").append(component.type()).append("`\n\n");
        text.append("Plugin: ").append(component.pluginName()).append(". Generated from its code; see [the index](README.md).\n\n");
        if (!component.description().isEmpty()) {
            text.append(escape(component.description())).append("\n\n");
        }
        if (component.options().isEmpty()) {
            text.append("It takes no options.\n");
            return text.toString();
        }
        text.append("| Option | Type | Default | Description |\n");
        text.append("|---|---|---|---|\n");
        for (OptionReference option : component.options()) {
            text.append("| `").append(option.name()).append("` | ")
                    .append(escape(option.type())).append(option.sensitive() ? ", sensitive" : "").append(" | ")
                    .append(option.required() ? "required" : option.isMapping() ? "" : "`" + option.defaultText() + "`").append(" | ")
                    .append(escape(option.description())).append(" |\n");
        }
        return text.toString();
    }

    /** Plain text as Markdown table cell content: no emphasis, no HTML, no cell breaks. */
    static String escape(String text)
    {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\', '*', '_', '|', '`', '[', ']' -> escaped.append('\\').append(c);
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '\n' -> escaped.append(' ');
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String capitalized(String text)
    {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
