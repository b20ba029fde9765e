package io.outrider.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code outrider-<version>-windows.zip}: the Windows layout (bin\outrider.cmd, input-winevent, sqlite-jdbc with its
 * Windows libraries only, nothing Linux-only), and its agent loading every plugin it ships. The .cmd launcher itself
 * needs a Windows machine; here the agent is started the way it starts it, with java -cp lib/*.
 */
class TestWindowsArchive
{
    @Test
    void holdsTheWindowsLayoutAndItsPluginsLoad(@TempDir Path temp)
            throws Exception
    {
        Path archive = Path.of(System.getProperty("outrider.dist.windows.zip")).toAbsolutePath();
        assertThat(archive).as("the Windows zip; mvn verify builds it").isRegularFile();
        String top = "outrider-" + Distribution.version() + "/";
        List<String> names;
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            names = zip.stream().map(ZipEntry::getName).toList();
            String launcher = new String(zip.getInputStream(zip.getEntry(top + "bin/outrider.cmd")).readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(launcher).startsWith("@echo off\r\n").contains("io.outrider.core.cli.Main").doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
        }
        assertThat(names).contains(top + "plugins/input-winevent/", top + "plugins/input-file/", top + "plugins/parser-sshd/", top + "plugins/output-http/",
                top + "config/outrider.yaml", top + "lib/agent-core-" + Distribution.version() + ".jar");
        assertThat(names).noneMatch(name -> name.startsWith(top + "plugins/input-journald/") || name.startsWith(top + "plugins/output-kafka/")
                || name.startsWith(top + "lib/native/") || name.startsWith(top + "systemd/") || name.startsWith(top + "container/")
                || name.endsWith(".sh") || name.equals(top + "bin/outrider"));

        Path home = unzip(archive, temp);
        Path sqlite = home.resolve("lib/sqlite-jdbc-" + sqliteVersion(home) + ".jar");
        try (ZipFile jar = new ZipFile(sqlite.toFile())) {
            assertThat(jar.stream().map(ZipEntry::getName).filter(name -> name.startsWith("org/sqlite/native/") && !name.endsWith("/")))
                    .containsExactlyInAnyOrder("org/sqlite/native/Windows/x86_64/sqlitejdbc.dll", "org/sqlite/native/Windows/aarch64/sqlitejdbc.dll");
        }

        Path jna;
        try (var files = Files.list(home.resolve("plugins/input-winevent"))) {
            jna = files.filter(file -> file.getFileName().toString().matches("jna-[0-9.]+\\.jar")).findFirst().orElseThrow();
        }
        try (ZipFile jar = new ZipFile(jna.toFile())) {
            assertThat(jar.stream().map(ZipEntry::getName).filter(name -> name.matches("com/sun/jna/[^/]+/(lib)?jnidispatch\\.[a-z]+")))
                    .containsExactlyInAnyOrder("com/sun/jna/win32-x86-64/jnidispatch.dll", "com/sun/jna/win32-aarch64/jnidispatch.dll");
        }

        Commands.Result plugins = Commands.run(home, Map.of("OUTRIDER_DATA_DIR", temp.resolve("data").toString()), Distribution.COMMAND_TIMEOUT,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Doutrider.home=" + home, "-cp", home.resolve("lib") + "/*",
                "io.outrider.core.cli.Main", "plugins");
        assertThat(plugins.exitCode()).as(plugins.describe()).isZero();
        assertThat(plugins.stdout()).contains("input-winevent", "input-fim", "output-http").doesNotContain("skipped");
    }

    private static String sqliteVersion(Path home)
            throws IOException
    {
        try (var files = Files.list(home.resolve("lib"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith("sqlite-jdbc-")).findFirst().orElseThrow()
                    .replaceFirst("^sqlite-jdbc-", "").replaceFirst("\\.jar$", "");
        }
    }

    private static Path unzip(Path archive, Path directory)
            throws IOException
    {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                Path target = directory.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(directory)).as(entry.getName()).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
            }
        }
        return directory.resolve("outrider-" + Distribution.version());
    }
}
