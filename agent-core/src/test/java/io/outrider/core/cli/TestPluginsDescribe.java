package io.outrider.core.cli;

import io.outrider.core.plugin.PluginJars;
import io.outrider.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code outrider plugins --verbose}, {@code plugins describe TYPE} and {@code plugins docs}: options read from a real plugin jar. */
class TestPluginsDescribe
{
    private static Path plugins(Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("sender").resolve("sender.jar"), Map.of("example.sender.SenderPlugin", """
                package example.sender;

                import io.outrider.spi.*;
                import io.outrider.spi.config.*;
                import java.time.Duration;
                import java.util.*;

                public final class SenderPlugin implements Plugin {
                    public enum Format { JSON, TEXT }

                    public record Tls(@Description("PEM CA certificates to trust") java.nio.file.Path caFile,
                                      @Sensitive @Description("password of the key") String keyPassword,
                                      @Description("check host names") Boolean verify) {
                        public Tls { verify = verify == null ? true : verify; }
                    }

                    public record SenderConfig(
                            @Required @Description("where to send, e.g. https://collector:8443") java.net.URI endpoint,
                            @Sensitive @Description("the API key; use ${VAR}") String apiKey,
                            @Sensitive @Description("shared enrolment token") String token,
                            @Description("json or text | pipes are escaped") Format format,
                            @Description("connect timeout") Duration timeout,
                            @Description("largest body") DataSize maxBody,
                            @Description("extra headers") Map<String, String> headers,
                            List<String> tags,
                            @Description("TLS settings") Tls tls,
                            boolean gzip) {
                        public SenderConfig {
                            token = token == null ? "enrol-s3cr3t" : token;
                            format = format == null ? Format.JSON : format;
                            timeout = timeout == null ? Duration.ofSeconds(90) : timeout;
                            maxBody = maxBody == null ? DataSize.ofBytes(8 << 20) : maxBody;
                            tags = tags == null ? List.of() : List.copyOf(tags);
                        }
                    }

                    public record Empty() {}

                    public record StrictConfig(@Required @Description("the pattern") String pattern, @Description("most matches") Integer limit) {
                        public StrictConfig {
                            Objects.requireNonNull(pattern, "pattern is null");
                            limit = limit == null ? pattern.length() : limit;
                        }
                    }

                    @Override
                    public List<OutputFactory<?>> outputFactories() {
                        return List.of(new OutputFactory<SenderConfig>() {
                            public String type() { return "sender"; }
                            public Class<SenderConfig> configClass() { return SenderConfig.class; }
                            public String description() { return "sends events somewhere"; }
                            public Output create(SenderConfig config, ComponentContext context) { throw new UnsupportedOperationException(); }
                        });
                    }

                    @Override
                    public List<ParserFactory<?>> parserFactories() {
                        return List.of(new ParserFactory<Empty>() {
                            public String type() { return "noop"; }
                            public Class<Empty> configClass() { return Empty.class; }
                            public Parser create(Empty config, ComponentContext context) { return ParseResult::matched; }
                        }, new ParserFactory<StrictConfig>() {
                            public String type() { return "strict"; }
                            public Class<StrictConfig> configClass() { return StrictConfig.class; }
                            public Parser create(StrictConfig config, ComponentContext context) { return ParseResult::matched; }
                        });
                    }
                }
                """), "example.sender.SenderPlugin", SpiVersion.CURRENT);
        return plugins;
    }

    private static final String SENDER = """
            output type 'sender' (plugin sender)
              sends events somewhere

              endpoint (URI, required)
                  where to send, e.g. https://collector:8443
              api_key (text, sensitive; default not set)
                  the API key; use ${VAR}
              token (text, sensitive; default ******)
                  shared enrolment token
              format (one of json, text; default json)
                  json or text | pipes are escaped
              timeout (duration; default 90s)
                  connect timeout
              max_body (size; default 8MiB)
                  largest body
              headers (mapping of text to text; default not set)
                  extra headers
              tags (list of text; default [])
              tls (mapping)
                  TLS settings
              tls.ca_file (path; default not set)
                  PEM CA certificates to trust
              tls.key_password (text, sensitive; default not set)
                  password of the key
              tls.verify (boolean; default true)
                  check host names
              gzip (boolean; default false)
              delivery (mapping)
                  how the agent batches and retries for this output (every output has it)
              delivery.max_events (integer; default 1000)
                  most events per batch
              delivery.max_bytes (size; default 1MiB)
                  most bytes of events per batch as buffered; a request's size is bounded by the output (http: max_body_size)
              delivery.max_wait (duration; default 1s)
                  how long to wait for a batch to fill before sending what there is
              delivery.retry_initial (duration; default 1s)
                  first retry delay; doubles with each attempt, with jitter
              delivery.retry_max (duration; default 5m)
                  the largest retry delay
              delivery.unauthorized_retry (duration; default 1m)
                  how often a paused (unauthorized) output tries again
              delivery.in_flight (integer; default 2)
                  most batches sent and not yet answered (1 to 16); with more than 1 the collector can receive a batch before it answered the one before, 1 keeps strict order; outputs that do not deliver asynchronously (of the built-in ones, all but http's ndjson, ecs and json) behave as 1
            """;

    @Test
    void describePrintsEveryOptionWithTypeDefaultAndDescription(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "describe", "sender", "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(SENDER).doesNotContain("enrol-s3cr3t");
    }

    @Test
    void describeOfAnUnknownTypeSaysWhichExist(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "describe", "sendr", "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("no installed plugin offers a component type 'sendr'; did you mean 'sender'? (available: console, noop, sender, strict)\n");
        assertThat(result.stdout()).isEmpty();
    }

    /** A configuration naming a type two plugins offer does not validate: describing one of them says so. */
    @Test
    void describeOfATypeTwoPluginsOfferSaysSoAndFails(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path copy = Files.createDirectories(plugins.resolve("sender-copy"));
        Files.copy(plugins.resolve("sender").resolve("sender.jar"), copy.resolve("sender.jar"));

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "describe", "sender", "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo(SENDER);
        assertThat(result.stderr()).isEqualTo("Conflict: output type 'sender' is offered by more than one plugin: sender (" + plugins.resolve("sender")
                + ") and sender-copy (" + copy + "); remove all but one\n");
    }

    @Test
    void verboseListingDescribesEveryTypeOfEveryPlugin(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "--verbose", "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .contains("""
                        sender  version 9.9.9  SPI %s  %s
                          parsers: noop, strict
                          outputs: sender

                          parser type 'noop' (plugin sender)
                            (no options)

                          parser type 'strict' (plugin sender)
                            defaults unknown: StrictConfig's constructor threw java.lang.NullPointerException: pattern is null with every key absent \
                        (a plugin bug: the constructor must accept null for every key)

                            pattern (text, required)
                                the pattern
                            limit (integer; default unknown)
                                most matches

                        """.formatted(SpiVersion.CURRENT, plugins.resolve("sender")))
                .contains(SENDER.indent(2).replace("\n  \n", "\n\n"))
                .contains("""
                          output type 'console' (plugin core)
                            prints events to standard output (json lines or readable text)

                            format (one of json, text; default json)
                                json or text
                        """);
    }

    private static final String MARKER = "<!-- Generated by `outrider plugins docs` from the plugins' code; do not edit. -->";

    @Test
    void docsRefusesToReplaceFilesItDidNotGenerate(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path output = Files.createDirectories(dir.resolve("project"));
        Path readme = Files.writeString(output.resolve("README.md"), "# My project\n");
        Path page = Files.writeString(output.resolve("parser-noop.md"), MARKER + "\n\nan older generation\n");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "docs", "--output", output.toString(), "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("cannot write the reference: " + output
                + " holds files that were not generated and would be replaced: README.md; write the reference into a directory of its own\n");
        assertThat(readme).hasContent("# My project");
        assertThat(page).hasContent(MARKER + "\n\nan older generation");
        try (var files = Files.list(output)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void docsWritesOnePagePerTypeAndAnIndex(@TempDir Path dir)
            throws Exception
    {
        Path plugins = plugins(dir);
        Path output = dir.resolve("reference");
        Files.createDirectories(output);
        Path stale = Files.writeString(output.resolve("input-gone.md"), MARKER + "\n\na type that no longer exists\n");
        Path unrelated = Files.writeString(output.resolve("notes.txt"), "kept\n");

        AgentProcess.Result result = AgentProcess.run(dir, Map.of(), "plugins", "docs", "--output", output.toString(), "--plugins-dir", plugins.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("Wrote 5 files to " + output + "\n");
        assertThat(stale).doesNotExist();
        assertThat(unrelated).hasContent("kept");
        assertThat(output.resolve("parser-noop.md")).hasContent(MARKER + """


                # Parser type `noop`

                Plugin: sender. Generated from its code; see [the index](README.md).

                It takes no options.
                """);
        assertThat(Files.readString(output.resolve("output-sender.md"))).doesNotContain("enrol-s3cr3t").startsWith(MARKER + """


                # Output type `sender`

                Plugin: sender. Generated from its code; see [the index](README.md).

                sends events somewhere

                | Option | Type | Default | Description |
                |---|---|---|---|
                | `endpoint` | URI | required | where to send, e.g. https://collector:8443 |
                | `api_key` | text, sensitive | `not set` | the API key; use ${VAR} |
                | `token` | text, sensitive | `******` | shared enrolment token |
                | `format` | one of json, text | `json` | json or text \\| pipes are escaped |
                | `timeout` | duration | `90s` | connect timeout |
                | `max_body` | size | `8MiB` | largest body |
                | `headers` | mapping of text to text | `not set` | extra headers |
                | `tags` | list of text | `[]` |  |
                | `tls` | mapping |  | TLS settings |
                | `tls.ca_file` | path | `not set` | PEM CA certificates to trust |
                """);
        assertThat(Files.readString(output.resolve("README.md")))
                .contains("""
                        ## Parsers

                        | Type | Plugin | Description |
                        |---|---|---|
                        | [`noop`](parser-noop.md) | sender |  |
                        """)
                .contains("| [`sender`](output-sender.md) | sender | sends events somewhere |\n")
                .contains("| [`console`](output-console.md) | core | prints events to standard output (json lines or readable text) |\n");
    }
}
