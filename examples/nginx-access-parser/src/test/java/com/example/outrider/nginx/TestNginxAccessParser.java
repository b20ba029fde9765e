package com.example.outrider.nginx;

import io.outrider.config.InvalidConfigurationException;
import io.outrider.spi.Event;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Plugin;
import io.outrider.spi.testing.ConfigBinding;
import io.outrider.spi.testing.PluginChecks;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestNginxAccessParser
{
    private static final String COMBINED = "203.0.113.7 - alice [10/Oct/2026:13:55:36 +0200] \"GET /admin/login?next=%2F HTTP/1.1\" 401 512 \"https://example.org/\" \"curl/8.5.0\"";

    @Test
    void parsesCombinedFormat()
    {
        Event line = Event.builder().timestamp(Instant.EPOCH).message(COMBINED).field("log.file.path", "/var/log/nginx/access.log").build();

        ParseResult result = new NginxAccessParser(new NginxAccessParserConfig(false, null)).parse(line);

        assertThat(result.isMatched()).isTrue();
        Event event = result.events().get(0);
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-10-10T11:55:36Z"));
        assertThat(event.message()).isEqualTo(COMBINED);
        assertThat(event.fields()).containsEntry("log.file.path", "/var/log/nginx/access.log")
                .containsEntry("source.ip", "203.0.113.7")
                .containsEntry("user.name", "alice")
                .containsEntry("http.request.method", "GET")
                .containsEntry("url.original", "/admin/login?next=%2F")
                .containsEntry("url.path", "/admin/login")
                .containsEntry("http.version", "1.1")
                .containsEntry("http.response.status_code", 401)
                .containsEntry("http.response.body.bytes", 512L)
                .containsEntry("http.request.referrer", "https://example.org/")
                .containsEntry("user_agent.original", "curl/8.5.0")
                .containsEntry("event.outcome", "failure")
                .containsEntry("event.dataset", "nginx.access")
                .doesNotContainKey("event.original");
    }

    @Test
    void parsesCommonFormatAndGarbageRequests()
    {
        NginxAccessParser parser = new NginxAccessParser(new NginxAccessParserConfig(true, null));
        String common = "198.51.100.2 - - [01/Jan/2026:00:00:01 +0000] \"\\x16\\x03\\x01\" 400 - ";

        Event event = parser.parse(Event.of(Instant.EPOCH, common)).events().get(0);

        assertThat(event.fields()).containsEntry("source.ip", "198.51.100.2")
                .containsEntry("url.original", "\\x16\\x03\\x01")
                .containsEntry("http.response.status_code", 400)
                .containsEntry("event.original", common)
                .doesNotContainKeys("user.name", "http.request.method", "http.response.body.bytes", "user_agent.original");
    }

    @Test
    void leavesOtherLinesUnmatchedAndDropsConfiguredPaths()
    {
        NginxAccessParser parser = new NginxAccessParser(new NginxAccessParserConfig(false, List.of("/healthz")));

        assertThat(parser.parse(Event.of(Instant.EPOCH, "2026/10/10 13:55:36 [error] 12#12: open() failed")).isMatched()).isFalse();
        ParseResult health = parser.parse(Event.of(Instant.EPOCH, "10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.31\""));
        assertThat(health.isMatched()).isTrue();
        assertThat(health.events()).isEmpty();
    }

    @Test
    void validateRejectsRelativeDropPaths()
    {
        assertThatThrownBy(() -> new NginxAccessParserFactory().validate(new NginxAccessParserConfig(false, List.of("healthz"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("drop_paths")
                .hasMessageContaining("'healthz' is not a request path; it must start with /");
    }

    @Test
    void bindsYamlWithTheAgentsBinder()
            throws InvalidConfigurationException
    {
        // the test kit's ConfigBinding: the YAML an operator writes, through the binder and validate() the agent runs
        ConfigBinding<NginxAccessParserConfig> binding = ConfigBinding.forFactory(new NginxAccessParserFactory(), "nginx-access-parser");

        assertThat(binding.bind("""
                keep_original: yes
                drop_paths: [/healthz]
                """)).isEqualTo(new NginxAccessParserConfig(true, List.of("/healthz")));
        assertThat(binding.bind("{}")).isEqualTo(new NginxAccessParserConfig(false, List.of()));

        assertThatThrownBy(() -> binding.bind("drop_paths: [healthz]"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("""
                        Configuration has 1 error:

                        1) config.yaml:1:13: drop_paths: 'healthz' is not a request path; it must start with / \
                        (parser type 'nginx_access' (plugin nginx-access-parser))""");
    }

    @Test
    void aRequestOfMegabytesIsParsedOnTheAgentsSmallStacks()
            throws InterruptedException
    {
        // the agent's threads have 512 KiB stacks: a pattern that recursed once per character overflowed on 20 KB
        String path = "/" + "a".repeat(200_000) + "\\\"" + "b".repeat(100_000);
        String line = "203.0.113.7 - - [10/Oct/2026:13:55:36 +0200] \"GET " + path + " HTTP/1.1\" 404 0 \"-\" \"" + "x".repeat(100_000) + "\"";
        ParseResult[] result = new ParseResult[1];
        Thread parsing = new Thread(null, () -> result[0] = new NginxAccessParser(new NginxAccessParserConfig(false, null)).parse(Event.of(Instant.EPOCH, line)),
                "small-stack", 512 * 1024);
        parsing.start();
        parsing.join();

        assertThat(result[0].events()).singleElement().satisfies(event -> assertThat(event.fields()).containsEntry("url.original", path));
    }

    @Test
    void isAValidPlugin()
    {
        // the services file, the factories and their config records, as the agent will load them
        PluginChecks.assertValidPlugin(NginxPlugin.class);
    }

    @Test
    void isFoundByServiceLoader()
    {
        assertThat(ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::type).toList()).containsExactly(NginxPlugin.class);
        assertThat(new NginxPlugin().parserFactories()).singleElement().satisfies(factory -> assertThat(factory.type()).isEqualTo("nginx_access"));
    }
}
