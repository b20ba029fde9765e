package io.outrider.core.cli;

import io.outrider.config.ConfigLocation;
import io.outrider.config.ConfigProblems;
import io.outrider.config.InvalidConfigurationException;
import io.outrider.config.RecordBinder;
import io.outrider.config.Substitution;
import io.outrider.core.builtin.TerminalText;
import io.outrider.core.config.AgentDefaults;
import io.outrider.core.config.SecretRegistry;
import io.outrider.core.logging.LogSetup;
import io.outrider.core.plugin.ComponentKind;
import io.outrider.core.plugin.PluginRegistry;
import io.outrider.core.plugin.RegisteredFactory;
import io.outrider.core.storage.EventCodec;
import io.outrider.spi.ComponentContext;
import io.outrider.spi.ComponentFactory;
import io.outrider.spi.DataSize;
import io.outrider.spi.Event;
import io.outrider.spi.Fields;
import io.outrider.spi.InvalidConfigException;
import io.outrider.spi.ParseResult;
import io.outrider.spi.Parser;
import io.outrider.spi.ParserFactory;
import io.outrider.support.LineEncoding;
import io.outrider.support.LineSplitter;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/**
 * {@code outrider parse --parser TYPE [--set key=value]... [--stats] [FILE|-]}: runs one parser over lines and prints
 * the events it makes as JSON lines; unmatched lines are listed on standard error with their line numbers, and a
 * summary follows that tells lines which became security events (an {@code event.action}, counted by action) from
 * lines the parser kept as plain events; {@code --stats} adds the table of events by action and reason. The
 * configuration is bound and validated as {@code run} does it. The tool a parser author lives in. Lines are cut by the file input's {@link LineSplitter} (LF ends a line,
 * the CR of a CRLF is dropped, a lone CR stays in the line, long lines are cut and flagged) and become events with the
 * file input's fields, so a parser sees here what it sees in the agent.
 */
