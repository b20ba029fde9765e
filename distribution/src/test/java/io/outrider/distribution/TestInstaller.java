package io.outrider.distribution;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * install.sh into a throw-away root (--root): what it makes, that a second run changes nothing, that a version can
 * be pinned, and that --uninstall leaves the root exactly as it found it.
 */
class TestInstaller
{
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(2);
    private static final String API_KEY = "k3y-with-$pecial\\chars";
    // useradd and groupdel keep the previous passwd/group/shadow/gshadow as FILE-, as on any host; not ours
    private static final Set<String> SHADOW_BACKUPS = Set.of("etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-");

    @Test
    void installsIdempotentlyAndUninstallsCleanly(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path root = throwAwayRoot(temp);
        List<String> pristine = snapshot(root);
        Map<String, String> environment = Map.of("OUTRIDER_API_KEY", API_KEY, "OUTRIDER_SERVER", "https://collector.example");
        String version = Distribution.version();

        Commands.Result install = install(distribution, environment, "--root", root.toString(), "--no-systemd");
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.stdout() + install.stderr()).doesNotContain(API_KEY);

        assertThat(Files.readSymbolicLink(root.resolve("opt/outrider/current"))).isEqualTo(Path.of("releases/" + version));
        assertThat(root.resolve("opt/outrider/current/bin/outrider")).isExecutable();
        assertThat(root.resolve("etc/systemd/system/outrider.service")).doesNotExist();
        Path config = root.resolve("etc/outrider/outrider.yaml");
        Path environmentFile = root.resolve("etc/outrider/agent.env");
        assertThat(permissions(config)).isEqualTo("rw-r-----");
        assertThat(permissions(environmentFile)).isEqualTo("rw-------");
        assertThat(Files.readAllLines(environmentFile)).contains("OUTRIDER_API_KEY='" + API_KEY + "'", "OUTRIDER_SERVER='https://collector.example'");
        assertThat(Files.readString(config)).doesNotContain(API_KEY);
        assertThat(permissions(root.resolve("var/lib/outrider"))).isEqualTo("rwxr-x---");
        if (isRoot()) {
            assertThat(Files.readAllLines(root.resolve("etc/passwd"))).anyMatch(line -> line.startsWith("outrider:") && line.contains(":/var/lib/outrider:"));
            int uid = Integer.parseInt(Files.readAllLines(root.resolve("etc/passwd")).stream().filter(line -> line.startsWith("outrider:")).findFirst().orElseThrow().split(":")[2]);
            assertThat(Files.getAttribute(root.resolve("var/lib/outrider"), "unix:uid")).isEqualTo(uid);
        }
        else {
            assertThat(install.stdout()).contains("not root: not creating the 'outrider' user");
        }

        // what it installed is a working agent with a valid configuration
        Commands.Result validate = Distribution.at(root.resolve("opt/outrider/current"))
                .outrider(temp.resolve("data"), Map.of(), "validate", "-c", config.toString());
        assertThat(validate.exitCode()).as(validate.describe()).isZero();

