package io.outrider.plugin.journald;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The libsystemd matches a configuration asks for, as groups ORed together; within a group the same field ORs and
 * different fields AND (libsystemd's rule). {@code units}, {@code identifiers} and {@code priority} restrict every
 * group, so they AND with whatever the {@code matches} say.
 */
final class JournalFilter
{
    /** What libsystemd accepts as a field name in a match. */
    static final Pattern FIELD_NAME = Pattern.compile("[A-Z0-9_]+");
    static final String GROUP_SEPARATOR = "+";
    private static final List<String> PRIORITY_NAMES = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    private final List<List<String>> groups;

    private JournalFilter(List<List<String>> groups)
    {
        this.groups = groups;
    }

    /** The groups of {@code FIELD=value} matches; empty when everything is read. */
    List<List<String>> groups()
    {
        return groups;
    }

    /**
     * Builds the filter.
     *
     * @throws IllegalArgumentException if a value is not valid (the factory validates first)
     */
    static JournalFilter from(JournaldInputConfig config)
    {
        requireNonNull(config, "config is null");
        List<String> common = new ArrayList<>();
        for (String unit : config.units()) {
            common.add("_SYSTEMD_UNIT=" + unitName(unit));
        }
        for (String identifier : config.identifiers()) {
            common.add("SYSLOG_IDENTIFIER=" + identifier);
        }
        if (config.priority() != null) {
            int maximum = parsePriority(config.priority())
                    .orElseThrow(() -> new IllegalArgumentException(priorityProblem(config.priority())));
            for (int priority = 0; priority <= maximum; priority++) {
                common.add("PRIORITY=" + priority);
            }
        }

        List<List<String>> groups = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String match : config.matches()) {
            if (match.equals(GROUP_SEPARATOR)) {
                groups.add(current);
                current = new ArrayList<>();
                continue;
            }
            String problem = matchProblem(match);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            current.add(match);
        }
        groups.add(current);
        // like libsystemd, a '+' next to nothing adds nothing (it must not widen the filter to "everything")
        groups.removeIf(List::isEmpty);
        if (groups.isEmpty()) {
            groups.add(List.of());
        }

        List<List<String>> result = new ArrayList<>();
        for (List<String> group : groups) {
            List<String> terms = new ArrayList<>(group);
            terms.addAll(common);
            if (!terms.isEmpty()) {
                result.add(List.copyOf(terms));
            }
        }
        return new JournalFilter(List.copyOf(result));
    }

    /** {@code journalctl -u} naming: {@code ssh} means {@code ssh.service}. */
    static String unitName(String unit)
    {
        return unit.contains(".") ? unit : unit + ".service";
    }

    /** A priority by name or number, as its number 0-7. */
    static OptionalInt parsePriority(String text)
    {
        String value = text.trim().toLowerCase(Locale.ROOT);
        int index = PRIORITY_NAMES.indexOf(value);
        if (index >= 0) {
            return OptionalInt.of(index);
        }
        if (value.matches("[0-7]")) {
            return OptionalInt.of(Integer.parseInt(value));
        }
        return OptionalInt.empty();
    }

    static String priorityProblem(String text)
    {
        return "'" + text + "' is not a priority: use one of " + String.join(", ", PRIORITY_NAMES) + " or a number from 0 to 7";
    }

    /** Why {@code match} is not a valid {@code FIELD=value} term, or {@code null} when it is. */
    static String matchProblem(String match)
    {
        int equals = match.indexOf('=');
        if (equals < 0) {
            return "'" + match + "' is not of the form FIELD=value (or " + GROUP_SEPARATOR + " between groups)";
        }
        if (!FIELD_NAME.matcher(match.substring(0, equals)).matches()) {
            return "'" + match + "' has an invalid field name: use upper-case letters, digits and _";
        }
        return null;
    }
}
