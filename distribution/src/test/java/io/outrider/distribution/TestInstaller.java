package io.outrider.distribution;

import com.sun.net.httpserver.HttpExchange;
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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * install.sh into a throw-away root (--root): what it makes, that a second run changes nothing, that a version can
 * be pinned, that --uninstall leaves the root exactly as it found it, that the configuration it writes ships events
 * to the collector it was given (checked by starting the installed agent against a loopback collector), and that
 * the unit it installs passes systemd's own checks, hardening included.
 */
class TestInstaller
{
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(2);
    private static final String API_KEY = "k3y-with-$pecial\\chars";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final double MAX_EXPOSURE = 2.0;
    private static final String CONSOLE_ONLY = "install.sh: no collector given (OUTRIDER_SERVER and OUTRIDER_API_KEY, or LITESOC_KEY, or LOGNOG_SERVER and"
            + " LOGNOG_API_KEY): the agent will only print events to the console and ship nothing\n";
    // every variable install.sh reads, so that the test's own environment cannot leak into an install
    private static final List<String> INSTALLER_VARIABLES = List.of("OUTRIDER_SERVER", "OUTRIDER_API_KEY", "LITESOC_KEY", "LITESOC_SERVER",
            "LOGNOG_SERVER", "LOGNOG_API_KEY");
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
        // a generic collector: NDJSON to the server, with the key only referenced
        assertThat(Files.readString(config)).doesNotContain(API_KEY)
                .contains("        format: ndjson\n        endpoint: ${OUTRIDER_SERVER}\n        api_key: ${OUTRIDER_API_KEY}\n");
        assertThat(install.stdout()).contains("install.sh: wrote /etc/outrider/outrider.yaml: events go to https://collector.example in the ndjson format"
                + " (the address and key are in /etc/outrider/agent.env)\n");
        assertThat(install.stdout()).doesNotContain("console");

