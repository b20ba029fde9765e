package io.outrider.plugin.journald;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Which journal fields go under {@code journald.}: those the include list names (all when it is empty) and the
 * exclude list does not. A pattern is a field name or a prefix ending in {@code *}; case does not matter.
 */
final class FieldSelector
{
    private final List<String> includes;
    private final List<String> excludes;

    FieldSelector(List<String> includes, List<String> excludes)
    {
        this.includes = normalize(requireNonNull(includes, "includes is null"));
        this.excludes = normalize(requireNonNull(excludes, "excludes is null"));
    }

    /** @param fieldName a journal field name as stored (upper case) */
    boolean isSelected(String fieldName)
    {
        String name = fieldName.toUpperCase(Locale.ROOT);
        return (includes.isEmpty() || matchesAny(includes, name)) && !matchesAny(excludes, name);
    }

    /** Why {@code pattern} is not a field name or prefix pattern, or {@code null} when it is. */
    static String patternProblem(String pattern)
    {
        String name = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (name.isEmpty() && !pattern.isEmpty()) {
            // a bare * is a valid (if blunt) prefix
            return null;
        }
        if (!JournalFilter.FIELD_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches()) {
            return "'" + pattern + "' is not a journal field name: use letters, digits and _, optionally ending in *";
        }
        return null;
    }

    private static boolean matchesAny(List<String> patterns, String name)
    {
        for (String pattern : patterns) {
            if (pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1)) : name.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> normalize(List<String> patterns)
    {
        return patterns.stream().map(pattern -> pattern.trim().toUpperCase(Locale.ROOT)).toList();
    }
}
