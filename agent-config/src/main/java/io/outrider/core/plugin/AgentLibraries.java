package io.outrider.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Libraries of the agent that a plugin may use instead of bringing its own copy, asked for by name and version in
 * the plugin jar's manifest ({@value #MANIFEST_ATTRIBUTE}: {@code sqlite-jdbc/3.47.1.0}, comma-separated).
 *
 * <p>Why: sqlite-jdbc is 14 MB, nearly all of it native libraries, and the JVM loads one native library file into
 * one class loader only; a plugin with its own copy (input-fim) doubled the download and extracted a second library
 * to /tmp at run time. A plugin that asks for it sees the agent's {@code org.sqlite} classes instead, and through them
 * the one native library of the distribution. Isolation holds otherwise: only the packages of a library on this
 * list are shared, only with the plugins that ask, and only when the agent's copy is at least the version the plugin
 * was built with (same major version); a plugin that asks for more is skipped with the reason.
 */
final class AgentLibraries
{
    static final String MANIFEST_ATTRIBUTE = "Outrider-Agent-Libraries";

    /** The name the agent's sqlite-jdbc is asked for by; see {@link PluginLoader#PluginLoader(ClassLoader, Map)}. */
    static final String SQLITE_JDBC = "sqlite-jdbc";

    /** A library of the agent: its shared packages and the resource its version is read from. */
    record Library(String name, List<String> packages, String versionResource)
    {
        Library
        {
            requireNonNull(name, "name is null");
            packages = List.copyOf(packages);
            requireNonNull(versionResource, "versionResource is null");
        }
    }

    private static final Map<String, Library> LIBRARIES = Map.of(
            SQLITE_JDBC, new Library(SQLITE_JDBC, List.of("org.sqlite."), "META-INF/maven/org.xerial/sqlite-jdbc/pom.properties"));

    private AgentLibraries() {}

    /**
     * The packages the plugin shares with the agent beyond the SPI, for the manifest value {@code requested}
     * (null: none).
     *
     * @param preparation what makes a library ready before a plugin gets it, by name; run for each library shared
     * @throws IllegalArgumentException with the reason the plugin cannot be loaded
     */
    static List<String> sharedPackages(String requested, ClassLoader agentLoader, Map<String, Runnable> preparation)
    {
        if (requested == null || requested.isBlank()) {
            return List.of();
        }
        List<String> packages = new ArrayList<>();
        for (String item : requested.split(",")) {
            String entry = item.strip();
            int slash = entry.indexOf('/');
            if (slash <= 0 || slash == entry.length() - 1) {
                throw new IllegalArgumentException("has '" + entry + "' in " + MANIFEST_ATTRIBUTE + "; expected NAME/VERSION such as sqlite-jdbc/3.47.1.0");
            }
            String name = entry.substring(0, slash);
            String wanted = entry.substring(slash + 1);
            Library library = LIBRARIES.get(name);
            if (library == null) {
                throw new IllegalArgumentException("asks for the agent library '" + name + "', which this agent does not share (it shares: "
                        + String.join(", ", LIBRARIES.keySet().stream().sorted().toList()) + "); put the library into the plugin's folder instead");
            }
            String available = version(library, agentLoader);
            if (available == null) {
                throw new IllegalArgumentException("needs " + name + " " + wanted + " from the agent, which has no " + name + "; put the library into the plugin's folder instead");
            }
            if (!satisfies(available, wanted)) {
                throw new IllegalArgumentException("needs " + name + " " + wanted + " or a later " + major(wanted) + ".x from the agent, which has " + available
                        + "; install an agent with a matching " + name + ", or put the library into the plugin's folder instead");
            }
            preparation.getOrDefault(name, () -> {}).run();
            packages.addAll(library.packages());
        }
        return List.copyOf(packages);
    }

    private static String version(Library library, ClassLoader agentLoader)
    {
        URL resource = agentLoader.getResource(library.versionResource());
        if (resource == null) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = resource.openStream()) {
            properties.load(in);
        }
        catch (IOException e) {
            return null;
        }
        return properties.getProperty("version");
    }

    /** Same major version, and {@code available} at least {@code wanted}, compared number by number. */
    static boolean satisfies(String available, String wanted)
    {
        List<Long> have = numbers(available);
        List<Long> want = numbers(wanted);
        if (have.isEmpty() || want.isEmpty()) {
            throw new IllegalArgumentException("has a version that is not NUMBER.NUMBER...: '" + (want.isEmpty() ? wanted : available) + "'");
        }
        if (!have.get(0).equals(want.get(0))) {
            return false;
        }
        for (int i = 1; i < Math.max(have.size(), want.size()); i++) {
            long a = i < have.size() ? have.get(i) : 0;
            long b = i < want.size() ? want.get(i) : 0;
            if (a != b) {
                return a > b;
            }
        }
        return true;
    }

    private static String major(String version)
    {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    private static List<Long> numbers(String version)
    {
        List<Long> numbers = new ArrayList<>();
        for (String part : version.strip().split("\\.")) {
            try {
                numbers.add(Long.parseLong(part));
            }
            catch (NumberFormatException e) {
                return List.of();
            }
        }
        return numbers;
    }
}