        // outrider on the PATH: a link that resolves inside the root as well as on the host
        Path link = root.resolve("usr/local/bin/outrider");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("../../../opt/outrider/current/bin/outrider"));
        Commands.Result linked = Commands.run(temp, Distribution.agentEnvironment(temp.resolve("data"), Map.of()), Distribution.COMMAND_TIMEOUT,
                link.toString(), "--version");
        assertThat(linked.exitCode()).as(linked.describe()).isZero();
        assertThat(linked.stdout()).startsWith("outrider " + version + " ");
        assertThat(permissions(root.resolve("var/lib/outrider"))).isEqualTo("rwx------");
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
                .outrider(temp.resolve("data"), environmentFileVariables(environmentFile), "validate", "-c", config.toString());
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
                "ExecStartPre=-+/srv/outrider/current/bin/make-cds-archive --if-stale",
                "SupplementaryGroups=adm",
                "EnvironmentFile=-/etc/outrider/agent.env",
                "User=outrider",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/outrider",
                "StateDirectoryMode=0700",
                "MemoryHigh=256M",
                "MemoryMax=384M",
                "Restart=on-failure",
                "PrivateUsers=yes",
                "ProtectProc=invisible",
                "CapabilityBoundingSet=",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
                "SystemCallFilter=@system-service",
                "SystemCallFilter=~@privileged @resources");
        assertThat(unitLines).noneMatch(line -> line.contains("/opt/outrider"));
        // the JVM needs both: ProcSubset=pid hides /proc/net/if_inet6 (no IPv6 at all) and /proc/cgroups (no limits);
        // the JIT compiler writes executable memory
        assertThat(unitLines).doesNotContain("ProcSubset=pid", "MemoryDenyWriteExecute=yes");
        verifyUnit(unit, root, temp);
        assertHardened(unit, temp);

        Commands.Result uninstall = install(distribution, Map.of(), "--root", root.toString(), prefix, "/srv/outrider", "--uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.describe()).isZero();
        assertThat(snapshot(root)).isEqualTo(pristine);
    }

    @Test
    void installedAgentShipsToTheLiteSocCollectorItWasGiven(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path root = throwAwayRoot(temp);
        // created once the agent runs: a file that appears later is read from its beginning
        Path authLog = temp.resolve("logs/auth.log");
        Files.createDirectories(authLog.getParent());
        String key = "lsk_live_delivery_42";
        try (RecordingCollector collector = RecordingCollector.start()) {
            Commands.Result install = install(distribution, Map.of("LITESOC_KEY", key, "LITESOC_SERVER", collector.baseUrl()),
                    "--root", root.toString(), "--no-systemd", "--log-paths", authLog.toString());
            assertThat(install.exitCode()).as(install.describe()).isZero();
            assertThat(install.stdout() + install.stderr()).doesNotContain(key);
            // a walkthrough's host had none of the default logs: the installed agent read nothing, and nobody said so
            assertThat(install.stderr()).startsWith("install.sh: outrider validate warns (the agent is installed and starts anyway):\n1) /etc/outrider/outrider.yaml:")
                    .contains(": path \"" + authLog + "\" matches no file yet");
            assertThat(install.stdout()).contains("install.sh: wrote /etc/outrider/outrider.yaml: events go to " + collector.baseUrl()
                    + " in the litesoc format (the address and key are in /etc/outrider/agent.env)\n");
            Path config = root.resolve("etc/outrider/outrider.yaml");
            assertThat(Files.readString(config)).doesNotContain(key)
                    .contains("        paths: [\"" + authLog + "\"]\n")
                    .contains("    unmatched: drop")
                    .contains("        format: litesoc\n        endpoint: ${OUTRIDER_SERVER}\n        api_key: ${OUTRIDER_API_KEY}\n");
            Map<String, String> environment = environmentFileVariables(root.resolve("etc/outrider/agent.env"));
            assertThat(environment).containsEntry("OUTRIDER_SERVER", collector.baseUrl()).containsEntry("OUTRIDER_API_KEY", key);

            // the installed files only: the link on the PATH, the installed configuration, the env file's variables,
            // the data directory the installer made (as the unit sets OUTRIDER_DATA_DIR)
            Distribution installed = Distribution.at(root.resolve("usr/local"));
            try (AgentProcess agent = installed.start(config, root.resolve("var/lib/outrider"), environment)) {
                // until the input tails the file, lines written to it can be skipped (read_from: end at the first
                // start); a probe per half second shows when it does
                for (int probe = 0; collector.events().isEmpty(); probe++) {
                    assertThat(probe).as("no event reached the collector\n" + agent.describe()).isLessThan(120);
                    assertThat(agent.isAlive()).as(agent.describe()).isTrue();
                    Files.writeString(authLog, "Dec  5 10:00:00 web-01 sshd[4000]: Failed password for invalid user probe from 198.51.100.1 port "
                            + (40000 + probe) + " ssh2\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    collector.awaitEvents(received -> !received.isEmpty(), Duration.ofMillis(500));
                }
                Files.writeString(authLog, """
                        Dec  5 10:00:01 web-01 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 52211 ssh2
                        Dec  5 10:00:02 web-01 sshd[4243]: Accepted publickey for alice from 203.0.113.8 port 52212 ssh2: ED25519 SHA256:abc
                        """, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                // probes still on their way may arrive first
                List<String> events = collector.awaitEvents(received -> received.stream().filter(event -> event.contains("203.0.113.")).count() >= 2, DELIVERY_TIMEOUT);
                assertThat(events).as(agent.describe())
                        .anySatisfy(event -> assertThat(event).contains("\"event\":\"auth.login_failed\"", "\"user_ip\":\"203.0.113.7\"", "\"actor\":{\"id\":\"admin\"}"))
                        .anySatisfy(event -> assertThat(event).contains("\"event\":\"auth.login_success\"", "\"user_ip\":\"203.0.113.8\"", "\"actor\":{\"id\":\"alice\"}"));
                assertThat(collector.apiKeys()).isNotEmpty().containsOnly(key);
                assertThat(agent.stop()).as(agent.describe()).isZero();
                assertThat(agent.stdout() + agent.stderr()).doesNotContain(key);
                // an install that works says nothing at WARN or above: an operator learns to ignore a warning at every start
                assertThat(agent.stderr().lines().filter(line -> line.matches("\\S+ (WARN|ERROR) .*"))).as(agent.describe()).isEmpty();
            }
        }
    }

    @Test
    void takesTheSeedsVariablesAndSaysWhenNothingShips(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);

        // LiteSOC's own variable alone: its cloud, its format
        Path liteSoc = throwAwayRoot(temp.resolve("litesoc"));
        Commands.Result liteSocInstall = install(distribution, Map.of("LITESOC_KEY", "lsk_live_only_key"), "--root", liteSoc.toString(), "--no-systemd");
        assertThat(liteSocInstall.exitCode()).as(liteSocInstall.describe()).isZero();
        assertThat(liteSocInstall.stdout() + liteSocInstall.stderr()).doesNotContain("lsk_live_only_key");
        assertThat(Files.readAllLines(liteSoc.resolve("etc/outrider/agent.env")))
                .contains("OUTRIDER_SERVER='https://api.litesoc.io'", "OUTRIDER_API_KEY='lsk_live_only_key'");
        assertThat(Files.readString(liteSoc.resolve("etc/outrider/outrider.yaml"))).doesNotContain("lsk_live_only_key")
                .contains("        paths: [\"/var/log/auth.log\", \"/var/log/secure\"]\n", "      sshd: { type: sshd }", "        format: litesoc\n");

        // LogNog's, with the key from standard input: every line of the system logs, and file integrity
        Path logNog = throwAwayRoot(temp.resolve("lognog"));
        Path keyFile = temp.resolve("key.txt");
        Files.writeString(keyFile, "lognog-stdin-key\n");
        Commands.Result logNogInstall = installWithInput(distribution, Map.of("LOGNOG_SERVER", "https://lognog.example"), keyFile,
                "--root", logNog.toString(), "--no-systemd", "--api-key-stdin");
        assertThat(logNogInstall.exitCode()).as(logNogInstall.describe()).isZero();
        assertThat(logNogInstall.stdout() + logNogInstall.stderr()).doesNotContain("lognog-stdin-key");
        assertThat(Files.readAllLines(logNog.resolve("etc/outrider/agent.env")))
                .contains("OUTRIDER_SERVER='https://lognog.example'", "OUTRIDER_API_KEY='lognog-stdin-key'");
        assertThat(Files.readString(logNog.resolve("etc/outrider/outrider.yaml"))).doesNotContain("lognog-stdin-key")
                .contains("    unmatched: keep", "        type: fim\n", "        format: lognog\n");

        // no collector: the agent only prints to the console, and the installer says so on every run
        Path console = throwAwayRoot(temp.resolve("console"));
        Commands.Result consoleInstall = install(distribution, Map.of(), "--root", console.toString(), "--no-systemd");
        assertThat(consoleInstall.exitCode()).as(consoleInstall.describe()).isZero();
        assertThat(consoleInstall.stdout()).contains(CONSOLE_ONLY);
        assertThat(Files.readString(console.resolve("etc/outrider/outrider.yaml"))).contains("        type: console\n").doesNotContain("type: http");
        Commands.Result again = install(distribution, Map.of(), "--root", console.toString(), "--no-systemd");
        assertThat(again.stdout()).isEqualTo(CONSOLE_ONLY + "install.sh: Outrider " + Distribution.version() + " is installed already; nothing changed\n");

        // given a collector later, the configuration install.sh wrote (and nobody changed) is replaced: first an NDJSON
        // collector that takes no key, then its key
        Commands.Result withCollector = install(distribution, Map.of("OUTRIDER_SERVER", "https://collector.example"), "--root", console.toString(), "--no-systemd");
        assertThat(withCollector.exitCode()).as(withCollector.describe()).isZero();
        assertThat(withCollector.stdout()).doesNotContain("console");
        assertThat(Files.readString(console.resolve("etc/outrider/outrider.yaml"))).contains("        format: ndjson\n").doesNotContain("api_key");
        Commands.Result withKey = install(distribution, Map.of("OUTRIDER_API_KEY", API_KEY), "--root", console.toString(), "--no-systemd");
        assertThat(withKey.exitCode()).as(withKey.describe()).isZero();
        assertThat(withKey.stdout()).isEqualTo("""
                install.sh: updated /etc/outrider/agent.env
                install.sh: wrote /etc/outrider/outrider.yaml: events go to the collector of /etc/outrider/agent.env in the ndjson format \
                (the address and key are in /etc/outrider/agent.env)
                """);
        assertThat(Files.readString(console.resolve("etc/outrider/outrider.yaml"))).contains("        api_key: ${OUTRIDER_API_KEY}\n").doesNotContain(API_KEY);

        // a configuration someone edited is kept, and the installer says where the collector went instead
        Files.writeString(console.resolve("etc/outrider/outrider.yaml"), "# mine\n", StandardOpenOption.APPEND);
        Commands.Result edited = install(distribution, Map.of("LITESOC_KEY", "lsk_live_other"), "--root", console.toString(), "--no-systemd");
        assertThat(edited.exitCode()).as(edited.describe()).isZero();
        assertThat(edited.stdout()).isEqualTo("""
                install.sh: updated /etc/outrider/agent.env
                install.sh: kept /etc/outrider/outrider.yaml, which was changed since install.sh wrote it; the collector given is in \
                /etc/outrider/agent.env: refer to it in outrider.yaml as ${OUTRIDER_SERVER} and ${OUTRIDER_API_KEY}
                """);
        assertThat(Files.readString(console.resolve("etc/outrider/outrider.yaml"))).endsWith("# mine\n");
    }

    @Test
    void refusesWhatWouldNotWorkAndChangesNothing(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path root = throwAwayRoot(temp);
        List<String> pristine = snapshot(root);

        // an address the agent cannot send to: outrider validate refuses it before anything is installed
        Commands.Result invalid = install(distribution, Map.of("OUTRIDER_SERVER", "collector.example", "OUTRIDER_API_KEY", API_KEY),
                "--root", root.toString(), "--no-systemd");
        assertThat(invalid.exitCode()).as(invalid.describe()).isEqualTo(1);
        assertThat(invalid.stdout()).isEmpty();
        assertThat(invalid.stderr())
                .startsWith("install.sh: the configuration would not be valid, so nothing was installed or changed; outrider validate says:\n")
                .contains("/etc/outrider/outrider.yaml:", "pipelines.logs.outputs.collector.endpoint: must be an https:// (or http://) URL")
                .endsWith("install.sh: fix what it says (the collector's address or key, --log-paths, or /etc/outrider/outrider.yaml), then run install.sh again\n")
                .doesNotContain(API_KEY);
        assertThat(snapshot(root)).isEqualTo(pristine);

        Commands.Result keyArgument = install(distribution, Map.of(), "--root", root.toString(), "--api-key", API_KEY);
        assertThat(keyArgument.exitCode()).isEqualTo(1);
        assertThat(keyArgument.stderr()).isEqualTo("install.sh: a key on the command line can be read by every user of this machine (ps):"
                + " set OUTRIDER_API_KEY or use --api-key-stdin\n");

        Commands.Result both = install(distribution, Map.of("LITESOC_KEY", "a", "LOGNOG_SERVER", "https://lognog.example"), "--root", root.toString());
        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.stderr()).isEqualTo("install.sh: both LITESOC_* and LOGNOG_* variables are set; choose one with --format litesoc or --format lognog\n");

        Commands.Result format = install(distribution, Map.of(), "--root", root.toString(), "--format", "splunk");
        assertThat(format.exitCode()).isEqualTo(1);
        assertThat(format.stderr()).isEqualTo("install.sh: --format is 'splunk'; use litesoc, lognog or ndjson\n");

        Commands.Result keyOnly = install(distribution, Map.of("OUTRIDER_API_KEY", API_KEY), "--root", root.toString());
        assertThat(keyOnly.exitCode()).isEqualTo(1);
        assertThat(keyOnly.stderr()).isEqualTo("install.sh: an API key is given but no collector: set OUTRIDER_SERVER (or --server, LITESOC_SERVER, LOGNOG_SERVER)\n");

        Commands.Result noKey = install(distribution, Map.of("LOGNOG_SERVER", "https://lognog.example"), "--root", root.toString());
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.stderr()).isEqualTo("install.sh: format lognog needs an API key: set OUTRIDER_API_KEY (or use --api-key-stdin)\n");
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

    /**
     * systemd's rating of the unit's sandbox ({@code systemd-analyze security --offline=true}): its "Overall exposure
     * level" must be at most {@link #MAX_EXPOSURE}.
     */
    private static void assertHardened(Path unit, Path temp)
            throws IOException, InterruptedException
    {
        Path copy = Files.createDirectories(temp.resolve("security")).resolve("outrider.service");
        Files.copy(unit, copy);
        Commands.Result security = Commands.run(copy.getParent(), Map.of(), Distribution.COMMAND_TIMEOUT,
                "systemd-analyze", "security", "--offline=true", "--no-pager", copy.toString());
        assertThat(security.exitCode()).as(security.describe()).isZero();
        Matcher overall = Pattern.compile("Overall exposure level for outrider\\.service: (\\d+\\.\\d+)")
                .matcher(security.stdout() + security.stderr());
        assertThat(overall.find()).as(security.describe()).isTrue();
        assertThat(Double.parseDouble(overall.group(1))).as(security.describe()).isLessThanOrEqualTo(MAX_EXPOSURE);
    }

    /** The variables of an env file install.sh wrote ({@code NAME='value'}), as systemd hands them to the service. */
    private static Map<String, String> environmentFileVariables(Path file)
            throws IOException
    {
        Map<String, String> variables = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (line.startsWith("#") || equals < 1) {
                continue;
            }
            String value = line.substring(equals + 1);
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            variables.put(line.substring(0, equals), value);
        }
        return Map.copyOf(variables);
    }

    /** install.sh with {@code input} as its standard input (--api-key-stdin). */
    private static Commands.Result installWithInput(Distribution distribution, Map<String, String> environment, Path input, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(distribution.path("install.sh").toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("install", ".out");
        Path errors = Files.createTempFile("install", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(distribution.home().toFile())
                    .redirectInput(input.toFile())
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            Map<String, String> withJava = new HashMap<>(environment);
            withJava.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
            INSTALLER_VARIABLES.forEach(name -> withJava.putIfAbsent(name, null));
            Commands.applyEnvironment(builder.environment(), withJava);
            Process process = builder.start();
            if (!process.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + INSTALL_TIMEOUT);
            }
            return new Commands.Result(List.copyOf(command), process.exitValue(),
                    Files.readString(output, StandardCharsets.UTF_8), Files.readString(errors, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    @Test
    void fetchesTheArchiveForThisArchitectureWhenThereIsOneElseTheOneForBoth(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);
        Path root = throwAwayRoot(temp);
        String platform = "linux-" + Distribution.thisArchitecture();
        // releases told apart by a file of their own: 0.0.3 and 0.0.5 come as both archives, 0.0.4 only for both architectures
        Path releases = Files.createDirectories(temp.resolve("releases"));
        packRelease(distribution, temp, releases.resolve("outrider-0.0.3-" + platform + ".tar.gz"), "0.0.3", platform);
        packRelease(distribution, temp, releases.resolve("outrider-0.0.3.tar.gz"), "0.0.3", "both");
        packRelease(distribution, temp, releases.resolve("outrider-0.0.4.tar.gz"), "0.0.4", "both");
        packRelease(distribution, temp, releases.resolve("outrider-0.0.5-" + platform + ".tar.gz"), "0.0.5", platform);
        packRelease(distribution, temp, releases.resolve("outrider-0.0.5.tar.gz"), "0.0.5", "both");

        List<String> requested = Collections.synchronizedList(new ArrayList<>());
        HttpServer downloads = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        downloads.createContext("/releases/", exchange -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().substring("/releases/".length());
                requested.add(name);
                Path file = releases.resolve(name).normalize();
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
            Commands.Result platformArchive = install(distribution, Map.of(), "--root", root.toString(), "--prefix", "/srv/outrider", "--version", "0.0.3", "--from", from);
            assertThat(platformArchive.exitCode()).as(platformArchive.describe()).isZero();
            assertThat(Files.readString(root.resolve("srv/outrider/releases/0.0.3/ARCHIVE"))).isEqualTo(platform);
            assertThat(requested).containsExactly("outrider-0.0.3-" + platform + ".tar.gz");

            // a release site without per-architecture archives: the 404 is no error, the archive for both is fetched
            Commands.Result fallback = install(distribution, Map.of(), "--root", root.toString(), "--prefix", "/srv/outrider", "--version", "0.0.4", "--from", from);
            assertThat(fallback.exitCode()).as(fallback.describe()).isZero();
            assertThat(fallback.stderr()).doesNotContain("404");
            assertThat(Files.readString(root.resolve("srv/outrider/releases/0.0.4/ARCHIVE"))).isEqualTo("both");
            assertThat(requested).containsExactly("outrider-0.0.3-" + platform + ".tar.gz", "outrider-0.0.4-" + platform + ".tar.gz", "outrider-0.0.4.tar.gz");
        }
        finally {
            downloads.stop(0);
        }

        // from a download folder alike
        Commands.Result folder = install(distribution, Map.of(), "--root", root.toString(), "--prefix", "/srv/outrider", "--version", "0.0.5", "--from", releases.toString());
        assertThat(folder.exitCode()).as(folder.describe()).isZero();
        assertThat(Files.readString(root.resolve("srv/outrider/releases/0.0.5/ARCHIVE"))).isEqualTo(platform);
        assertThat(Files.readSymbolicLink(root.resolve("srv/outrider/current"))).isEqualTo(Path.of("releases/0.0.5"));
    }

    /** {@code archive}: this distribution as release {@code version}, with a file ARCHIVE that says which archive it is. */
    private static void packRelease(Distribution distribution, Path temp, Path archive, String version, String which)
            throws IOException, InterruptedException
    {
        Path staging = temp.resolve("staging-" + archive.getFileName());
        Path release = staging.resolve("outrider-" + version);
        TestThirdPartyPlugin.copyTree(distribution.home(), release);
        Files.writeString(release.resolve("VERSION"), version + "\n");
        Files.writeString(release.resolve("ARCHIVE"), which);
        Commands.Result pack = Commands.run(staging, Map.of(), Distribution.COMMAND_TIMEOUT, "tar", "-czf", archive.toString(), "outrider-" + version);
        assertThat(pack.exitCode()).as(pack.describe()).isZero();
    }

    private static Commands.Result install(Distribution distribution, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(distribution.path("install.sh").toString());
        command.addAll(List.of(arguments));
        Map<String, String> withJava = new HashMap<>(environment);
        withJava.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        INSTALLER_VARIABLES.forEach(name -> withJava.putIfAbsent(name, null));
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

    /**
     * A LiteSOC-style collector on 127.0.0.1: answers every POST with 200 and keeps the bodies sent to
     * {@code /collect} (one event each) and the X-API-Key of every request, heartbeats included.
     */
    private static final class RecordingCollector
            implements AutoCloseable
    {
        private final HttpServer server;
        private final List<String> events = new ArrayList<>();
        private final List<String> apiKeys = new ArrayList<>();

        private RecordingCollector(HttpServer server)
        {
            this.server = server;
        }

        static RecordingCollector start()
                throws IOException
        {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RecordingCollector collector = new RecordingCollector(server);
            server.createContext("/", collector::handle);
            server.start();
            return collector;
        }

        String baseUrl()
        {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange)
                throws IOException
        {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String key = exchange.getRequestHeaders().getFirst("X-API-Key");
                synchronized (this) {
                    apiKeys.add(key == null ? "" : key);
                    if (exchange.getRequestURI().getPath().equals("/collect")) {
                        events.add(body);
                    }
                    notifyAll();
                }
                exchange.sendResponseHeaders(200, -1);
            }
        }

        synchronized List<String> events()
        {
            return List.copyOf(events);
        }

        synchronized List<String> apiKeys()
        {
            return List.copyOf(apiKeys);
        }

        /** Waits until the events received so far are {@code enough} (at most {@code timeout}) and returns them. */
        synchronized List<String> awaitEvents(Predicate<List<String>> enough, Duration timeout)
                throws InterruptedException
        {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(events)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return List.copyOf(events);
        }

        @Override
        public void close()
        {
            server.stop(0);
        }
    }
}
