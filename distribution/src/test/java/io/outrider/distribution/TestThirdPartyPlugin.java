package io.outrider.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin author's path, end to end: from the tarball alone, install the SDK (the SPI jar, the kit POM, the test kit
 * and its binder) into a Maven repository, build the example nginx parser with its documented {@code mvn package}
 * (its tests bind YAML with the test kit's {@code ConfigBinding}), drop the folder it makes into {@code plugins/}, and
 * run the agent on a file through that parser to a collector on loopback.
 */
class TestThirdPartyPlugin
{
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private static final List<String> FIRST_LINES = List.of(
            "203.0.113.7 - alice [10/Oct/2026:13:55:36 +0000] \"POST /login HTTP/1.1\" 401 512 \"-\" \"curl/8.5.0\"",
            "10.0.0.1 - - [10/Oct/2026:13:55:37 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.31\"",
            "2026/10/10 13:55:38 [error] 12#12: *1 open() \"/srv/www/favicon.ico\" failed (2: No such file or directory)",
            "198.51.100.20 - bob [10/Oct/2026:13:55:39 +0000] \"GET /admin/ HTTP/2.0\" 200 1024 \"https://example.org/\" \"Mozilla/5.0\"");
    private static final List<String> LATER_LINES = List.of(
            "192.0.2.44 - - [10/Oct/2026:13:56:00 +0000] \"GET /wp-login.php HTTP/1.1\" 404 153 \"-\" \"scanner\"");

    @Test
    void exampleBuiltWithOnlyTheKitRunsAsADropInPlugin(@TempDir Path temp)
            throws Exception
    {
        Distribution distribution = Distribution.unpack(temp);

        Path pluginFolder = buildExamplePlugin(distribution, temp);
        copyTree(pluginFolder, distribution.path("plugins/nginx-access-parser"));

        Path data = temp.resolve("data");
        Commands.Result plugins = distribution.outrider(data, Map.of(), "plugins");
        assertThat(plugins.exitCode()).as(plugins.describe()).isZero();
        assertThat(plugins.stdout()).contains("nginx-access-parser").contains("nginx_access");

        Path log = temp.resolve("logs/access.log");
        Files.createDirectories(log.getParent());
        Files.write(log, FIRST_LINES, StandardCharsets.UTF_8);
        try (LoopbackCollector collector = LoopbackCollector.start()) {
            Path config = temp.resolve("web.yaml");
            Files.writeString(config, """
                    agent:
                      data_dir: "%s"
                    pipelines:
                      web:
                        inputs:
                          access_log: { type: file, paths: ["%s"], read_from: beginning }
                        parsers:
                          nginx: { type: nginx_access, drop_paths: [/healthz] }
                        unmatched: drop
                        outputs:
                          collector:
                            type: http
                            format: ndjson
                            endpoint: %s
                            delivery: { max_wait: 200ms }
                    """.formatted(data, log, collector.endpoint("/ingest")), StandardCharsets.UTF_8);

            Commands.Result validate = distribution.outrider(data, Map.of(), "validate", "-c", config.toString());
            assertThat(validate.exitCode()).as(validate.describe()).isZero();
            assertThat(validate.stdout()).contains("web: access_log (file) -> nginx (nginx_access) -> collector (http)");

            try (AgentProcess agent = distribution.start(config, data, Map.of())) {
                List<String> first = collector.awaitLines(2, DELIVERY_TIMEOUT);
                assertThat(first).as(agent.describe()).hasSize(2);
                assertThat(first.get(0)).contains("\"source.ip\":\"203.0.113.7\"", "\"user.name\":\"alice\"", "\"http.response.status_code\":401",
                        "\"event.outcome\":\"failure\"", "\"event.dataset\":\"nginx.access\"", "\"log.file.path\":\"" + log + "\"");
                assertThat(first.get(1)).contains("\"source.ip\":\"198.51.100.20\"", "\"url.path\":\"/admin/\"", "\"http.version\":\"2.0\"",
                        "\"event.outcome\":\"success\"");

                // the file is tailed: a line written while the agent runs arrives too
                Files.write(log, LATER_LINES, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                List<String> all = collector.awaitLines(3, DELIVERY_TIMEOUT);
                assertThat(all).as(agent.describe()).hasSize(3);
                assertThat(all.get(2)).contains("\"source.ip\":\"192.0.2.44\"", "\"url.original\":\"/wp-login.php\"", "\"http.response.status_code\":404");

                assertThat(agent.stop()).as(agent.describe()).isZero();
            }
            // the health check and the error-log line were never sent
            assertThat(collector.awaitLines(3, Duration.ZERO)).hasSize(3);
        }
    }

    /** install-sdk.sh, then {@code mvn package} in a copy of sdk/examples/nginx-access-parser; returns target/nginx-access-parser/. */
    private static Path buildExamplePlugin(Distribution distribution, Path temp)
            throws IOException, InterruptedException
    {
        Path repository = temp.resolve("m2");
        Path settings = MavenSandbox.settings(temp);
        Map<String, String> environment = Map.of("MVN", MavenSandbox.mvn());

        Commands.Result sdk = Commands.run(temp, environment, BUILD_TIMEOUT,
                distribution.path("sdk/install-sdk.sh").toString(), "-s", settings.toString(), "-Dmaven.repo.local=" + repository);
        assertThat(sdk.exitCode()).as(sdk.describe()).isZero();
        String version = Distribution.version();
        assertThat(sdk.stdout()).contains("installed io.outrider:agent-spi:" + version + " (with its sources: the SPI's Javadoc in your IDE),"
                        + " io.outrider:outrider-plugin-parent:" + version + " and its parent io.outrider:outrider-parent:" + version)
                .contains("installed io.outrider:plugin-support:" + version + " (the plugin toolkit), io.outrider:agent-spi-testkit:" + version
                        + " and io.outrider:agent-config:" + version + " (tests)");
        // the contract's Javadoc where an IDE looks for it: the sources beside each jar
        Path spiSources = repository.resolve("io/outrider/agent-spi/" + Distribution.version() + "/agent-spi-" + Distribution.version() + "-sources.jar");
        try (JarFile sources = new JarFile(spiSources.toFile())) {
            assertThat(sources.getEntry("io/outrider/spi/Output.java")).isNotNull();
        }
        assertThat(repository.resolve("io/outrider/agent-spi-testkit/" + Distribution.version() + "/agent-spi-testkit-" + Distribution.version() + "-sources.jar"))
                .isRegularFile();

        Path project = temp.resolve("work/nginx-access-parser");
        copyTree(distribution.path("sdk/examples/nginx-access-parser"), project);
        Commands.Result build = Commands.run(project, Map.of(), BUILD_TIMEOUT,
                MavenSandbox.mvn(), "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repository, "package");
        assertThat(build.exitCode()).as(build.describe()).isZero();
        // the example's tests ran against the SDK's test kit, ConfigBinding with the agent's binder among them
        String report = Files.readString(project.resolve("target/surefire-reports/TEST-com.example.outrider.nginx.TestNginxAccessParser.xml"), StandardCharsets.UTF_8);
        assertThat(report).contains("name=\"bindsYamlWithTheAgentsBinder\"").contains("failures=\"0\"").contains("errors=\"0\"").contains("skipped=\"0\"");

        Path folder = project.resolve("target/nginx-access-parser");
        assertThat(folder.resolve("nginx-access-parser-1.0.0.jar")).isRegularFile();
        try (Stream<Path> files = Files.list(folder)) {
            // the SPI is provided by the agent: a copy in the plugin folder would be a second io.outrider.spi.Plugin
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("nginx-access-parser-1.0.0.jar");
        }
        try (JarFile jar = new JarFile(folder.resolve("nginx-access-parser-1.0.0.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Outrider-Spi-Version")).isEqualTo(System.getProperty("outrider.spi.version"));
            try (InputStream services = jar.getInputStream(jar.getEntry("META-INF/services/io.outrider.spi.Plugin"))) {
                assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).trim()).isEqualTo("com.example.outrider.nginx.NginxPlugin");
            }
        }
        assertThat(project.resolve("target/nginx-access-parser-1.0.0-plugin.zip")).isRegularFile();
        return folder;
    }

    static void copyTree(Path source, Path target)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                }
                else {
                    Files.copy(path, destination);
                }
            }
        }
    }
}
