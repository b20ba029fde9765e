package io.outrider.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux tarball holds one sqlite-jdbc, without native libraries of its own: the launcher loads the one for this
 * machine from lib/native/ (for the core and input-fim alike), and a machine lib/native/ has nothing for is told so.
 */
class TestSqliteNativeLibraries
{
    @Test
    void oneSqliteJdbcWithoutNativeLibrariesAndTheLinuxOnesInLibNative(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);

        List<Path> copies;
        try (Stream<Path> files = Files.walk(distribution.home())) {
            copies = files.filter(file -> file.getFileName().toString().startsWith("sqlite-jdbc-")).toList();
        }
        assertThat(copies).singleElement().satisfies(jar -> assertThat(jar.getParent()).isEqualTo(distribution.path("lib")));
        try (ZipFile jar = new ZipFile(copies.get(0).toFile())) {
            assertThat(jar.stream().map(entry -> entry.getName()).filter(name -> name.startsWith("org/sqlite/native/"))).isEmpty();
            assertThat(jar.getEntry("org/sqlite/JDBC.class")).isNotNull();
        }
        for (String platform : List.of("Linux-x86_64", "Linux-aarch64", "Linux-Musl-x86_64", "Linux-Musl-aarch64")) {
            assertThat(distribution.path("lib/native/" + platform + "/libsqlitejdbc.so")).as(platform).isRegularFile();
        }
    }

    @Test
    void aMachineWithoutALibrarySaysWhatToDo(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp.resolve("dist"));
        Path log = Files.writeString(temp.resolve("app.log"), "hello\n");
        Path config = Files.writeString(temp.resolve("outrider.yaml"), """
                pipelines:
                  p:
                    inputs:
                      f: { type: file, paths: ["%s"] }
                    outputs:
                      out: { type: console, format: text }
                """.formatted(log));
        Map<String, String> environment = new HashMap<>();
        environment.put("OUTRIDER_DATA_DIR", temp.resolve("data").toString());

        // as bin/outrider starts it on a machine lib/native/ has nothing for: no outrider.sqlite.native
        Commands.Result run = Commands.run(temp, environment, Distribution.COMMAND_TIMEOUT,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Doutrider.home=" + distribution.home(),
                "-cp", distribution.path("lib") + "/*", "io.outrider.core.cli.Main", "run", "-c", config.toString());

        String arch = System.getProperty("os.arch");
        String platform = "Linux/" + ("amd64".equals(arch) ? "x86_64" : arch);
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr()).contains("this Outrider has no SQLite native library for " + platform
                + " (lib/native/ has Linux x86_64 and aarch64, glibc and musl); use the distribution built for this machine, or name a libsqlitejdbc built for it with"
                + " OUTRIDER_EXTRA_JAVA_OPTS=\"-Dorg.sqlite.lib.path=DIR -Dorg.sqlite.lib.name=FILE\"");
    }
}
