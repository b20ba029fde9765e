package io.outrider.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux tarballs hold one sqlite-jdbc, without native libraries of its own: the launcher loads the one for this
 * machine from lib/native/ (for the core and input-fim alike), and a machine lib/native/ has nothing for is told so.
 * outrider-VERSION.tar.gz has the libraries of both architectures, outrider-VERSION-linux-ARCH.tar.gz those of one.
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
        assertThat(nativeEntries(copies.get(0))).isEmpty();
        try (ZipFile jar = new ZipFile(copies.get(0).toFile())) {
            assertThat(jar.getEntry("org/sqlite/JDBC.class")).isNotNull();
        }
        for (String platform : List.of("Linux-x86_64", "Linux-aarch64", "Linux-Musl-x86_64", "Linux-Musl-aarch64")) {
            assertThat(distribution.path("lib/native/" + platform + "/libsqlitejdbc.so")).as(platform).isRegularFile();
        }
    }

    @Test
    void eachPlatformArchiveHasTheNativeLibrariesOfItsArchitectureOnly(@TempDir Path temp)
            throws Exception
    {
        for (String arch : List.of("x86_64", "aarch64")) {
            Distribution distribution = Distribution.unpack(temp.resolve(arch), Distribution.platformTarball(arch));

            assertThat(TestTarball.fileNames(distribution.path("lib/native"))).as(arch).containsExactly("Linux-Musl-" + arch, "Linux-" + arch);
            // lz4-java's library (the buffer's compression, TestLz4NativeLibrary) for glibc only: on musl the agent compresses in Java
            assertThat(TestTarball.fileNames(distribution.path("lib/native/Linux-" + arch))).as(arch).containsExactly("liblz4-java.so", "libsqlitejdbc.so");
            assertThat(TestTarball.fileNames(distribution.path("lib/native/Linux-Musl-" + arch))).as(arch).containsExactly("libsqlitejdbc.so");
            assertThat(nativeEntries(distribution.path("lib/sqlite-jdbc-" + sqliteJdbcVersion(distribution) + ".jar"))).as(arch).isEmpty();
            String jnaPlatform = "x86_64".equals(arch) ? "linux-x86-64" : "linux-aarch64";
            try (Stream<Path> files = Files.list(distribution.path("plugins/input-journald"))) {
                Path jna = files.filter(file -> file.getFileName().toString().startsWith("jna-")).findFirst().orElseThrow();
                assertThat(nativeEntries(jna)).as(arch).containsExactly("com/sun/jna/" + jnaPlatform + "/libjnidispatch.so");
            }
        }
    }

    @Test
    void theArchiveForTheOtherArchitectureSaysWhichItIs(@TempDir Path temp)
            throws Exception
    {
        String other = Distribution.otherArchitecture();
        Distribution distribution = Distribution.unpack(temp.resolve("dist"), Distribution.platformTarball(other));
        Path log = Files.writeString(temp.resolve("app.log"), "hello\n");
        Path config = Files.writeString(temp.resolve("outrider.yaml"), """
                pipelines:
                  p:
                    inputs:
                      f: { type: file, paths: ["%s"] }
                    outputs:
                      out: { type: console, format: text }
                """.formatted(log));

        // the operator's way: bin/outrider, which finds nothing in lib/native/ for this machine
        Commands.Result run = distribution.outrider(temp.resolve("data"), Map.of(), "run", "-c", config.toString());

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr()).contains("this Outrider has no SQLite native library for Linux/" + Distribution.thisArchitecture()
                + " (lib/native/ has Linux-Musl-" + other + ", Linux-" + other + "); use the distribution built for this machine, or name a libsqlitejdbc built for it with"
                + " OUTRIDER_EXTRA_JAVA_OPTS=\"-Dorg.sqlite.lib.path=DIR -Dorg.sqlite.lib.name=FILE\"");
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

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr()).contains("this Outrider has no SQLite native library for Linux/" + Distribution.thisArchitecture()
                + " (lib/native/ has Linux-Musl-aarch64, Linux-Musl-x86_64, Linux-aarch64, Linux-x86_64); use the distribution built for this machine, or name a libsqlitejdbc built for it with"
                + " OUTRIDER_EXTRA_JAVA_OPTS=\"-Dorg.sqlite.lib.path=DIR -Dorg.sqlite.lib.name=FILE\"");
    }

    /** The native libraries in a jar: sqlite-jdbc's (org/sqlite/native/) and JNA's dispatch libraries. */
    private static List<String> nativeEntries(Path jar)
            throws IOException
    {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> !name.endsWith("/"))
                    .filter(name -> name.startsWith("org/sqlite/native/") || name.matches("com/sun/jna/[^/]+/(lib)?jnidispatch\\.[a-z]+"))
                    .sorted()
                    .toList();
        }
    }

    private static String sqliteJdbcVersion(Distribution distribution)
            throws IOException
    {
        return TestTarball.fileNames(distribution.path("lib")).stream()
                .filter(name -> name.startsWith("sqlite-jdbc-") && name.endsWith(".jar"))
                .map(name -> name.substring("sqlite-jdbc-".length(), name.length() - ".jar".length()))
                .findFirst()
                .orElseThrow();
    }
}
