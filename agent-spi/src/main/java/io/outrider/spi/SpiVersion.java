package io.outrider.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The version of this SPI, {@code MAJOR.MINOR}.
 *
 * <p>The build of every plugin writes the SPI version it compiled against into its jar manifest under
 * {@value #MANIFEST_ATTRIBUTE}. The agent accepts a plugin whose major version equals {@link #MAJOR} and whose minor
 * version is at most {@link #MINOR}: minor versions only add (default methods, new types), a major version may break.
 *
 * <p>History: 1.0, the first contract. 1.1 added well-known {@link Fields} (systemd, Windows event log, file
 * integrity, user and source domains), {@link Event#builder(int)}, and test-kit helpers; nothing was removed or
 * changed, so plugins built for 1.0 run unchanged. 1.2 added {@link ComponentFactory#warnings}, a default method that
 * plugins built for 1.0 or 1.1 inherit (they report no warnings). 1.3 added the cross-OS security vocabulary
 * ({@link SecurityActions}, and {@link Fields} for targets, groups, commands and services) and
 * {@link DeliveryResult#deliveredSkipping}, so outputs report events their format cannot carry apart from delivered
 * ones, and {@link Output#probe} (a default method) for {@code outrider test output}; all are additions, plugins
 * built for 1.0 to 1.2 run unchanged. 1.3 also keeps {@link Stable} and {@link Experimental} at run time, so tools
 * can read them. 1.4 added rounds: {@link InputFactory#worksInRounds} (a default method, {@code false} for plugins
 * built before) and {@link Fields#OUTRIDER_ROUND_COMPLETE}, the field an input that works in rounds sets on the
 * last event of each round, which {@code outrider run-once} stops at; both are {@link Experimental} additions,
 * plugins built for 1.0 to 1.3 run unchanged. 1.5 added {@link Output#deliverAsync} (a default method that calls
 * {@code deliver}), so an output can have several batches outstanding; {@link EventVisitor} with
 * {@link EventVisitor.Source}, through which an output writes the events of a batch straight from their stored bytes
 * instead of from {@link Event}s ({@link Experimental}); and {@link Event#fieldCount} and {@link Event#forEachField},
 * which read an event's fields without the view {@link Event#fields} makes. Plugins built for 1.0 to 1.4 run unchanged.
 * 1.6 added {@link DeliveryResult#tooLarge(String, int)} and {@link DeliveryResult#fitting()}: an output that finds a
 * batch too large for one request says how many of its first events fit, and the agent splits there instead of in
 * halves and keeps the next batches to that size; plugins built for 1.0 to 1.5 run unchanged (their too-large
 * batches are halved, as before). 1.7 added {@link ComponentContext#reportProblem} and
 * {@link ComponentContext#clearProblem} (default methods): a component reports a problem the agent cannot see from
 * its calls into it (an output's failing heartbeat), which {@code /status} shows and {@code /ready} answers 503 for;
 * plugins built for 1.0 to 1.6 run unchanged and report none.
 *
 * <p>The version is set in one place, the build's {@code outrider.spi.version} (root {@code pom.xml}), which the build
 * writes into this jar as {@code io/outrider/spi/spi-version.properties}; this class reads it when it is loaded, and the plugin kit reads
 * the same file from the SPI jar a plugin compiles against to stamp the plugin's manifest. {@link #MAJOR} and
 * {@link #MINOR} are therefore not compile-time constants: a plugin that reads them at run time sees the version of
 * the agent it runs in, not the one it was compiled against.
 *
 * <p>The build holds the SPI to this rule: {@code agent-spi/api/agent-spi.api} records every public type and member
 * with the version that added it, and a test fails when one disappears or changes, or when one is added without a
 * newer minor version than the last released one.
 */
@Stable
public final class SpiVersion
{
    /** The jar-manifest attribute that carries the SPI version a plugin was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Outrider-Spi-Version";
    // not public: the file's place in the jar is the kit's business, not the SPI's
    static final String VERSION_RESOURCE = "spi-version.properties";

    private static final int[] LOADED = load();

    /** Breaking changes increment this (in the build's {@code outrider.spi.version}). */
    public static final int MAJOR = LOADED[0];
    /** Additive changes increment this (in the build's {@code outrider.spi.version}). */
    public static final int MINOR = LOADED[1];
    /** {@code MAJOR.MINOR} as text. */
    public static final String CURRENT = MAJOR + "." + MINOR;

    private SpiVersion() {}

    private static int[] load()
    {
        try (InputStream in = SpiVersion.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the agent-spi jar is incomplete: io/outrider/spi/" + VERSION_RESOURCE + " is missing");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null) {
                throw new IllegalStateException("io/outrider/spi/" + VERSION_RESOURCE + " in the agent-spi jar has no 'version'");
            }
            return parse(version);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read io/outrider/spi/" + VERSION_RESOURCE + " from the agent-spi jar", e);
        }
    }

    /**
     * Whether a plugin built against {@code pluginSpiVersion} can run on this SPI.
     *
     * @throws IllegalArgumentException if the text is not {@code MAJOR.MINOR}
     */
    public static boolean isCompatible(String pluginSpiVersion)
    {
        int[] parsed = parse(pluginSpiVersion);
        return parsed[0] == MAJOR && parsed[1] <= MINOR;
    }

    /**
     * Parses {@code MAJOR.MINOR} (a third {@code .PATCH} part is tolerated and ignored).
     *
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static int[] parse(String version)
    {
        requireNonNull(version, "version is null");
        String[] parts = version.trim().split("\\.");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("SPI version '" + version + "' is not of the form MAJOR.MINOR");
        }
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            if (major < 0 || minor < 0) {
                throw new NumberFormatException();
            }
            return new int[] {major, minor};
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("SPI version '" + version + "' is not of the form MAJOR.MINOR");
        }
    }
}
