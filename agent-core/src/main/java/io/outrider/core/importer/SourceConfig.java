package io.outrider.core.importer;

import io.outrider.config.DidYouMean;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Another agent's configuration (YAML or JSON) read with typed accessors that remember which keys were used, so
 * that the keys nobody understood can be listed afterwards, and that collect type problems instead of throwing.
 */
final class SourceConfig
{
    private final String name;
    private final Map<String, Object> values;
    private final Set<String> used = new LinkedHashSet<>();
    private final List<String> problems;

    private SourceConfig(String name, Map<String, Object> values, List<String> problems)
    {
        this.name = name;
        this.values = values;
        this.problems = problems;
    }

    @SuppressWarnings("unchecked")
    static SourceConfig parse(String name, String text, List<String> problems)
    {
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        }
        catch (YAMLException e) {
            problems.add(name + " is not valid YAML or JSON: " + e.getMessage().lines().findFirst().orElse(""));
            return new SourceConfig(name, Map.of(), problems);
        }
        if (loaded == null) {
            return new SourceConfig(name, Map.of(), problems);
        }
        if (!(loaded instanceof Map)) {
            problems.add(name + " is not a mapping of settings");
            return new SourceConfig(name, Map.of(), problems);
        }
        return new SourceConfig(name, (Map<String, Object>) loaded, problems);
    }

    static SourceConfig empty(String name, List<String> problems)
    {
        return new SourceConfig(name, Map.of(), problems);
    }

    boolean has(String key)
    {
        return values.containsKey(key) && values.get(key) != null;
    }

    Optional<String> string(String key)
    {
        used.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof List) {
            problems.add(name + ": '" + key + "' should be text");
            return Optional.empty();
        }
        String text = String.valueOf(value).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    Optional<Boolean> bool(String key)
    {
        return string(key).flatMap(text -> switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Optional.of(true);
            case "false", "no", "off", "0" -> Optional.of(false);
            default -> {
                problems.add(name + ": '" + key + "' should be true or false");
                yield Optional.empty();
            }
        });
    }

    Optional<Double> number(String key)
    {
        return string(key).flatMap(text -> {
            try {
                return Optional.of(Double.parseDouble(text));
            }
            catch (NumberFormatException e) {
                problems.add(name + ": '" + key + "' should be a number");
                return Optional.empty();
            }
        });
    }

    /** A list of mappings ({@code [{path: ..., ...}]}); plain text elements become {@code {path: text}}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries(String key)
    {
        used.add(key);
        Object value = values.get(key);
        List<Map<String, Object>> entries = new ArrayList<>();
        if (value == null) {
            return entries;
        }
        if (!(value instanceof List)) {
            problems.add(name + ": '" + key + "' should be a list");
            return entries;
        }
        for (Object element : (List<Object>) value) {
            if (element instanceof Map) {
                entries.add((Map<String, Object>) element);
            }
            else if (element != null) {
                entries.add(Map.of("path", String.valueOf(element)));
            }
        }
        return entries;
    }

    @SuppressWarnings("unchecked")
    Optional<SourceConfig> section(String key)
    {
        used.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map)) {
            problems.add(name + ": '" + key + "' should be a mapping");
            return Optional.empty();
        }
        return Optional.of(new SourceConfig(name + " " + key, (Map<String, Object>) value, problems));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String key)
    {
        used.add(key);
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List) {
            return (List<Object>) value;
        }
        return List.of(value);
    }

    /** Keys present but never asked for, in file order. */
    List<String> unusedKeys()
    {
        List<String> unused = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!used.contains(key)) {
                unused.add(key);
            }
        }
        return unused;
    }

    /**
     * A setting the importer asked for and the file does not have, which {@code unused} (a key of the file) may have
     * meant: the same name with a unit suffix ({@code batch_interval} for {@code batch_interval_seconds}), or a near
     * spelling.
     */
    Optional<String> knownKeyLike(String unused)
    {
        List<String> absent = used.stream().filter(key -> !values.containsKey(key)).toList();
        return absent.stream().filter(key -> key.startsWith(unused + "_")).findFirst()
                .or(() -> DidYouMean.closest(unused, absent));
    }

    /** What a not-carried-over list says about a key of the file the importer never asked for. */
    String unusedKeyNote(String product, String prefix, String unused)
    {
        return knownKeyLike(unused)
                .map(known -> product + " setting '" + prefix + unused + "' was not imported: it is not one the importer knows; did you mean '" + prefix + known + "'?")
                .orElse("'" + prefix + unused + "' is no " + product + " setting the importer knows, and was not imported");
    }

    String name()
    {
        return name;
    }
}
