package io.outrider.plugin.winevent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real event XML in the shared corpus ({@code corpora/winevent/*.xml}: events separated by blank lines), read
 * with plain string handling, independent of the code under test.
 */
final class Corpus
{
    static final List<String> FILES = List.of("security.xml", "system.xml", "sysmon.xml", "new-user-security.xml", "Security_short_selected.xml");

    private Corpus() {}

    static Path directory()
    {
        String shared = System.getProperty("outrider.shared.dir");
        if (shared == null) {
            throw new AssertionError("system property outrider.shared.dir is not set (surefire sets it; run through Maven)");
        }
        Path directory = Path.of(shared).toAbsolutePath().normalize().resolve("corpora/winevent");
        if (!Files.isDirectory(directory)) {
            throw new AssertionError("the shared Windows event corpus is missing: " + directory);
        }
        return directory;
    }

    static Path file(String name)
    {
        return directory().resolve(name);
    }

    /** The events of one corpus file, as written. */
    static List<String> events(String name)
    {
        try {
            String text = Files.readString(file(name), StandardCharsets.UTF_8);
            List<String> events = new ArrayList<>();
            for (String block : text.split("\\n[ \\t]*\\n")) {
                String trimmed = block.strip();
                if (trimmed.startsWith("<Event")) {
                    events.add(trimmed);
                }
            }
            return events;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event of every corpus file. */
    static List<String> allEvents()
    {
        List<String> all = new ArrayList<>();
        FILES.forEach(name -> all.addAll(events(name)));
        return all;
    }

    /** A value found by a regular expression's first group; null when absent. */
    static String extract(String xml, String regex)
    {
        Matcher matcher = Pattern.compile(regex).matcher(xml);
        return matcher.find() ? matcher.group(1) : null;
    }

    static int eventId(String xml)
    {
        return Integer.parseInt(extract(xml, "<EventID[^>]*>(\\d+)</EventID>"));
    }

    static long recordId(String xml)
    {
        return Long.parseLong(extract(xml, "<EventRecordID>(\\d+)</EventRecordID>"));
    }

    static String channel(String xml)
    {
        return extract(xml, "<Channel>([^<]*)</Channel>");
    }

    static String systemTime(String xml)
    {
        return extract(xml, "<TimeCreated SystemTime=\"([^\"]+)\"");
    }
}
