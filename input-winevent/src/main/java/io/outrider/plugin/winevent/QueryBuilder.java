package io.outrider.plugin.winevent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Builds the structured XML query ({@code <QueryList>}) that a channel subscription uses, from {@code event_ids},
 * {@code levels} and {@code providers} or from a raw XPath. Pure code.
 *
 * <p>The event log rejects a query with more than about 22 {@code EventID} clauses in one {@code Select} ("The
 * specified query is invalid"), so ids are spread over several {@code Select}s (their results are united) and
 * exclusions over several {@code Suppress}es, {@value #MAX_CLAUSES_PER_SELECT} clauses each.
 */
public final class QueryBuilder
{
    static final int MAX_CLAUSES_PER_SELECT = 20;

    private QueryBuilder() {}

    /** The query for a channel filtered by ids, levels (numbers, empty: all) and providers (empty: all). */
    public static String build(String channel, EventIdSelection ids, Set<Integer> levels, List<String> providers)
    {
        requireNonNull(channel, "channel is null");
        String common = commonConditions(levels, providers);
        StringBuilder query = new StringBuilder("<QueryList><Query Id=\"0\">");
        if (ids.included().isEmpty()) {
            appendElement(query, "Select", channel, common.isEmpty() ? "*" : "*[System[" + common + "]]");
        }
        else {
            for (List<EventIdRange> chunk : chunks(ids.included())) {
                String condition = idCondition(chunk) + (common.isEmpty() ? "" : " and " + common);
                appendElement(query, "Select", channel, "*[System[" + condition + "]]");
            }
        }
        for (List<EventIdRange> chunk : chunks(ids.excluded())) {
            appendElement(query, "Suppress", channel, "*[System[" + idCondition(chunk) + "]]");
        }
        return query.append("</Query></QueryList>").toString();
    }

    /**
     * The query for a raw {@code queries} entry: a structured {@code <QueryList>} is used as written, an XPath is
     * wrapped into one that selects from {@code channel}.
     */
    public static String fromRaw(String channel, String raw)
    {
        String trimmed = raw.trim();
        if (isStructured(trimmed)) {
            return trimmed;
        }
        StringBuilder query = new StringBuilder("<QueryList><Query Id=\"0\">");
        appendElement(query, "Select", channel, trimmed);
        return query.append("</Query></QueryList>").toString();
    }

    /** Whether a raw query is a structured XML query rather than an XPath. */
    public static boolean isStructured(String raw)
    {
        return raw.trim().toLowerCase(Locale.ROOT).startsWith("<querylist");
    }

    /** A provider name that can be written as an XPath string literal (it cannot hold both kinds of quote). */
    public static boolean isQuotable(String provider)
    {
        return !(provider.indexOf('\'') >= 0 && provider.indexOf('"') >= 0);
    }

    private static String commonConditions(Set<Integer> levels, List<String> providers)
    {
        List<String> conditions = new ArrayList<>();
        if (!levels.isEmpty()) {
            List<String> clauses = new ArrayList<>();
            levels.stream().sorted().forEach(level -> clauses.add("Level=" + level));
            conditions.add("(" + String.join(" or ", clauses) + ")");
        }
        if (!providers.isEmpty()) {
            List<String> clauses = new ArrayList<>();
            for (String provider : providers) {
                if (!isQuotable(provider)) {
                    throw new IllegalArgumentException("provider name " + provider + " holds both kinds of quote");
                }
                String quote = provider.indexOf('\'') >= 0 ? "\"" : "'";
                clauses.add("@Name=" + quote + provider + quote);
            }
            conditions.add("Provider[" + String.join(" or ", clauses) + "]");
        }
        return String.join(" and ", conditions);
    }

    private static String idCondition(List<EventIdRange> ranges)
    {
        List<String> clauses = new ArrayList<>();
        for (EventIdRange range : ranges) {
            clauses.add(range.isSingle()
                    ? "EventID=" + range.first()
                    : "(EventID >= " + range.first() + " and EventID <= " + range.last() + ")");
        }
        return "(" + String.join(" or ", clauses) + ")";
    }

    private static List<List<EventIdRange>> chunks(List<EventIdRange> ranges)
    {
        List<List<EventIdRange>> chunks = new ArrayList<>();
        for (int start = 0; start < ranges.size(); start += MAX_CLAUSES_PER_SELECT) {
            chunks.add(ranges.subList(start, Math.min(ranges.size(), start + MAX_CLAUSES_PER_SELECT)));
        }
        return chunks;
    }

    private static void appendElement(StringBuilder query, String element, String channel, String xpath)
    {
        query.append('<').append(element).append(" Path=\"").append(escape(channel)).append("\">")
                .append(escape(xpath))
                .append("</").append(element).append('>');
    }

    static String escape(String text)
    {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
