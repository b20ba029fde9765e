package io.outrider.plugin.winevent;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Windows event levels: their names, and the {@code levels} configuration turned into level numbers. */
public final class EventLevels
{
    private EventLevels() {}

    /**
     * The level numbers a {@code levels} list keeps. {@code information} also keeps level 0 (LogAlways), which is
     * what the Security channel's audit events carry.
     *
     * @throws IllegalArgumentException with a sentence naming the offending entry
     */
    public static Set<Integer> parse(Iterable<?> entries)
    {
        Set<Integer> levels = new TreeSet<>();
        for (Object entry : entries) {
            if (entry instanceof Integer || entry instanceof Long || entry instanceof Short) {
                long level = ((Number) entry).longValue();
                if (level < 0 || level > 255) {
                    throw new IllegalArgumentException("level " + level + " is out of range: levels are 0 to 255");
                }
                levels.add((int) level);
                continue;
            }
            String name = String.valueOf(entry).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "critical", "crit" -> levels.add(1);
                case "error", "err" -> levels.add(2);
                case "warning", "warn" -> levels.add(3);
                case "information", "info" -> {
                    levels.add(0);
                    levels.add(4);
                }
                case "verbose" -> levels.add(5);
                default -> {
                    if (name.matches("\\d{1,3}") && Integer.parseInt(name) <= 255) {
                        levels.add(Integer.parseInt(name));
                    }
                    else {
                        throw new IllegalArgumentException("'" + entry + "' is not a level: use critical, error, warning, information, verbose or a number 0-255");
                    }
                }
            }
        }
        return Set.copyOf(levels);
    }

    /** The name Windows shows for a standard level; level 0 (LogAlways) shows as information. */
    public static String name(int level)
    {
        return switch (level) {
            case 0, 4 -> "information";
            case 1 -> "critical";
            case 2 -> "error";
            case 3 -> "warning";
            case 5 -> "verbose";
            default -> "level " + level;
        };
    }
}
