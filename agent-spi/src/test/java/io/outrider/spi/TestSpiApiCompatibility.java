package io.outrider.spi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility gate of the SPI: its public surface (see {@link SpiApiSignatures}) must equal the recorded one in
 * {@code agent-spi/api/agent-spi.api}. A line that is gone or changed breaks plugins compiled against it: restore it,
 * or make the change in a new major version. A new line must be recorded with the SPI version that adds it, and that
 * version must be newer than the last released one, so an addition cannot ship without a minor-version bump.
 * Recording: {@code mvn -pl agent-spi test -Dtest=TestSpiApiCompatibility -Doutrider.spi.api.update=true} adds the new
 * lines (tagged {@link SpiVersion#CURRENT}) and never removes one.
 */
class TestSpiApiCompatibility
{
    private static final String RELEASED_PREFIX = "# released: ";

    @Test
    void thePublicSurfaceIsTheRecordedOne()
            throws IOException, URISyntaxException
    {
        Path classes = Path.of(SpiVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> current = SpiApiSignatures.of(classes, getClass().getClassLoader());
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("api").resolve("agent-spi.api");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String released = lines.stream().filter(line -> line.startsWith(RELEASED_PREFIX)).map(line -> line.substring(RELEASED_PREFIX.length()).trim())
                .findFirst().orElseThrow(() -> new AssertionError(file + " has no '" + RELEASED_PREFIX + "MAJOR.MINOR' line"));
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int tab = line.indexOf('\t');
                recorded.put(line.substring(tab + 1), line.substring(0, tab));
            }
        }

        List<String> added = current.stream().filter(signature -> !recorded.containsKey(signature)).toList();
        if (!added.isEmpty() && Boolean.getBoolean("outrider.spi.api.update")) {
            List<String> updated = new ArrayList<>(lines);
            added.forEach(signature -> updated.add(SpiVersion.CURRENT + "\t" + signature));
            Files.write(file, updated, StandardCharsets.UTF_8);
            added.forEach(signature -> recorded.put(signature, SpiVersion.CURRENT));
            added = List.of();
        }

        List<String> gone = recorded.keySet().stream().filter(signature -> !current.contains(signature)).toList();
        assertThat(gone).as("SPI lines that are gone or changed break plugins compiled against them; restore them, or change them only "
                + "in a new major version (then edit " + file + " by hand)").isEmpty();
        assertThat(added).as("SPI additions not recorded in " + file + "; record them with -Doutrider.spi.api.update=true").isEmpty();
        int[] releasedVersion = SpiVersion.parse(released);
        for (Map.Entry<String, String> entry : recorded.entrySet()) {
            int[] since = SpiVersion.parse(entry.getValue());
            boolean newerThanRelease = compare(since, releasedVersion) > 0;
            assertThat(compare(since, new int[] {SpiVersion.MAJOR, SpiVersion.MINOR})).as("%s is recorded as added in SPI %s, after the "
                    + "current %s", entry.getKey(), entry.getValue(), SpiVersion.CURRENT).isLessThanOrEqualTo(0);
            if (newerThanRelease) {
                assertThat(compare(new int[] {SpiVersion.MAJOR, SpiVersion.MINOR}, releasedVersion)).as("%s was added after the released SPI "
                        + "%s, so SpiVersion must be newer than %s", entry.getKey(), released, released).isGreaterThan(0);
            }
        }
    }

    @Test
    void theSignaturesSeeWhatBreaksAPlugin()
            throws URISyntaxException
    {
        Path classes = Path.of(SpiVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> current = SpiApiSignatures.of(classes, getClass().getClassLoader());

        assertThat(current).contains(
                "io.outrider.spi.Output#deliver public abstract io.outrider.spi.DeliveryResult deliver(java.util.List<io.outrider.spi.Event>) "
                        + "throws java.lang.InterruptedException",
                "io.outrider.spi.SecurityActions#LOGIN_FAILED public static final java.lang.String = \"auth.login_failed\"",
                "io.outrider.spi.SecurityActions public final class io.outrider.spi.SecurityActions @Experimental");
        assertThat(current).anyMatch(line -> line.startsWith("io.outrider.spi.ComponentFactory#warnings public default "));
        assertThat(current).noneMatch(line -> line.contains("SpiApiSignatures"));
    }

    private static int compare(int[] left, int[] right)
    {
        return left[0] != right[0] ? Integer.compare(left[0], right[0]) : Integer.compare(left[1], right[1]);
    }
}
