package io.outrider.plugin.winevent;

import io.outrider.support.testing.SharedCorpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event XML files (events separated by blank lines), read with plain string handling, independent of the code under
 * test. The project's own files are test resources written for the project and always there ({@code fixtures/},
 * described in its README). The large corpora stay outside the repository ({@link SharedCorpus}): nothing of them
 * is copied into it, whatever their licence.
 */
final class Corpus
{
    static final String SECURITY = "fixtures/security.xml";
    static final String SYSTEM = "fixtures/system.xml";
    static final String SYSMON = "fixtures/sysmon.xml";
    /** A domain account created, enabled, changed and added to groups: 4728, 4720, 4722, 4738, 4732. */
    static final String ACCOUNT_CREATION = "fixtures/account-creation.xml";
    /** A server with RDP open to the internet: blocked connections and dropped packets, an NTLM check, one failed RDP logon (4625). */
    static final String EXPOSED_RDP = "fixtures/exposed-rdp.xml";
    /** One event of each security action not in the files above: 4648, 4697, 4698-4702, passwords, accounts, groups, 104, 1102. */
    static final String SECURITY_ACTIONS = "fixtures/security-actions.xml";
    static final List<String> FIXTURE_FILES = List.of(SECURITY, SYSTEM, SYSMON, ACCOUNT_CREATION, EXPOSED_RDP, SECURITY_ACTIONS);

    static final List<String> SHARED_FILES = List.of("security.xml", "system.xml", "sysmon.xml", "new-user-security.xml", "Security_short_selected.xml");

    private Corpus() {}

    /** A file of the project's own, from the test resources. */
    static Path fixture(String name)
    {
        URL url = Corpus.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing next to " + Corpus.class.getName());
        }
        try {
            return Path.of(url.toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The events of one of the project's own files, as written. */
    static List<String> events(String fixtureName)
    {
        return events(fixture(fixtureName));
    }

    /** The events of a file, as written. */
    static List<String> events(Path file)
    {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
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

    /** {@code count} events cycling through a file's events, for tests that need many (record IDs are rewritten by the fake API). */
    static List<String> repeated(String fixtureName, int count)
    {
        List<String> source = events(fixtureName);
        List<String> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(source.get(i % source.size()));
        }
        return List.copyOf(events);
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
