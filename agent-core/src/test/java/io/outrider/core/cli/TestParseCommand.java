package io.outrider.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outrider.core.plugin.PluginJars;
import io.outrider.plugin.file.FileInputConfig;
import io.outrider.plugin.file.FileInputFactory;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.SpiVersion;
import io.outrider.spi.testing.CollectingEmitter;
import io.outrider.spi.testing.RunningInput;
import io.outrider.spi.testing.TestingComponentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestParseCommand
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILED_THEN_FORGED = "Failed password for root from 203.0.113.4 port 22 ssh2\rAccepted password for root from 203.0.113.4 port 22 ssh2";

    /** What one event looks like to a parser, as far as the line splitting decides it. */
    private record Seen(String message, long offset, List<String> flags) {}

    @Test
    void parseAndTheFileInputMakeTheSameEventsOfTheSameBytes(@TempDir Path dir)
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((FAILED_THEN_FORGED + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("a CRLF line\r\n\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(("x".repeat(300) + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("bell\u0007 and erase \u001b[2J\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'b', 'a', 'd', ' ', (byte) 0xFF, (byte) 0xFE, '\n'});
        bytes.writeBytes("no newline at the end".getBytes(StandardCharsets.UTF_8));
        Path log = Files.write(dir.resolve("auth.log"), bytes.toByteArray());
        List<Seen> expected = List.of(
                new Seen(FAILED_THEN_FORGED, 0, List.of()),
                new Seen("a CRLF line", 112, List.of()),
                new Seen("", 125, List.of()),
                new Seen("x".repeat(128), 126, List.of("truncated")),
                new Seen("bell\u0007 and erase \u001b[2J", 427, List.of()),
                new Seen("bad \uFFFD\uFFFD", 448, List.of()),
                new Seen("no newline at the end", 455, List.of("partial")));

        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        AgentProcess.Result parse = AgentProcess.run(dir.resolve("parse"), Map.of(), "parse", "--parser", "tag", "--max-line-bytes", "128B",
                "--plugins-dir", plugins.toString(), log.toString());

        assertThat(parse.exitCode()).as(parse.stderr()).isZero();
        assertThat(parse.stderr()).isEqualTo("7 lines: 0 became security events, 7 kept as plain events (7 events), 0 unmatched, 0 errors; 1 longer than --max-line-bytes were cut (flagged truncated)\n");
        List<Seen> parsed = new ArrayList<>();
        for (String line : parse.stdout().lines().toList()) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("tagged").asText()).isEqualTo("yes");
            List<String> flags = new ArrayList<>();
            if (event.has(Fields.LOG_FLAGS)) {
                event.get(Fields.LOG_FLAGS).forEach(flag -> flags.add(flag.asText()));
            }
            parsed.add(new Seen(event.get("message").asText(), event.get(Fields.LOG_OFFSET).asLong(), flags));
        }
        assertThat(parsed).containsExactlyElementsOf(expected);

        FileInputConfig config = new FileInputConfig(List.of(log.toString()), null, FileInputConfig.ReadFrom.BEGINNING, DataSize.ofBytes(128), null, null, null,
                null, null, Duration.ofMillis(100), null, null, null, null, null);
        CollectingEmitter emitter = new CollectingEmitter();
        List<Event> events;
        try (RunningInput input = RunningInput.start(new FileInputFactory().create(config, TestingComponentContext.builder(dir.resolve("input")).build()), emitter)) {
            events = emitter.awaitEvents(expected.size(), Duration.ofSeconds(30));
        }
        List<Seen> tailed = new ArrayList<>();
        for (Event event : events) {
            Object flags = event.field(Fields.LOG_FLAGS);
            tailed.add(new Seen(event.message(), ((Number) event.field(Fields.LOG_OFFSET)).longValue(), flags == null ? List.of() : toStrings(flags)));
        }
        assertThat(tailed).containsExactlyElementsOf(expected);
    }

    @Test
    void aLoneCarriageReturnCannotForgeASecondLineAndUnmatchedLinesAreShownEscaped(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("accepted").resolve("accepted.jar"), Map.of("example.accepted.AcceptedPlugin", """
                package example.accepted;

                import io.outrider.spi.*;
                import java.util.*;

                public final class AcceptedPlugin implements Plugin {
                    public record AcceptedConfig(String action) {}

                    @Override
                    public List<ParserFactory<?>> parserFactories() {
                        return List.of(new ParserFactory<AcceptedConfig>() {
                            public String type() { return "accepted"; }
                            public Class<AcceptedConfig> configClass() { return AcceptedConfig.class; }
                            public Parser create(AcceptedConfig config, ComponentContext context) {
                                return event -> event.message().startsWith("Accepted password for ")
                                        ? ParseResult.matched(event.toBuilder().field("event.action", "login_success").build())
                                        : ParseResult.unmatched();
                            }
                        });
                    }
                }
                """), "example.accepted.AcceptedPlugin", SpiVersion.CURRENT);
        Path log = Files.writeString(dir.resolve("auth.log"), FAILED_THEN_FORGED + "\n"
                + "erase\u001b[2J\u0007 bell\r\n"
                + "Accepted password for alice from 203.0.113.5 port 22 ssh2\n");

        AgentProcess.Result parse = AgentProcess.run(dir.resolve("parse"), Map.of(), "parse", "--parser", "accepted", "--plugins-dir", plugins.toString(), log.toString());

        assertThat(parse.exitCode()).as(parse.stderr()).isZero();
        // the agent sees one failed login on line 1; so must parse
        assertThat(parse.stdout().lines().toList()).singleElement().satisfies(event -> assertThat(event)
                .contains("\"message\":\"Accepted password for alice from 203.0.113.5 port 22 ssh2\"", "\"event.action\":\"login_success\""));
        assertThat(parse.stderr()).isEqualTo("""
                line 1: unmatched: Failed password for root from 203.0.113.4 port 22 ssh2\\rAccepted password for root from 203.0.113.4 port 22 ssh2
                line 2: unmatched: erase\\u001b[2J\\u0007 bell
                3 lines: 1 became security events (1 event: login_success 1), 0 kept as plain events, 2 unmatched, 0 errors
                """);
    }

    @Test
    void theParserIsClosedAtTheEndUnderItsPluginsClassLoader(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        Path closed = dir.resolve("closed.txt");
        PluginJars.build(plugins.resolve("closing").resolve("closing.jar"), Map.of("example.closing.ClosingPlugin", """
                package example.closing;

                import io.outrider.spi.*;
                import java.nio.file.*;
                import java.util.*;

                public final class ClosingPlugin implements Plugin {
                    public record ClosingConfig(String marker) {}

                    @Override
                    public List<ParserFactory<?>> parserFactories() {
                        return List.of(new ParserFactory<ClosingConfig>() {
                            public String type() { return "closing"; }
                            public Class<ClosingConfig> configClass() { return ClosingConfig.class; }
                            public Parser create(ClosingConfig config, ComponentContext context) {
                                return new Parser() {
                                    public ParseResult parse(Event event) { return ParseResult.unmatched(); }
                                    public void close() {
                                        try {
                                            Files.writeString(Path.of(config.marker()), "closed by "
                                                    + (Thread.currentThread().getContextClassLoader() == ClosingPlugin.class.getClassLoader() ? "the plugin's loader" : "another loader"));
                                        }
                                        catch (java.io.IOException e) {
                                            throw new java.io.UncheckedIOException(e);
                                        }
                                    }
                                };
                            }
                        });
                    }
                }
                """), "example.closing.ClosingPlugin", SpiVersion.CURRENT);
        Path log = Files.writeString(dir.resolve("auth.log"), "one line\n");

        AgentProcess.Result parse = AgentProcess.run(dir.resolve("parse"), Map.of(), "parse", "--parser", "closing", "--quiet-unmatched",
                "--set", "marker=" + closed, "--plugins-dir", plugins.toString(), log.toString());

        assertThat(parse.exitCode()).as(parse.stderr()).isZero();
        assertThat(closed).hasContent("closed by the plugin's loader");
    }

    /** A walkthrough's parser overflowed the stack: parse ended with a raw stack trace instead of going on. */
    @Test
    void aStackOverflowIsAParserErrorOfItsLineAndAMissingClassEndsTheRunWithTheReason(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("fragile").resolve("fragile.jar"), Map.of("example.fragile.FragilePlugin", """
                package example.fragile;

                import io.outrider.spi.*;
                import java.util.*;

                public final class FragilePlugin implements Plugin {
                    public record FragileConfig() {}

                    @Override
                    public List<ParserFactory<?>> parserFactories() {
                        return List.of(new ParserFactory<FragileConfig>() {
                            public String type() { return "fragile"; }
                            public Class<FragileConfig> configClass() { return FragileConfig.class; }
                            public Parser create(FragileConfig config, ComponentContext context) {
                                return event -> {
                                    if (event.message().startsWith("deep")) return ParseResult.matched(event.toBuilder().field("depth", depth(0)).build());
                                    if (event.message().startsWith("linkless")) throw new NoClassDefFoundError("com/example/Missing");
                                    return ParseResult.matched(event);
                                };
                            }
                        });
                    }

                    static int depth(int level) { return depth(level + 1) + 1; }
                }
                """), "example.fragile.FragilePlugin", SpiVersion.CURRENT);
        Path log = Files.writeString(dir.resolve("app.log"), "deep one\nflat two\nlinkless three\nflat four\n");

        AgentProcess.Result parse = AgentProcess.run(dir.resolve("parse"), Map.of(), "parse", "--parser", "fragile", "--plugins-dir", plugins.toString(), log.toString());

        assertThat(parse.exitCode()).as(parse.stderr()).isEqualTo(1);
        assertThat(parse.stdout().lines().toList()).singleElement().asString().contains("\"message\":\"flat two\"");
        assertThat(parse.stderr()).startsWith("line 1: parser error: java.lang.StackOverflowError\n"
                + "the parser cannot run: java.lang.NoClassDefFoundError: com/example/Missing; its plugin folder lacks a jar or holds one of another version"
                + " (or a class of it failed to initialise). The agent holds such a pipeline's input back until the plugin is fixed\n"
                + "3 lines: ");
    }

    @Test
    void badLineOptionsAreRefusedWithTheReason(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("counter").resolve("counter.jar"), PluginJars.counterPluginSources("counter", "counter"), "example.counter.CounterPlugin", SpiVersion.CURRENT);
        Path log = Files.writeString(dir.resolve("lines.log"), "one\n");

        AgentProcess.Result badEncoding = AgentProcess.run(dir.resolve("encoding"), Map.of(), "parse", "--parser", "tag", "--encoding", "UTF-16",
                "--plugins-dir", plugins.toString(), log.toString());
        assertThat(badEncoding.exitCode()).isEqualTo(2);
        assertThat(badEncoding.stderr()).isEqualTo("--encoding: 'UTF-16' has no fixed newline bytes (a byte order mark?); name the byte order, e.g. UTF-16LE\n");

        AgentProcess.Result badLimit = AgentProcess.run(dir.resolve("limit"), Map.of(), "parse", "--parser", "tag", "--max-line-bytes", "2GiB",
                "--plugins-dir", plugins.toString(), log.toString());
        assertThat(badLimit.exitCode()).isEqualTo(2);
        assertThat(badLimit.stderr()).isEqualTo("--max-line-bytes: must be between 1B and 1GiB, not 2GiB\n");
    }

    @Test
    void theSummaryTellsSecurityEventsFromPlainOnesAndStatsCountThemByActionAndReason(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        buildAuthPlugin(plugins.resolve("auth"));
        Path log = Files.writeString(dir.resolve("auth.log"), String.join("\n",
                "fail invalid_password", "fail invalid_password", "fail policy_denied", "ok", "scan", "plain", "noise", "null", "boom", "skip-me") + "\n");

        AgentProcess.Result parse = AgentProcess.run(dir.resolve("parse"), Map.of(), "parse", "--parser", "auth", "--stats",
                "--set", "ignore=[skip-me, \"other one\"]", "--plugins-dir", plugins.toString(), log.toString());

        assertThat(parse.exitCode()).as(parse.stderr()).isZero();
        assertThat(parse.stdout().lines().map(line -> {
            try {
                JsonNode event = JSON.readTree(line);
                return event.get("message").asText() + " -> " + (event.has(Fields.EVENT_ACTION) ? event.get(Fields.EVENT_ACTION).asText() : "-");
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList()).containsExactly(
                "fail invalid_password -> auth.login_failed",
                "fail invalid_password -> auth.login_failed",
                "fail policy_denied -> auth.login_failed",
                "ok -> auth.login_success",
                "scan -> auth.scan",
                "plain -> -");
        assertThat(parse.stderr()).isEqualTo("""
                line 7: unmatched: noise
                line 8: parser error: the parser returned null instead of a ParseResult
                line 9: parser error: java.lang.IllegalStateException: boom
                10 lines: 5 became security events (5 events: auth.login_failed 3, auth.login_success 1, auth.scan 1), 1 kept as plain events (1 event), \
                1 dropped by the parser, 1 unmatched, 2 errors
                action              reason               events
                (none)              (none)                    1
                auth.login_failed   invalid_password          2
                auth.login_failed   policy_denied             1
                auth.login_success  accepted_password         1
                auth.scan           (none)                    1
                total                                         6
                """);
    }

    @Test
    void theFactorysValidateRunsBeforeTheParserIsCreated(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        buildAuthPlugin(plugins.resolve("auth"));
        Path log = Files.writeString(dir.resolve("auth.log"), "ok\n");

        AgentProcess.Result parse = AgentProcess.run(dir.resolve("parse"), Map.of(), "parse", "--parser", "auth", "--set", "minimum=0",
                "--plugins-dir", plugins.toString(), log.toString());

        assertThat(parse.exitCode()).isEqualTo(2);
        assertThat(parse.stdout()).isEmpty();
        assertThat(parse.stderr()).isEqualTo("""
                Configuration has 1 error:

                1) --set: minimum: must be at least 1, was 0 (parser type 'auth' (plugin auth))
                """);
    }

    @Test
    void aTypeOfferedByTwoPluginsIsNamedWithBothAndTheOneThatParses(@TempDir Path dir)
            throws Exception
    {
        Path plugins = dir.resolve("plugins");
        buildAuthPlugin(plugins.resolve("auth"));
        buildAuthPlugin(plugins.resolve("auth-copy"));
        Path log = Files.writeString(dir.resolve("auth.log"), "ok\n");

        AgentProcess.Result parse = AgentProcess.run(dir.resolve("parse"), Map.of(), "parse", "--parser", "auth", "--plugins-dir", plugins.toString(), log.toString());

        assertThat(parse.exitCode()).as(parse.stderr()).isZero();
        assertThat(parse.stderr()).isEqualTo("warning: parser type 'auth' is offered by more than one plugin: auth (" + plugins.resolve("auth") + ") and auth-copy ("
                + plugins.resolve("auth-copy") + "); using auth (" + plugins.resolve("auth") + "); outrider run refuses the type until all but one are removed\n"
                + "1 line: 1 became security events (1 event: auth.login_success 1), 0 kept as plain events, 0 unmatched, 0 errors\n");
    }

    /**
     * A plugin with a parser type {@code auth} whose {@code create} does not validate: {@code fail REASON} is a failed
     * login, {@code ok} a success, {@code scan} a scan without reason, {@code plain} an event without action, the
     * lines listed in {@code ignore} are dropped, {@code null} makes it return null and {@code boom} throw.
     */
    private static void buildAuthPlugin(Path directory)
            throws Exception
    {
        PluginJars.build(directory.resolve("auth.jar"), Map.of("example.auth.AuthPlugin", """
                package example.auth;

                import io.outrider.spi.*;
                import java.util.*;

                public final class AuthPlugin implements Plugin {
                    public record AuthConfig(List<String> ignore, Integer minimum) {}

                    @Override
                    public List<ParserFactory<?>> parserFactories() {
                        return List.of(new ParserFactory<AuthConfig>() {
                            public String type() { return "auth"; }
                            public Class<AuthConfig> configClass() { return AuthConfig.class; }
                            public void validate(AuthConfig config) throws InvalidConfigException {
                                if (config.minimum() != null && config.minimum() < 1) {
                                    throw new InvalidConfigException("minimum", "must be at least 1, was " + config.minimum());
                                }
                            }
                            public Parser create(AuthConfig config, ComponentContext context) {
                                List<String> ignore = config.ignore() == null ? List.of() : config.ignore();
                                return event -> {
                                    String message = event.message();
                                    if (ignore.contains(message)) {
                                        return ParseResult.matched(List.of());
                                    }
                                    if (message.startsWith("fail ")) {
                                        return ParseResult.matched(event.toBuilder().field("event.action", "auth.login_failed").field("event.reason", message.substring(5)).build());
                                    }
                                    switch (message) {
                                        case "ok": return ParseResult.matched(event.toBuilder().field("event.action", "auth.login_success").field("event.reason", "accepted_password").build());
                                        case "scan": return ParseResult.matched(event.toBuilder().field("event.action", "auth.scan").build());
                                        case "plain": return ParseResult.matched(event);
                                        case "null": return null;
                                        case "boom": throw new IllegalStateException("boom");
                                        default: return ParseResult.unmatched();
                                    }
                                };
                            }
                        });
                    }
                }
                """), "example.auth.AuthPlugin", SpiVersion.CURRENT);
    }

    private static List<String> toStrings(Object flags)
    {
        List<String> strings = new ArrayList<>();
        for (Object flag : (List<?>) flags) {
            strings.add(String.valueOf(flag));
        }
        return strings;
    }
}
