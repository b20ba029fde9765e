package io.outrider.core.importer;

import java.util.List;

/** Writes YAML scalars and lists so that any text (globs, Windows paths, colons, quotes) reads back unchanged. */
final class YamlText
{
    private YamlText() {}

    static String quote(String text)
    {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String list(List<String> values)
    {
        return "[" + String.join(", ", values.stream().map(YamlText::quote).toList()) + "]";
    }

    /** A component id from free text: lower case letters, digits and '_', never empty, never starting with '_'. */
    static String id(String text, String fallback)
    {
        String id = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return id.isEmpty() ? fallback : id;
    }
}