@Command(name = "parse", description = "Run a parser over lines (a file or standard input) and print the resulting events as JSON lines; unmatched lines go to standard error.")
final class ParseCommand
        implements Callable<Integer>
{
    /** The file input's upper bound for {@code max_line_bytes}. */
    private static final long MAX_LINE_BYTES_LIMIT = 1L << 30;

    @ParentCommand
    OutriderCommand outrider;

    @Option(names = "--parser", required = true, paramLabel = "TYPE", description = "parser type, e.g. sshd")
    String type;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a parser configuration property (repeatable); a list as KEY=[a, b]")
    List<String> settings = new ArrayList<>();

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugins directory (default: $OUTRIDER_HOME/plugins)")
    Path pluginsDir;

    @Option(names = "--quiet-unmatched", description = "do not list unmatched lines")
    boolean quietUnmatched;

    @Option(names = "--stats", description = "after the summary, print the number of events by action and reason")
    boolean stats;

    @Option(names = "--max-line-bytes", paramLabel = "SIZE", description = "longer lines are cut and flagged truncated, like the file input's max_line_bytes (default: 1MiB)")
    String maxLineBytes;

    @Option(names = "--encoding", paramLabel = "CHARSET", description = "character set of the lines, like the file input's encoding (default: UTF-8)")
    String encoding = "UTF-8";

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the lines to parse; - or absent for standard input")
    String file;

    @Override
    public Integer call()
            throws IOException, InterruptedException
    {
        Bootstrap bootstrap = ConfigOptions.bootstrap();
        LogSetup.forCommand(bootstrap.secrets(), outrider.logLevel(Level.WARNING));
        AgentDefaults defaults = AgentDefaults.forThisMachine(bootstrap.environment());
        PluginRegistry registry = bootstrap.plugins(pluginsDir != null ? pluginsDir : defaults.pluginsDir());
        Optional<RegisteredFactory> factory = registry.find(ComponentKind.PARSER, type);
        if (factory.isEmpty()) {
            List<String> available = registry.types(ComponentKind.PARSER);
            System.err.println("unknown parser type '" + type + "'" + io.outrider.config.DidYouMean.suffix(type, available)
                    + (available.isEmpty() ? "; no parser plugins are installed" : " (available: " + String.join(", ", available) + ")"));
            return 2;
        }
        List<RegisteredFactory> conflicting = registry.conflicting(ComponentKind.PARSER, type);
        if (!conflicting.isEmpty()) {
            // run refuses a configuration that uses such a type; here the author is told which one parses
            List<String> names = new ArrayList<>();
            conflicting.forEach(offering -> names.add(pluginName(offering)));
            System.err.println("warning: parser type '" + type + "' is offered by more than one plugin: " + String.join(" and ", names)
                    + "; using " + pluginName(factory.get()) + "; outrider run refuses the type until all but one are removed");
        }
        try (CommandLineContext context = new CommandLineContext(type, defaults.hostName())) {
            return parseWith(factory.get(), context, bootstrap, defaults);
        }
    }

    /** Creates the parser in {@code context} and runs it over the lines; the exit code. */
    private int parseWith(RegisteredFactory factory, ComponentContext context, Bootstrap bootstrap, AgentDefaults defaults)
            throws InterruptedException
    {
        Parser parser;
        try {
            Record config = bindSettings(factory, bootstrap);
            parser = factory.plugin().call(() -> createParser(factory, config, context));
        }
        catch (InvalidConfigurationException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        catch (Exception e) {
            System.err.println("parser " + type + " cannot be created: " + bootstrap.secrets().redact(String.valueOf(e.getMessage())));
            return 2;
        }
        try {
            return parseWith(parser, bootstrap, defaults);
        }
        finally {
            // as the agent does when an input stops: a parser may hold files or threads
            try {
                parser.close();
            }
            catch (RuntimeException e) {
                System.err.println("parser " + type + " failed to close: " + bootstrap.secrets().redact(String.valueOf(e.getMessage())));
            }
        }
    }

    /** Runs the created parser over the lines; the exit code. */
    private int parseWith(Parser parser, Bootstrap bootstrap, AgentDefaults defaults)
            throws InterruptedException
    {
        boolean standardInput = file == null || file.equals("-");
        String source = standardInput ? "<stdin>" : Path.of(file).toAbsolutePath().toString();
        if (!standardInput && !Files.isReadable(Path.of(file))) {
            System.err.println("cannot read " + source + (Files.exists(Path.of(file)) ? ": permission denied" : ": no such file"));
            return 2;
        }
        LineEncoding lineEncoding;
        try {
            lineEncoding = LineEncoding.forName(encoding);
        }
        catch (IllegalArgumentException e) {
            System.err.println("--encoding: " + e.getMessage());
            return 2;
        }
        LineSplitter splitter;
        try {
            splitter = new LineSplitter(lineEncoding, maxLineBytes(), 0);
        }
        catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        LineParser lines = new LineParser(parser, out, source, defaults.hostName(), quietUnmatched, bootstrap.secrets());
        try (InputStream in = standardInput ? System.in : Files.newInputStream(Path.of(file))) {
            byte[] buffer = new byte[64 << 10];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                splitter.consume(buffer, 0, read, lines::parse);
            }
            // the file input holds such a line until partial_line_flush; here the input has ended
            splitter.flushPartial(lines::parse);
        }
        catch (IOException e) {
            out.flush();
            System.err.println("cannot read " + source + ": " + e.getMessage());
            return 2;
        }
        catch (ParserCannotLink e) {
            out.flush();
            System.err.println("the parser cannot run: " + e.getMessage() + "; its plugin folder lacks a jar or holds one of another version"
                    + " (or a class of it failed to initialise). The agent holds such a pipeline's input back until the plugin is fixed");
            System.err.println(lines.summary());
            return 1;
        }
        out.flush();
        System.err.println(lines.summary());
        if (stats) {
            System.err.print(lines.statistics());
        }
        return 0;
    }

    /** A parser's {@link LinkageError}, its text redacted: it ends the run. */
    private static final class ParserCannotLink
            extends RuntimeException
    {
        ParserCannotLink(String message, LinkageError cause)
        {
            super(message, cause);
        }
    }

    private static String pluginName(RegisteredFactory factory)
    {
        return factory.plugin().name() + factory.plugin().location().map(path -> " (" + path + ")").orElse("");
    }

    /** {@code --max-line-bytes} in bytes; the file input's limits. @throws IllegalArgumentException saying what is wrong */
    private int maxLineBytes()
    {
        if (maxLineBytes == null) {
            return LineSplitter.DEFAULT_MAX_LINE_BYTES;
        }
        DataSize size;
        try {
            size = DataSize.parse(maxLineBytes);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-line-bytes: " + e.getMessage());
        }
        if (size.bytes() < 1 || size.bytes() > MAX_LINE_BYTES_LIMIT) {
            throw new IllegalArgumentException("--max-line-bytes: must be between 1B and 1GiB, not " + size);
        }
        return (int) size.bytes();
    }

    /** Turns each line into an event as the file input does, runs the parser and prints what it made. */
    private static final class LineParser
    {
        private final Parser parser;
        private final PrintStream out;
        private final String source;
        private final String hostName;
        private final boolean quietUnmatched;
        private final SecretRegistry secrets;
        private final Clock clock = Clock.systemUTC();
        private final ParseTally tally = new ParseTally();

        LineParser(Parser parser, PrintStream out, String source, String hostName, boolean quietUnmatched, SecretRegistry secrets)
        {
            this.secrets = secrets;
            this.parser = parser;
            this.out = out;
            this.source = source;
            this.hostName = hostName;
            this.quietUnmatched = quietUnmatched;
        }

        void parse(LineSplitter.Line line)
        {
            long number = tally.line(line.truncated());
            List<String> flags = new ArrayList<>(2);
            if (line.truncated()) {
                flags.add("truncated");
            }
            if (line.partial()) {
                flags.add("partial");
            }
            Event.Builder event = Event.builder().timestamp(clock.instant()).message(line.text())
                    .field(Fields.LOG_FILE_PATH, source).field(Fields.LOG_OFFSET, line.start()).field(Fields.HOST_NAME, hostName);
            if (!flags.isEmpty()) {
                event.field(Fields.LOG_FLAGS, List.copyOf(flags));
            }
            ParseResult result;
            try {
                result = parser.parse(event.build());
            }
            catch (RuntimeException | StackOverflowError e) {
                // as in the agent: counted, and the next line is parsed (a stack overflow has unwound by now)
                tally.error();
                System.err.println("line " + number + ": parser error: " + TerminalText.escape(secrets.redact(String.valueOf(e))));
                return;
            }
            catch (LinkageError e) {
                // every line would fail alike: the agent holds the input back, here it ends with the reason
                throw new ParserCannotLink(secrets.redact(String.valueOf(e)), e);
            }
            if (result == null) {
                // the pipeline counts this as a parser error too and goes on
                tally.error();
                System.err.println("line " + number + ": parser error: the parser returned null instead of a ParseResult");
                return;
            }
            if (!result.isMatched()) {
                tally.unmatched();
                if (!quietUnmatched) {
                    // the line is whatever was logged: control characters in it must not act on the terminal
                    System.err.println("line " + number + ": unmatched: " + TerminalText.escape(line.text()));
                }
                return;
            }
            for (Event parsed : result.events()) {
                out.println(TerminalText.escapeJson(EventCodec.toJsonLine(parsed)));
            }
            tally.matched(result.events());
        }

        String summary()
        {
            return tally.summary();
        }

        String statistics()
        {
            return tally.statistics();
        }
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Parser createParser(RegisteredFactory factory, Record config, ComponentContext context)
            throws Exception
    {
        return ((ParserFactory<C>) factory.factory()).create((C) config, context);
    }

    /** Binds {@code --set key=value} pairs exactly as YAML would be bound (dotted keys make nested mappings). */
    private Record bindSettings(RegisteredFactory factory, Bootstrap bootstrap)
            throws InvalidConfigurationException
    {
        ConfigProblems problems = new ConfigProblems();
        Map<String, Object> tree = new LinkedHashMap<>();
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            if (equals <= 0) {
                problems.add(new ConfigLocation("--set", 0, 0), setting, "expected KEY=VALUE");
                continue;
            }
            String value = setting.substring(equals + 1);
            Object parsed = value;
            if (value.startsWith("[") && value.endsWith("]")) {
                // a list, written as YAML writes one inline: --set paths=[a, "b c"]
                try {
                    parsed = new Yaml().compose(new StringReader(value));
                }
                catch (YAMLException e) {
                    problems.add(new ConfigLocation("--set", 0, 0), setting.substring(0, equals), "'" + value + "' is not a list such as [a, b]: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    continue;
                }
            }
            insert(tree, setting.substring(0, equals).split("\\."), parsed);
        }
        RecordBinder binder = new RecordBinder("--set", problems, new Substitution(bootstrap.environment(), Path.of("").toAbsolutePath()), bootstrap.secrets());
        @SuppressWarnings("unchecked")
        Class<? extends Record> configClass = (Class<? extends Record>) factory.factory().configClass();
        Record config = binder.bind(configClass, toNode(tree), "", null, new RecordBinder.Target(factory.describe(), factory.factory().sensitiveProperties(), Set.of("type")));
        problems.throwIfAny();
        // the checks run makes before it creates anything: a parser whose create() skips them must not parse here
        // with a configuration the agent refuses
        try {
            factory.plugin().call(() -> {
                validate(factory.factory(), config);
                return null;
            });
        }
        catch (InvalidConfigException e) {
            for (InvalidConfigException.Problem problem : e.problems()) {
                problems.add(new ConfigLocation("--set", 0, 0), problem.property(),
                        bootstrap.secrets().redact(binder.conceal(problem.message())) + " (" + factory.describe() + ")");
            }
        }
        catch (Exception e) {
            problems.add(new ConfigLocation("--set", 0, 0), "", factory.describe() + " failed to validate its configuration: "
                    + bootstrap.secrets().redact(binder.conceal(String.valueOf(e))));
        }
        problems.throwIfAny();
        return config;
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> void validate(ComponentFactory<C, ?> factory, Record config)
            throws InvalidConfigException
    {
        factory.validate((C) config);
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> tree, String[] path, Object value)
    {
        Map<String, Object> current = tree;
        for (int i = 0; i < path.length - 1; i++) {
            current = (Map<String, Object>) current.computeIfAbsent(path[i], ignored -> new LinkedHashMap<String, Object>());
        }
        current.put(path[path.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static Node toNode(Map<String, Object> tree)
    {
        List<NodeTuple> tuples = new ArrayList<>();
        for (Map.Entry<String, Object> entry : tree.entrySet()) {
            Node value = entry.getValue() instanceof Map ? toNode((Map<String, Object>) entry.getValue())
                    : entry.getValue() instanceof Node ? (Node) entry.getValue()
                    : new ScalarNode(Tag.STR, (String) entry.getValue(), null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
            tuples.add(new NodeTuple(new ScalarNode(Tag.STR, entry.getKey(), null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN), value));
        }
        return new MappingNode(Tag.MAP, tuples, org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    }
}