        List<String> installed = snapshot(root);
        Commands.Result again = install(distribution, environment, "--root", root.toString(), "--no-systemd");
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stdout()).isEqualTo("install.sh: Outrider " + version + " is installed already; nothing changed\n");
        assertThat(snapshot(root)).isEqualTo(installed);

        Commands.Result uninstall = install(distribution, Map.of(), "--root", root.toString(), "--uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.describe()).isZero();
        assertThat(snapshot(root)).isEqualTo(pristine);

        Commands.Result uninstallAgain = install(distribution, Map.of(), "--root", root.toString(), "--uninstall");
        assertThat(uninstallAgain.exitCode()).as(uninstallAgain.describe()).isZero();
        assertThat(uninstallAgain.stdout()).isEqualTo("install.sh: nothing to uninstall under " + root.toRealPath() + " (no /opt/outrider/install-manifest)\n");
    }

    @Test
    void pinsAVersionAndWritesTheUnitForThePrefix(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path root = throwAwayRoot(temp);
        List<String> pristine = snapshot(root);
        String version = Distribution.version();
        String prefix = "--prefix";

        Commands.Result missing = install(distribution, Map.of(), "--root", root.toString(), prefix, "/srv/outrider", "--version", "9.9.9");
        assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(1);
        assertThat(missing.stderr()).isEqualTo("install.sh: version 9.9.9 is neither this bundle (" + version + ") nor installed; "
                + temp.toRealPath() + "/outrider-9.9.9.tar.gz does not exist (use --from)\n");
        assertThat(snapshot(root)).isEqualTo(pristine);

        // another release, as a tarball in a download folder
        Path releases = Files.createDirectories(temp.resolve("releases"));
        Path other = temp.resolve("other/outrider-0.0.1-pinned");
        TestThirdPartyPlugin.copyTree(distribution.home(), other);
        Files.writeString(other.resolve("VERSION"), "0.0.1-pinned\n");
        Commands.Result pack = Commands.run(other.getParent(), Map.of(), Distribution.COMMAND_TIMEOUT,
                "tar", "-czf", releases.resolve("outrider-0.0.1-pinned.tar.gz").toString(), "outrider-0.0.1-pinned");
        assertThat(pack.exitCode()).as(pack.describe()).isZero();

        // fetched from a download server (curl), as from a release site
        HttpServer downloads = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        downloads.createContext("/releases/", exchange -> {
            try (exchange) {
                Path file = releases.resolve(exchange.getRequestURI().getPath().substring("/releases/".length())).normalize();
                if (!file.startsWith(releases) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, Files.size(file));
                Files.copy(file, exchange.getResponseBody());
            }
        });
        downloads.start();
        try {
            String from = "http://127.0.0.1:" + downloads.getAddress().getPort() + "/releases";
            Commands.Result notThere = install(distribution, Map.of(), "--root", root.toString(), prefix, "/srv/outrider", "--version", "0.0.2", "--from", from);
            assertThat(notThere.exitCode()).as(notThere.describe()).isEqualTo(1);
            // curl's own reason first, then ours
            assertThat(notThere.stderr()).contains("404").endsWith("install.sh: cannot download " + from + "/outrider-0.0.2.tar.gz\n");

            Commands.Result pinned = install(distribution, Map.of(), "--root", root.toString(), prefix, "/srv/outrider", "--version", "0.0.1-pinned", "--from", from);
            assertThat(pinned.exitCode()).as(pinned.describe()).isZero();
        }
        finally {
            downloads.stop(0);
        }
        assertThat(Files.readSymbolicLink(root.resolve("srv/outrider/current"))).isEqualTo(Path.of("releases/0.0.1-pinned"));

        Commands.Result upgrade = install(distribution, Map.of(), "--root", root.toString(), prefix, "/srv/outrider");
        assertThat(upgrade.exitCode()).as(upgrade.describe()).isZero();
        assertThat(Files.readSymbolicLink(root.resolve("srv/outrider/current"))).isEqualTo(Path.of("releases/" + version));
        // the replaced release stays for a rollback, which then needs no tarball
        assertThat(TestTarball.fileNames(root.resolve("srv/outrider/releases"))).containsExactlyInAnyOrder("0.0.1-pinned", version);
        Commands.Result rollback = install(distribution, Map.of(), "--root", root.toString(), prefix, "/srv/outrider", "--version", "0.0.1-pinned");
        assertThat(rollback.exitCode()).as(rollback.describe()).isZero();
        assertThat(Files.readSymbolicLink(root.resolve("srv/outrider/current"))).isEqualTo(Path.of("releases/0.0.1-pinned"));

        Path unit = root.resolve("etc/systemd/system/outrider.service");
        List<String> unitLines = Files.readAllLines(unit);
        assertThat(unitLines).contains(
                "ExecStart=/srv/outrider/current/bin/outrider run -c /etc/outrider/outrider.yaml",
                "SupplementaryGroups=adm",
                "EnvironmentFile=-/etc/outrider/agent.env",
                "User=outrider",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/outrider",
                "MemoryMax=384M",
                "Restart=on-failure");
        assertThat(unitLines).noneMatch(line -> line.contains("/opt/outrider"));
        verifyUnit(unit, root, temp);

        Commands.Result uninstall = install(distribution, Map.of(), "--root", root.toString(), prefix, "/srv/outrider", "--uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.describe()).isZero();
        assertThat(snapshot(root)).isEqualTo(pristine);
    }

    /** systemd's own check of every directive (unknown keys, bad values), with ExecStart pointed into the root. */
    private static void verifyUnit(Path unit, Path root, Path temp)
            throws IOException, InterruptedException
    {
        boolean available = Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "systemd-analyze")));
        if (!available && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("systemd-analyze is missing: install the Debian package systemd");
        }
        assumeTrue(available, "systemd-analyze is missing: install the Debian package systemd to check the unit file");
        Path copy = temp.resolve("outrider.service");
        Files.writeString(copy, Files.readString(unit).replace("/srv/outrider/", root.toRealPath() + "/srv/outrider/"));
        Commands.Result verify = Commands.run(temp, Map.of(), Distribution.COMMAND_TIMEOUT, "systemd-analyze", "verify", copy.toString());
        assertThat(verify.exitCode()).as(verify.describe()).isZero();
        assertThat(verify.stderr()).as(verify.describe()).isEmpty();
    }

    private static Commands.Result install(Distribution distribution, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(distribution.path("install.sh").toString());
        command.addAll(List.of(arguments));
        Map<String, String> withJava = new java.util.HashMap<>(environment);
        withJava.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        withJava.putIfAbsent("OUTRIDER_API_KEY", null);
        withJava.putIfAbsent("OUTRIDER_SERVER", null);
        return Commands.run(distribution.home(), withJava, INSTALL_TIMEOUT, command);
    }

    /** A root with just the account files useradd needs: root, and the adm group (but no systemd-journal). */
    private static Path throwAwayRoot(Path temp)
            throws IOException
    {
        Path root = Files.createDirectories(temp.resolve("root/etc"));
        Files.writeString(root.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(root.resolve("group"), "root:x:0:\nadm:x:4:\n");
        Files.writeString(root.resolve("shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("gshadow"), "root:*::\nadm:*::\n");
        return root.getParent();
    }

    /** Every path under {@code root} with its type, permissions, owner and content digest (links: their target). */
    private static List<String> snapshot(Path root)
            throws IOException
    {
        List<String> entries = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted().toList()) {
                String relative = root.relativize(path).toString();
                if (SHADOW_BACKUPS.contains(relative)) {
                    continue;
                }
                String owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":" + Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                if (Files.isSymbolicLink(path)) {
                    entries.add(relative + " -> " + Files.readSymbolicLink(path) + " " + owner);
                }
                else if (Files.isDirectory(path)) {
                    entries.add(relative + "/ " + permissions(path) + " " + owner);
                }
                else {
                    entries.add(relative + " " + permissions(path) + " " + owner + " " + digest(path));
                }
            }
        }
        return entries;
    }

    private static String permissions(Path path)
            throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static String digest(Path file)
            throws IOException
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot()
            throws IOException, InterruptedException
    {
        Commands.Result id = Commands.run(Path.of("."), Map.of(), Distribution.COMMAND_TIMEOUT, "id", "-u");
        return id.stdout().trim().equals("0");
    }
}
